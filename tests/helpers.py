"""What test modules share besides fixtures (those stay in conftest.py):
request metadata and ids, Structs and images to send, keys, sharing an app,
status assertions, REST calls, and an account's app as storage holds it.

This module imports the project's generated protos: a script that runs in
the reference client's environment (tests/reference_env.py) must not
import it.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from typing import Any

import aiohttp
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from PIL import Image

from storage import apps as app_store
from storage.apps import AppScope

Metadata = tuple[tuple[str, str], ...]

# ---- requests ----


def md(token: str) -> Metadata:
    """gRPC metadata carrying a key, as clients send it."""
    return (("authorization", f"Key {token}"),)


def auth_header(token: str) -> dict[str, str]:
    """The same key as an HTTP header, for the REST port."""
    return {"Authorization": f"Key {token}"}


def me(app_id: str = "") -> r.UserAppIDSet:
    """The caller (user "me"), and one of its apps when app_id is given."""
    return r.UserAppIDSet(user_id="me", app_id=app_id)


def app_of(account, app_id: str = "") -> r.UserAppIDSet:
    """The account's app (or another of its apps), the user named by id."""
    return r.UserAppIDSet(user_id=account.user_id, app_id=app_id or account.app_id)


def struct(**values: Any) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(values)
    return out


def png(width: int = 3, height: int = 2, color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


# ---- keys and collaborators ----


def pat(scopes: Sequence[str] = ("All",), **kw: Any) -> r.Key:
    """A personal access token to create."""
    return r.Key(type="personal_access_token", scopes=list(scopes), **kw)


def app_key(app_id: str = "main", scopes: Sequence[str] = ("All",), **kw: Any) -> r.Key:
    """An app-specific key to create."""
    return r.Key(scopes=list(scopes), apps=[r.App(id=app_id)], **kw)


async def make_key(stub, account, key: r.Key) -> str:
    """Create `key` with the account's PAT; its token."""
    res = await stub.PostKeys(
        s.PostKeysRequest(user_app_id=me(), keys=[key]), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.keys[0].id


async def share(stub, owner, guest, scopes: Sequence[str] = ("All",)) -> r.Collaborator:
    """Make the guest account a collaborator on the owner's app."""
    res = await stub.PostCollaborators(
        s.PostCollaboratorsRequest(
            user_app_id=app_of(owner),
            collaborators=[r.Collaborator(user=r.User(id=guest.user_id), scopes=list(scopes))],
        ),
        metadata=owner.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.collaborators[0]


# ---- statuses ----

# The reference's wording of the codes tests check, written out here rather
# than read from server.status, so a change of wording fails.
DESCRIPTIONS = {
    sc.SUCCESS: "Ok",
    sc.CONN_INVALID_REQUEST: "Invalid request",
    sc.CONN_BAD_REQUEST_FORMAT: "Bad request format",
    sc.CONCEPTS_INVALID_REQUEST: "Invalid request",
    sc.CONN_KEY_INVALID: "Invalid API key or Invalid API key/application pair",
    sc.CONN_DOES_NOT_EXIST: "Resource does not exist",
    sc.CONN_INSUFFICIENT_SCOPES: "API key has insufficient scopes",
    sc.TASK_MISSING: "Task was not found",
    sc.TASK_PERMISSION_DENIED: "Task permission denied",
    sc.TASK_CONFLICT: "The task operation is in conflict with the current state of the server",
    sc.MODEL_DOES_NOT_EXIST: "Model does not exist",
    sc.MODEL_INVALID_REQUEST: "Invalid model request",
    sc.WORKFLOW_DOES_NOT_EXIST: "Workflow does not exist",
    sc.SEARCH_INVALID_REQUEST: "Invalid search request",
    sc.BULK_OPERATION_INVALID_REQUEST: "Bulk operation invalid request",
    # The reference publishes no wording for these: the code's name.
    sc.UPLOAD_EXPIRED: "Upload expired",
    sc.UPLOAD_CONFLICT: "Upload conflict",
    sc.APP_DUPLICATION_INVALID_REQUEST: "App duplication invalid request",
    sc.STATS_INVALID_REQUEST: "Stats invalid request",
    sc.DATABASE_DUPLICATE_KEY: (
        "Object has a duplicate ID; another object with same ID already exist"
    ),
}
KEY_INVALID = DESCRIPTIONS[sc.CONN_KEY_INVALID]


def assert_status(res, code: int, *words: str) -> None:
    """The response's status has `code`, its wording, and details naming
    each of `words`."""
    assert res.status.code == code, res.status
    assert res.status.description == DESCRIPTIONS[code], res.status
    for word in words:
        assert word in res.status.details, res.status.details


def assert_invalid(res, *words: str, code: int = sc.CONN_INVALID_REQUEST) -> None:
    """Refused as invalid (with the family's code), naming `words`."""
    assert_status(res, code, *words)


def assert_missing(res, *words: str) -> None:
    """Refused as not found, naming `words`."""
    assert_status(res, sc.CONN_DOES_NOT_EXIST, *words)


# ---- the REST port ----


async def rest_call(
    http: aiohttp.ClientSession,
    verb: str,
    url: str,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    **kw: Any,
) -> tuple[int, dict[str, Any]]:
    """One request to the REST port: its HTTP status and JSON body."""
    headers = {**(auth_header(token) if token else {}), **(headers or {})}
    async with http.request(verb, url, headers=headers, **kw) as res:
        assert res.content_type == "application/json"
        return res.status, await res.json()


# ---- storage ----


async def app_scope(server, account, app_id: str = "") -> AppScope:
    """The account's app (or another of its apps) as storage holds it."""
    async with server.db.transaction() as session:
        app = await app_store.get(session, account.user_id, app_id or account.app_id)
        return app_store.scope_of(app)


async def app_pk(server, account) -> int:
    return (await app_scope(server, account)).pk


async def add_model(
    server,
    account,
    model_id: str,
    model_type_id: str,
    *,
    runtime: str = "",
    output_info: dict[str, Any] | None = None,
    status: int = sc.MODEL_TRAINED,
    version_id: str = "",
    artifact: bytes | None = None,
) -> str:
    """A model with one version in the account's app, as PostModels and
    PostModelVersions write it (an operator unless `runtime` or a trained
    `artifact` says); returns the version id."""
    from storage.models import Model, ModelVersion  # noqa: PLC0415  (one test family's tables)

    version_id = version_id or uuid.uuid4().hex
    async with server.db.transaction() as session:
        app = await app_store.get(session, account.user_id, account.app_id)
        model = Model(app_pk=app.pk, id=model_id, model_type_id=model_type_id)
        session.add(model)
        await session.flush()
        session.add(
            ModelVersion(
                app_pk=app.pk,
                model_pk=model.pk,
                id=version_id,
                status_code=status,
                runtime="" if artifact else runtime or f"operator:{model_type_id}",
                artifact=artifact,
                output_info=output_info or {},
            )
        )
    return version_id


async def output_id(stub, account, model_id: str, version_id: str = "") -> str:
    """The id of an output `model_id` produced for the account."""
    res = await stub.PostModelOutputs(
        s.PostModelOutputsRequest(
            user_app_id=app_of(account),
            model_id=model_id,
            version_id=version_id,
            inputs=[r.Input(data=r.Data(concepts=[r.Concept(id="c", value=1)]))],
        ),
        metadata=account.key_md,
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.outputs[0].id
