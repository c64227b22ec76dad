"""The server process: database, migrations, the gRPC port and the REST port."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, replace

import grpc
from aiohttp import web

from server import services
from server.config import Settings
from server.dispatch import Dispatcher
from server.fetch import Fetcher
from server.grpc_app import build_server, mark_serving
from server.jobs import JobRunner
from server.rest_app import build_app
from storage import migrate
from storage.db import Database, resolve_url

log = logging.getLogger("clarifai_local")
# How long the REST port lets calls in flight finish when stopping.
REST_SHUTDOWN_SECONDS = 5.0


def open_database(settings: Settings) -> Database:
    """Resolve the database (embedded if DATABASE_URL is unset) and migrate it."""
    db = Database(resolve_url(settings.database_url, settings.data_dir))
    engine = db.sync_engine()
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return db


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


async def start(settings: Settings, db: Database | None = None) -> Running:
    db = db or open_database(settings)
    dispatcher = Dispatcher(db, settings, services.load())
    server = build_server(dispatcher, settings.max_message_bytes)
    port = server.add_insecure_port(f"{settings.host}:{settings.grpc_port}")
    runner = web.AppRunner(
        build_app(dispatcher, settings.max_message_bytes),
        access_log=None,  # server.logs writes one line per call
        shutdown_timeout=REST_SHUTDOWN_SECONDS,
    )
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.rest_port)
    await site.start()
    rest_port = runner.addresses[0][1]
    log.info("REST serving on port %d", rest_port)
    # A port given as 0 is chosen by the system: hosted media URLs must name
    # the bound one. Nobody can call before start() returns the ports.
    settings = replace(settings, grpc_port=port, rest_port=rest_port)
    dispatcher.settings = settings
    await server.start()
    await mark_serving(server)
    log.info("gRPC serving on port %d", port)
    jobs = JobRunner(db, settings)
    await jobs.start()
    fetcher = Fetcher(db, settings) if settings.fetch_urls else None
    if fetcher is not None:
        await fetcher.start()
    return Running(db, server, port, dispatcher, runner, rest_port, jobs=jobs, fetcher=fetcher)


async def serve(settings: Settings) -> None:
    running = await start(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping: finishing calls in flight")
    await running.stop()
