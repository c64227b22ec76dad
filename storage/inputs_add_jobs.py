"""Inputs add jobs: the statistics of the inputs PostInputs created under one
inputs_add_job_id (`inputs.add_job_pk` names the job of an input).

Inputs that wait for their download or are being downloaded are counted as
they are now, from the inputs themselves, so an input deleted meanwhile
simply stops waiting. Outcomes are counted as they happen: PostInputs counts
the inputs it stores done (bytes, raw text), a download counts its success or
failure in the transaction that records it (`count_outcome`), and a cancel
counts the inputs it fails. An input deleted after its outcome still counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    column,
    func,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps
from storage.inputs import FAILED, IN_PROGRESS, PENDING, SUCCESS, Input
from storage.listing import Order, Page
from storage.scoped import AppScoped


class InputsAddJob(Timestamps, Base):
    __tablename__ = "inputs_add_jobs"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListInputsAddJobs, newest first.
        Index("ix_inputs_add_jobs_app_order", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    success_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


@dataclass(frozen=True)
class Row:
    """A job with its progress."""

    pk: int
    id: str
    pending_count: int
    in_progress_count: int
    success_count: int
    failed_count: int
    cancelled: bool
    created_at: datetime
    modified_at: datetime
    # Its extraction jobs (PostInputsDataSources) still queued or running.
    extracting: int = 0

    @property
    def unfinished(self) -> int:
        return self.pending_count + self.in_progress_count + self.extracting


def _waiting(job: Any, status_code: int) -> Any:
    """How many of the job's inputs are in this status now (an index-only
    count on inputs (add_job_pk, status_code))."""
    return (
        select(func.count())
        .select_from(Input)
        .where(Input.add_job_pk == job.pk, Input.status_code == status_code)
        .scalar_subquery()
    )


# storage/inputs_extraction_jobs.py's table, named here rather than
# imported: that module refers to this one's.
_EXTRACTIONS = table("inputs_extraction_jobs", column("add_job_pk"), column("status_code"))
# Its statuses JOB_QUEUED and JOB_RUNNING.
_EXTRACTING = (64000, 64001)


def _extracting(job: Any) -> Any:
    """How many of the job's extraction jobs are unfinished."""
    return (
        select(func.count())
        .select_from(_EXTRACTIONS)
        .where(
            _EXTRACTIONS.c.add_job_pk == job.pk,
            _EXTRACTIONS.c.status_code.in_(_EXTRACTING),
        )
        .scalar_subquery()
    )


def _shown(app_pk: int) -> Select:
    return select(
        InputsAddJob.pk,
        InputsAddJob.id,
        _waiting(InputsAddJob, PENDING),
        _waiting(InputsAddJob, IN_PROGRESS),
        InputsAddJob.success_count,
        InputsAddJob.failed_count,
        InputsAddJob.cancelled,
        InputsAddJob.created_at,
        InputsAddJob.modified_at,
        _extracting(InputsAddJob),
    ).where(InputsAddJob.app_pk == app_pk)


LIST = Order(
    "ListInputsAddJobs",
    scope=[InputsAddJob.app_pk],
    columns=[InputsAddJob.created_at, InputsAddJob.pk],
    descending=True,
)


# The outcome of one input's download, counted for its job (if it has one).
_COUNT_OUTCOME = {
    code: text(
        f"""
        UPDATE inputs_add_jobs AS j SET {column} = j.{column} + 1, modified_at = now()
        FROM inputs AS i
        WHERE i.pk = :input_pk AND j.pk = i.add_job_pk
        """
    )
    for code, column in ((SUCCESS, "success_count"), (FAILED, "failed_count"))
}


async def hold_job_of(session: AsyncSession, input_pk: int) -> None:
    """Lock the job of an input (if it has one) until the transaction ends.
    Whatever changes a job's inputs takes the job row first (PostInputs,
    CancelInputsAddJob, a download recording its outcome), so they never
    wait for each other in a circle."""
    await session.execute(
        select(InputsAddJob.pk)
        .where(
            InputsAddJob.pk
            == select(Input.add_job_pk).where(Input.pk == input_pk).scalar_subquery()
        )
        .with_for_update()
    )


async def count_outcome(session: AsyncSession, input_pk: int, status_code: int) -> None:
    """Count a recorded download (success or failure) in its input's job,
    in the transaction that records it."""
    await session.execute(_COUNT_OUTCOME[status_code], {"input_pk": input_pk})


class InputsAddJobStorage(AppScoped[InputsAddJob]):
    """The app's inputs add jobs."""

    model = InputsAddJob

    async def open(self, job_id: str) -> tuple[int, bool]:
        """The job of this id, made when new (concurrent calls naming the
        same new id get the same job): its pk and whether it was cancelled."""
        stmt = (
            insert(InputsAddJob)
            .values(app_pk=self.app.pk, id=job_id)
            .on_conflict_do_update(
                index_elements=["app_pk", "id"], set_={"modified_at": func.now()}
            )
            .returning(InputsAddJob.pk, InputsAddJob.cancelled)
        )
        pk, cancelled = (await self.session.execute(stmt)).one()
        return pk, cancelled

    async def count_done(self, pk: int, *, success: int = 0, failed: int = 0) -> None:
        """Count inputs that finished (stored done, or failed) for the job."""
        if success or failed:
            await self.session.execute(
                update(InputsAddJob)
                .where(InputsAddJob.app_pk == self.app.pk, InputsAddJob.pk == pk)
                .values(
                    success_count=InputsAddJob.success_count + success,
                    failed_count=InputsAddJob.failed_count + failed,
                )
            )

    async def cancel(self, pk: int, failed: int) -> None:
        """Mark the job cancelled, counting the `failed` inputs it stopped."""
        await self.session.execute(
            update(InputsAddJob)
            .where(InputsAddJob.app_pk == self.app.pk, InputsAddJob.pk == pk)
            .values(cancelled=True, failed_count=InputsAddJob.failed_count + failed)
        )

    async def shown(self, job_id: str, *, lock: bool = False) -> Row | None:
        """The job with its progress; `lock` holds it FOR UPDATE (the job
        row only) until the transaction ends."""
        q = _shown(self.app.pk).where(InputsAddJob.id == job_id)
        if lock:
            q = q.with_for_update(of=InputsAddJob)
        found = (await self.session.execute(q)).first()
        return Row(*found) if found is not None else None

    async def shown_many(self, job_ids: Sequence[str]) -> list[Row]:
        """The jobs of these ids with their progress, in the order given
        (those missing left out)."""
        q = _shown(self.app.pk).where(InputsAddJob.id.in_(job_ids))
        found = {r.id: r for r in (Row(*f) for f in await self.session.execute(q))}
        return [found[i] for i in job_ids if i in found]

    async def page(self, at: Page) -> list[Row]:
        """ListInputsAddJobs' page, newest first."""
        return [Row(*r) for r in await listing.page(self.session, _shown(self.app.pk), LIST, at)]
