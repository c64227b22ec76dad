"""What serving needs before the server's own modules load: the ports
checked, the database opened and migrated, the server recorded while it
serves. The supervisor of `serve --workers N` uses this module before its
workers have loaded the server (server/supervisor.py), so the database
modules are imported where they are first needed."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from server import state
from server.config import Settings

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger("clarifai_local")


class PortError(Exception):
    """A port to listen on is in use (or cannot be had): said in one line."""


def port_error(name: str, env: str, host: str, port: int, error: str) -> PortError:
    return PortError(
        f"cannot listen on {host}:{port} for {name}: {error}; "
        f"stop what uses it or choose another port with {env}"
    )


PORTS = (("gRPC", "CLARIFAI_LOCAL_GRPC_PORT"), ("REST", "CLARIFAI_LOCAL_REST_PORT"))


def check_ports(settings: Settings) -> None:
    """Raise PortError unless both ports can be listened on now: before
    anything starts (the embedded database among them)."""
    ports = (settings.grpc_port, settings.rest_port)
    if ports[0] and ports[0] == ports[1]:
        raise PortError(f"the gRPC and the REST port are both {ports[0]}: they must differ")
    for (name, env), port in zip(PORTS, ports, strict=True):
        if port:
            try:
                _try_bind(settings.host, port)
            except OSError as err:
                reason = os.strerror(err.errno) if err.errno else str(err)
                raise port_error(name, env, settings.host, port, reason) from None


def _try_bind(host: str, port: int) -> None:
    for family, kind, proto, _, address in socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    ):
        with socket.socket(family, kind, proto) as sock:
            # As the servers bind: a port in TIME_WAIT only is free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)


def reserve_ports(settings: Settings) -> tuple[Settings, list[socket.socket]]:
    """Concrete ports for several processes to bind: a port given as 0 is
    chosen here, and held by a socket bound (not listening) with
    SO_REUSEPORT until serving ends, so nothing else takes it meanwhile."""
    held: list[socket.socket] = []
    ports = []
    for port in (settings.grpc_port, settings.rest_port):
        if port == 0:
            sock = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((settings.host, 0))
            held.append(sock)
            port = sock.getsockname()[1]
        ports.append(port)
    return replace(settings, grpc_port=ports[0], rest_port=ports[1]), held


def open_database(settings: Settings, processes: int = 1) -> Database:
    """Resolve the database (embedded if DATABASE_URL is unset) and migrate
    it; its pool is this process's share of the database's connections
    among the `processes` that serve on it."""
    from storage import embedded, migrate
    from storage.db import Database, pool_share, resolve_url, sync_engine

    url = resolve_url(settings.database_url, settings.data_dir)
    engine = sync_engine(url)
    try:
        migrate.upgrade(engine)
        connections = pool_share(engine, processes)
    finally:
        engine.dispose()
    db = Database(url, connections)
    if settings.database_url is None:
        # A killed embedded postmaster is started again by this process.
        db.availability.restart = partial(embedded.restart, settings.data_dir)
    return db


@dataclass(frozen=True)
class Ready:
    """What `serve` tells its caller once it serves: the bound ports."""

    db: Database
    grpc_port: int
    rest_port: int


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT (Ctrl-C): a graceful stop."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def until_stopped(
    settings: Settings,
    ready: Ready,
    stop: asyncio.Event,
    on_ready: Callable[[Ready], Awaitable[None]] | None,
) -> None:
    recorded = state.record(
        settings.data_dir,
        ready.grpc_port,
        ready.rest_port,
        ready.db.url,
        embedded=settings.database_url is None,
    )
    try:
        if on_ready is not None and not stop.is_set():
            await on_ready(ready)
        await stop.wait()
        log.info("stopping: finishing calls in flight")
    finally:
        state.forget(recorded)
