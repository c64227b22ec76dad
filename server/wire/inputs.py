"""Inputs on the wire: stored rows as the API shows them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clarifai.api import resources_pb2

from server import media
from server.convert import ts
from server.status import make_status
from storage.inputs import Row

if TYPE_CHECKING:
    from server.dispatch import Call


def _fill_stored(data: resources_pb2.Data, stored: dict[str, Any]) -> None:
    """Fill `data` from an input's stored JSON (the shape PostInputs
    writes) field by field: json_format's generic walk would cost more than
    the rest of a 128-input page."""
    for kind in media.KINDS:
        sent = stored.get(kind)
        if sent is None:
            continue
        target = getattr(data, kind)
        target.SetInParent()
        if url := sent.get("url"):
            target.url = url
        if kind == "text" and (raw := sent.get("raw")):
            target.raw = raw
        if kind == "image" and (info := sent.get("image_info")):
            for name, value in info.items():
                setattr(target.image_info, name, value)
    if metadata := stored.get("metadata"):
        data.metadata.update(metadata)
    if geo := stored.get("geo"):
        point = geo.get("geo_point", {})
        data.geo.geo_point.longitude = point.get("longitude", 0.0)
        data.geo.geo_point.latitude = point.get("latitude", 0.0)


def input_proto(call: Call, row: Row, concepts: Sequence[dict[str, Any]]) -> resources_pb2.Input:
    """The input as GetInput shows it; `concepts` are its input-level ones.
    (Built in place: a message passed to a constructor is copied.)"""
    out = resources_pb2.Input(
        id=row.id,
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        status=make_status(row.status_code, row.status_details),
    )
    data = out.data
    _fill_stored(data, row.data)
    for c in concepts:
        data.concepts.add(
            id=c["id"], name=c.get("name") or c["id"], value=c.get("value", 1.0), app_id=call.app.id
        )
    media.show_hosted(data, call.settings, call.app, row.media_kind, row.blob_key)
    return out


def labels(levels: dict[str, tuple[int, dict[str, Any]]], input_id: str) -> list[dict[str, Any]]:
    """The concepts of an input's input-level annotation."""
    level = levels.get(input_id)
    return level[1].get("concepts", []) if level else []
