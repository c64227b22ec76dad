"""Statements compiled once and run straight on a psycopg connection: the
hot read paths (GetInput, GetTask, a list's first page) skip what SQLAlchemy
does per execution (building the statement, its cache key, the ORM's result
machinery); psycopg prepares them on the server after a few runs. Reads,
and writes of the hot paths (PostInputs, PatchInputs): a write runs in the
call's transaction and marks its connection as written (WROTE), as the
session's own statements are marked, so that its end asks for the
transaction's id.

Where a statement runs:
- on the session's connection once the session holds one (it ran a
  statement, or was asked for its connection, as for another isolation
  level), and always for a write or a statement that holds something to
  the transaction's end (FOR UPDATE, FOR SHARE, an advisory transaction
  lock, SET LOCAL): those begin the call's transaction
  if it has not begun (storage/db.py: a session's connection reads in
  autocommit until then); what the session holds unflushed is flushed
  first, as its own statements would;
- else (a plain read) on its own, in autocommit, on one of the few connections the
  database keeps for this (`Autocommitted`): no BEGIN, no COMMIT, no
  session or pool at all. A call that reads nothing else (GetInput, GetTask,
  ListInputs' first page) costs half the CPU it did in a transaction. The
  read sees what it would have seen there: at READ COMMITTED, the database's
  default (storage/db.py hands out these connections only then), each
  statement reads a snapshot of its own either way.

A read whose statement is built per call (a search's page: its shape
follows the filters sent) runs the same way (`built_rows`): compiled once
per shape, its values bound anew at each run. One that needs settings of
its own (a nearest-neighbour query's index settings) takes them with it:
`SET LOCAL`s and the statement go in one simple query (values bound by
psycopg on this side), which runs as one transaction on its own, so they
end with it; in the call's transaction, the same query sets them back after
the statement. Either way one round trip, where a SET of its own began the
call's transaction (BEGIN, SET, the read, a SET back, COMMIT).

A record nobody is worse off without should the database itself crash (a
search run's id, which feedback may name) is written on those connections
too (`Prepared.record`): one INSERT committed on its own, without waiting
for its WAL to reach the disk (synchronous_commit off: others see it at
once), where in the call's transaction it cost a search about a third of
its time (the INSERT, the transaction's id, the flushing COMMIT). Being
apart (`Prepared.apart`), it can be written while the call's own
statements run: a search's record is (storage/searches.py).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import CompoundSelect, Executable, Select, make_url
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Compiled
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.util import LRUCache

from storage.availability import disconnected

_DIALECT = postgresql.dialect(paramstyle="pyformat")
# What a statement holds until the transaction ends: a row lock anywhere in
# it, as PostgreSQL's dialect writes them, an advisory transaction lock, or
# a setting (SET LOCAL).
_HELD = re.compile(
    r"\bFOR (?:UPDATE|NO KEY UPDATE|SHARE|KEY SHARE)\b|\bpg_(?:try_)?advisory_xact_lock"
    r"|^\s*SET\s"
)
# Where a session holds its database's Autocommitted (Session.info).
AUTOCOMMITTED = "autocommitted"
# Set on a connection's info by any statement but a SELECT (a write, or one
# that may write): only then is the transaction's id worth a round trip.
WROTE = "wrote"
# Connections a process keeps outside transactions: a read or a record holds
# one for its round trip only (about 0.2 ms), so a few serve many calls.
AUTOCOMMITTED_CONNECTIONS = 4


class Prepared:
    """One statement with named bind parameters, given at each run: a read
    or a write (`rows`), or an INSERT of a record (`record`).

    `whole`: the statement is a transaction by itself (a claim that locks,
    writes and returns what it wrote in one go): outside a transaction
    under way it runs on its own like a read, committed as it ends (without
    waiting for its WAL to reach the disk: see above), rather than begin
    the call's."""

    def __init__(self, statement: Executable, *, whole: bool = False) -> None:
        self._statement = statement
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = str(compiled)
        # Values bound in the statement itself (literals), with the run's.
        self._bound = {k: v for k, v in compiled.params.items() if v is not None}
        self.writes = not writes_nothing(self.sql, compiled)
        self.begins = not whole and (self.writes or needs_transaction(self.sql))

    def values(self, **params: Any) -> dict[str, Any]:
        """A run's parameters: the statement's own literals, then `params`."""
        return {k: _adapted(v) for k, v in {**self._bound, **params}.items()}

    async def rows(
        self, session: AsyncSession, settings: Mapping[str, str] | None = None, **params: Any
    ) -> list[tuple[Any, ...]]:
        """The statement's rows (none for a write without RETURNING);
        `settings` as built_rows takes them."""
        return await _run(
            session,
            self.sql,
            self.values(**params),
            writes=self.writes,
            begins=self.begins,
            settings=settings,
        )

    @staticmethod
    def apart(session: AsyncSession) -> bool:
        """Whether `record` writes on a connection of its own, outside the
        session's: it may then run while the session's statements do."""
        return AUTOCOMMITTED in session.info

    async def record(self, session: AsyncSession, **params: Any) -> None:
        """Write the record, committed on its own (see above), whether or not
        the session is in a transaction; in its transaction at another
        isolation level."""
        own: Autocommitted | None = session.info.get(AUTOCOMMITTED)
        if own is None:
            await session.execute(self._statement, params)
            return
        await own.run(self.sql, self.values(**params))


# Compiled forms of statements built per call, by SQLAlchemy's cache key,
# each with whether it needs the call's transaction (a search's SQL is long:
# the search for what it holds cost a filter search 3% of its CPU).
_BUILT: LRUCache[tuple[Any, ...], tuple[Compiled, bool]] = LRUCache(500)


# A bound value as a run gives it (its bind's name, the value the statement holds).
Fill = Callable[[str, Any], Any]


async def built_rows(
    session: AsyncSession,
    statement: Select,
    fill: Fill | None = None,
    settings: Mapping[str, str] | None = None,
) -> list[tuple[Any, ...]]:
    """The rows of a read built per call, whose shape varies with what the
    call asks (a search's page: its filters): compiled once per shape
    (SQLAlchemy's cache key, whose values are bound anew at each run), then
    run where a Prepared statement runs, without the ORM's execution and
    result machinery (a fifth of a filter search's server CPU). Not prepared on
    the server: a generic plan, blind to the values, could read a whole
    table for a rare concept. `fill`: each value as this run binds it (a
    statement kept for many runs holds the first one's). `settings`: what
    the read runs with (name: value as SET takes it; see above)."""
    key = statement._generate_cache_key()
    if key is None:  # an element SQLAlchemy cannot cache: its own path
        return [tuple(row) for row in await session.execute(statement)]
    built = _BUILT.get(key.key)
    if built is None:
        compiled = statement.compile(dialect=_DIALECT, cache_key=key)
        built = _BUILT[key.key] = compiled, needs_transaction(compiled.string)
    compiled, begins = built
    params = compiled.construct_params(params=key.params, extracted_parameters=key.bindparams)
    sql = compiled.string
    if compiled.post_compile_params or compiled.literal_execute_params:
        expanded = compiled.construct_expanded_state(params)  # IN (...) lists
        sql, params = expanded.statement, expanded.parameters
    values = {k: _adapted(v if fill is None else fill(k, v)) for k, v in params.items()}
    return await _run(
        session, sql, values, writes=False, begins=begins, prepare=False, settings=settings
    )


async def _run(
    session: AsyncSession,
    sql: str,
    values: dict[str, Any],
    *,
    writes: bool,
    begins: bool,
    prepare: bool | None = None,
    settings: Mapping[str, str] | None = None,
) -> list[tuple[Any, ...]]:
    """A statement's rows (none for a write without RETURNING): on its own,
    or in the call's transaction (see above). `prepare` as psycopg takes it
    (None: after a few runs); `settings` as built_rows takes them."""
    if unflushed(session):
        await session.flush()  # what the session's own statements would see
    reads: Autocommitted | None = session.info.get(AUTOCOMMITTED)
    alone = not (begins or session.in_transaction())
    if reads is not None and alone:
        if settings:
            return await reads.rows(_setting(settings, sql), values, setting=True)
        return await reads.rows(sql, values, prepare=prepare)
    conn = await session.connection()
    if writes:
        conn.info[WROTE] = True
    driver = (await conn.get_raw_connection()).driver_connection
    if begins and driver.autocommit:
        await driver.set_autocommit(False)  # it begins here (storage/db.py)
    try:
        if settings:
            sql = _setting(settings, sql, back=not driver.autocommit)
            return await _set_rows(driver, sql, values)
        cursor = await driver.execute(sql, values, prepare=prepare)
        return await cursor.fetchall() if cursor.description is not None else []
    except psycopg.Error as exc:
        if disconnected(exc):
            await conn.invalidate()  # the pool must not hand it out again
        raise as_dbapi(exc, sql, values) from exc


def _setting(settings: Mapping[str, str], sql: str, *, back: bool = False) -> str:
    """The statement with its settings before it, as one simple query, and
    set back to their defaults after it when `back` (in a transaction that
    goes on)."""
    before = "".join(f"SET LOCAL {name} = {value}; " for name, value in settings.items())
    after = "".join(f"; SET LOCAL {name} TO DEFAULT" for name in settings) if back else ""
    return f"{before}{sql}{after}"


async def _set_rows(conn: psycopg.AsyncConnection, sql: str, values: dict[str, Any]) -> list:
    """The rows of the one statement in `sql` that answers any (the others
    set something): several statements go in one simple query, which binds
    the values on this side."""
    cursor = psycopg.AsyncClientCursor(conn)
    await cursor.execute(sql, values)
    while cursor.description is None and cursor.nextset():
        pass
    return await cursor.fetchall() if cursor.description is not None else []


def as_dbapi(exc: psycopg.Error, sql: str, values: dict[str, Any]) -> DBAPIError:
    """A statement's failure as SQLAlchemy raises one (IntegrityError,
    OperationalError, ... holding the driver's error): statements run here
    and through the session fail alike, so that one check tells a deadlock
    to run again or a duplicate key to refuse (server/dispatch.py)."""
    return DBAPIError.instance(sql, values, exc, psycopg.Error, hide_parameters=True)


def unflushed(session: AsyncSession | Session) -> bool:
    """Whether the session holds changes not yet sent to the database."""
    return bool(session.new or session.dirty or session.deleted)


def needs_transaction(sql: str) -> bool:
    """Whether a statement holds something until the transaction ends (a
    lock, a setting): it needs the call's transaction, as one that may
    write does."""
    return _HELD.search(sql) is not None


def writes_nothing(sql: str, compiled: Compiled | None = None) -> bool:
    """Whether a statement writes nothing: a plain SELECT, a SELECT whose
    WITH clauses all select, as its compiled form tells (a WITH may hold
    an INSERT, UPDATE or DELETE), or a SET."""
    head = sql.lstrip()[:6].upper()
    if head == "SELECT" or head[:4] == "SET ":
        return True
    return (
        compiled is not None
        and isinstance(compiled.statement, Select | CompoundSelect)
        and not any(isinstance(cte.element, UpdateBase) for cte in getattr(compiled, "ctes", ()))
    )


def _adapted(value: Any) -> Any:
    # psycopg sends a dict only wrapped (SQLAlchemy's JSONB type does this
    # on the session's path).
    return Jsonb(value) if isinstance(value, dict) else value


class Autocommitted:
    """At most `size` connections in autocommit, opened as statements need
    them and kept (a statement waits for one when all are in use). A
    statement that finds its connection lost drops the idle ones, as
    SQLAlchemy's pool does on a disconnect: they were opened before the loss
    too. (The dispatcher runs the call again, on a fresh one.)"""

    def __init__(self, url: str, size: int = AUTOCOMMITTED_CONNECTIONS) -> None:
        self._url = make_url(url).set(drivername="postgresql").render_as_string(False)
        self._idle: list[tuple[int, psycopg.AsyncConnection]] = []
        self._free = asyncio.Semaphore(size)
        # Connections opened before a drop are not kept when given back.
        self._generation = 0

    async def rows(
        self,
        sql: str,
        params: dict[str, Any],
        *,
        prepare: bool | None = None,
        setting: bool = False,
    ) -> list[tuple[Any, ...]]:
        return await self.run(sql, params, fetch=True, prepare=prepare, setting=setting)

    async def run(
        self,
        sql: str,
        params: dict[str, Any],
        *,
        fetch: bool = False,
        prepare: bool | None = None,
        setting: bool = False,
    ) -> list[tuple[Any, ...]]:
        """The statement's rows if `fetch`, else none; `prepare` as psycopg
        takes it. `setting`: `sql` is settings and a read (_setting's)."""
        async with self._free:
            if self._idle:
                generation, conn = self._idle.pop()
            else:
                generation = self._generation
                conn = await psycopg.AsyncConnection.connect(
                    self._url,
                    autocommit=True,
                    connect_timeout=5,
                    options="-c synchronous_commit=off",
                )
            try:
                if setting:
                    found = await _set_rows(conn, sql, params)
                else:
                    cursor = await conn.execute(sql, params, prepare=prepare)
                    found = await cursor.fetchall() if fetch else []
            except BaseException as exc:
                await conn.close()
                if isinstance(exc, Exception) and disconnected(exc):
                    await self.drop()
                if isinstance(exc, psycopg.Error):
                    raise as_dbapi(exc, sql, params) from exc
                raise
            if generation == self._generation:
                self._idle.append((generation, conn))
            else:
                await conn.close()
            return found

    async def drop(self) -> None:
        """Close the idle connections (those in use close when given back)."""
        self._generation += 1
        idle, self._idle = self._idle, []
        for _, conn in idle:
            await conn.close()
