"""What authorization reads per call, kept in the process: a key with the
app it targets, and a collaborator's grant on an app.

Any change to keys, apps, collaborators or users empties every process's
cache at once: triggers on those tables NOTIFY `CHANNEL` when the changing
transaction commits, and each process LISTENs on a connection of its own.
A lookup first reads what that connection already received (a
non-blocking read), so a revoked key is refused by the next call in any
process, and the process whose call made a change answers that call only
once its own connection received the change's notification (`seen`):
PostgreSQL signals every listener at the same commit, so the next call, in
whichever process, finds it there. While the connection is down nothing is
cached: every lookup reads the database, as without a cache.

Filling races with invalidation: a lookup that read the database before a
change committed may finish after the notification emptied the cache; its
result is then not kept (the generation moved)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import psycopg
from sqlalchemy import DDL, event, make_url

from storage.base import Base

log = logging.getLogger("clarifai_local")
CHANNEL = "clarifai_local_auth"
# Entries kept at most (the cache empties when full: keys in use are few).
MAX_ENTRIES = 10_000
RECONNECT_SECONDS = 1.0
# How long a call that changed authorization waits for its notification.
SEEN_SECONDS = 2.0
T = TypeVar("T")

# The tables authorization reads. Statement-level triggers: one
# notification per changing statement, delivered when its transaction
# commits (none if it rolls back), naming the transaction; the transaction
# is marked, so that the process that committed it waits for its own
# notification before answering (`seen`). The migration holds a frozen copy.
TABLES = ("keys", "apps", "collaborators", "users")
TRIGGERS = (
    f"""
    CREATE FUNCTION notify_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('clarifai_local.auth_changed', 'on', true);
        PERFORM pg_notify('{CHANNEL}', txid_current()::text);
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER {table}_notify_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change()"
        for table in TABLES
    ),
)
for _statement in TRIGGERS:
    event.listen(Base.metadata, "after_create", DDL(_statement))


class AuthCache:
    def __init__(self, url: str) -> None:
        self._url = make_url(url).set(drivername="postgresql").render_as_string(False)
        self._entries: dict[Hashable, Any] = {}
        self._generation = 0
        self._conn: psycopg.AsyncConnection | None = None
        # Its socket, watched by the event loop: kept, as libpq closes it
        # (and pgconn.socket then fails) once it sees the connection lost.
        self._socket = -1
        self._reconnect: asyncio.Task[None] | None = None
        self._closed = False
        # Transactions (ids) whose calls wait for their notification.
        self._waiting: dict[int, asyncio.Future[None]] = {}
        # The latest transactions notified (one may notify before its call
        # starts waiting).
        self._seen: deque[int] = deque(maxlen=256)

    @property
    def live(self) -> bool:
        return self._conn is not None

    async def start(self) -> None:
        """LISTEN; should the database not answer, keep trying in the
        background (nothing is cached meanwhile)."""
        if not await self._listen():
            self._reconnect = asyncio.create_task(self._reconnecting())

    async def get(self, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
        """The cached value of `key`, else `read()`'s (kept while nothing changes)."""
        self._drain()
        if self._conn is None:
            return await read()
        try:
            return self._entries[key]
        except KeyError:
            pass
        generation = self._generation
        value = await read()
        if generation == self._generation and self._conn is not None:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = value
        return value

    async def seen(self, xid: int) -> None:
        """Return once this process received transaction `xid`'s notification
        (at once when nothing is cached, after SEEN_SECONDS at most)."""
        self._drain()
        if self._conn is None or xid in self._seen:
            return
        waiter = self._waiting.setdefault(xid, asyncio.get_running_loop().create_future())
        try:
            await asyncio.wait_for(asyncio.shield(waiter), SEEN_SECONDS)
        except TimeoutError:
            log.warning("the notification of an authorization change took over %s s", SEEN_SECONDS)
        finally:
            self._waiting.pop(xid, None)

    def clear(self) -> None:
        self._entries.clear()
        self._generation += 1

    async def close(self) -> None:
        self._closed = True
        if self._reconnect is not None:
            self._reconnect.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnect
        await self._drop()

    async def _listen(self) -> bool:
        try:
            conn = await psycopg.AsyncConnection.connect(
                self._url, autocommit=True, connect_timeout=5
            )
            await conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            log.warning("authorization cache off until the database answers: %s", exc)
            return False
        self.clear()  # whatever was read before listening may be stale
        self._conn, self._socket = conn, conn.pgconn.socket
        asyncio.get_running_loop().add_reader(self._socket, self._drain)
        return True

    def _drain(self) -> None:
        """Read what the listening connection received, without waiting;
        any notification empties the cache."""
        if self._conn is None:
            return
        pgconn = self._conn.pgconn
        try:
            pgconn.consume_input()
        except psycopg.Error:
            self._lost()
            return
        changed = False
        while (notice := pgconn.notifies()) is not None:
            changed = True
            xid = int(notice.extra)
            self._seen.append(xid)
            if (waiter := self._waiting.get(xid)) is not None and not waiter.done():
                waiter.set_result(None)
        if changed:
            self.clear()

    def _lost(self) -> None:
        log.warning("authorization cache off: its connection was lost; reconnecting")
        self.clear()
        loop = asyncio.get_running_loop()
        loop.create_task(_close(self._detach()))
        if not self._closed and (self._reconnect is None or self._reconnect.done()):
            self._reconnect = loop.create_task(self._reconnecting())

    def _detach(self) -> psycopg.AsyncConnection | None:
        """Stop caching at once; the connection, to close."""
        conn, self._conn = self._conn, None
        if conn is not None:
            # By the socket number kept: a reader left on a closed socket
            # would be handed the next socket given that number.
            asyncio.get_running_loop().remove_reader(self._socket)
        return conn

    async def _drop(self) -> None:
        await _close(self._detach())

    async def _reconnecting(self) -> None:
        while not self._closed and self._conn is None:
            await asyncio.sleep(RECONNECT_SECONDS)
            await self._listen()


async def _close(conn: psycopg.AsyncConnection | None) -> None:
    if conn is not None:
        with contextlib.suppress(Exception):
            await conn.close()
