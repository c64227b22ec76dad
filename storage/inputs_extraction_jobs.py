"""Inputs extraction jobs: one per data source of PostInputsDataSources,
each counted in an inputs add job (`add_job_pk`).

A job reads its source's files in order (`files`, listed once) and each
file's members (an archive's media files, a CSV's rows, or the file
itself) in order; `file_cursor` and `member_cursor` say how far it got.
The cursor moves in the transaction that adds the members' inputs, so a
process killed mid-way resumes where the last commit left it: no member is
added twice or skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, LargeBinary, UniqueConstraint, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps
from storage.listing import Order, Page
from storage.scoped import AppScoped

# Statuses, as the reference's job codes (server/status.py's Code).
QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED = 64000, 64001, 64002, 64003, 64004
UNFINISHED = (QUEUED, RUNNING)
# A job keeps the last this many per-member failures it met.
KEPT_FAILURES = 100


class InputsExtractionJob(Timestamps, Base):
    __tablename__ = "inputs_extraction_jobs"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListInputsExtractionJobs, newest first.
        Index("ix_inputs_extraction_jobs_app_order", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    add_job_pk: Mapped[int] = mapped_column(
        ForeignKey("inputs_add_jobs.pk", ondelete="CASCADE"), index=True
    )
    # Who posted it: the inputs are added as this user.
    user_id: Mapped[str]
    url: Mapped[str]
    # {"url": ...} or {"upload_id": ...}, with "s3" credentials for s3://
    # (dropped once the job ends).
    source: Mapped[dict[str, Any]]
    conflict_resolution: Mapped[int] = mapped_column(default=0)
    # The input_template, as its serialized Input message.
    template: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    status_code: Mapped[int] = mapped_column(default=QUEUED)
    status_details: Mapped[str] = mapped_column(default="")
    # The source's files, listed when the job first runs (None before):
    # {"items": [...]}, written once.
    files: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    file_cursor: Mapped[int] = mapped_column(default=0)
    member_cursor: Mapped[int] = mapped_column(default=0)
    # The last file whose reading began (-1: none yet), and the files that
    # could not be read.
    opened_file: Mapped[int] = mapped_column(default=-1)
    files_failed: Mapped[int] = mapped_column(default=0)
    image_count: Mapped[int] = mapped_column(default=0)
    video_count: Mapped[int] = mapped_column(default=0)
    audio_count: Mapped[int] = mapped_column(default=0)
    text_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    archives_pending: Mapped[int] = mapped_column(default=0)
    archives_in_progress: Mapped[int] = mapped_column(default=0)
    archives_completed: Mapped[int] = mapped_column(default=0)
    archives_failed: Mapped[int] = mapped_column(default=0)
    # The last KEPT_FAILURES member failures: {"member": ..., "details": ...}.
    failures: Mapped[dict[str, Any]] = mapped_column(default=dict)


Job = InputsExtractionJob

LIST = Order(
    "ListInputsExtractionJobs",
    scope=[Job.app_pk],
    columns=[Job.created_at, Job.pk],
    descending=True,
)


async def by_pk(session: AsyncSession, pk: int, *, lock: bool = False) -> Job | None:
    """A job by pk (the job queue's payload names it); `lock` holds it FOR
    UPDATE: cancels and chunks of work take it one at a time."""
    q = select(Job).where(Job.pk == pk)
    if lock:
        q = q.with_for_update()
    return await session.scalar(q.execution_options(populate_existing=True))


async def add_counts(session: AsyncSession, pk: int, **counts: int) -> None:
    """Add to a job's counters (column name -> how many)."""
    if counts:
        await session.execute(
            update(Job)
            .where(Job.pk == pk)
            .values({name: getattr(Job, name) + n for name, n in counts.items()})
        )


def stop(row: Job, code: int, details: str) -> None:
    """End a job (done, failed or cancelled): nothing more runs for it, and
    its credentials are needed no longer."""
    row.status_code, row.status_details = code, details
    row.archives_in_progress = 0
    row.source = {k: v for k, v in row.source.items() if k != "s3"}


def kept_failures(job: Job, new: Sequence[dict[str, str]]) -> dict[str, Any]:
    """The job's failure list with `new` ones added, the oldest dropped."""
    items = [*job.failures.get("items", []), *new][-KEPT_FAILURES:]
    return {"items": items}


class InputsExtractionJobStorage(AppScoped[InputsExtractionJob]):
    """The app's inputs extraction jobs."""

    model = InputsExtractionJob

    async def add(self, **values: Any) -> int:
        """Store a new job of these column values; its pk."""
        job = InputsExtractionJob(app_pk=self.app.pk, **values)
        self.session.add(job)
        await self.session.flush()
        return job.pk

    async def cancel(self, rows: Sequence[Job]) -> None:
        """End the unfinished ones as cancelled (loaded FOR UPDATE)."""
        for row in rows:
            if row.status_code in UNFINISHED:
                stop(row, CANCELLED, "cancelled")
        await self.session.flush()

    async def of_add_jobs(self, add_job_pks: Sequence[int]) -> dict[int, list[Job]]:
        """The extraction jobs of these inputs add jobs, oldest first."""
        out: dict[int, list[Job]] = {pk: [] for pk in add_job_pks}
        if not add_job_pks:
            return out
        rows = await self.session.scalars(
            select(Job)
            .where(Job.app_pk == self.app.pk, Job.add_job_pk.in_(list(add_job_pks)))
            .order_by(Job.created_at, Job.pk)
        )
        for row in rows:
            out[row.add_job_pk].append(row)
        return out

    async def page(self, at: Page) -> list[Job]:
        q = select(Job).where(Job.app_pk == self.app.pk)
        rows = await listing.page(self.session, q, LIST, at)
        return list(rows)
