"""Shared fixtures: one real server (gRPC, in process) on real PostgreSQL.

PostgreSQL is embedded (a throwaway cluster for the session) unless
TEST_DATABASE_URL names another server; either way the session (each
process's, when the suite runs in several) gets a fresh database of its own.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import grpc
import pytest
from aiohttp import web
from clarifai.api import service_pb2_grpc

from server import bootstrap
from server.config import Settings
from server.fetch import AddressGuard
from server.main import Running, open_database, start
from storage import embedded
from tests.helpers import Metadata, md, png
from tests.processes import new_database
from tests.transport import GrpcTransport, RestTransport, Transport


def _admin_url() -> str:
    if url := os.environ.get("TEST_DATABASE_URL"):
        return url
    return embedded.start(Path(tempfile.gettempdir()) / "clarifai-local-test-pg")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with new_database(_admin_url(), "clarifai_test") as url:
        yield url


@pytest.fixture
def fresh_database(database_url: str) -> Iterator[str]:
    """An empty database of its own beside the session's (which other tests fill)."""
    with new_database(database_url, "clarifai_cli") as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        grpc_port=0,
        rest_port=0,
        host="127.0.0.1",
        database_url=database_url,
        data_dir=tmp_path_factory.mktemp("data"),
        # Bulk operations cross chunks with few inputs.
        bulk_chunk=50,
    )


@pytest.fixture(scope="session")
async def server(settings: Settings) -> AsyncIterator[Running]:
    running = await start(settings, open_database(settings))
    yield running
    await running.stop(0)


@pytest.fixture(scope="session")
async def stub(server: Running) -> AsyncIterator[service_pb2_grpc.V2Stub]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        yield service_pb2_grpc.V2Stub(channel)


@pytest.fixture(scope="session")
def rest(server: Running) -> str:
    """Base URL of the in-process server's REST port."""
    return f"http://127.0.0.1:{server.rest_port}"


@pytest.fixture(params=["grpc", "rest"])
async def transport(request, stub, rest) -> AsyncIterator[Transport]:
    """The test once over each edge: `await transport.call(rpc, request, md)`
    answers the RPC's response message over gRPC or over the REST port
    (tests/transport.py)."""
    if request.param == "grpc":
        yield GrpcTransport(stub)
    else:
        async with aiohttp.ClientSession() as http:
            yield RestTransport(rest, http)


@dataclass
class Account:
    user_id: str
    app_id: str
    pat: str
    api_key: str

    def md(self, token: str | None = None) -> Metadata:
        return md(token or self.pat)

    @property
    def key_md(self) -> Metadata:
        return self.md(self.api_key)


@pytest.fixture
def new_account(server: Running):
    """A factory: a fresh user with an app, a PAT and an app key (all scopes)."""

    async def make(user_id: str = "", app_id: str = "main") -> Account:
        user_id = user_id or f"u{uuid.uuid4().hex[:10]}"
        info = await bootstrap.create(server.db, user_id=user_id, app_id=app_id)
        return Account(**info)

    return make


@pytest.fixture
async def account(new_account) -> Account:
    return await new_account()


# ---- URL inputs: a local web server to download from ----


@pytest.fixture
async def media_server():
    """A local HTTP server with an image, a 404, a redirect, an HTML page and
    numbered images counting their downloads."""
    routes = web.RouteTableDef()
    image = png(5, 7, "blue")

    @routes.get("/truck.png")
    async def truck(_):
        return web.Response(body=image, content_type="image/png")

    @routes.get("/moved")
    async def moved(_):
        raise web.HTTPFound("/truck.png")

    @routes.get("/page")
    async def page(_):
        return web.Response(text="<html>not a picture</html>", content_type="text/html")

    @routes.get("/n/{k}.png")
    async def numbered(request):
        hits[request.match_info["k"]] = hits.get(request.match_info["k"], 0) + 1
        await asyncio.sleep(0.05)  # long enough for both fetchers to be busy
        return web.Response(body=image, content_type="image/png")

    @routes.get("/slow/{k}.png")
    async def slow(request):
        name = f"slow-{request.match_info['k']}"
        hits[name] = hits.get(name, 0) + 1
        await asyncio.sleep(0.5)  # long enough to be interrupted
        return web.Response(body=image, content_type="image/png")

    hits: dict[str, int] = {}
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", image, hits
    await runner.cleanup()


@pytest.fixture
def loopback_allowed(server, monkeypatch):
    """The server's downloads may reach this machine (media_server)."""
    monkeypatch.setattr(server.fetcher, "guard", AddressGuard(allow_loopback=True))


# ---- lines shown after the run ----

# pytest captures print(); the terminal summary is always shown, so `make
# test` ends with these lines (such as the contract's coverage). They travel
# with the test's report: under pytest-xdist the process that prints the
# summary is not the one that ran the test.
SUMMARY = "summary line"
_SUMMARY_LINES: list[str] = []


@pytest.fixture
def summary_line(request: pytest.FixtureRequest) -> Callable[[str], None]:
    def add(line: str) -> None:
        print(line)
        request.node.user_properties.append((SUMMARY, line))

    return add


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _SUMMARY_LINES.extend(line for key, line in report.user_properties if key == SUMMARY)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    for line in _SUMMARY_LINES:
        terminalreporter.write_line(line)
