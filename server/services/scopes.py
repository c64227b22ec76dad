"""MyScopes, MyScopesUser, MyScopesRoot, ListScopes: what a key may do.

Scopes are reported as the authorizer computes them: the key's scopes with
their implied ones (X_Add brings X_Get, X_Delete brings X_Add and X_Get),
intersected with the collaborator's on a shared app. A key holding "All"
reports "All" followed by every scope it covers; `endpoints` are the gRPC
paths the key may call.
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2

from server import contract
from server.auth import Access, implied
from server.checks import Checks
from server.dispatch import Call
from server.services import rpc
from server.status import Code
from server.wire.apps import app_proto
from storage import keys as key_store

check = Checks(Code.CONN_INVALID_REQUEST)


@rpc
async def MyScopes(call: Call, request: service_pb2.MyScopesRequest):
    access = call.access
    response = service_pb2.MultiScopeResponse(scopes=access.scopes, endpoints=access.endpoints)
    if access.app_row is not None:
        response.app.CopyFrom(app_proto(access.app_row))
    return response


def _own(call: Call) -> Access:
    """The caller's key alone, without any app's collaborator grant."""
    return Access(caller=call.caller, grants=(call.caller.grant,), is_owner=True)


@rpc
async def MyScopesUser(call: Call, request: service_pb2.MyScopesUserRequest):
    own = _own(call)
    return service_pb2.MultiScopeUserResponse(scopes=own.scopes, endpoints=own.endpoints)


@rpc
async def MyScopesRoot(call: Call, request: service_pb2.MyScopesRootRequest):
    own = _own(call)
    return service_pb2.MultiScopeRootResponse(scopes=own.scopes, endpoints=own.endpoints)


# ListScopes' key_type: the reference's two key types (ListScopesRequest and
# Key.type: "app_specific_key", the default, and "personal_access_token"),
# and "api_key", the name its guides give app-specific keys.
KEY_TYPE_NAMES = {
    key_store.APP_KEY: key_store.APP_KEY,
    "api_key": key_store.APP_KEY,
    key_store.PAT: key_store.PAT,
}


@rpc
async def ListScopes(call: Call, request: service_pb2.ListScopesRequest):
    named = check.one_of(request.key_type or key_store.APP_KEY, KEY_TYPE_NAMES, "key_type")
    key_type = KEY_TYPE_NAMES[named]
    response = service_pb2.MultiScopeDepsResponse(
        scope_deps=[
            resources_pb2.ScopeDeps(scope=s, depending_scopes=implied(s))
            for s in contract.scope_names()
        ]
    )
    for method in contract.methods().values():
        if method.auth_type == contract.AuthType.NoAuth:
            continue
        if key_type == key_store.APP_KEY and method.auth_type != contract.AuthType.KeyAuth:
            continue
        response.endpoint_deps.append(
            resources_pb2.EndpointDeps(endpoint=method.path, depending_scopes=method.scopes)
        )
    return response
