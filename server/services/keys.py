"""PostKeys, GetKey, ListKeys, ListAppKeys, PatchKeys, DeleteKey.

A key's id is its token. The token is returned once, by PostKeys; stored is
only its hash, so Get/List show a masked id (the first characters, then
stars). Get/Patch/Delete take either the full token or that masked id, among
the caller's own keys.
"""

from __future__ import annotations

from datetime import UTC, datetime

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy import func

from server import contract, patch
from server.auth import ME
from server.convert import from_ts, ts
from server.dispatch import Call
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.services.apps import app_proto
from server.status import ApiError, Code, check_batch_size
from storage import apps as app_store
from storage import collaborators as collaborator_store
from storage import keys as key_store
from storage.keys import Key

MAX_KEYS = 128


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


def check_grants(scopes: list[str], endpoints: list[str], at: str) -> None:
    """Scopes must be names of the contract's scope enum; endpoints gRPC paths
    of its methods (e.g. /clarifai.api.V2/PostInputs)."""
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


def _check_expiry(sent: resources_pb2.Key, at: str) -> datetime | None:
    if not sent.HasField("expires_at"):
        return None
    when = from_ts(sent.expires_at)
    if when <= datetime.now(UTC):
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"{at}.expires_at {sent.expires_at.ToJsonString()} is not in the future",
        )
    return when


async def _apps_of(call: Call, keys: list[Key]) -> dict[int, app_store.App]:
    pks = [k.app_pk for k in keys if k.app_pk is not None]
    return await app_store.get_many_by_pk(call.session, pks) if pks else {}


def _shown(key_id: str) -> str:
    """How a key id may appear in details: never a full token."""
    visible = key_store.visible_part(key_id)
    return key_store.masked(visible if visible is not None else key_id[: key_store.PREFIX])


async def _own_key(call: Call, key_id: str, at: str) -> Key:
    """One of the caller's keys, by full token or masked id."""
    if not key_id:
        raise ApiError(Code.CONN_INVALID_REQUEST, f"{at} is required")
    visible = key_store.visible_part(key_id)
    if visible is None:
        key = await key_store.by_token(call.session, key_id)
        if key is not None and key.user_id == call.user_id:
            return key
    elif visible:
        found = await key_store.by_prefix(call.session, call.user_id, visible)
        if len(found) > 1:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{at} '{key_id}' matches several keys; give the full key",
            )
        if found:
            return found[0]
    raise ApiError(Code.CONN_DOES_NOT_EXIST, f"{at} '{_shown(key_id)}' not found")


async def _app_for_key(call: Call, sent: resources_pb2.Key, at: str) -> app_store.App:
    """The one app of an app-specific key: the caller's own, or one shared
    with the caller (whose key then acts there as a collaborator)."""
    if len(sent.apps) != 1 or not sent.apps[0].id:
        raise ApiError(
            Code.CONN_INVALID_REQUEST, f"{at}.apps: an app-specific key needs exactly one app id"
        )
    owner = sent.apps[0].user_id
    owner = call.user_id if owner in ("", ME) else owner
    app = await app_store.get(call.session, owner, sent.apps[0].id)
    shared = app is not None and (
        owner == call.user_id
        or await collaborator_store.live_grant(call.session, app.pk, call.user_id) is not None
    )
    if app is None or not shared:
        raise ApiError(
            Code.CONN_DOES_NOT_EXIST, f"{at}.apps[0] '{owner}/{sent.apps[0].id}' not found"
        )
    return app


async def _fresh_tokens(call: Call, count: int) -> list[str]:
    """New tokens whose masked ids are unique among the caller's keys."""
    taken = await key_store.prefixes(call.session, call.user_id)
    tokens: list[str] = []
    while len(tokens) < count:
        token = new_id()
        if token[: key_store.PREFIX] not in taken:
            taken.add(token[: key_store.PREFIX])
            tokens.append(token)
    return tokens


@rpc
async def PostKeys(call: Call, request: service_pb2.PostKeysRequest):
    check_batch_size(request.keys, "keys", MAX_KEYS)
    made: list[tuple[str, Key]] = []
    apps: dict[int, app_store.App] = {}
    tokens = await _fresh_tokens(call, len(request.keys))
    for n, (sent, token) in enumerate(zip(request.keys, tokens, strict=True)):
        at = f"keys[{n}]"
        if sent.id:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{at}.id: key ids are secrets generated by the server; leave it empty",
            )
        key_type = sent.type or key_store.APP_KEY
        if key_type not in key_store.KEY_TYPES:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{at}.type '{sent.type}' is not one of {', '.join(key_store.KEY_TYPES)}",
            )
        if not sent.scopes and not sent.endpoints:
            raise ApiError(
                Code.CONN_INVALID_REQUEST, f"{at}.scopes: give at least one scope or endpoint"
            )
        check_grants(list(sent.scopes), list(sent.endpoints), at)
        call.access.check_delegable(sent.scopes, sent.endpoints, at)
        expires_at = _check_expiry(sent, at)
        app_pk = None
        if key_type == key_store.APP_KEY:
            app = await _app_for_key(call, sent, at)
            app_pk, apps[app.pk] = app.pk, app
        elif sent.apps:
            raise ApiError(
                Code.CONN_INVALID_REQUEST, f"{at}.apps: a personal access token takes no apps"
            )
        key = key_store.new(
            token=token,
            user_id=call.user_id,
            key_type=key_type,
            app_pk=app_pk,
            scopes=list(sent.scopes),
            endpoints=list(sent.endpoints),
            description=sent.description,
            expires_at=expires_at,
        )
        made.append((token, key))
    await key_store.add(call.session, [key for _, key in made])
    return service_pb2.MultiKeyResponse(keys=[key_proto(k, apps, token) for token, k in made])


@rpc
async def GetKey(call: Call, request: service_pb2.GetKeyRequest):
    key = await _own_key(call, request.key_id, "key_id")
    return service_pb2.SingleKeyResponse(key=key_proto(key, await _apps_of(call, [key])))


@rpc
async def ListKeys(call: Call, request: service_pb2.ListKeysRequest):
    page = page_of(request)
    if request.type and request.type not in key_store.KEY_TYPES:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"type '{request.type}' is not one of {', '.join(key_store.KEY_TYPES)}",
        )
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
    # The caller's own keys for the app: a collaborator never sees the owner's.
    page = page_of(request)
    keys = await key_store.for_user(
        call.session, call.user_id, limit=page.limit, offset=page.offset, app_pk=call.app.pk
    )
    apps = await _apps_of(call, keys)
    return service_pb2.MultiKeyResponse(keys=[key_proto(k, apps) for k in keys])


@rpc
async def PatchKeys(call: Call, request: service_pb2.PatchKeysRequest):
    """Overwrite: description, scopes/endpoints and expires_at sent replace the
    stored ones (empty ones keep them); type and app cannot change."""
    patch.check_action(request.action, (patch.OVERWRITE,), "keys")
    check_batch_size(request.keys, "keys", MAX_KEYS)
    patched: list[Key] = []
    for n, sent in enumerate(request.keys):
        at = f"keys[{n}]"
        key = await _own_key(call, sent.id, f"{at}.id")
        if any(key.hash == k.hash for k in patched):
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{at}.id {_shown(sent.id)} is repeated")
        if sent.type and sent.type != key.type:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{at}.type cannot change from '{key.type}' to '{sent.type}'",
            )
        if sent.apps:
            apps = await _apps_of(call, [key])
            stored = apps.get(key.app_pk or 0)
            same = len(sent.apps) == 1 and stored is not None and sent.apps[0].id == stored.id
            if not same:
                raise ApiError(Code.CONN_INVALID_REQUEST, f"{at}.apps: a key's app cannot change")
        check_grants(list(sent.scopes), list(sent.endpoints), at)
        call.access.check_delegable(sent.scopes, sent.endpoints, at)
        expires_at = _check_expiry(sent, at)
        if sent.description:
            key.description = sent.description
        if sent.scopes or sent.endpoints:
            key.scopes, key.endpoints = list(sent.scopes), list(sent.endpoints)
        if expires_at is not None:
            key.expires_at = expires_at
        key.modified_at = func.now()
        patched.append(key)
    await call.session.flush()
    apps = await _apps_of(call, patched)
    return service_pb2.MultiKeyResponse(keys=[key_proto(k, apps) for k in patched])


@rpc
async def DeleteKey(call: Call, request: service_pb2.DeleteKeyRequest):
    key = await _own_key(call, request.key_id, "key_id")
    await call.session.delete(key)
    return status_pb2.BaseResponse()
