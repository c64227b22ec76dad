"""Every RPC of the contract, refused the same way by the one authorizer.

The table is server.contract.methods(): an RPC declared later is covered
without being listed here. Requests are built generically (the method's
request type, user_app_id filled where it exists and app_id where the
method's routes address an app) and each denial must carry its status, no
payload, and leave every table as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from clarifai.api import service_pb2
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf.message import Message
from sqlalchemy import func, or_, select, true

from server import bootstrap, contract
from server.auth import closure
from server.contract import AuthType, Method
from storage import apps as app_store
from storage import keys as key_store
from storage.schema import metadata
from tests.helpers import DESCRIPTIONS, md

# The RPCs anyone may call, key or no key (the contract marks them NoAuth).
OPEN = {"ListStatusCodes", "GetStatusCode"}
AUTHED = sorted(
    (m for m in contract.methods().values() if m.auth_type != AuthType.NoAuth),
    key=lambda m: m.name,
)


def routes(method: Method) -> list[str]:
    rules = [method.http, *method.http.additional_bindings]
    return [
        getattr(rule, rule.WhichOneof("pattern")) for rule in rules if rule.WhichOneof("pattern")
    ]


def addresses_app(method: Method) -> bool:
    return any("{user_app_id.app_id}" in path for path in routes(method))


def has_user_app_id(method: Method) -> bool:
    return "user_app_id" in method.request_type.DESCRIPTOR.fields_by_name


def request_for(method: Method, user_id: str, app_id: str) -> Message:
    request = method.request_type()
    if has_user_app_id(method):
        request.user_app_id.user_id = user_id  # type: ignore[attr-defined]
        if addresses_app(method):
            request.user_app_id.app_id = app_id  # type: ignore[attr-defined]
    return request


def lacking(method: Method) -> tuple[str, str]:
    """A scope that does not give the method what it needs, and one scope
    the method needs that it leaves out."""
    for scope in contract.scope_names():
        missing = [s for s in method.scopes if s not in closure([scope])]
        if scope != "All" and missing:
            return scope, missing[0]
    raise AssertionError(f"every scope covers {method.name}")


@dataclass
class World:
    """The first user (who owns the app every request names), a second user,
    and keys of every kind that must be refused."""

    owner: dict[str, str]
    other: dict[str, str]
    second_app_key: str
    expired_pat: str
    app_pks: list[int]
    limited: dict[tuple[str, str], str] = field(default_factory=dict)


async def _key(db, user_id: str, key_type: str, scopes: list[str], app_pk=None, expires=None):
    token = uuid.uuid4().hex
    async with db.transaction() as session:
        key = key_store.new(
            token=token,
            user_id=user_id,
            key_type=key_type,
            app_pk=app_pk,
            scopes=scopes,
            endpoints=[],
            expires_at=expires,
        )
        await key_store.add(session, [key])
    return token


async def _app_pk(db, user_id: str, app_id: str) -> int:
    async with db.transaction() as session:
        app = await app_store.get(session, user_id, app_id)
        if app is None:
            app = app_store.App(id=app_id, user_id=user_id, name=app_id)
            await app_store.add(session, [app])
        return app.pk


@pytest.fixture(scope="module")
async def world(server) -> World:
    db = server.db
    owner = await bootstrap.create(db, user_id=f"owner{uuid.uuid4().hex[:8]}")
    other = await bootstrap.create(db, user_id=f"other{uuid.uuid4().hex[:8]}")
    second = await _app_pk(db, owner["user_id"], "second")
    pks = [
        await _app_pk(db, owner["user_id"], "main"),
        second,
        await _app_pk(db, other["user_id"], "main"),
    ]
    return World(
        app_pks=pks,
        owner=owner,
        other=other,
        second_app_key=await _key(db, owner["user_id"], key_store.APP_KEY, ["All"], second),
        expired_pat=await _key(
            db,
            owner["user_id"],
            key_store.PAT,
            ["All"],
            expires=datetime.now(UTC) - timedelta(minutes=1),
        ),
    )


async def limited_key(server, world: World, method: Method, key_type: str) -> str:
    scope, _ = lacking(method)
    if (scope, key_type) not in world.limited:
        user_id = world.owner["user_id"]
        app_pk = (
            await _app_pk(server.db, user_id, "main") if key_type == key_store.APP_KEY else None
        )
        world.limited[(scope, key_type)] = await _key(server.db, user_id, key_type, [scope], app_pk)
    return world.limited[(scope, key_type)]


def _mine(table, world: World):
    """Rows of the world's users and apps (denials touch nothing else, and
    background jobs of earlier tests may still write elsewhere)."""
    c = table.c
    users = [world.owner["user_id"], world.other["user_id"]]
    wanted = []
    if table.name == "users":
        wanted.append(c.id.in_(users))
    if table.name == "apps":
        wanted.append(c.pk.in_(world.app_pks))
    if "app_pk" in c:
        wanted.append(c.app_pk.in_(world.app_pks))
    if "user_id" in c:
        wanted.append(c.user_id.in_(users))
    return or_(*wanted) if wanted else true()


async def row_counts(server, world: World) -> dict[str, int]:
    tables = metadata.sorted_tables
    query = select(
        *[
            select(func.count()).select_from(t).where(_mine(t, world)).scalar_subquery()
            for t in tables
        ]
    )
    async with server.db.transaction() as session:
        counts = (await session.execute(query)).one()
    return {t.name: n for t, n in zip(tables, counts, strict=True)}


def assert_no_payload(response: Message) -> None:
    assert [f.name for f, _ in response.ListFields()] == ["status"], response


@dataclass(frozen=True)
class Case:
    header: str | None
    code: int
    mention: str = ""


def cases(method: Method, world: World) -> dict[str, Case]:
    """Each way of calling `method` that must be refused, with its code."""
    out = {
        "no key": Case(None, sc.CONN_INVALID_REQUEST, "authorization header"),
        "empty header": Case("", sc.CONN_INVALID_REQUEST, "authorization header"),
        "no Key prefix": Case(world.owner["pat"], sc.CONN_INVALID_REQUEST, "authorization header"),
        "bad key": Case("Key not-a-key", sc.CONN_KEY_INVALID),
        "expired key": Case(f"Key {world.expired_pat}", sc.CONN_KEY_INVALID),
    }
    if has_user_app_id(method):
        # The request names the first user (and app): invisible to the second.
        out["other user's PAT"] = Case(f"Key {world.other['pat']}", sc.CONN_DOES_NOT_EXIST)
    if method.auth_type == AuthType.KeyAuth:
        if has_user_app_id(method):
            # The key's app is not the one the request names.
            out["other user's app key"] = Case(f"Key {world.other['api_key']}", sc.CONN_KEY_INVALID)
            out["app key of another app"] = Case(f"Key {world.second_app_key}", sc.CONN_KEY_INVALID)
    else:
        for name, token in (
            ("own app key", world.owner["api_key"]),
            ("other user's app key", world.other["api_key"]),
        ):
            out[name] = Case(f"Key {token}", sc.CONN_INSUFFICIENT_SCOPES, "Personal Access Token")
    return out


@pytest.mark.parametrize("method", AUTHED, ids=lambda m: m.name)
async def test_denials(method: Method, stub, server, world: World):
    request = request_for(method, world.owner["user_id"], world.owner["app_id"])
    call = getattr(stub, method.name)
    table = cases(method, world)
    if method.scopes:
        kinds = [key_store.PAT] + (
            [key_store.APP_KEY] if method.auth_type == AuthType.KeyAuth else []
        )
        for kind in kinds:
            token = await limited_key(server, world, method, kind)
            table[f"{kind} lacking scopes"] = Case(
                f"Key {token}", sc.CONN_INSUFFICIENT_SCOPES, lacking(method)[1]
            )
    before = await row_counts(server, world)
    for name, case in table.items():
        sent = None if case.header is None else (("authorization", case.header),)
        response = await call(request, metadata=sent)
        status = response.status
        assert status.code == case.code, f"{method.name}, {name}: {status}"
        assert status.description == DESCRIPTIONS[case.code], f"{method.name}, {name}"
        assert case.mention in status.details, f"{method.name}, {name}: {status.details}"
        assert status.req_id, f"{method.name}, {name}"
        assert_no_payload(response)
    assert await row_counts(server, world) == before, method.name


async def test_only_the_open_rpcs_are_left_out_of_the_table(stub):
    """The table leaves out exactly the RPCs meant to be open, so a method
    marked NoAuth by mistake fails here instead of escaping test_denials; and
    the open ones answer a caller with no key or a bad key, not refuse it."""
    declared = {m.name for m in service_pb2.DESCRIPTOR.services_by_name["V2"].methods}
    assert declared - {m.name for m in AUTHED} == OPEN
    for name in sorted(OPEN):
        call = getattr(stub, name)
        request = contract.methods()[name].request_type()
        for sent in (None, md("not-a-key")):
            status = (await call(request, metadata=sent)).status
            assert status.code not in (sc.CONN_KEY_INVALID, sc.CONN_INSUFFICIENT_SCOPES), name
            assert "authorization header" not in status.details, f"{name}: {status.details}"
