"""Engines and sessions. The dispatcher owns each request's transaction.

A call's transaction begins with its first statement that needs one: any
but a plain SELECT (a write, SET LOCAL, SAVEPOINT), a SELECT that takes a
lock held until the end (FOR UPDATE, an advisory transaction lock), a
cursor read in batches. Plain reads before it run on their own (the
session's connection is in autocommit until then): at READ COMMITTED, the
database's default and the only level this is done at, each statement
reads a snapshot of its own either way, so a read-only call sees what it
would have in a transaction and sends neither BEGIN nor COMMIT. A write
still opens the transaction with a BEGIN of its own, as it did. SET (LOCAL)
begins it too, but writes nothing: a transaction that only set something
(a vector search's index settings) commits without asking its id.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import embedded, jsonb, transaction_hooks
from storage.auth_cache import LISTENERS, AuthCache
from storage.availability import Availability, CommitUnknownError, disconnected
from storage.cancellation import to_the_end
from storage.prepared import (
    AUTOCOMMITTED,
    AUTOCOMMITTED_CONNECTIONS,
    WROTE,
    Autocommitted,
    Prepared,
    needs_transaction,
    unflushed,
    writes_nothing,
)
from storage.transaction_hooks import COMMIT, ROLLBACK, Outcome


def resolve_url(database_url: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) for DATABASE_URL, or for an
    embedded server when it is unset."""
    raw = database_url or embedded.start(data_dir)
    url = make_url(raw)
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


# The transaction's id and, if it changed what authorization reads (the
# tables' triggers mark it), the processes' listeners its call waits for
# (storage/auth_cache.py).
_XID = Prepared(
    text(
        f"SELECT txid_current_if_assigned(), CASE WHEN changed THEN {LISTENERS} END "
        "FROM (SELECT coalesce(current_setting('clarifai_local.auth_changed', true), '') = 'on' "
        "AS changed) AS marked"
    )
)


def _before_statement(conn, _cursor, statement: str, _params, context, _many) -> None:  # noqa: ANN001
    """Mark a write (WROTE), and begin the transaction where it must be."""
    writes = not writes_nothing(statement, context.compiled)
    if writes:
        conn.info[WROTE] = True
    if writes or needs_transaction(statement) or context.execution_options.get("stream_results"):
        dbapi = conn.connection.dbapi_connection
        if dbapi.autocommit:
            dbapi.autocommit = False  # the transaction begins with this statement


_XID_STATUS = text("SELECT txid_status(:xid)")


def _untouched(session: AsyncSession) -> bool:
    """Whether committing the session would do nothing: it began no
    transaction (its reads, if any, ran on their own), holds nothing to
    write, and no work waits for its commit."""
    return not (
        session.in_transaction() or unflushed(session) or transaction_hooks.waiting(session, COMMIT)
    )


# A transaction's end: its id, the listeners to wait for, COMMIT's failure.
_End = tuple[int | None, list[int] | None, Exception | None]


async def _ending(session: AsyncSession) -> _End:
    """A transaction's end: its pending changes flushed, its id asked if it
    wrote anything (to ask, should COMMIT fail, whether it was saved), then
    COMMIT. The id, the listeners to wait for if it changed what
    authorization reads, and COMMIT's failure (None once committed)."""
    if unflushed(session):
        await session.flush()
    xid = listeners = None
    if session.in_transaction() and (await session.connection()).info.pop(WROTE, False):
        ((xid, listeners),) = await _XID.rows(session)
    try:
        await session.commit()
    except Exception as exc:
        return xid, listeners, exc
    return xid, listeners, None


async def _closed(session: AsyncSession) -> None:
    """Close the session (its connection back to the pool, rolled back),
    even when the call awaiting this is cancelled."""
    await asyncio.shield(asyncio.ensure_future(session.close()))


def sync_engine(url: str) -> Engine:
    """An engine for synchronous work on the database (migrations, the CLI)."""
    return create_engine(url, hide_parameters=True)


# A pool keeps at most this many connections open between calls; a
# connection opened beyond them (overflow) is closed when given back, and a
# busy process that opens and closes them at each burst spends more on
# connecting than on its calls.
POOL_KEPT = 32
# Connections a process holds outside its pool: Autocommitted's, the auth
# cache's listener, the availability probe, and one spare.
_OUTSIDE_POOL = AUTOCOMMITTED_CONNECTIONS + 3


def pool_share(engine: Engine, processes: int) -> int:
    """pool_connections for the database `engine` connects to."""
    with engine.connect() as conn:
        most = int(conn.execute(text("SHOW max_connections")).scalar_one())
    return pool_connections(most, processes)


def pool_connections(max_connections: int, processes: int) -> int:
    """How many connections the pool of each of `processes` server
    processes may open: the database's max_connections shared out, less its
    superuser reserve and a tenth left to other clients (the CLI, psql)."""
    shared = (max_connections * 9 // 10 - 3) // processes - _OUTSIDE_POOL
    return max(2, shared)


class Database:
    def __init__(self, url: str, connections: int = 30, pool_wait_s: float = 30.0) -> None:
        """`connections`: the most this process's pool opens at once (the
        first POOL_KEPT of them kept open between calls); a call waits
        `pool_wait_s` at most for one (then sqlalchemy's TimeoutError)."""
        self.url = url
        self.connections = connections
        jsonb.install()
        # No pre-ping (a round trip per call): a pooled connection the
        # database dropped fails its first statement, is invalidated, and the
        # dispatcher runs the call again on a fresh one. hide_parameters: a
        # failing statement's exception (logged with its traceback) names the
        # SQL but not the values bound to it (user text, key hashes).
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=min(connections, POOL_KEPT),
            max_overflow=max(0, connections - POOL_KEPT),
            pool_timeout=pool_wait_s,
            hide_parameters=True,
            connect_args={"connect_timeout": 5},
        )
        event.listen(self.engine.sync_engine, "before_cursor_execute", _before_statement)
        # Each checkout starts unmarked (the mark lives on the pooled
        # connection), and reading in autocommit.
        event.listen(self.engine.sync_engine.pool, "checkout", self._checked_out)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.availability = Availability(self.engine)
        # Started by the server (start()); until then it caches nothing.
        self.auth_cache = AuthCache(url)
        # Reads, and records, outside any transaction (storage/prepared.py);
        # those open when the database is lost, or comes back, are dead.
        self.autocommitted = Autocommitted(url)
        self.availability.listeners.append(lambda _serving: self.autocommitted.drop())

    def _checked_out(self, dbapi_connection, record, _proxy) -> None:  # noqa: ANN001
        record.info.pop(WROTE, None)
        if self.engine.dialect.default_isolation_level == "READ COMMITTED":
            dbapi_connection.autocommit = True

    def sync_engine(self) -> Engine:
        return sync_engine(self.url)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed if the block succeeds, and
        the work waiting for its outcome run (storage/transaction_hooks.py).
        A connection lost during COMMIT itself (the writes are flushed
        before) asks the database whether the transaction was saved: saved,
        the block succeeded; not saved, the loss is raised (the call may run
        again); unknown, CommitUnknownError."""
        # (The session begins with its first statement.)
        session = self.sessions()
        # (The database's default level is known once the engine connected.)
        if getattr(self.engine.dialect, "default_isolation_level", None) == "READ COMMITTED":
            session.info[AUTOCOMMITTED] = self.autocommitted
        try:
            yield session
            if _untouched(session):
                return
            # Run to its end even if the call is cancelled meanwhile (a
            # client gone, a runner stopping): cancelled while COMMIT was on
            # its way, the driver would wait for COMMIT's answer and then
            # raise, a COMMIT saved or not, and the call's work after a
            # rollback (deleting the blobs its rows name) would run after
            # rows that were saved.
            (xid, listeners, failed), cancelled = await to_the_end(_ending(session))
        except BaseException:
            with contextlib.suppress(Exception):
                await session.rollback()
            await _closed(session)
            transaction_hooks.settle(session, ROLLBACK)
            raise
        outcome: Outcome | None = COMMIT
        if failed is not None:
            await _closed(session)
            outcome = await self._outcome(xid) if disconnected(failed) else ROLLBACK
        transaction_hooks.settle(session, outcome)
        if cancelled:
            raise asyncio.CancelledError
        if outcome is None:
            raise CommitUnknownError(str(failed)) from failed
        if outcome == ROLLBACK and failed is not None:
            raise failed  # nothing was saved: the call may run again
        # Committed: the connection is back in the pool (or lost after
        # COMMIT was saved), and closing the session would only drop its
        # objects.
        if listeners is not None:
            await self.auth_cache.seen(xid, listeners)

    async def _outcome(self, xid: int | None) -> Outcome | None:
        """Whether transaction `xid`, whose COMMIT lost its connection, was
        saved (COMMIT) or not (ROLLBACK: a backend terminated before it read
        COMMIT, say); None when the database cannot be asked."""
        if xid is None:
            return ROLLBACK  # it wrote nothing
        for attempt in range(5):
            if attempt:
                # Still "in progress" while its backend is ending, or asking
                # failed (a connection terminated too): ask again.
                await asyncio.sleep(0.05 * attempt)
            try:
                async with asyncio.timeout(5), self.engine.connect() as connection:
                    found = (await connection.execute(_XID_STATUS, {"xid": xid})).scalar()
            except Exception:
                continue
            if found in ("aborted", "committed"):
                return COMMIT if found == "committed" else ROLLBACK
        return None

    async def close(self) -> None:
        await self.autocommitted.drop()
        await self.auth_cache.close()
        await self.availability.close()
        await self.engine.dispose()
