"""Keys on the wire, and the grants (scopes and endpoints) a request gives a
key or a collaborator."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server import contract
from server.convert import ts
from server.status import ApiError, Code
from server.wire.apps import app_proto
from storage import keys as key_store
from storage.apps import App
from storage.keys import Key


def key_proto(key: Key, apps: dict[int, App], token: str = "") -> resources_pb2.Key:
    """A key as its owner sees it: its masked id, but the whole `token` in
    the one response that made it."""
    out = resources_pb2.Key(
        id=token or key_store.masked(key.prefix),
        type=key.type,
        description=key.description,
        scopes=key.scopes,
        endpoints=key.endpoints,
        created_at=ts(key.created_at),
        expires_at=ts(key.expires_at),
    )
    if key.app_pk is not None and key.app_pk in apps:
        out.apps.append(app_proto(apps[key.app_pk]))
    return out


def grants_of(
    sent: resources_pb2.Key | resources_pb2.Collaborator, at: str, *, required: bool = True
) -> dict[str, list[str]]:
    """The scopes and endpoints sent for a key or a collaborator (at least
    one of them when `required`). Scopes must be names of the contract's
    scope enum; endpoints gRPC paths of its methods (e.g.
    /clarifai.api.V2/PostInputs)."""
    scopes, endpoints = list(sent.scopes), list(sent.endpoints)
    if required and not scopes and not endpoints:
        raise ApiError(
            Code.CONN_INVALID_REQUEST, f"{at}.scopes: give at least one scope or endpoint"
        )
    known = contract.scope_names()
    for n, scope in enumerate(scopes):
        if scope not in known:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{at}.scopes[{n}] '{scope}' is not a scope")
    paths = contract.methods_by_path()
    for n, endpoint in enumerate(endpoints):
        if endpoint not in paths:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{at}.endpoints[{n}] '{endpoint}' is not an endpoint of this server",
            )
    return {"scopes": scopes, "endpoints": endpoints}
