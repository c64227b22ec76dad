"""GetUser."""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2

from server.convert import struct, ts
from server.dispatch import Call
from server.services import rpc
from server.status import not_found
from storage import users as user_store


def user_proto(user: user_store.User) -> resources_pb2.User:
    return resources_pb2.User(
        id=user.id,
        primary_email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        company_name=user.company_name,
        created_at=ts(user.created_at),
        metadata=struct(user.metadata_),
    )


@rpc
async def GetUser(call: Call, request: service_pb2.GetUserRequest):
    user = await user_store.get(call.session, call.user_id)
    if user is None:
        raise not_found("user", call.user_id)
    return service_pb2.SingleUserResponse(user=user_proto(user))
