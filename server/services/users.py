"""GetUser."""

from __future__ import annotations

from clarifai.api import service_pb2

from server.dispatch import Call
from server.services import rpc
from server.status import not_found
from server.wire.users import user_proto


@rpc
async def GetUser(call: Call, request: service_pb2.GetUserRequest):
    user = await call.store.users.me()
    if user is None:
        raise not_found("user", call.user_id)
    return service_pb2.SingleUserResponse(user=user_proto(user))
