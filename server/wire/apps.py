"""Apps on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server.convert import struct, ts
from storage.apps import App


def app_proto(app: App) -> resources_pb2.App:
    # The default workflow as PostApps sent it (stored as its JSON).
    workflow = (
        json_format.ParseDict(app.default_workflow, resources_pb2.Workflow())
        if app.default_workflow is not None
        else None
    )
    return resources_pb2.App(
        id=app.id,
        name=app.name,
        user_id=app.user_id,
        description=app.description,
        notes=app.notes,
        default_language=app.default_language,
        default_workflow_id=app.default_workflow_id,
        default_workflow=workflow,
        sample_ms=app.sample_ms,
        visibility=resources_pb2.Visibility(gettable=app.visibility),
        metadata=struct(app.metadata_),
        created_at=ts(app.created_at),
        modified_at=ts(app.modified_at),
    )
