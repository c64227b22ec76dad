"""The background job queue: one row per piece of work that can wait.

Any server process may run any job. A runner claims a due job by giving it a
lease (`leased_until`) in a short transaction of its own, then runs it with no
lock or transaction held, renewing the lease while it works. Holding nothing
matters: a job may run for minutes, and a row lock or open transaction held
that long would stall whatever touches the row (deleting an app cascades
here) and hold back vacuum. Other runners skip a leased job; one whose lease
lapsed (its process died) is claimed again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, case, delete, func, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.apps import AppScope
from storage.base import Base, Timestamps
from storage.prepared import Prepared


class Job(Timestamps, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_due", "run_after", "pk"),
        # A periodic job (of no app) is queued once, however many processes
        # schedule it.
        Index("ux_jobs_periodic", "kind", unique=True, postgresql_where=text("app_pk IS NULL")),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    # None for a periodic job of the whole server (the blob sweep).
    app_pk: Mapped[int | None] = mapped_column(
        ForeignKey("apps.pk", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(server_default=func.now())
    last_error: Mapped[str] = mapped_column(default="")
    # Set while a runner works on the job; None when no runner has it.
    leased_until: Mapped[datetime | None] = mapped_column(default=None)


@dataclass(frozen=True)
class Claimed:
    pk: int
    app_pk: int | None
    kind: str
    payload: dict[str, Any]
    attempts: int
    # When it was due: a run_now while it runs moves run_after past this.
    due: datetime


def _in(seconds: float) -> Any:
    return func.now() + func.make_interval(0, 0, 0, 0, 0, 0, seconds)


def enqueue(session: AsyncSession, app: AppScope, kind: str, payload: dict[str, Any]) -> None:
    """Queue a job; it is written with the rest of the transaction."""
    session.add(Job(app_pk=app.pk, kind=kind, payload=payload))


# Many jobs of one kind as one fixed statement over one JSON array of
# payloads, however many there are (as storage/inputs.py inserts inputs).
_ENQUEUE_MANY = text(
    """
    INSERT INTO jobs (app_pk, kind, payload, attempts, last_error)
    SELECT :app_pk, :kind, p, 0, ''
    FROM jsonb_array_elements(CAST(:payloads AS jsonb)) AS p
    """
)


async def enqueue_many(
    session: AsyncSession, app: AppScope, kind: str, payloads: Sequence[dict[str, Any]]
) -> None:
    """Queue one job of a kind per payload, in one statement, now."""
    if payloads:
        await session.execute(
            _ENQUEUE_MANY, {"app_pk": app.pk, "kind": kind, "payloads": json.dumps(payloads)}
        )


# Periodic jobs of the whole server, one row per kind (ux_jobs_periodic):
# queued if missing, else made due now (each start runs them at once).
_SCHEDULE = text(
    """
    INSERT INTO jobs (app_pk, kind, payload, attempts, last_error)
    SELECT NULL, k, '{}'::jsonb, 0, '' FROM unnest(CAST(:kinds AS text[])) AS k
    ON CONFLICT (kind) WHERE app_pk IS NULL
    DO UPDATE SET run_after = LEAST(jobs.run_after, now())
    """
)


async def schedule_periodic(session: AsyncSession, kinds: Sequence[str]) -> None:
    """Queue each periodic kind once, due now; several processes starting
    together still leave one job per kind."""
    if kinds:
        await session.execute(_SCHEDULE, {"kinds": list(kinds)})


async def reschedule(session: AsyncSession, pk: int, seconds: float) -> None:
    """A periodic job's next run, after `seconds`, with its failures forgotten."""
    await session.execute(
        update(Job)
        .where(Job.pk == pk)
        .values(
            attempts=0,
            run_after=_in(seconds),
            leased_until=None,
            modified_at=func.now(),
        )
    )


@dataclass(frozen=True)
class Claim:
    jobs: list[Claimed]
    # Seconds until the next job of the kinds asked that no runner holds is
    # due (0: one is due already); None when there is none.
    next_in: float | None


# Leases up to :n of the oldest due jobs of these kinds for :lease seconds,
# skipping (not waiting for) those another runner is claiming right now;
# then, in a row of its own, when the next job no runner holds is due. One
# statement and one round trip, compiled once: a runner claims every second
# even when idle (in SQLAlchemy's ORM, with the transaction's round trips,
# that cost an idle worker about 0.75% of a core). Run on its own, it
# commits without waiting for the disk (storage/prepared.py): a database
# crash right after may lose the lease, and the job is claimed again, as
# when its runner dies.
_CLAIM = Prepared(
    text(
        """
        WITH due AS (
            SELECT pk FROM jobs
            WHERE kind = ANY(:kinds) AND run_after <= now()
              AND (leased_until IS NULL OR leased_until < now())
            ORDER BY run_after, pk
            LIMIT :n
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE jobs SET leased_until = now() + make_interval(secs => :lease)
            FROM due WHERE jobs.pk = due.pk
            RETURNING jobs.pk, jobs.app_pk, jobs.kind, jobs.payload, jobs.attempts,
                      jobs.run_after
        )
        SELECT pk, app_pk, kind, payload, attempts, run_after, NULL::float8 FROM claimed
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL, NULL,
               extract(epoch FROM min(run_after) - now())::float8
        FROM jobs
        WHERE kind = ANY(:kinds) AND (leased_until IS NULL OR leased_until < now())
          AND pk NOT IN (SELECT pk FROM claimed)
        """
    ),
    whole=True,
)


async def claim(
    session: AsyncSession, kinds: list[str], lease_seconds: float, limit: int = 1
) -> Claim:
    """Lease up to `limit` of the oldest due jobs of these kinds for
    `lease_seconds` (none when there is nothing to do), and say when the
    next is due. Jobs another runner is claiming right now are skipped, not
    waited for. On its own, committed at once, unless the session is in a
    transaction (then in it)."""
    rows = await _CLAIM.rows(session, kinds=kinds, n=limit, lease=float(lease_seconds))
    jobs = [Claimed(*row[:6]) for row in rows if row[0] is not None]
    (wait,) = [row[6] for row in rows if row[0] is None]
    return Claim(jobs, None if wait is None else max(0.0, wait))


async def renew(session: AsyncSession, pk: int, lease_seconds: float) -> None:
    await session.execute(
        update(Job)
        .where(Job.pk == pk, Job.leased_until.is_not(None))
        .values(leased_until=_in(lease_seconds))
    )


async def finish(session: AsyncSession, pk: int) -> None:
    await session.execute(delete(Job).where(Job.pk == pk))


async def retry_later(
    session: AsyncSession, pk: int, seconds: float, error: str = "", *, failed: bool = True
) -> None:
    """Give the job back, due again after `seconds`; a failed run counts as
    an attempt, a deferred or interrupted one does not."""
    await session.execute(
        update(Job)
        .where(Job.pk == pk)
        .values(
            attempts=Job.attempts + (1 if failed else 0),
            last_error=error,
            run_after=_in(seconds),
            leased_until=None,
            modified_at=func.now(),
        )
    )


async def run_now(session: AsyncSession, kind: str, payload_contains: dict[str, Any]) -> None:
    """Make jobs of a kind whose payload contains these values due now. A
    job being run keeps running; if it then defers itself, it is due at
    once all the same (see `defer`)."""
    await session.execute(
        update(Job)
        .where(Job.kind == kind, Job.payload.contains(payload_contains))
        .values(run_after=func.now())
    )


async def defer(session: AsyncSession, job: Claimed, seconds: float) -> None:
    """Give back a job that asked to run again after `seconds`: at once if
    a run_now came while it ran (its run_after moved past when it was due)."""
    await session.execute(
        update(Job)
        .where(Job.pk == job.pk)
        .values(
            run_after=case((Job.run_after > job.due, Job.run_after), else_=_in(seconds)),
            leased_until=None,
            modified_at=func.now(),
        )
    )
