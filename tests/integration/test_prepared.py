"""Statements compiled once (storage/prepared.py): a plain read the session
runs before it began a transaction runs on its own, on the database's
autocommitted connections, and so does a record, in a transaction or not;
everything else runs in the call's transaction, writes marked as the
session's own are."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import bindparam, column, func, insert, literal_column, select, table, text
from sqlalchemy.exc import DBAPIError, OperationalError

from storage import prepared
from storage.apps import App
from storage.prepared import AUTOCOMMITTED, WROTE, Autocommitted, Prepared, built_rows
from storage.searches import SearchRecord

# True in a statement that is its own transaction (no BEGIN before it).
ALONE = Prepared(select(func.now() == func.statement_timestamp()))
LOCKING = Prepared(select(App.pk).where(App.pk == bindparam("pk")).with_for_update())
BROKEN = Prepared(select(literal_column("1 / 0")))
# A write that changes nothing a test reads.
_TOUCH = text("UPDATE apps SET name = name WHERE user_id = :user_id")


async def _status(session) -> TransactionStatus:
    driver = (await (await session.connection()).get_raw_connection()).driver_connection
    return driver.pgconn.transaction_status


async def test_a_read_before_any_other_statement_runs_on_its_own(server, account):
    async with server.db.transaction() as session:
        assert await ALONE.rows(session) == [(True,)]
        assert not session.in_transaction()
        # Statements after a write run in its transaction.
        await session.execute(_TOUCH, {"user_id": account.user_id})
        assert await _status(session) == TransactionStatus.INTRANS
        assert await ALONE.rows(session) == [(False,)]


# The same read behind a WITH of reads, and a WITH holding a write.
_NOW = select(func.now() == func.statement_timestamp()).cte("now")
ALONE_WITH = Prepared(select(_NOW))
_APPS = table("apps", column("pk"), column("name"), column("user_id"))
_RENAMED = (
    _APPS.update()
    .where(_APPS.c.user_id == bindparam("owner"))
    .values(name=_APPS.c.name)
    .returning(_APPS.c.pk)
    .cte("renamed")
)
WRITING_WITH = Prepared(select(func.count()).select_from(_RENAMED))


async def test_a_read_with_clauses_of_reads_runs_on_its_own(server):
    async with server.db.transaction() as session:
        assert await ALONE_WITH.rows(session) == [(True,)]
        assert not session.in_transaction()
        # And through the session.
        assert (await session.execute(select(_NOW))).one() == (True,)
        assert await _status(session) == TransactionStatus.IDLE


async def test_a_with_clause_that_writes_runs_in_the_transaction(server, account):
    async with server.db.transaction() as session:
        await WRITING_WITH.rows(session, owner=account.user_id)
        assert await _status(session) == TransactionStatus.INTRANS
        assert (await session.connection()).info.get(WROTE)
    async with server.db.transaction() as session:
        await session.execute(select(func.count()).select_from(_RENAMED), {"owner": "none"})
        assert session.in_transaction()
        assert (await session.connection()).info.get(WROTE)


async def test_a_read_after_a_write_runs_in_its_transaction(server, account):
    async with server.db.transaction() as session:
        await session.execute(_TOUCH, {"user_id": account.user_id})
        (xid,) = (await session.execute(text("SELECT txid_current()"))).one()
        assert await Prepared(select(literal_column("txid_current()"))).rows(session) == [(xid,)]


async def test_a_locking_read_runs_in_the_transaction(server):
    async with server.db.transaction() as session:
        await LOCKING.rows(session, pk=0)
        assert await _status(session) == TransactionStatus.INTRANS


async def test_a_read_in_a_repeatable_read_transaction_runs_in_it(server):
    async with server.db.transaction() as session:
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        assert await ALONE.rows(session) == [(False,)]


def _record(user_id: str) -> Prepared:
    """A search run's record in the user's one app."""
    return Prepared(
        insert(SearchRecord.__table__).values(
            app_pk=select(App.pk).where(App.user_id == user_id).scalar_subquery(),
            id=bindparam("id"),
            kind="inputs",
            saved=False,
            name="",
            user_id="",
            search=bindparam("search"),
        )
    )


async def _kept(server, search_id: str) -> list[dict]:
    async with server.db.transaction() as session:
        kept = select(SearchRecord.search).where(SearchRecord.id == search_id)
        return list((await session.execute(kept)).scalars())


async def test_a_record_is_committed_on_its_own_without_waiting_for_the_disk(server, account):
    with pytest.raises(ZeroDivisionError):
        async with server.db.transaction() as session:
            await session.execute(text("SELECT txid_current()"))
            await _record(account.user_id).record(session, id="kept", search={"query": {}})
            raise ZeroDivisionError  # the call's transaction rolls back
    assert await _kept(server, "kept") == [{"query": {}}]
    assert await server.db.autocommitted.rows("SHOW synchronous_commit", {}) == [("off",)]


async def test_a_record_goes_with_the_transaction_where_there_are_no_autocommitted(server, account):
    """(A database whose default isolation is not READ COMMITTED.)"""
    with pytest.raises(ZeroDivisionError):
        async with server.db.transaction() as session:
            del session.info[AUTOCOMMITTED]
            await _record(account.user_id).record(session, id="gone", search={"query": {}})
            raise ZeroDivisionError
    assert await _kept(server, "gone") == []
    async with server.db.transaction() as session:
        del session.info[AUTOCOMMITTED]
        await _record(account.user_id).record(session, id="stays", search={"query": {}})
    assert await _kept(server, "stays") == [{"query": {}}]


async def test_a_write_runs_in_the_transaction_and_goes_with_it(server, account):
    write = _record(account.user_id)
    with pytest.raises(ZeroDivisionError):
        async with server.db.transaction() as session:
            await write.rows(session, id="rolled-back", search={})
            assert await _status(session) == TransactionStatus.INTRANS
            # Marked as written: the transaction's end asks for its id (to
            # tell, should COMMIT lose its connection, whether it was saved).
            assert (await session.connection()).info[WROTE] is True
            raise ZeroDivisionError
    assert await _kept(server, "rolled-back") == []
    async with server.db.transaction() as session:
        await write.rows(session, id="committed", search={"query": {}})
    assert await _kept(server, "committed") == [{"query": {}}]


async def test_a_read_sees_what_the_session_holds_unflushed(server, account):
    names = Prepared(select(App.name).where(App.user_id == bindparam("user_id")))
    async with server.db.transaction() as session:
        app = (await session.execute(select(App).where(App.user_id == account.user_id))).scalar()
        app.name = "renamed, not flushed"
        assert await names.rows(session, user_id=account.user_id) == [("renamed, not flushed",)]


async def test_a_failed_read_leaves_the_next_one_served(server):
    with pytest.raises(DBAPIError) as raised:
        async with server.db.transaction() as session:
            await BROKEN.rows(session)
    assert isinstance(raised.value.orig, psycopg.errors.DivisionByZero)
    async with server.db.transaction() as session:
        assert await ALONE.rows(session) == [(True,)]


async def test_a_lost_connection_drops_the_others_opened_before(server):
    reads = Autocommitted(server.db.url, size=2)
    both = "SELECT pg_backend_pid() FROM pg_sleep(0.2)"
    pids = await asyncio.gather(reads.rows(both, {}), reads.rows(both, {}))
    async with server.db.transaction() as session:
        for [(pid,)] in pids:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with pytest.raises(OperationalError) as raised:
        await reads.rows("SELECT 1", {})
    assert isinstance(raised.value.orig, psycopg.OperationalError)
    assert await reads.rows("SELECT 1", {}) == [(1,)]
    await reads.drop()


# ---- reads built per call ----


def _apps_named(user_id: str, names: tuple[str, ...], most: int):
    return (
        select(App.id, App.name)
        .where(App.user_id == user_id, App.id.in_(names))
        .order_by(App.id)
        .limit(most)
    )


async def test_a_built_read_compiles_once_per_shape_and_binds_each_runs_values(
    server, account, new_account
):
    other = await new_account()
    before = len(prepared._BUILT)
    async with server.db.transaction() as session:
        mine = await built_rows(session, _apps_named(account.user_id, (account.app_id,), 5))
        theirs = await built_rows(
            session, _apps_named(other.user_id, (other.app_id, "absent", "also-absent"), 1)
        )
        none = await built_rows(session, _apps_named(account.user_id, ("absent",), 5))
        assert not session.in_transaction()  # each ran on its own
    assert [r[0] for r in mine] == [account.app_id]
    assert [r[0] for r in theirs] == [other.app_id]
    assert none == []
    # One shape (the IN list's length is bound at each run, as SQLAlchemy does).
    assert len(prepared._BUILT) == before + 1


async def test_a_built_read_in_a_transaction_sees_its_writes(server, account):
    async with server.db.transaction() as session:
        await session.execute(
            text("UPDATE apps SET name = 'renamed in flight' WHERE user_id = :u"),
            {"u": account.user_id},
        )
        [(_, name)] = await built_rows(session, _apps_named(account.user_id, (account.app_id,), 5))
        assert name == "renamed in flight"
        await session.rollback()
