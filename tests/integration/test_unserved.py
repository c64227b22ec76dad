"""The reference's RPCs that protos/ does not declare, over both edges.

Each is answered with a response holding only a status: NOT_IMPLEMENTED
naming the RPC once the key is good, the usual refusal when it is not. RPCs
and routes outside the reference stay unknown (gRPC UNIMPLEMENTED, REST 404).
The table is server.reference.unserved(): an RPC declared later leaves it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import grpc
import pytest
from clarifai.api import service_pb2
from clarifai.api.status import status_code_pb2 as sc

from server import reference
from server.auth import MALFORMED
from server.contract import AuthType
from storage import keys as key_store
from tests.helpers import DESCRIPTIONS, md, rest_call

UNSERVED = sorted(reference.unserved().values(), key=lambda r: r.name)
NOT_IMPLEMENTED = "Not implemented"
_VARIABLE = re.compile(r"\{[^}]*\}")


def details(rpc: reference.Rpc) -> str:
    return f"{rpc.name} is not implemented by this server"


@pytest.fixture(scope="module")
async def channel(server) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.grpc_port}") as ch:
        yield ch


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def expired_pat(server, account) -> str:
    token = uuid.uuid4().hex
    expired = key_store.new(
        token=token,
        user_id=account.user_id,
        key_type=key_store.PAT,
        app_pk=None,
        scopes=["All"],
        endpoints=[],
        expires_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    async with server.db.transaction() as session:
        await key_store.add(session, [expired])
    return token


async def call(channel: grpc.aio.Channel, rpc: reference.Rpc, metadata) -> list[bytes]:
    """The RPC called as its kind is (an empty request), raw answers."""
    if rpc.client_streaming:
        requests = iter([b""])
        if rpc.server_streaming:
            return [m async for m in channel.stream_stream(rpc.path)(requests, metadata=metadata)]
        return [await channel.stream_unary(rpc.path)(requests, metadata=metadata)]
    if rpc.server_streaming:
        return [m async for m in channel.unary_stream(rpc.path)(b"", metadata=metadata)]
    return [await channel.unary_unary(rpc.path)(b"", metadata=metadata)]


def only_status(raw: bytes):
    """The answer read as any response of the contract: a status and nothing else."""
    response = service_pb2.MultiAppResponse.FromString(raw)
    assert [f.name for f, _ in response.ListFields()] == ["status"], response
    return response.status


class TestGrpc:
    async def test_not_implemented_names_the_rpc(self, channel, account):
        """Every unserved RPC, called as its streaming kind is: one answer."""
        assert len(UNSERVED) > 100  # a sanity floor: the model family serves ~40 more
        for rpc in UNSERVED:
            answers = await call(channel, rpc, account.md())
            assert len(answers) == 1, rpc.name
            status = only_status(answers[0])
            assert status.code == sc.NOT_IMPLEMENTED, f"{rpc.name}: {status}"
            assert status.description == NOT_IMPLEMENTED
            assert status.details == details(rpc) and len(status.req_id) == 32

    async def test_authentication_comes_first(self, channel, account, expired_pat):
        cases = {
            "no key": (None, sc.CONN_INVALID_REQUEST, MALFORMED),
            "no Key prefix": ((("authorization", account.pat),), sc.CONN_INVALID_REQUEST, ""),
            "bad key": (md("not-a-key"), sc.CONN_KEY_INVALID, ""),
            "expired key": (md(expired_pat), sc.CONN_KEY_INVALID, ""),
        }
        for rpc in UNSERVED:
            for name, (sent, code, says) in cases.items():
                if rpc.auth_type == AuthType.NoAuth:
                    code, says = sc.NOT_IMPLEMENTED, details(rpc)
                status = only_status((await call(channel, rpc, sent))[0])
                assert status.code == code, f"{rpc.name}, {name}: {status}"
                assert says in status.details, f"{rpc.name}, {name}: {status}"
                assert status.description == (
                    NOT_IMPLEMENTED if code == sc.NOT_IMPLEMENTED else DESCRIPTIONS[code]
                )

    async def test_an_app_key_is_authenticated_even_for_pat_only_rpcs(self, channel, account):
        pat_only = reference.unserved()["ListCloudProviders"]
        assert pat_only.auth_type == AuthType.PATAuth
        status = only_status((await call(channel, pat_only, account.key_md))[0])
        assert status.code == sc.NOT_IMPLEMENTED

    async def test_an_open_rpc_needs_no_key(self, channel):
        rpc = reference.unserved()["ListOpenSourceLicenses"]
        assert rpc.auth_type == AuthType.NoAuth
        status = only_status((await call(channel, rpc, None))[0])
        assert status.code == sc.NOT_IMPLEMENTED and status.details == details(rpc)

    @pytest.mark.parametrize(
        "path", ["/clarifai.api.V2/NoSuchRpc", "/clarifai.api.V3/GetModel", "/other.Svc/GetModel"]
    )
    async def test_methods_outside_the_reference_stay_unknown(self, path, channel, account):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await channel.unary_unary(path)(b"", metadata=account.md())
        assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED

    async def test_served_rpcs_are_untouched(self, stub, account):
        res = await stub.ListApps(service_pb2.ListAppsRequest(), metadata=account.md())
        assert res.status.code == sc.SUCCESS and res.apps


def _samples() -> list[tuple[str, str, set[str]]]:
    """(verb, path, RPCs declaring that shape) for each unserved binding."""
    shapes: dict[tuple[str, str], set[str]] = {}
    for rpc in reference.rpcs().values():
        for verb, template, _ in rpc.routes:
            shapes.setdefault((verb, _VARIABLE.sub("v1", template)), set()).add(rpc.name)
    return [
        (verb, _VARIABLE.sub("v1", template), shapes[(verb, _VARIABLE.sub("v1", template))])
        for rpc in UNSERVED
        for verb, template, _ in rpc.routes
    ]


class TestRest:
    async def test_every_unserved_route(self, http, rest, account):
        samples = _samples()
        assert len(samples) > 100  # a sanity bound: fewer as more RPCs are served
        for verb, path, names in samples:
            status, body = await rest_call(http, verb, rest + path, account.pat)
            assert status == 501, (verb, path, body)
            assert list(body) == ["status"], body
            got = body["status"]
            assert got["code"] == sc.NOT_IMPLEMENTED and got["description"] == NOT_IMPLEMENTED
            name = got["details"].split()[0]
            assert name in names and got["details"] == f"{name} is not implemented by this server"

    async def test_authentication_comes_first(self, http, rest, account, expired_pat):
        cases = {
            "no key": (None, 400, sc.CONN_INVALID_REQUEST),
            "bad key": ("not-a-key", 401, sc.CONN_KEY_INVALID),
            "expired key": (expired_pat, 401, sc.CONN_KEY_INVALID),
        }
        for verb, path, names in _samples():
            rpc = reference.rpcs()[min(names)]
            if rpc.auth_type == AuthType.NoAuth:
                continue
            for case, (token, http_status, code) in cases.items():
                status, body = await rest_call(http, verb, rest + path, token)
                assert (status, body["status"]["code"]) == (http_status, code), (case, verb, path)
                assert body["status"]["description"] == DESCRIPTIONS[code]

    async def test_an_open_route_needs_no_key(self, http, rest):
        status, body = await rest_call(http, "GET", f"{rest}/v2/open_source_licenses")
        assert status == 501 and body["status"]["details"].startswith("ListOpenSourceLicenses ")

    async def test_served_literal_routes_beside_variables(self, http, rest, account):
        """/models/types/{id} is GetModelType's, not ListModelConcepts' of a
        model "types"."""
        base = f"{rest}/v2/users/me/apps/main/models"
        status, body = await rest_call(http, "GET", f"{base}/types/concepts", account.pat)
        assert status == 404 and body["status"]["details"] == "model type 'concepts' not found"
        status, body = await rest_call(http, "GET", f"{base}/m1/concepts", account.pat)
        assert status == 404 and body["status"]["details"] == "model 'm1' not found"
        # POST /inputs/data_sources and /inputs/uploads are their RPCs', not
        # an input's.
        for field, path in [
            ("data_sources", "/v2/inputs/data_sources"),
            ("data_sources", "/v2/users/me/apps/main/inputs/data_sources"),
            ("inputs_uploads", "/v2/inputs/uploads"),
            ("inputs_uploads", "/v2/users/me/apps/main/inputs/uploads"),
        ]:
            status, body = await rest_call(http, "POST", rest + path, account.pat)
            assert status == 400, body
            assert body["status"]["details"] == f"{field}: at least one is required"

    async def test_served_routes_beside_them_still_serve(self, http, rest, account):
        status, body = await rest_call(http, "GET", f"{rest}/v2/inputs/searches", account.api_key)
        # GET reaches GetInput (an input may be called "searches").
        assert status == 404 and body["status"]["code"] == sc.CONN_DOES_NOT_EXIST
        status, body = await rest_call(http, "PUT", f"{rest}/v2/inputs/searches", account.api_key)
        assert status == 405 and body["status"]["code"] == sc.CONN_METHOD_NOT_ALLOWED

    async def test_paths_outside_the_reference_stay_unknown(self, http, rest, account):
        for path in ("/v2/no/such/thing", "/v3/models", "/v2/inputs/searches/more"):
            status, body = await rest_call(http, "POST", rest + path, account.pat)
            assert status == 404 and body["status"]["code"] == sc.CONN_DOES_NOT_EXIST, path
