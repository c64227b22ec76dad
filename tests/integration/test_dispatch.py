"""The dispatcher's handling of conflicts between concurrent calls, with a
handler that meets them on purpose."""

from __future__ import annotations

import logging

from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from psycopg.errors import DeadlockDetected, ForeignKeyViolation
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from server import services
from server.dispatch import Dispatcher
from server.logs import JsonFormatter
from storage.db import Database
from storage.prepared import Prepared


def dispatcher_with(server, handler) -> Dispatcher:
    handlers = dict(services.load())
    handlers["ListStatusCodes"] = handler
    return Dispatcher(server.db, server.dispatcher.settings, handlers)


class TestTransientConflicts:
    async def test_a_deadlocked_call_runs_again(self, server):
        attempts = []

        async def ListStatusCodes(call, request):
            attempts.append(call._session)  # the transaction the attempt ran in
            if len(attempts) == 1:
                raise DBAPIError("UPDATE ...", {}, DeadlockDetected("deadlock detected"))
            return s.MultiStatusCodeResponse()

        res = await dispatcher_with(server, ListStatusCodes).dispatch(
            "ListStatusCodes", s.ListStatusCodesRequest(), None, "rid"
        )
        assert res.status.code == sc.SUCCESS
        # Each attempt had a transaction of its own.
        assert len(attempts) == 2 and attempts[0] is not attempts[1]

    async def test_a_call_that_keeps_deadlocking_is_an_internal_error(self, server):
        async def ListStatusCodes(call, request):
            raise DBAPIError("UPDATE ...", {}, DeadlockDetected("deadlock detected"))

        res = await dispatcher_with(server, ListStatusCodes).dispatch(
            "ListStatusCodes", s.ListStatusCodesRequest(), None, "rid"
        )
        assert res.status.code == sc.INTERNAL_UNCATEGORIZED
        assert "rid" in res.status.details


# Statements run by storage/prepared.py (on the driver, not through the
# session) that fail as concurrent calls make them fail, by SQLSTATE.
def _raising(sqlstate: str, message: str) -> Prepared:
    return Prepared(
        text(f"DO $$ BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = '{sqlstate}'; END $$")
    )


class TestConflictsMetByPreparedStatements:
    async def test_a_deadlock_runs_the_call_again(self, server):
        attempts = []

        async def ListStatusCodes(call, request):
            attempts.append(call._session)
            if len(attempts) == 1:
                await _raising("40P01", "deadlock detected").rows(call._session)
            return s.MultiStatusCodeResponse()

        res = await dispatcher_with(server, ListStatusCodes).dispatch(
            "ListStatusCodes", s.ListStatusCodesRequest(), None, "rid"
        )
        assert res.status.code == sc.SUCCESS
        assert len(attempts) == 2

    async def test_a_duplicate_key_is_refused_as_one(self, server):
        async def ListStatusCodes(call, request):
            await _raising("23505", "duplicate key value").rows(call._session)
            return s.MultiStatusCodeResponse()

        res = await dispatcher_with(server, ListStatusCodes).dispatch(
            "ListStatusCodes", s.ListStatusCodesRequest(), None, "rid"
        )
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "another call wrote it meanwhile" in res.status.details

    async def test_a_failing_one_is_logged_without_its_parameters(self, server, caplog):
        secret = "user-text-and-a-key-hash-7c1e42"
        divide = Prepared(text("SELECT 1 / 0 WHERE :p <> ''"))

        async def ListStatusCodes(call, request):
            await divide.rows(call._session, p=secret)
            return s.MultiStatusCodeResponse()

        logged = await _logged_failure(server, caplog, ListStatusCodes)
        assert "division by zero" in logged
        assert secret not in logged


async def _logged_failure(server, caplog, handler) -> str:
    """What the dispatcher logged of a call `handler` failed with a bug."""
    with caplog.at_level(logging.ERROR, logger="clarifai_local"):
        res = await dispatcher_with(server, handler).dispatch(
            "ListStatusCodes", s.ListStatusCodesRequest(), None, "rid"
        )
    assert res.status.code == sc.INTERNAL_UNCATEGORIZED
    return "\n".join(JsonFormatter().format(record) for record in caplog.records if record.exc_info)


class TestReferencesDeletedMeanwhile:
    async def test_foreign_key_violation_is_does_not_exist(self, server):
        async def ListStatusCodes(call, request):
            raise IntegrityError("INSERT ...", {}, ForeignKeyViolation("violates fk"))

        res = await dispatcher_with(server, ListStatusCodes).dispatch(
            "ListStatusCodes", s.ListStatusCodesRequest(), None, "rid"
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "deleted meanwhile" in res.status.details
        assert not res.statuses


class TestLoggedFailures:
    async def test_a_failing_statement_is_logged_without_its_parameters(self, server, caplog):
        secret = "user-text-and-a-key-hash-0f3a9c"

        async def ListStatusCodes(call, request):
            await call._session.execute(text("SELECT 1 / 0 WHERE :p <> ''"), {"p": secret})
            return s.MultiStatusCodeResponse()

        logged = await _logged_failure(server, caplog, ListStatusCodes)
        assert "division by zero" in logged and "SELECT 1 / 0" in logged
        assert secret not in logged and "hidden due to hide_parameters" in logged

    def test_the_migration_engine_hides_them_too(self, server):
        engine = server.db.sync_engine()
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1 / 0 WHERE :p <> ''"), {"p": "secret-param"})
        except DBAPIError as err:
            assert "secret-param" not in str(err)
        else:
            raise AssertionError("the statement did not fail")
        finally:
            engine.dispose()


class TestBusyConnections:
    async def test_a_call_kept_waiting_for_a_connection_is_told_to_retry(self, server, account):
        db = Database(server.db.url, connections=1, pool_wait_s=0.2)
        busy = Dispatcher(db, server.dispatcher.settings, dict(services.load()))
        try:
            async with db.transaction() as holder:
                # The pool's one connection, held in a transaction.
                await holder.execute(text("SELECT pg_advisory_xact_lock_shared(7, 7)"))
                res = await busy.dispatch(
                    "ListApps", s.ListAppsRequest(), f"Key {account.pat}", "rid"
                )
            assert res.status.code == sc.RPC_SERVER_UNAVAILABLE
            assert "connection" in res.status.details and "retry" in res.status.details
            res = await busy.dispatch("ListApps", s.ListAppsRequest(), f"Key {account.pat}", "rid")
            assert res.status.code == sc.SUCCESS  # once it is free again
        finally:
            await db.close()
