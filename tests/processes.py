"""`clarifai-local` run as users run it, each command in its own process, on
a PostgreSQL database of its own."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import psutil
import psycopg
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import make_url

from server.bootstrap import create as make_account
from storage.db import Database, resolve_url

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def new_database(server_url: str, prefix: str) -> Iterator[str]:
    """The URL of an empty database made through `server_url` (a database
    on the same server), dropped afterwards with whatever is still connected."""
    url = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cli_env(database_url: str | None, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `clarifai-local` process: DATABASE_URL unset when
    `database_url` is None (the embedded database, or the running server's)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CLARIFAI_LOCAL_") and k != "DATABASE_URL"
    }
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return env | {"CLARIFAI_LOCAL_DATA": str(data_dir)} | extra


def run_cli(
    database_url: str | None, data_dir: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`clarifai-local ARGS` run to its end, whatever its exit code."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=cli_env(database_url, data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


async def cli(database_url: str | None, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    proc = await asyncio.to_thread(run_cli, database_url, data_dir, *args)
    assert proc.returncode == 0, proc.stderr
    return proc


async def bootstrap(database_url: str | None, data_dir: Path, *args: str) -> dict[str, str]:
    return json.loads((await cli(database_url, data_dir, "bootstrap", "--json", *args)).stdout)


async def accounts(database_url: str, n: int) -> list[dict[str, str]]:
    """`n` accounts as `clarifai-local bootstrap --json` makes them, made
    from this process (a CLI process each costs seconds of CPU: tests that
    need many users but do not test the command)."""
    db = Database(resolve_url(database_url, Path()))
    try:
        return [await make_account(db) for _ in range(n)]
    finally:
        await db.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Serving:
    """A `clarifai-local serve` process: its ports, its stdout so far and
    its log (stderr) file."""

    proc: subprocess.Popen[str]
    grpc_port: int
    rest_port: int
    log: Path
    workers: int = 1
    lines: list[str] = field(default_factory=list)

    @property
    def stdout(self) -> str:
        return "".join(self.lines)

    @property
    def rest(self) -> str:
        return f"http://127.0.0.1:{self.rest_port}"

    def wait_serving(self, timeout: float = 60) -> None:
        """Return once both health services (overall and V2) report SERVING
        and the server said it is ready (every worker serves then)."""
        deadline = time.monotonic() + timeout
        while "is ready" not in self.stdout:
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.05)
        with grpc.insecure_channel(f"127.0.0.1:{self.grpc_port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            for service in ("", "clarifai.api.V2"):
                while True:
                    assert self.proc.poll() is None, self.log.read_text()
                    try:
                        reply = health.Check(
                            health_pb2.HealthCheckRequest(service=service), timeout=1
                        )
                        break
                    except grpc.RpcError:
                        assert time.monotonic() < deadline, "the server did not come up"
                        time.sleep(0.1)
                assert reply.status == health_pb2.HealthCheckResponse.SERVING, service

    def stop(self, timeout: float = 15, sig: int = signal.SIGTERM) -> int:
        """SIGTERM (or `sig`), then the exit code once the process has finished."""
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)


@contextmanager
def serve(
    database_url: str | None,
    data_dir: Path,
    name: str = "serve",
    grpc_port: int | None = None,
    rest_port: int | None = None,
    workers: int = 2,
    settings: dict[str, str] | None = None,
) -> Iterator[Serving]:
    """Start `clarifai-local serve --workers N` on free ports (not waiting
    for it to come up: see Serving.wait_serving); killed afterwards unless
    stopped. `database_url` None: DATABASE_URL unset, the embedded database.
    `settings`: more CLARIFAI_LOCAL_... variables for the process."""
    grpc_port, rest_port = grpc_port or free_port(), rest_port or free_port()
    env = cli_env(
        database_url,
        data_dir,
        CLARIFAI_LOCAL_GRPC_PORT=str(grpc_port),
        CLARIFAI_LOCAL_REST_PORT=str(rest_port),
        CLARIFAI_LOCAL_HOST="127.0.0.1",
        **{"CLARIFAI_LOCAL_FETCH_URLS": "false", **(settings or {})},
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / f"{name}.log"
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--workers", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
        serving = Serving(proc, grpc_port, rest_port, log, workers)
        assert proc.stdout is not None
        threading.Thread(target=lambda: serving.lines.extend(proc.stdout), daemon=True).start()
        try:
            yield serving
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if database_url is None:
                stop_embedded(data_dir)


def query(database_url: str, sql: str, *params: object) -> list[tuple]:
    """Rows of `sql` run straight on the database (what clients cannot see)."""
    plain = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(plain.render_as_string(hide_password=False)) as conn:
        return conn.execute(sql, params).fetchall()


def postmasters(data_dir: Path) -> list[int]:
    """The pids of the embedded PostgreSQL servers running on `data_dir`."""
    pgdata = str((data_dir / "pg").resolve())
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and "-D" in cmdline and pgdata in cmdline:
            found.append(process.pid)
    return found


def stop_embedded(data_dir: Path) -> None:
    """Stop what a test left of an embedded database (a server killed, say)."""
    if postmasters(data_dir):
        run_cli(None, data_dir, "stop", timeout=60)
