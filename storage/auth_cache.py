"""What authorization reads per call, kept in the process: a key with the
app it targets, and a collaborator's grant on an app.

Any change to keys, apps, collaborators or users empties every process's
cache at once: triggers on those tables NOTIFY `CHANNEL` when the changing
transaction commits, and each process LISTENs on a connection of its own.
A lookup first reads what that connection already received (a
non-blocking read). Each listener acknowledges what it emptied its cache
for (a NOTIFY on `ACKS`, from its own backend), and the call that made a
change answers only once every process listening when it committed
acknowledged it (`seen`; `LISTENERS` names them, read inside the
transaction): so a revoked key is refused by the next call in any process.
PostgreSQL delivers a notification to each listener when that backend gets
to it, which under load is not at once: waiting only for one's own
listener is not enough. While the connection is down nothing is cached:
every lookup reads the database, as without a cache.

Filling races with invalidation: a lookup that read the database before a
change committed may finish after the notification emptied the cache; its
result is then not kept (the generation moved)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection, Hashable
from typing import Any, TypeVar

import psycopg
from sqlalchemy import DDL, event, make_url

from storage.base import Base

log = logging.getLogger("clarifai_local")
CHANNEL = "clarifai_local_auth"
ACKS = "clarifai_local_auth_acks"
# The listening connections' name, set once they listen.
APPLICATION_NAME = "clarifai-local auth cache"
# The listening backends, read by a transaction that changed what
# authorization reads: those its call waits for.
LISTENERS = (
    "ARRAY(SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    f"AND application_name = '{APPLICATION_NAME}')"
)
# Transactions whose acknowledgements are kept (one may arrive before its
# call starts waiting).
KEPT_ACKS = 1024
# Entries kept at most (the cache empties when full: keys in use are few).
MAX_ENTRIES = 10_000
RECONNECT_SECONDS = 1.0
# How long a call that changed authorization waits for its acknowledgements.
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
        # Transactions (ids) a call waits on, with the listeners it needs.
        self._waiting: dict[int, tuple[frozenset[int], asyncio.Future[None]]] = {}
        # Which listening backends acknowledged each recent transaction.
        self._acks: OrderedDict[int, set[int]] = OrderedDict()
        # Transactions this listener is to acknowledge, and whether its
        # acknowledgement is under way (one statement at a time).
        self._to_ack: list[int] = []
        self._acking = False

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

    async def seen(self, xid: int, listeners: Collection[int]) -> None:
        """Return once the listening backends `listeners` acknowledged
        transaction `xid` (at once when this process is not listening, after
        SEEN_SECONDS at most)."""
        self._drain()
        needed = frozenset(listeners)
        if self._conn is None or needed <= self._acks.get(xid, set()):
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting[xid] = (needed, waiter)
        try:
            await asyncio.wait_for(waiter, SEEN_SECONDS)
        except TimeoutError:
            late = sorted(needed - self._acks.get(xid, set()))
            log.warning(
                "an authorization change was not acknowledged within %s s by backends %s",
                SEEN_SECONDS,
                late,
            )
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
            await conn.execute(f"LISTEN {CHANNEL}; LISTEN {ACKS}")
            # Named once listening: a transaction that finds it among the
            # listeners is sure to be notified to it.
            await conn.execute(f"SET application_name = '{APPLICATION_NAME}'")
        except psycopg.Error as exc:
            log.warning("authorization cache off until the database answers: %s", exc)
            return False
        self.clear()  # whatever was read before listening may be stale
        conn.pgconn.nonblocking = 1
        self._conn, self._socket = conn, conn.pgconn.socket
        self._to_ack, self._acking = [], False
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
            # (Anyone may NOTIFY these channels: what is not an id is a
            # change all the same, and acknowledges nothing.)
            xids = [int(x) for x in notice.extra.split(b",") if x.isdigit()]
            if notice.relname.decode() == CHANNEL:
                changed = True
                self._to_ack.extend(xids)
            else:
                for xid in xids:
                    self._acked(xid, notice.be_pid)
        if changed:
            self.clear()
        try:
            self._acknowledge(pgconn)
        except psycopg.Error:
            self._lost()

    def _acknowledge(self, pgconn: psycopg.pq.abc.PGconn) -> None:
        """Collect the answer to the acknowledgement under way, if it came;
        then send the next one (the cache is already emptied for them)."""
        while self._acking and not pgconn.is_busy():
            result = pgconn.get_result()
            if result is None:
                self._acking = False
            elif result.status != psycopg.pq.ExecStatus.COMMAND_OK:
                raise psycopg.OperationalError(result.error_message.decode(errors="replace"))
        if self._acking or not self._to_ack:
            return
        # (A NOTIFY's payload holds up to 8000 bytes.)
        xids, self._to_ack = self._to_ack[:500], self._to_ack[500:]
        # Integers only: nothing here is quoted from outside.
        pgconn.send_query(f"NOTIFY {ACKS}, '{','.join(map(str, xids))}'".encode())
        self._acking = True
        if pgconn.flush():
            asyncio.get_running_loop().add_writer(self._socket, self._flush)

    def _flush(self) -> None:
        try:
            if self._conn is not None and self._conn.pgconn.flush():
                return
        except psycopg.Error:
            self._lost()
        asyncio.get_running_loop().remove_writer(self._socket)

    def _acked(self, xid: int, backend: int) -> None:
        acks = self._acks.get(xid)
        if acks is None:
            acks = self._acks[xid] = set()
            if len(self._acks) > KEPT_ACKS:
                self._acks.popitem(last=False)
        acks.add(backend)
        waiting = self._waiting.get(xid)
        if waiting is not None and waiting[0] <= acks and not waiting[1].done():
            waiting[1].set_result(None)

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
            loop = asyncio.get_running_loop()
            loop.remove_reader(self._socket)
            loop.remove_writer(self._socket)
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
