"""A server of a test module's own, in process, on a database of its own,
with settings the session's server does not have (downloads from this
machine, an S3 endpoint), and a local web server of files for it to read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from server.config import Settings
from server.main import Running, open_database, start
from tests.processes import new_database


@asynccontextmanager
async def own_server(
    database_url: str, data_dir: Path, name: str, **settings: Any
) -> AsyncIterator[Running]:
    with new_database(database_url, name) as url:
        chosen = Settings(
            grpc_port=0,
            rest_port=0,
            host="127.0.0.1",
            database_url=url,
            data_dir=data_dir,
            **settings,
        )
        running = await start(chosen, open_database(chosen))
        try:
            yield running
        finally:
            await running.stop(0)


@asynccontextmanager
async def files_server(files: dict[str, bytes]) -> AsyncIterator[str]:
    """Serve `files` by name (read at each request: tests add to it); the
    base URL."""

    async def serve(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in files:
            raise web.HTTPNotFound()
        return web.Response(body=files[name])

    app = web.Application()
    app.router.add_get("/{name:.+}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
