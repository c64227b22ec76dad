"""`clarifai-local` as users and harnesses run it: each command in its own
process, on PostgreSQL named by DATABASE_URL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import psycopg
from clarifai.api import service_pb2, service_pb2_grpc
from clarifai.api.status import status_code_pb2
from sqlalchemy import make_url

from server.config import Settings
from server.main import open_database, start
from storage import schema
from tests.helpers import md
from tests.processes import ROOT, bootstrap, cli, cli_env, serve

Code = status_code_pb2.StatusCode


@asynccontextmanager
async def server_on(database_url: str, data_dir: Path) -> AsyncIterator[service_pb2_grpc.V2Stub]:
    """An in-process server on another database than the session's."""
    settings = Settings(
        grpc_port=0, rest_port=0, host="127.0.0.1", database_url=database_url, data_dir=data_dir
    )
    running = await start(settings, open_database(settings))
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{running.grpc_port}") as channel:
            yield service_pb2_grpc.V2Stub(channel)
    finally:
        await running.stop(0)


async def test_bootstrap_json_gives_a_working_pat(
    database_url: str, tmp_path: Path, stub: service_pb2_grpc.V2Stub
) -> None:
    info = await bootstrap(database_url, tmp_path)
    assert set(info) == {"user_id", "app_id", "pat", "api_key"}
    assert info["app_id"] == "main"
    response = await stub.MyScopes(service_pb2.MyScopesRequest(), metadata=md(info["pat"]))
    assert response.status.code == Code.SUCCESS, response.status
    by_key = await stub.MyScopes(service_pb2.MyScopesRequest(), metadata=md(info["api_key"]))
    assert by_key.status.code == Code.SUCCESS, by_key.status
    assert (by_key.app.id, by_key.app.user_id) == ("main", info["user_id"])


async def test_bootstrap_user_creates_that_user(
    database_url: str, tmp_path: Path, stub: service_pb2_grpc.V2Stub
) -> None:
    name = f"worker-{uuid.uuid4().hex[:8]}"
    info = await bootstrap(database_url, tmp_path, "--user", name)
    assert info["user_id"] == name
    request = service_pb2.GetUserRequest()
    request.user_app_id.user_id = "me"
    response = await stub.GetUser(request, metadata=md(info["pat"]))
    assert response.status.code == Code.SUCCESS, response.status
    assert response.user.id == name


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def tables(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {name for (name,) in rows}


async def test_migrate_builds_an_empty_database(fresh_database: str, tmp_path: Path) -> None:
    proc = await cli(fresh_database, tmp_path, "migrate")
    assert "newest migration" in proc.stderr
    with connect(fresh_database) as conn:
        assert set(schema.metadata.tables) | {"alembic_version"} <= tables(conn)


async def test_reset_empties_every_table(fresh_database: str, tmp_path: Path) -> None:
    async with server_on(fresh_database, tmp_path) as fresh_stub:
        info = await bootstrap(fresh_database, tmp_path)
        before = await fresh_stub.MyScopes(service_pb2.MyScopesRequest(), metadata=md(info["pat"]))
        assert before.status.code == Code.SUCCESS, before.status

        await cli(fresh_database, tmp_path, "reset", "--yes")

        after = await fresh_stub.MyScopes(service_pb2.MyScopesRequest(), metadata=md(info["pat"]))
        assert after.status.code == Code.CONN_KEY_INVALID
    with connect(fresh_database) as conn:
        for table in tables(conn) - {"alembic_version"}:
            assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (0,), table
        # The schema stays: migrations are not undone.
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] > 0


def test_reset_needs_yes(database_url: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "server.cli", "reset"],
        env=cli_env(database_url, tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and "--yes" in proc.stderr


def test_serve_bootstraps_once_reports_health_and_stops_on_sigterm(
    fresh_database: str, tmp_path: Path
) -> None:
    with serve(fresh_database, tmp_path) as server:
        server.wait_serving()
        text = server.stdout
        pat = re.search(r"PAT\s+([0-9a-f]{32})", text)
        assert pat, f"no PAT in the first-run text:\n{text}"
        assert "app_id   main" in text
        assert re.search(r"API key\s+[0-9a-f]{32}", text)
        assert "ClarifaiChannel.get_insecure_grpc_channel" in text
        with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
            scopes = service_pb2_grpc.V2Stub(channel).MyScopes(
                service_pb2.MyScopesRequest(), metadata=md(pat.group(1)), timeout=10
            )
        assert scopes.status.code == Code.SUCCESS, scopes.status

        stopping = time.monotonic()
        assert server.stop() == 0, server.log.read_text()
        assert time.monotonic() - stopping < 8
    # The credentials stay in the data directory, readable by their owner only.
    saved = tmp_path / "bootstrap.json"
    assert json.loads(saved.read_text())["pat"] == pat.group(1)
    assert saved.stat().st_mode & 0o077 == 0
