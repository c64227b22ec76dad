"""Searches on the wire: hits, and saved searches as Search messages."""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2
from google.protobuf import json_format
from google.protobuf.internal.containers import RepeatedCompositeFieldContainer

from server.convert import request_json, set_ts
from storage.scoped import AppScope
from storage.searches import SearchRecord

# A response's hits, which hits are added to.
Hits = RepeatedCompositeFieldContainer[resources_pb2.Hit]

# Fields of a Search the record keeps in columns of its own, or that only
# say what to do with it (save).
_OWN_COLUMNS = ("id", "name", "as_of", "created_at", "modified_at", "save", "application_id")


def hit(into: Hits, score: float, app: AppScope) -> resources_pb2.Hit:
    """A new hit in `into` (a response's), its input and annotation to fill."""
    return into.add(score=score, user_id=app.user_id, app_id=app.id)


def stored(search: resources_pb2.Search, field: str, code: int) -> dict[str, Any]:
    """The Search as its record keeps it: what it asks, without the fields
    the record's columns hold."""
    kept = resources_pb2.Search()
    kept.CopyFrom(search)
    for name in _OWN_COLUMNS:
        kept.ClearField(name)
    return request_json(kept, field, code)


def search_proto(row: SearchRecord, app: AppScope) -> resources_pb2.Search:
    out = json_format.ParseDict(row.search, resources_pb2.Search(), ignore_unknown_fields=True)
    out.id, out.name, out.application_id = row.id, row.name, app.id
    set_ts(out.created_at, row.created_at)
    set_ts(out.modified_at, row.modified_at)
    if row.as_of is not None:
        set_ts(out.as_of, row.as_of)
    return out
