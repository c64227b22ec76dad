"""The server process: database, migrations, the gRPC port and the REST port."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import partial

import grpc
from aiohttp import web

# These modules register their jobs.
from server import (  # noqa: F401
    indexing,
    main_app,
    orphans,
    prediction,
    services,
    training,
    vectors,
)
from server.config import Settings
from server.dispatch import Dispatcher
from server.fetch import Fetcher
from server.grpc_app import build_server, mark_serving
from server.jobs import JobRunner
from server.rest_app import build_app
from server.serving import (  # PortError, open_database: imported from here by callers
    PORTS,
    PortError,  # noqa: F401
    Ready,
    check_ports,
    open_database,
    port_error,
    stop_on_signals,
    until_stopped,
)
from storage import blobs, files
from storage.db import Database

log = logging.getLogger("clarifai_local")
# How long the REST port lets calls in flight finish when stopping.
REST_SHUTDOWN_SECONDS = 5.0
# A GET's query string carries its id filters: ListTasks may send four lists
# of 1000 ids of 48 characters (server/limits.py), about 250 KB; aiohttp's
# default request line is 8 KB. A line over the limits (10,000 ids, a 100 KB
# id) must still reach the dispatcher, whose limits answer with a status:
# aiohttp refuses a longer line itself, in plain text. 8 MB bounds that.
REST_MAX_LINE_BYTES = 8 * 1024 * 1024


@dataclass
class Running:
    db: Database
    grpc_server: grpc.aio.Server
    grpc_port: int
    dispatcher: Dispatcher
    rest_runner: web.AppRunner
    rest_port: int
    # Runs queued background work (dataset versions, exports, ...).
    jobs: JobRunner | None = None
    # Downloads URL inputs (None when CLARIFAI_LOCAL_FETCH_URLS=false).
    fetcher: Fetcher | None = None

    async def stop(self, grace: float = 5.0) -> None:
        # Both ports stop taking calls, then finish the ones in flight.
        await asyncio.gather(self.rest_runner.cleanup(), self.grpc_server.stop(grace))
        if self.jobs is not None:
            await self.jobs.stop()  # unfinished jobs stay queued for the next start
        if self.fetcher is not None:
            await self.fetcher.stop()  # unfinished downloads go back to the queue
        await self.db.close()


async def start(settings: Settings, db: Database | None = None, *, worker: bool = False) -> Running:
    """Serve both ports. A port that cannot be had raises PortError, with
    nothing left listening (the database, given or opened, stays open).
    A `worker` shares its ports with the other workers of one `serve`."""
    files.private_data_dir(settings.data_dir)
    db = db or open_database(settings)
    await main_app.ensure(db)  # the first of several processes writes it
    await vectors.ensure(db)  # pgvector and its indexes, or one line saying it is missing
    await db.auth_cache.start()
    indexing.use_store(blobs.store_for(settings.data_dir))
    dispatcher = Dispatcher(db, settings, services.load())
    # REST binds first: a gRPC server that bound a port keeps it until the
    # process ends unless it is started, while aiohttp lets go of its own.
    runner = web.AppRunner(
        build_app(dispatcher, settings.max_message_bytes, settings.rest_body_timeout_s),
        access_log=None,  # server.logs writes one line per call
        # Closes connections idle, or slow to send a request's head, that long.
        keepalive_timeout=settings.rest_idle_timeout_s,
        # A body left unread (refused, or stalled) is drained at most that long.
        lingering_time=min(10.0, settings.rest_body_timeout_s),
        # Bodies are inflated by server.rest_app.read_body, within the limit.
        auto_decompress=False,
        shutdown_timeout=REST_SHUTDOWN_SECONDS,
        max_line_size=REST_MAX_LINE_BYTES,
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.rest_port, reuse_port=worker).start()
    except OSError as err:
        await runner.cleanup()
        reason = os.strerror(err.errno) if err.errno else str(err)
        raise port_error(*PORTS[1], settings.host, settings.rest_port, reason) from None
    server = build_server(dispatcher, settings.max_message_bytes, reuse_port=worker)
    try:
        port = server.add_insecure_port(f"{settings.host}:{settings.grpc_port}")
    except RuntimeError:  # the port is taken
        await runner.cleanup()
        raise port_error(
            *PORTS[0], settings.host, settings.grpc_port, "gRPC could not bind it"
        ) from None
    rest_port = runner.addresses[0][1]
    log.info("REST serving on port %d", rest_port)
    # A port given as 0 is chosen by the system: hosted media URLs must name
    # the bound one. Nobody can call before start() returns the ports.
    settings = replace(settings, grpc_port=port, rest_port=rest_port)
    dispatcher.settings = settings
    await server.start()
    await mark_serving(server)
    db.availability.listeners.append(partial(mark_serving, server))
    log.info("gRPC serving on port %d", port)
    jobs = JobRunner(db, settings)  # the queue's kinds, orphans.sweep among them
    await jobs.start()
    fetcher = Fetcher(db, settings) if settings.fetch_urls else None
    if fetcher is not None:
        await fetcher.start()
        dispatcher.fetcher = fetcher
    # What starting made lives as long as the process: left out of the
    # collector's full passes (each cost tens of ms on a busy server).
    gc.freeze()
    return Running(db, server, port, dispatcher, runner, rest_port, jobs=jobs, fetcher=fetcher)


async def serve(
    settings: Settings, on_ready: Callable[[Ready], Awaitable[None]] | None = None
) -> None:
    """Serve until SIGTERM or SIGINT, then stop gracefully and return (so
    that exit hooks run: the embedded database stops with its last user).
    This process serves alone (`serve --workers 1`; several run under
    server/supervisor.py).
    Raises PortError, before the database is opened when it can tell."""
    stop = stop_on_signals()
    check_ports(settings)
    db = open_database(settings)
    try:
        running = await start(settings, db)
    except BaseException:
        await db.close()
        raise
    ready = Ready(db, running.grpc_port, running.rest_port)
    try:
        await until_stopped(settings, ready, stop, on_ready)
    finally:
        await running.stop()
