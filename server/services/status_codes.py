"""ListStatusCodes, GetStatusCode: the status table itself, open to anyone."""

from __future__ import annotations

from clarifai.api import service_pb2

from server.checks import Checks
from server.dispatch import Call
from server.services import rpc
from server.status import ApiError, Code, make_status

check = Checks(Code.CONN_INVALID_REQUEST)


def codes() -> list[int]:
    """Every code of the enum once (deprecated aliases share a number)."""
    return sorted({v.number for v in Code.DESCRIPTOR.values if v.number})


@rpc
async def ListStatusCodes(call: Call, request: service_pb2.ListStatusCodesRequest):
    return service_pb2.MultiStatusCodeResponse(statuses=[make_status(c) for c in codes()])


@rpc
async def GetStatusCode(call: Call, request: service_pb2.GetStatusCodeRequest):
    """By number ("11008") or by name ("CONN_KEY_INVALID")."""
    raw = check.required(request.status_code_id.strip(), "status_code_id")
    names = Code.DESCRIPTOR.values_by_name
    if raw.isdigit():
        code = int(raw)
    elif raw in names:
        code = names[raw].number
    else:
        code = 0
    if code == 0 or code not in Code.DESCRIPTOR.values_by_number:
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"status_code_id '{raw}' is not a status code")
    return service_pb2.SingleStatusCodeResponse(status=make_status(code))
