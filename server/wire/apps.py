"""Apps on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import struct, ts
from storage.apps import App


def app_proto(app: App) -> resources_pb2.App:
    return resources_pb2.App(
        id=app.id,
        name=app.name,
        user_id=app.user_id,
        description=app.description,
        notes=app.notes,
        default_language=app.default_language,
        sample_ms=app.sample_ms,
        visibility=resources_pb2.Visibility(gettable=app.visibility),
        metadata=struct(app.metadata_),
        created_at=ts(app.created_at),
        modified_at=ts(app.modified_at),
    )
