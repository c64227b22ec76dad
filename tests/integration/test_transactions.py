"""A call's transaction (storage/db.py) begins with its first statement
that needs one: a write, a lock held to its end (FOR UPDATE, an advisory
transaction lock), SET LOCAL, a cursor read in batches. Plain reads before
it run on their own, as at READ COMMITTED each reads its own snapshot
anyway: a read-only call sends no BEGIN and no COMMIT."""

from __future__ import annotations

import asyncio

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import make_url, select, text

from storage.apps import App
from storage.availability import CommitUnknownError, disconnected
from storage.db import Database
from storage.prepared import WROTE
from storage.transaction_hooks import COMMIT, ROLLBACK, savepoint, when_done

OTHER_LOCK = "SELECT pg_try_advisory_lock(%(key)s)"
KEY = 20261127


async def _status(session) -> TransactionStatus:
    driver = (await (await session.connection()).get_raw_connection()).driver_connection
    return driver.pgconn.transaction_status


async def test_plain_reads_begin_nothing(server, account):
    async with server.db.transaction() as session:
        apps = select(App.id).where(App.user_id == account.user_id)
        assert (await session.execute(apps)).scalars().all() == [account.app_id]
        assert await _status(session) == TransactionStatus.IDLE
        await session.execute(text("SELECT txid_current()"))
        # Idle: no BEGIN was sent, and committing sends nothing.
        assert await _status(session) == TransactionStatus.IDLE


async def test_a_write_begins_the_transaction_and_later_reads_see_it(server, account):
    async with server.db.transaction() as session:
        await session.execute(text("SELECT 1"))
        await session.execute(
            text("UPDATE apps SET description = 'in flight' WHERE user_id = :u"),
            {"u": account.user_id},
        )
        assert await _status(session) == TransactionStatus.INTRANS
        seen = select(App.description).where(App.user_id == account.user_id)
        assert (await session.execute(seen)).scalar() == "in flight"
        # Not yet visible to anyone else.
        async with server.db.transaction() as other:
            assert (await other.execute(seen)).scalar() != "in flight"
    async with server.db.transaction() as after:
        assert (await after.execute(seen)).scalar() == "in flight"


async def test_a_failed_call_rolls_its_writes_back(server, account):
    seen = select(App.description).where(App.user_id == account.user_id)
    try:
        async with server.db.transaction() as session:
            await session.execute(
                text("UPDATE apps SET description = 'rolled back' WHERE user_id = :u"),
                {"u": account.user_id},
            )
            raise ZeroDivisionError
    except ZeroDivisionError:
        pass
    async with server.db.transaction() as session:
        assert (await session.execute(seen)).scalar() != "rolled back"


async def test_an_advisory_transaction_lock_is_held_to_the_end(server):
    async with server.db.transaction() as session:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": KEY})
        assert await _status(session) == TransactionStatus.INTRANS
        taken = await server.db.autocommitted.rows(OTHER_LOCK, {"key": KEY})
        assert taken == [(False,)]  # held by the call's transaction
    taken = await server.db.autocommitted.rows(OTHER_LOCK, {"key": KEY})
    assert taken == [(True,)]
    await server.db.autocommitted.rows("SELECT pg_advisory_unlock(%(key)s)", {"key": KEY})


async def test_set_local_and_batched_reads_run_in_the_transaction(server, account):
    async with server.db.transaction() as session:
        await session.execute(text("SET LOCAL statement_timeout = '7s'"))
        assert await _status(session) == TransactionStatus.INTRANS
        # Not a write: its end does not ask the transaction's id.
        assert not (await session.connection()).info.get(WROTE)
        shown = (await session.execute(text("SHOW statement_timeout"))).scalar()
        assert shown == "7s"
    async with server.db.transaction() as session:
        apps = select(App.id).where(App.user_id == account.user_id)
        streamed = await session.stream_scalars(apps.execution_options(yield_per=1))
        assert [a async for a in streamed] == [account.app_id]


async def test_a_connection_back_in_the_pool_reads_on_its_own_again(server, account):
    async with server.db.transaction() as session:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": KEY})
    for _ in range(3):
        async with server.db.transaction() as session:
            await session.execute(text("SELECT 1"))
            assert await _status(session) == TransactionStatus.IDLE


async def test_an_isolation_level_asked_for_holds_the_reads_in_one_transaction(server):
    async with server.db.transaction() as session:
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        await session.execute(text("SELECT 1"))
        assert await _status(session) == TransactionStatus.INTRANS
    async with server.db.transaction() as session:
        await session.execute(text("SELECT 1"))
        assert await _status(session) == TransactionStatus.IDLE


# ---- a call cancelled while its transaction ends ----

# COMMIT of a row in this table takes 0.5 s, and a cancel request sent by the
# driver meanwhile does not stop it: a COMMIT under way when the call awaiting
# it is cancelled (its client gone), saved all the same.
SLOW_COMMIT = [
    "CREATE TABLE IF NOT EXISTS slow_commit (k int)",
    """CREATE OR REPLACE FUNCTION slow_commit_wait() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        BEGIN
            PERFORM pg_sleep(0.5);
        EXCEPTION WHEN query_canceled THEN
            NULL;
        END;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS slow_commit_wait ON slow_commit",
    """CREATE CONSTRAINT TRIGGER slow_commit_wait AFTER INSERT ON slow_commit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit_wait()""",
]


async def test_a_call_cancelled_during_its_commit_runs_the_hooks_of_what_happened(server):
    async with server.db.transaction() as session:
        for statement in SLOW_COMMIT:
            await session.execute(text(statement))
    ended: list[str] = []

    async def call() -> None:
        async with server.db.transaction() as session:
            await session.execute(text("INSERT INTO slow_commit VALUES (1)"))
            for outcome in (COMMIT, ROLLBACK):
                when_done(session, outcome, lambda o=outcome: _append(ended, o))

    try:
        task = asyncio.create_task(call())
        await asyncio.sleep(0.2)  # in its COMMIT
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with server.db.transaction() as session:
            saved = await session.scalar(text("SELECT count(*) FROM slow_commit"))
        # Saved, and the session knows it: a rollback's hooks (deleting the
        # blobs the rows name) would have run after rows that were kept.
        assert (saved, await _settled(ended)) == (1, [COMMIT])
    finally:
        async with server.db.transaction() as session:
            await session.execute(text("DROP TABLE slow_commit"))
            await session.execute(text("DROP FUNCTION slow_commit_wait()"))


async def _append(ended: list[str], what: str) -> None:
    ended.append(what)


async def _settled(ended: list[str]) -> list[str]:
    """What ran, once the work spawned by now has run."""
    for _ in range(5):
        await asyncio.sleep(0)
    return ended


# ---- work waiting for a transaction's outcome ----


async def test_a_savepoint_rolled_back_runs_its_own_work_alone(server):
    ended: list[str] = []
    async with server.db.transaction() as session:
        await session.execute(text("CREATE TEMP TABLE kept (k int) ON COMMIT DROP"))
        when_done(session, ROLLBACK, lambda: _append(ended, "outer rollback"))
        async with savepoint(session):
            await session.execute(text("INSERT INTO kept VALUES (1)"))
            when_done(session, ROLLBACK, lambda: _append(ended, "first rollback"))
            when_done(session, COMMIT, lambda: _append(ended, "first commit"))
        # Released: its work waits for the transaction.
        assert await _settled(ended) == []
        with pytest.raises(ZeroDivisionError):
            async with savepoint(session):
                await session.execute(text("INSERT INTO kept VALUES (2)"))
                when_done(session, ROLLBACK, lambda: _append(ended, "second rollback"))
                when_done(session, COMMIT, lambda: _append(ended, "second commit"))
                raise ZeroDivisionError
        # Rolled back: its own rollback work ran, nobody else's.
        assert await _settled(ended) == ["second rollback"]
        assert (await session.scalars(text("SELECT k FROM kept"))).all() == [1]
    assert await _settled(ended) == ["second rollback", "first commit"]


class _CommitCutter:
    """A proxy to the database that cuts the next connection sending COMMIT:
    the COMMIT passed on first (saved, its answer never arrives) or not
    (the backend sees its client gone in mid-transaction)."""

    def __init__(self, url: str) -> None:
        self.target = make_url(url)
        self.passes: bool | None = None  # armed when set
        self.port = 0

    async def __aenter__(self) -> _CommitCutter:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        self._server.close()

    def url(self) -> str:
        query = {k: v for k, v in self.target.query.items() if k != "host"}
        return self.target.set(
            host="127.0.0.1", port=self.port, query={**query, "sslmode": "disable"}
        ).render_as_string(hide_password=False)

    async def _upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        socket_dir = self.target.query.get("host")
        if socket_dir:
            path = f"{socket_dir}/.s.PGSQL.{self.target.port or 5432}"
            return await asyncio.open_unix_connection(path)
        return await asyncio.open_connection(self.target.host, self.target.port or 5432)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await self._upstream()

        async def answers() -> None:
            while data := await up_reader.read(65536):
                writer.write(data)
                await writer.drain()
            writer.close()

        answering = asyncio.create_task(answers())
        try:
            head = await reader.readexactly(4)  # the startup message
            up_writer.write(head + await reader.readexactly(int.from_bytes(head) - 4))
            while True:
                head = await reader.readexactly(5)
                body = await reader.readexactly(int.from_bytes(head[1:]) - 4)
                if self.passes is not None and head[:1] == b"Q" and body.startswith(b"COMMIT"):
                    passes, self.passes = self.passes, None
                    answering.cancel()
                    if passes:
                        up_writer.write(head + body)
                        await up_writer.drain()
                    break
                up_writer.write(head + body)
                await up_writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        up_writer.close()
        writer.close()


@pytest.mark.parametrize("saved", [True, False], ids=["saved", "not saved"])
async def test_a_connection_lost_during_commit_asks_the_database_what_happened(server, saved):
    async with server.db.transaction() as session:
        await session.execute(text("CREATE TABLE IF NOT EXISTS cut_commit (k int)"))
    ended: list[str] = []
    try:
        async with _CommitCutter(server.db.url) as cutter:
            db = Database(cutter.url(), connections=2)
            try:
                cutter.passes = saved
                failed: BaseException | None = None
                try:
                    async with db.transaction() as session:
                        await session.execute(text("INSERT INTO cut_commit VALUES (1)"))
                        for outcome in (COMMIT, ROLLBACK):
                            when_done(session, outcome, lambda o=outcome: _append(ended, o))
                except Exception as exc:
                    failed = exc
            finally:
                await db.close()
            assert cutter.passes is None  # the COMMIT was seen and cut
        async with server.db.transaction() as session:
            rows = await session.scalar(text("SELECT count(*) FROM cut_commit"))
        if saved:
            # The database says it was saved: the call succeeded.
            assert (failed, rows, await _settled(ended)) == (None, 1, [COMMIT])
        else:
            # Not saved: the loss itself (a call would run again).
            assert failed is not None and disconnected(failed), failed
            assert not isinstance(failed, CommitUnknownError)
            assert (rows, await _settled(ended)) == (0, [ROLLBACK])
    finally:
        async with server.db.transaction() as session:
            await session.execute(text("DROP TABLE cut_commit"))
