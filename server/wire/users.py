"""Users on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import struct, ts
from storage.users import User


def user_proto(user: User) -> resources_pb2.User:
    return resources_pb2.User(
        id=user.id,
        primary_email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        company_name=user.company_name,
        created_at=ts(user.created_at),
        metadata=struct(user.metadata_),
    )
