"""`clarifai-local` as users and harnesses run it: each command in its own
process, on PostgreSQL named by DATABASE_URL."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import psycopg
import pytest
from clarifai.api import service_pb2, service_pb2_grpc
from clarifai.api.status import status_code_pb2
from sqlalchemy import make_url

from server.config import Settings
from server.main import PortError, open_database, start
from storage import schema
from tests.helpers import md
from tests.processes import (
    ROOT,
    bootstrap,
    cli,
    cli_env,
    free_port,
    postmasters,
    run_cli,
    serve,
)

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


def my_scopes(port: int, token: str) -> int:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        reply = service_pb2_grpc.V2Stub(channel).MyScopes(
            service_pb2.MyScopesRequest(), metadata=md(token), timeout=10
        )
    return reply.status.code


def with_password(url: str, password: str) -> str:
    """The URL with a password (trust authentication ignores it)."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def test_later_starts_point_at_the_credentials_without_printing_them(
    fresh_database: str, tmp_path: Path
) -> None:
    with serve(fresh_database, tmp_path, "first") as first:
        first.wait_serving()
        assert first.stop() == 0
    saved = json.loads((tmp_path / "bootstrap.json").read_text())
    assert saved["pat"] in first.stdout

    with serve(fresh_database, tmp_path, "again") as again:
        again.wait_serving()
        text = again.stdout
        assert saved["pat"] not in text and saved["api_key"] not in text
        assert "clarifai-local is ready" in text
        assert str(tmp_path / "bootstrap.json") in text
        assert f"clarifai-local bootstrap --user {saved['user_id']}" in text
        # What it points at works: the saved PAT, and the command making a
        # new one for that user.
        new = run_cli(None, tmp_path, "bootstrap", "--json", "--user", saved["user_id"])
        assert new.returncode == 0, new.stderr
        made = json.loads(new.stdout)
        assert made["user_id"] == saved["user_id"] and made["pat"] != saved["pat"]
        for token in (saved["pat"], made["pat"]):
            assert my_scopes(again.grpc_port, token) == Code.SUCCESS
        assert again.stop() == 0


def test_a_start_without_working_saved_credentials_says_how_to_make_some(
    fresh_database: str, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere"
    run_cli(fresh_database, other, "bootstrap", "--json").check_returncode()
    # Users exist, but this data directory holds no first-run credentials.
    with serve(fresh_database, tmp_path) as server:
        server.wait_serving()
        text = server.stdout
        assert server.stop() == 0
    assert not re.search(r"[0-9a-f]{32}", text), text
    assert "clarifai-local bootstrap" in text and "--user" not in text


async def test_commands_act_on_the_running_servers_database(
    fresh_database: str, tmp_path: Path
) -> None:
    url = with_password(fresh_database, "sekret-pw")
    database = make_url(fresh_database).database
    with serve(url, tmp_path) as server:
        server.wait_serving()
        # No DATABASE_URL: the commands find the server's in the data directory.
        made = await bootstrap(None, tmp_path)
        assert my_scopes(server.grpc_port, made["pat"]) == Code.SUCCESS
        for args in (["bootstrap", "--json"], ["migrate"], ["reset", "--yes"]):
            proc = await cli(None, tmp_path, *args)
            said = [line for line in proc.stderr.splitlines() if "database postgresql://" in line]
            assert len(said) == 1, proc.stderr
            assert f"/{database}" in said[0] and f"pid {server.proc.pid}" in said[0]
            assert "sekret-pw" not in proc.stderr + proc.stdout
            assert "embedded" not in proc.stderr
        # reset emptied the server's database.
        assert my_scopes(server.grpc_port, made["pat"]) == Code.CONN_KEY_INVALID
        assert server.stop() == 0
    assert not (tmp_path / "servers" / f"{server.proc.pid}.json").exists()


def test_commands_without_a_server_start_an_embedded_database_and_stop_it(
    tmp_path: Path,
) -> None:
    proc = run_cli(None, tmp_path, "migrate")
    assert proc.returncode == 0, proc.stderr
    assert f"no server is running on {tmp_path}" in proc.stderr
    assert "starting an embedded database" in proc.stderr
    assert "database postgresql://postgres@/postgres?host=" in proc.stderr
    assert postmasters(tmp_path) == []


def test_the_embedded_database_stops_with_the_last_server(tmp_path: Path) -> None:
    with serve(None, tmp_path, "a") as a, serve(None, tmp_path, "b") as b:
        a.wait_serving()
        b.wait_serving()
        [postmaster] = postmasters(tmp_path)
        info = json.loads((tmp_path / "bootstrap.json").read_text())
        # One of the two made the first user, and only that one printed it.
        assert [info["pat"] in s.stdout for s in (a, b)].count(True) == 1

        assert a.stop() == 0
        assert postmasters(tmp_path) == [postmaster]  # b still uses it
        assert my_scopes(b.grpc_port, info["pat"]) == Code.SUCCESS

        assert b.stop(sig=signal.SIGINT) == 0  # as Ctrl-C stops `make run`
        assert postmasters(tmp_path) == []
    assert list((tmp_path / "servers").iterdir()) == []


def test_stop_stops_a_background_server_and_its_database(tmp_path: Path) -> None:
    with serve(None, tmp_path) as server:
        server.wait_serving()
        assert postmasters(tmp_path)
        proc = run_cli(None, tmp_path, "stop")
        assert proc.returncode == 0, proc.stderr
        assert f"stopping the server with pid {server.proc.pid}" in proc.stderr
        assert server.proc.wait(timeout=5) == 0  # it had finished: a graceful stop
        assert postmasters(tmp_path) == []
    again = run_cli(None, tmp_path, "stop")
    assert again.returncode == 0 and "no server is running" in again.stderr


def test_stop_after_a_killed_server_stops_the_database_it_left(tmp_path: Path) -> None:
    with serve(None, tmp_path) as server:
        server.wait_serving()
        server.proc.kill()
        server.proc.wait()
        assert postmasters(tmp_path)  # pgserver still counts the killed process
        proc = run_cli(None, tmp_path, "stop")
        assert proc.returncode == 0, proc.stderr
        assert "no server is running" in proc.stderr
        assert "stopped the embedded database" in proc.stderr
        assert postmasters(tmp_path) == []


@pytest.mark.parametrize("taken", ["grpc", "rest"])
def test_a_taken_port_is_said_in_one_line_and_leaves_nothing_running(
    taken: str, tmp_path: Path
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        ports = {f"{taken}_port": port}
        with serve(None, tmp_path, **ports) as server:
            code = server.proc.wait(timeout=60)
            time.sleep(0.2)  # the stdout reader thread
            log = server.log.read_text()
            assert code != 0
            assert server.stdout == ""
            assert log.count("\n") == 1 and "Traceback" not in log, log
            assert f":{port}" in log and "in use" in log
            name = "CLARIFAI_LOCAL_GRPC_PORT" if taken == "grpc" else "CLARIFAI_LOCAL_REST_PORT"
            assert name in log
    assert postmasters(tmp_path) == []
    assert not list((tmp_path / "servers").glob("*.json"))


@pytest.mark.parametrize("taken", ["grpc", "rest"])
async def test_a_port_taken_once_the_database_is_open_leaves_no_port_bound(
    taken: str, database_url: str, tmp_path: Path
) -> None:
    # The check before opening the database passed, then another process
    # took a port: start() says so, and lets go of the other port.
    free = free_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        held = holder.getsockname()[1]
        grpc_port, rest_port = (held, free) if taken == "grpc" else (free, held)
        settings = Settings(
            grpc_port=grpc_port,
            rest_port=rest_port,
            host="127.0.0.1",
            database_url=database_url,
            data_dir=tmp_path,
        )
        db = open_database(settings)
        name = "gRPC" if taken == "grpc" else "REST"
        with pytest.raises(PortError, match=f"127.0.0.1:{held} for {name}"):
            await start(settings, db)
        await db.close()
    with socket.socket() as again:
        again.bind(("127.0.0.1", free))
