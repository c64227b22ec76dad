"""The dispatcher's handling of conflicts between concurrent calls, with a
handler that meets them on purpose."""

from __future__ import annotations

from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from psycopg.errors import DeadlockDetected, ForeignKeyViolation
from sqlalchemy.exc import DBAPIError, IntegrityError

from server import services
from server.dispatch import Dispatcher


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
