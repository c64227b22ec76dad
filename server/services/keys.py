"""PostKeys, GetKey, ListKeys, ListAppKeys, PatchKeys, DeleteKey.

A key's id is its token. The token is returned once, by PostKeys; stored is
only its hash, so Get/List show a masked id and Get/Patch/Delete address a
key by its full token.
"""

from __future__ import annotations

from datetime import UTC, datetime

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy import func

from server import contract, patch
from server.convert import from_ts, ts
from server.dispatch import Call
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.services.apps import app_proto
from server.status import ApiError, Code, not_found
from storage import apps as app_store
from storage import keys as key_store
from storage.keys import Key

KEY_TYPES = (key_store.APP_KEY, key_store.PAT)


def key_proto(key: Key, apps: dict[int, app_store.App], token: str = "") -> resources_pb2.Key:
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


def check_grants(scopes: list[str], endpoints: list[str], field: str) -> None:
    """Scopes must be names of the contract's scope enum; endpoints gRPC paths
    of its methods (e.g. /clarifai.api.V2/PostInputs)."""
    known = set(contract.scope_names())
    for n, scope in enumerate(scopes):
        if scope not in known:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{field}.scopes[{n}] '{scope}' is not a scope")
    paths = {m.path for m in contract.methods().values()}
    for n, endpoint in enumerate(endpoints):
        if endpoint not in paths:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{field}.endpoints[{n}] '{endpoint}' is not an endpoint of this server",
            )


async def _apps_of(call: Call, keys: list[Key]) -> dict[int, app_store.App]:
    pks = [k.app_pk for k in keys if k.app_pk is not None]
    return await app_store.get_many_by_pk(call.session, pks) if pks else {}


async def _own_key(call: Call, token: str, field: str) -> Key:
    if not token:
        raise ApiError(Code.CONN_INVALID_REQUEST, f"{field} is required")
    key = await key_store.by_token(call.session, token)
    if key is None or key.user_id != call.user_id:
        raise not_found("key", key_store.masked(token[:4]))
    return key


@rpc
async def PostKeys(call: Call, request: service_pb2.PostKeysRequest):
    if not request.keys:
        raise ApiError(Code.CONN_INVALID_REQUEST, "keys: at least one key is required")
    made: list[tuple[str, Key]] = []
    apps: dict[int, app_store.App] = {}
    for n, sent in enumerate(request.keys):
        field = f"keys[{n}]"
        key_type = sent.type or key_store.APP_KEY
        if key_type not in KEY_TYPES:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{field}.type '{sent.type}' is not one of {', '.join(KEY_TYPES)}",
            )
        if not sent.scopes and not sent.endpoints:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{field}.scopes: give at least one scope")
        check_grants(list(sent.scopes), list(sent.endpoints), field)
        app_pk = None
        if key_type == key_store.APP_KEY:
            if len(sent.apps) != 1 or not sent.apps[0].id:
                raise ApiError(
                    Code.CONN_INVALID_REQUEST,
                    f"{field}.apps: an app-specific key needs exactly one app id",
                )
            owner = sent.apps[0].user_id or call.user_id
            app = await app_store.get(call.session, call.user_id, sent.apps[0].id)
            if app is None or owner not in (call.user_id, "me"):
                raise not_found("app", f"{owner}/{sent.apps[0].id}")
            app_pk, apps[app.pk] = app.pk, app
        elif sent.apps:
            raise ApiError(
                Code.CONN_INVALID_REQUEST, f"{field}.apps: a personal access token takes no apps"
            )
        token = new_id()
        key = await key_store.create(
            call.session,
            token=token,
            user_id=call.user_id,
            key_type=key_type,
            app_pk=app_pk,
            scopes=list(sent.scopes),
            endpoints=list(sent.endpoints),
            description=sent.description,
            expires_at=from_ts(sent.expires_at) if sent.HasField("expires_at") else None,
        )
        made.append((token, key))
    for _, key in made:
        await call.session.refresh(key)
    return service_pb2.MultiKeyResponse(keys=[key_proto(k, apps, token) for token, k in made])


@rpc
async def GetKey(call: Call, request: service_pb2.GetKeyRequest):
    key = await _own_key(call, request.key_id, "key_id")
    return service_pb2.SingleKeyResponse(key=key_proto(key, await _apps_of(call, [key])))


@rpc
async def ListKeys(call: Call, request: service_pb2.ListKeysRequest):
    page = page_of(request)
    if request.type and request.type not in KEY_TYPES:
        raise ApiError(Code.CONN_INVALID_REQUEST, f"type '{request.type}' is not a key type")
    keys = await key_store.for_user(
        call.session,
        call.user_id,
        limit=page.limit,
        offset=page.offset,
        key_type=request.type,
        not_expired_at=datetime.now(UTC) if request.not_expired else None,
    )
    apps = await _apps_of(call, keys)
    return service_pb2.MultiKeyResponse(keys=[key_proto(k, apps) for k in keys])


@rpc
async def ListAppKeys(call: Call, request: service_pb2.ListAppKeysRequest):
    page = page_of(request)
    keys = await key_store.for_user(
        call.session, call.app.user_id, limit=page.limit, offset=page.offset, app_pk=call.app.pk
    )
    apps = await _apps_of(call, keys)
    return service_pb2.MultiKeyResponse(keys=[key_proto(k, apps) for k in keys])


@rpc
async def PatchKeys(call: Call, request: service_pb2.PatchKeysRequest):
    patch.check_action(request.action, (patch.OVERWRITE,), "keys")
    if not request.keys:
        raise ApiError(Code.CONN_INVALID_REQUEST, "keys: at least one key is required")
    patched: list[Key] = []
    for n, sent in enumerate(request.keys):
        field = f"keys[{n}]"
        key = await _own_key(call, sent.id, f"{field}.id")
        check_grants(list(sent.scopes), list(sent.endpoints), field)
        if sent.description:
            key.description = sent.description
        if sent.scopes or sent.endpoints:
            key.scopes, key.endpoints = list(sent.scopes), list(sent.endpoints)
        if sent.HasField("expires_at"):
            key.expires_at = from_ts(sent.expires_at)
        key.modified_at = func.now()
        patched.append(key)
    await call.session.flush()
    for key in patched:
        await call.session.refresh(key)
    apps = await _apps_of(call, patched)
    return service_pb2.MultiKeyResponse(keys=[key_proto(k, apps) for k in patched])


@rpc
async def DeleteKey(call: Call, request: service_pb2.DeleteKeyRequest):
    key = await _own_key(call, request.key_id, "key_id")
    await call.session.delete(key)
    return status_pb2.BaseResponse()
