"""MyScopes, MyScopesUser, MyScopesRoot, ListScopes: what a key may do."""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2

from server import contract
from server.auth import ALL
from server.dispatch import Call
from server.services import rpc
from server.services.apps import app_proto
from server.status import ApiError, Code
from storage import apps as app_store


def _expanded(scopes: frozenset[str]) -> list[str]:
    names = contract.scope_names()
    return names if ALL in scopes else [s for s in names if s in scopes]


def _reachable(scopes: frozenset[str], endpoints: frozenset[str], app_key: bool) -> list[str]:
    """gRPC paths of the methods these grants can call."""
    out = []
    for method in contract.methods().values():
        if app_key and method.auth_type in (contract.AuthType.PATAuth,
                                            contract.AuthType.SessionTokenAuth):
            continue
        if ALL in scopes or method.path in endpoints or all(s in scopes for s in method.scopes):
            out.append(method.path)
    return out


@rpc
async def MyScopes(call: Call, request: service_pb2.MyScopesRequest):
    access = call.access
    response = service_pb2.MultiScopeResponse(
        scopes=_expanded(access.scopes),
        endpoints=_reachable(access.scopes, access.endpoints, call.caller.is_app_key),
    )
    if access.app is not None:
        response.app.CopyFrom(app_proto(await app_store.get_by_pk(call.session, access.app.pk)))
    return response


@rpc
async def MyScopesUser(call: Call, request: service_pb2.MyScopesUserRequest):
    c = call.caller
    return service_pb2.MultiScopeUserResponse(
        scopes=_expanded(c.scopes), endpoints=_reachable(c.scopes, c.endpoints, False)
    )


@rpc
async def MyScopesRoot(call: Call, request: service_pb2.MyScopesRootRequest):
    c = call.caller
    return service_pb2.MultiScopeRootResponse(
        scopes=_expanded(c.scopes), endpoints=_reachable(c.scopes, c.endpoints, False)
    )


def scope_dependencies(scope: str) -> list[str]:
    """Add implies Get; Delete needs Add and Get."""
    resource, _, op = scope.rpartition("_")
    known = set(contract.scope_names())
    wanted = {"Add": ["Get"], "Delete": ["Add", "Get"]}.get(op, [])
    return [f"{resource}_{w}" for w in wanted if f"{resource}_{w}" in known]


@rpc
async def ListScopes(call: Call, request: service_pb2.ListScopesRequest):
    key_type = request.key_type or "personal_access_token"
    if key_type not in ("personal_access_token", "app_specific_key", "api_key"):
        raise ApiError(Code.CONN_INVALID_REQUEST, f"key_type '{request.key_type}' is unknown")
    app_key = key_type != "personal_access_token"
    response = service_pb2.MultiScopeDepsResponse(
        scope_deps=[
            resources_pb2.ScopeDeps(scope=s, depending_scopes=scope_dependencies(s))
            for s in contract.scope_names()
        ]
    )
    for method in contract.methods().values():
        if app_key and method.auth_type == contract.AuthType.PATAuth:
            continue
        response.endpoint_deps.append(
            resources_pb2.EndpointDeps(endpoint=method.path, depending_scopes=method.scopes)
        )
    return response
