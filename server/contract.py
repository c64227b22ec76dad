"""The V2 contract as data, indexed once from the generated descriptors.

Both edges (gRPC and REST) and the dispatcher read RPCs from here, so a
method declared in protos/ is served everywhere without being listed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from clarifai.api import service_pb2
from clarifai.auth.scope import scope_pb2
from clarifai.auth.types import types_pb2
from clarifai.auth.util import extension_pb2
from google.api import annotations_pb2, http_pb2
from google.protobuf import message_factory
from google.protobuf.descriptor import MethodDescriptor
from google.protobuf.message import Message

SERVICE = service_pb2.DESCRIPTOR.services_by_name["V2"]
AuthType = types_pb2.AuthType
Scope = scope_pb2.S

# RPCs whose user_app_id.app_id, when sent, names the app the call makes:
# PostApps with user_app_id {user_id: "me", app_id: <the new app's id>}, as
# Clarifai's own tests send it. Only the user is resolved (and must be the
# caller); the app is not looked up, since it does not exist yet.
_MAKES_NAMED_APP = frozenset({"PostApps"})


@dataclass(frozen=True)
class Method:
    name: str
    descriptor: MethodDescriptor
    request_type: type[Message]
    response_type: type[Message]
    auth_type: int
    scopes: tuple[str, ...]
    http: http_pb2.HttpRule
    # The gRPC path, also the form keys list in `endpoints`.
    path: str
    # Whether the request has a user_app_id naming the user and app acted on.
    names_app: bool
    # Whether that app is one to look up before the call (not one it makes).
    resolves_app: bool = True


def _method(md: MethodDescriptor) -> Method:
    opts = md.GetOptions()
    return Method(
        name=md.name,
        descriptor=md,
        request_type=message_factory.GetMessageClass(md.input_type),
        response_type=message_factory.GetMessageClass(md.output_type),
        auth_type=opts.Extensions[extension_pb2.cl_auth_type],
        scopes=tuple(Scope.Name(s) for s in opts.Extensions[extension_pb2.cl_depending_scopes]),
        http=opts.Extensions[annotations_pb2.http],
        path=f"/{SERVICE.full_name}/{md.name}",
        names_app="user_app_id" in md.input_type.fields_by_name,
        resolves_app=md.name not in _MAKES_NAMED_APP,
    )


@cache
def methods() -> dict[str, Method]:
    return {md.name: _method(md) for md in SERVICE.methods}


@cache
def methods_by_path() -> dict[str, Method]:
    """The methods by gRPC path, as keys and collaborators name endpoints."""
    return {m.path: m for m in methods().values()}


@cache
def scope_names() -> tuple[str, ...]:
    """Every scope a key may hold, without the deprecated ones nobody checks."""
    return tuple(
        v.name for v in Scope.DESCRIPTOR.values if v.number != 0 and not v.GetOptions().deprecated
    )
