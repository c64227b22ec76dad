"""Which database failures mean the connection is gone (the call may run
again, or the database is unavailable) rather than a failing statement."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors
from sqlalchemy.exc import DBAPIError, OperationalError

from storage.availability import CommitUnknownError, conflicted, disconnected, summary


def wrapped(orig: Exception, invalidated: bool = False) -> DBAPIError:
    return DBAPIError.instance(
        "SELECT 1", {}, orig, psycopg.Error, connection_invalidated=invalidated
    )


@pytest.mark.parametrize(
    "exc",
    [
        wrapped(errors.AdminShutdown("terminating connection due to administrator command")),
        wrapped(psycopg.OperationalError("connection refused")),
        wrapped(errors.CannotConnectNow("the database system is starting up")),
        wrapped(psycopg.InterfaceError("the connection is closed")),
        wrapped(errors.QueryCanceled("x"), invalidated=True),
        CommitUnknownError("lost"),
    ],
)
def test_a_lost_connection_is_disconnected(exc: Exception) -> None:
    assert disconnected(exc)


@pytest.mark.parametrize(
    "exc",
    [
        wrapped(errors.QueryCanceled("canceling statement due to statement timeout")),
        wrapped(errors.UniqueViolation("duplicate key")),
        wrapped(errors.DeadlockDetected("deadlock detected")),
        ValueError("a bug"),
        ConnectionResetError("a client went away"),
    ],
)
def test_a_failing_statement_is_not(exc: Exception) -> None:
    assert not disconnected(exc)


@pytest.mark.parametrize(
    "exc",
    [
        wrapped(errors.DeadlockDetected("deadlock detected")),
        wrapped(errors.SerializationFailure("could not serialize access")),
        errors.DeadlockDetected("deadlock detected"),
    ],
)
def test_a_deadlock_or_serialization_failure_is_a_conflict(exc: Exception) -> None:
    assert conflicted(exc)


@pytest.mark.parametrize(
    "exc",
    [
        wrapped(errors.UniqueViolation("duplicate key")),
        wrapped(errors.AdminShutdown("terminating connection due to administrator command")),
        CommitUnknownError("lost"),
        ValueError("a bug"),
    ],
)
def test_other_failures_are_not(exc: Exception) -> None:
    assert not conflicted(exc)


def test_the_summary_is_one_line() -> None:
    exc = wrapped(psycopg.OperationalError("connection failed\nDETAIL: more"))
    assert isinstance(exc, OperationalError)
    assert summary(exc) == "OperationalError: connection failed"
    lost = CommitUnknownError("x")
    lost.__cause__ = exc
    assert summary(lost) == "during COMMIT, OperationalError: connection failed"
