"""Background jobs: work that can wait (dataset versions, exports, ...).

A module registers a handler per job kind with @job; a request enqueues a job
inside its own transaction, so the job exists exactly when the request's
writes do. Every server process runs a JobRunner; the queue lives in
PostgreSQL (storage/jobs.py), so several processes share it safely.

Handlers open their own transactions (`ctx.db.transaction()`) for the work
and must be safe to run again: a process that dies mid-job leaves the job to
be claimed anew once its lease lapses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server.config import Settings
from storage import blobs
from storage import jobs as job_store
from storage.apps import AppScope
from storage.db import Database

log = logging.getLogger("clarifai_local.jobs")


@dataclass(frozen=True)
class JobContext:
    db: Database
    settings: Settings
    app_pk: int


JobHandler = Callable[[JobContext, dict[str, Any]], Awaitable[None]]
GiveUp = Callable[[JobContext, dict[str, Any], str], Awaitable[None]]
# What becomes of a job once it has run: finished, or back in the queue.
Outcome = Callable[[AsyncSession], Awaitable[None]]


@dataclass(frozen=True)
class Kind:
    handler: JobHandler
    max_attempts: int
    on_give_up: GiveUp | None


KINDS: dict[str, Kind] = {}


def job(
    kind: str, *, max_attempts: int = 3, on_give_up: GiveUp | None = None
) -> Callable[[JobHandler], JobHandler]:
    """Register the handler of a job kind. `on_give_up` runs once the job has
    failed `max_attempts` times, to record the failure where users see it."""

    def register(fn: JobHandler) -> JobHandler:
        if kind in KINDS:
            raise RuntimeError(f"two handlers for job kind {kind}")
        KINDS[kind] = Kind(fn, max_attempts, on_give_up)
        return fn

    return register


class Defer(Exception):  # noqa: N818  (a signal, not an error)
    """Raised by a handler whose job cannot run yet (e.g. it waits for
    another job): it runs again after `seconds`, without counting a failure."""

    def __init__(self, seconds: float = 1.0) -> None:
        super().__init__(f"deferred {seconds}s")
        self.seconds = seconds


_runners: weakref.WeakSet[JobRunner] = weakref.WeakSet()


def enqueue(session: AsyncSession, app: AppScope, kind: str, payload: dict[str, Any]) -> None:
    if kind not in KINDS:
        raise RuntimeError(f"no handler for job kind {kind}")
    job_store.enqueue(session, app, kind, payload)
    _wake_on_commit(session)


async def run_now(session: AsyncSession, kind: str, payload_contains: dict[str, Any]) -> None:
    """Run waiting (deferred) jobs of a kind as soon as this transaction
    commits: for a job that finishes what others wait for."""
    await job_store.run_now(session, kind, payload_contains)
    _wake_on_commit(session)


def _wake_on_commit(session: AsyncSession) -> None:
    # Runners in this process start at once when the transaction commits;
    # the others find the job on their next poll.
    blobs.when_done(session, "after_commit", _wake_all)


async def _wake_all() -> None:
    for runner in list(_runners):
        runner.wake()


def _backoff(attempts: int) -> float:
    return min(60.0, 2.0**attempts)


class JobRunner:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        workers: int = 2,
        poll_seconds: float = 1.0,
        lease_seconds: float = 60.0,
    ) -> None:
        self.db = db
        self.settings = settings
        self.workers = workers
        self.poll_seconds = poll_seconds
        # How long a job stays claimed without word from its runner: the
        # runner renews the lease while the job runs, so only a job whose
        # process died waits this long to be run again.
        self.lease_seconds = lease_seconds
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def wake(self) -> None:
        self._wakeup.set()

    async def start(self) -> None:
        _runners.add(self)
        self._tasks = [asyncio.create_task(self._work()) for _ in range(self.workers)]

    async def stop(self) -> None:
        """Interrupt the jobs under way; each is handed back to the queue."""
        _runners.discard(self)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _work(self) -> None:
        while True:
            # Cleared before looking, so a wake-up while looking is not lost.
            self._wakeup.clear()
            try:
                ran, wait = await self._run_one()
            except Exception:
                log.exception("job queue unavailable; retrying")
                ran, wait = False, self.poll_seconds
            if ran:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), wait)

    async def _run_one(self) -> tuple[bool, float]:
        """(whether a job ran, how long to wait for the next one if not)."""
        kinds = sorted(KINDS)
        if not kinds:
            return False, self.poll_seconds
        async with self.db.transaction() as session:
            claimed = await job_store.claim(session, kinds, self.lease_seconds)
            if claimed is None:
                due = await job_store.seconds_to_next(session, kinds)
                return False, self.poll_seconds if due is None else min(due, self.poll_seconds)
        await self._run(claimed)
        return True, 0.0

    async def _run(self, job: job_store.Claimed) -> None:
        kind = KINDS[job.kind]
        ctx = JobContext(self.db, self.settings, job.app_pk)
        outcome: Outcome
        renewing = asyncio.create_task(self._renew(job.pk))
        try:
            await kind.handler(ctx, job.payload)
        except Defer as deferred:
            outcome = partial(
                job_store.retry_later, pk=job.pk, seconds=deferred.seconds, failed=False
            )
        except asyncio.CancelledError:
            # The runner is stopping: hand the job back now, not after its lease.
            renewing.cancel()
            try:
                await self._record(
                    partial(job_store.retry_later, pk=job.pk, seconds=0, failed=False)
                )
            except Exception:  # the lease lapses instead; the stop goes on
                log.exception("handing back job %s failed", job.pk)
            raise
        except Exception as exc:
            log.exception("job %s %s failed", job.kind, job.pk)
            error = f"{type(exc).__name__}: {exc}"
            if job.attempts + 1 < kind.max_attempts:
                outcome = partial(
                    job_store.retry_later, pk=job.pk, seconds=_backoff(job.attempts), error=error
                )
            else:
                if kind.on_give_up is not None:
                    try:
                        await kind.on_give_up(ctx, job.payload, error)
                    except Exception:
                        log.exception("recording the failure of job %s failed", job.pk)
                outcome = partial(job_store.finish, pk=job.pk)
        else:
            outcome = partial(job_store.finish, pk=job.pk)
            # Which process ran which job: operators of several processes look here.
            log.info("job %s %s done", job.kind, job.pk)
        finally:
            renewing.cancel()
        await self._record(outcome)

    async def _record(self, outcome: Outcome) -> None:
        async with self.db.transaction() as session:
            await outcome(session)

    async def _renew(self, pk: int) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                async with self.db.transaction() as session:
                    await job_store.renew(session, pk, self.lease_seconds)
            except Exception:
                log.exception("renewing the lease of job %s failed", pk)
