"""ListStatusCodes, GetStatusCode: the status table itself."""

from __future__ import annotations

from clarifai.api import service_pb2

from server.services import rpc
from server.status import ApiError, Code, make_status


@rpc
async def ListStatusCodes(call, request: service_pb2.ListStatusCodesRequest):
    codes = sorted({v.number for v in Code.DESCRIPTOR.values if v.number})
    return service_pb2.MultiStatusCodeResponse(statuses=[make_status(c) for c in codes])


@rpc
async def GetStatusCode(call, request: service_pb2.GetStatusCodeRequest):
    raw = request.status_code_id
    code = int(raw) if raw.isdigit() else (Code.Value(raw) if raw in Code.keys() else None)
    if code is None or code == 0 or code not in Code.values():
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"status_code_id '{raw}' is not a status code")
    return service_pb2.SingleStatusCodeResponse(status=make_status(code))
