"""Annotations as the API shows them."""

from __future__ import annotations

from collections.abc import Sequence

from clarifai.api import resources_pb2, service_pb2
from google.protobuf import json_format

from server import main_app
from server.convert import struct, ts
from server.status import make_status
from storage.annotations import Row


def annotation_proto(row: Row) -> resources_pb2.Annotation:
    out = resources_pb2.Annotation(
        id=row.id,
        input_id=row.input_id,
        data=json_format.ParseDict(row.data, resources_pb2.Data(), ignore_unknown_fields=True),
        annotation_info=struct(row.annotation_info),
        user_id=row.user_id,
        model_version_id=row.model_version_id,
        status=make_status(row.status_code, row.status_details),
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        input_level=row.input_level,
        task_id=row.task_id,
    )
    if row.user_id and not row.model_version_id:
        out.worker.user.id = row.user_id
    elif builtin := main_app.model_of_version(row.model_version_id):
        # The base workflow's predictions: the clarifai/main model that made them.
        model = out.worker.model
        model.id, model.user_id, model.app_id = builtin.ids[0], main_app.USER_ID, main_app.APP_ID
        model.model_version.id = row.model_version_id
    return out


def annotations_response(rows: Sequence[Row]) -> service_pb2.MultiAnnotationResponse:
    return service_pb2.MultiAnnotationResponse(annotations=[annotation_proto(r) for r in rows])
