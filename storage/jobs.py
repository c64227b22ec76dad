"""The background job queue: one row per piece of work that can wait.

Any server process may run any job. A worker claims a job with
`SELECT ... FOR UPDATE SKIP LOCKED` and keeps the row locked while the job
runs, so two processes never run the same job, and a job whose process dies
is simply unlocked by PostgreSQL and claimed again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.apps import AppScope
from storage.base import Base, Timestamps


class Job(Timestamps, Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_due", "run_after", "pk"),)

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    kind: Mapped[str]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(server_default=func.now())
    last_error: Mapped[str] = mapped_column(default="")


async def enqueue(session: AsyncSession, app: AppScope, kind: str, payload: dict[str, Any]) -> Job:
    job = Job(app_pk=app.pk, kind=kind, payload=payload)
    session.add(job)
    await session.flush()
    return job


async def claim(session: AsyncSession, kinds: list[str]) -> Job | None:
    """The oldest due job of these kinds, locked until the session's
    transaction ends; None when there is nothing to do."""
    return await session.scalar(
        select(Job)
        .where(Job.kind.in_(kinds), Job.run_after <= func.now())
        .order_by(Job.run_after, Job.pk)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def finish(session: AsyncSession, job: Job) -> None:
    await session.execute(delete(Job).where(Job.pk == job.pk))


async def retry_later(
    session: AsyncSession, job: Job, seconds: float, error: str = "", *, failed: bool = True
) -> None:
    """Run the job again after `seconds`; a failed run counts as an attempt,
    a deferred one (its inputs not ready yet) does not."""
    await session.execute(
        update(Job)
        .where(Job.pk == job.pk)
        .values(
            attempts=Job.attempts + (1 if failed else 0),
            last_error=error,
            run_after=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, seconds),
            modified_at=func.now(),
        )
    )


async def run_now(session: AsyncSession, kind: str, payload_contains: dict[str, Any]) -> None:
    """Make waiting jobs of a kind whose payload contains these values due
    now (rows being run at the moment are left alone)."""
    waiting = (
        select(Job.pk)
        .where(Job.kind == kind, Job.payload.contains(payload_contains))
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    await session.execute(update(Job).where(Job.pk.in_(waiting)).values(run_after=func.now()))


async def seconds_to_next(session: AsyncSession, kinds: list[str]) -> float | None:
    """How long until the next job of these kinds that no runner holds is
    due; None if there is none."""
    run_after = await session.scalar(
        select(Job.run_after)
        .where(Job.kind.in_(kinds))
        .order_by(Job.run_after, Job.pk)
        .limit(1)
        .with_for_update(read=True, skip_locked=True)
    )
    if run_after is None:
        return None
    now = await session.scalar(select(func.now()))
    return max(0.0, (run_after - now).total_seconds())
