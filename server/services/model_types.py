"""ListModelTypes, GetModelType: the catalog of server/model_types.py. It is
the same under every app (and with no app named), so clarifai/main's and the
caller's apps answer alike."""

from __future__ import annotations

from clarifai.api import service_pb2

from server import model_types
from server.checks import Checks
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import Code

check = Checks(Code.MODEL_INVALID_REQUEST)


@rpc
async def ListModelTypes(call: Call, request: service_pb2.ListModelTypesRequest):
    at = page_of(request)
    types = list(model_types.TYPES.values())[at.offset : at.offset + at.limit]
    return service_pb2.MultiModelTypeResponse(model_types=[t.to_proto() for t in types])


@rpc
async def GetModelType(call: Call, request: service_pb2.GetModelTypeRequest):
    type_id = check.required(request.model_type_id, "model_type_id")
    found = check.found(model_types.get(type_id), "model type", type_id)
    return service_pb2.SingleModelTypeResponse(model_type=found.to_proto())
