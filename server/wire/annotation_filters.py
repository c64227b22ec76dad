"""Annotation filters on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server.convert import ts
from storage.annotation_filters import AnnotationFilter
from storage.scoped import AppScope


def annotation_filter(row: AnnotationFilter, app: AppScope) -> resources_pb2.AnnotationFilter:
    out = resources_pb2.AnnotationFilter(
        id=row.id,
        user_id=app.user_id,
        app_id=app.id,
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
    )
    json_format.ParseDict(row.search, out.search, ignore_unknown_fields=True)
    return out
