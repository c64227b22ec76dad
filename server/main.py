"""The server process: database, migrations, the gRPC port and the REST port."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass

import grpc

from server import services
from server.config import Settings
from server.dispatch import Dispatcher
from server.grpc_app import build_server, mark_serving
from storage import migrate
from storage.db import Database, resolve_url

log = logging.getLogger("clarifai_local")


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

    async def stop(self, grace: float = 5.0) -> None:
        await self.grpc_server.stop(grace)
        await self.db.close()


async def start(settings: Settings, db: Database | None = None) -> Running:
    db = db or open_database(settings)
    dispatcher = Dispatcher(db, settings, services.load())
    server = build_server(dispatcher, settings.max_message_bytes)
    port = server.add_insecure_port(f"{settings.host}:{settings.grpc_port}")
    await server.start()
    await mark_serving(server)
    log.info("gRPC serving on port %d", port)
    return Running(db, server, port, dispatcher)


async def serve(settings: Settings) -> None:
    running = await start(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping: finishing calls in flight")
    await running.stop()
