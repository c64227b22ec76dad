"""Models and model versions as the API shows them. Stored output_info,
input_info and train_info are the JSON the client sent (plus what training
filled in), read back into their messages."""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2
from clarifai.api.status import status_pb2
from google.protobuf import json_format, wrappers_pb2
from google.protobuf.message import Message

from server.convert import struct, ts
from storage.models import Model, ModelVersion
from storage.scoped import AppScope


def _parsed(stored: dict[str, Any] | None, message: Message) -> Message:
    if stored:
        json_format.ParseDict(stored, message, ignore_unknown_fields=True)
    return message


def output_info(stored: dict[str, Any] | None) -> resources_pb2.OutputInfo:
    return _parsed(stored, resources_pb2.OutputInfo())  # type: ignore[return-value]


def version(row: ModelVersion, app: AppScope | None = None) -> resources_pb2.ModelVersion:
    """One version; `app` gives its app_id and user_id."""
    info = output_info(row.output_info)
    return resources_pb2.ModelVersion(
        id=row.id,
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        completed_at=ts(row.completed_at),
        status=status_pb2.Status(code=row.status_code, description=row.status_description),
        active_concept_count=len(info.data.concepts),
        total_input_count=row.total_input_count,
        description=row.description,
        visibility=resources_pb2.Visibility(gettable=row.visibility),
        app_id=app.id if app else "",
        user_id=app.user_id if app else row.user_id,
        metadata=struct(row.metadata_),
        license=row.license,
        output_info=info,
        input_info=_parsed(row.input_info, resources_pb2.InputInfo()),
        train_info=_parsed(row.train_info, resources_pb2.TrainInfo()),
        train_log=row.train_log,
    )


def model(
    row: Model,
    latest: ModelVersion | None,
    app: AppScope | None = None,
    version_count: int | None = None,
) -> resources_pb2.Model:
    """The model with `latest` (its newest version, or the one asked for) in
    model_version and that version's output_info in the deprecated
    output_info (the model's own, as created, while it has no version).
    `app` gives app_id and user_id."""
    out = resources_pb2.Model(
        id=row.id,
        name=row.name,
        display_name=row.name,
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        app_id=app.id if app else "",
        user_id=app.user_id if app else "",
        model_type_id=row.model_type_id,
        visibility=resources_pb2.Visibility(gettable=row.visibility),
        description=row.description,
        notes=row.notes,
        metadata=struct(row.metadata_),
        presets=struct(row.presets),
        toolkits=row.toolkits,
        use_cases=row.use_cases,
        languages=row.languages,
        check_consents=row.check_consents,
        creator=row.creator,
        version_count=version_count or 0,
    )
    if row.workflow_recommended is not None:
        out.workflow_recommended.CopyFrom(wrappers_pb2.BoolValue(value=row.workflow_recommended))
    if latest is not None:
        out.model_version.CopyFrom(version(latest, app))
        out.output_info.CopyFrom(out.model_version.output_info)
    elif row.output_info:
        out.output_info.CopyFrom(output_info(row.output_info))
    return out


def values(row: Model) -> dict[str, Any]:
    """The stored values PatchModels may change, named as the request names them."""
    return {
        "name": row.name,
        "description": row.description,
        "notes": row.notes,
        "metadata": row.metadata_,
        "presets": row.presets,
        "toolkits": row.toolkits,
        "use_cases": row.use_cases,
        "languages": row.languages,
        "check_consents": row.check_consents,
        "visibility": row.visibility,
        "workflow_recommended": row.workflow_recommended,
    }
