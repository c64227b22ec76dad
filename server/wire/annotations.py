"""Annotations as the API shows them."""

from __future__ import annotations

from collections.abc import Sequence

from clarifai.api import resources_pb2, service_pb2

from server import main_app
from server.convert import fill_parsed, fill_struct, set_ts
from server.status import make_status
from storage.annotations import Row


def annotation_proto(
    row: Row, into: resources_pb2.Annotation | None = None
) -> resources_pb2.Annotation:
    """The annotation, built in `into` when given (a response's own: a
    message assigned or appended is copied)."""
    out = into if into is not None else resources_pb2.Annotation()
    out.id = row.id
    out.input_id = row.input_id
    fill_parsed(out.data, row.data)
    if row.annotation_info:
        fill_struct(out.annotation_info, row.annotation_info)
    out.user_id = row.user_id
    out.model_version_id = row.model_version_id
    out.status.CopyFrom(make_status(row.status_code, row.status_details))
    set_ts(out.created_at, row.created_at)
    set_ts(out.modified_at, row.modified_at)
    out.input_level = row.input_level
    out.task_id = row.task_id
    if row.user_id and not row.model_version_id:
        out.worker.user.id = row.user_id
    elif builtin := main_app.model_of_version(row.model_version_id):
        # The base workflow's predictions: the clarifai/main model that made them.
        model = out.worker.model
        model.id, model.user_id, model.app_id = builtin.ids[0], main_app.USER_ID, main_app.APP_ID
        model.model_version.id = row.model_version_id
    return out


def annotations_response(rows: Sequence[Row]) -> service_pb2.MultiAnnotationResponse:
    response = service_pb2.MultiAnnotationResponse()
    for r in rows:
        annotation_proto(r, into=response.annotations.add())
    return response
