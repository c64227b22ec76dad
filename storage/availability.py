"""Whether the database answers, and what the server does when it does not.

A call whose connection is lost is run again (server/dispatch.py); when it
still fails, `lost` probes the database. If the probe fails too, the
database is unavailable: one warning line says so, health turns NOT_SERVING
(the listeners: gRPC health; REST's /health and /readyz read `serving`),
calls are answered RPC_SERVER_UNAVAILABLE at once without touching the
database, and a watcher probes it every `interval` seconds, first restarting
the embedded PostgreSQL if that is what stopped (`restart`). When a probe
succeeds, stale connections are dropped, health turns SERVING again and one
line sums up the outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("clarifai_local.database")

PROBE_SECONDS = 5.0
PROBE_TRIES = 5
# PostgreSQL ending a backend on pg_terminate_backend (SQLSTATE 57P01).
_TERMINATED = "terminating connection due to administrator command"


class CommitUnknownError(Exception):
    """The connection was lost while COMMIT was on its way: the call's
    writes may or may not be saved, so the call must not be run again."""


def disconnected(exc: BaseException) -> bool:
    """Whether `exc` says the connection to the database is gone (lost,
    refused, or the server shutting down), rather than a failing statement."""
    if isinstance(exc, CommitUnknownError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig  # type: ignore[assignment]
    if isinstance(exc, psycopg.InterfaceError):
        return True
    if isinstance(exc, psycopg.OperationalError):
        state = getattr(exc, "sqlstate", None)
        # No SQLSTATE: the connection could not be made or broke; class 08:
        # connection exception; 57P01-57P03: admin/crash shutdown, starting up.
        return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")
    return False


def conflicted(exc: BaseException) -> bool:
    """Whether `exc` is PostgreSQL aborting the transaction for a concurrent
    one's sake (a deadlock, a serialization failure): the work, rolled
    back, may well succeed when run again."""
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    return isinstance(cause, psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure)


def summary(exc: BaseException) -> str:
    """One line for a database failure (no traceback)."""
    cause = exc.__cause__ if isinstance(exc, CommitUnknownError) and exc.__cause__ else exc
    if isinstance(cause, DBAPIError) and cause.orig is not None:
        cause = cause.orig
    first = (str(cause).strip().splitlines() or [""])[0]
    during = "during COMMIT, " if isinstance(exc, CommitUnknownError) else ""
    return f"{during}{type(cause).__name__}: {first}"


class Availability:
    def __init__(self, engine: AsyncEngine, interval: float = 0.5) -> None:
        self.engine = engine
        self._probes = create_async_engine(
            engine.url, poolclass=NullPool, connect_args={"connect_timeout": 5}
        )
        self.interval = interval
        self.serving = True
        # Restarts the embedded PostgreSQL if it is not running (in a thread).
        self.restart: Callable[[], None] | None = None
        # Told of each change: True serving again, False unavailable.
        self.listeners: list[Callable[[bool], Awaitable[None]]] = []
        self.refused = 0
        self._since = 0.0
        self._probe: asyncio.Task[bool] | None = None
        self._watch: asyncio.Task[None] | None = None

    def refuse(self) -> None:
        """Count a call answered unavailable without trying the database."""
        self.refused += 1

    async def lost(self, exc: BaseException) -> None:
        """A call (or job) failed for want of the database: find out whether
        it answers, and enter an outage if it does not."""
        if not self.serving:
            return
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self.probe())
        answered = await asyncio.shield(self._probe)
        if answered:
            log.warning("lost a database connection (%s); the database answers", summary(exc))
            return
        if self.serving:
            self.serving = False
            self._since = time.monotonic()
            self.refused = 0
            log.warning(
                "database unavailable (%s): answering RPC_SERVER_UNAVAILABLE until it is back",
                summary(exc),
            )
            await self._tell(False)
            self._watch = asyncio.get_running_loop().create_task(self._recover())

    async def probe(self, tries: int = PROBE_TRIES) -> bool:
        """Whether a new connection to the database can be opened (one
        terminated right after is not an outage): on a connection of its
        own, outside the pool."""
        for attempt in range(tries):
            if attempt:
                await asyncio.sleep(random.uniform(0.05, 0.15))
            try:
                async with asyncio.timeout(PROBE_SECONDS), self._probes.connect():
                    return True
            except Exception as exc:
                if _TERMINATED in str(exc):
                    return True  # the server answered, then terminated it (a storm)
        return False

    async def _recover(self) -> None:
        restart_failed = False
        while True:
            await asyncio.sleep(self.interval)
            if self.restart is not None:
                try:
                    await asyncio.to_thread(self.restart)
                except Exception as exc:
                    if not restart_failed:
                        log.warning("restarting the embedded database failed: %s", summary(exc))
                    restart_failed = True
                    continue
            if await self.probe(tries=1):
                break
        await self.engine.dispose()  # connections opened before the outage are dead
        self.serving = True
        log.warning(
            "database available again after %.1f s; %d calls were answered RPC_SERVER_UNAVAILABLE",
            time.monotonic() - self._since,
            self.refused,
        )
        await self._tell(True)

    async def _tell(self, serving: bool) -> None:
        for listener in self.listeners:
            try:
                await listener(serving)
            except Exception:
                log.exception("a health listener failed")

    async def close(self) -> None:
        for task in (self._watch, self._probe):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        await self._probes.dispose()
