"""Background jobs: work that can wait (dataset versions, exports, ...).

A module registers a handler per job kind with @job; a request enqueues a job
inside its own transaction, so the job exists exactly when the request's
writes do. Every server process runs a JobRunner; the queue lives in
PostgreSQL (storage/jobs.py), so several processes share it safely.

Handlers open their own transactions (`ctx.db.transaction()`) for the work
and must be safe to run again: a process that dies mid-job leaves the job to
be claimed anew once its lease lapses. Each kind has a time limit: a run
that outlasts it is cancelled and counts as a failed attempt.

A runner claims the kinds registered with @job, or the kinds it is given
(the URL downloader, server/fetch.py, runs its own kind on its own runner,
with its own concurrency and a handler bound to its HTTP client).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from server import after_answer
from server.config import Settings
from storage import jobs as job_store
from storage import transaction_hooks
from storage.apps import AppScope
from storage.availability import conflicted, disconnected, summary
from storage.cancellation import to_the_end
from storage.db import Database
from storage.transaction_hooks import COMMIT

log = logging.getLogger("clarifai_local.jobs")


@dataclass(frozen=True)
class JobContext:
    db: Database
    settings: Settings
    # None for a periodic job of the whole server.
    app_pk: int | None


JobHandler = Callable[[JobContext, dict[str, Any]], Awaitable[None]]
GiveUp = Callable[[JobContext, dict[str, Any], str], Awaitable[None]]
# What becomes of a job once it has run: finished, or back in the queue.
Outcome = Callable[[AsyncSession], Awaitable[None]]

# How long one run of a job may take unless its kind says otherwise: long
# enough for a dataset version of many inputs to be built or exported.
DEFAULT_TIME_LIMIT = 600.0


@dataclass(frozen=True)
class Kind:
    handler: JobHandler
    max_attempts: int = 3
    on_give_up: GiveUp | None = None
    # Seconds one run may take before it is cancelled (a failed attempt).
    time_limit: float = DEFAULT_TIME_LIMIT
    # A periodic kind (of no app): seconds between runs, from the settings.
    every: Callable[[Settings], float] | None = None


KINDS: dict[str, Kind] = {}


def job(
    kind: str,
    *,
    max_attempts: int = 3,
    on_give_up: GiveUp | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    every: Callable[[Settings], float] | None = None,
) -> Callable[[JobHandler], JobHandler]:
    """Register the handler of a job kind. `on_give_up` runs once the job has
    failed `max_attempts` times, to record the failure where users see it; a
    run longer than `time_limit` seconds is cancelled and counts as failed.

    A kind given `every` is periodic, of the whole server rather than of an
    app: each runner claiming it queues it when it starts (once, however
    many processes do: the queue keeps one row per periodic kind, made due
    at each start), and after each run, done or given up, it is due again
    `every(settings)` seconds later."""

    def register(fn: JobHandler) -> JobHandler:
        if kind in KINDS:
            raise RuntimeError(f"two handlers for job kind {kind}")
        KINDS[kind] = Kind(fn, max_attempts, on_give_up, time_limit, every)
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
    _wake_on_commit(session, kind)


async def enqueue_many(
    session: AsyncSession, app: AppScope, kind: str, payloads: Sequence[dict[str, Any]]
) -> None:
    """Queue one job per payload, in one statement, with the transaction.
    For any kind, also one a runner is given rather than one of @job's."""
    if payloads:
        await job_store.enqueue_many(session, app, kind, payloads)
        _wake_on_commit(session, kind)


async def run_now(session: AsyncSession, kind: str, payload_contains: dict[str, Any]) -> None:
    """Run waiting (deferred) jobs of a kind as soon as this transaction
    commits: for a job that finishes what others wait for."""
    await job_store.run_now(session, kind, payload_contains)
    _wake_on_commit(session, kind)


def _wake_on_commit(session: AsyncSession, kind: str) -> None:
    # Runners of the kind in this process look once the transaction commits
    # and, in a call, its answer is written; the others find the job on their
    # next poll.
    transaction_hooks.when_done(session, COMMIT, after_answer.deferred(partial(_wake, kind)))


async def _wake(kind: str) -> None:
    for runner in list(_runners):
        if kind in runner.kinds:
            runner.wake()


# How long a stopping runner lets a claim under way finish.
_STOP_SECONDS = 5.0


# How long a job that met a deadlock or serialization failure waits before
# it runs again (uncounted: it is not the job's failure).
CONFLICT_PAUSE = 0.1


def _backoff(attempts: int) -> float:
    return min(60.0, 2.0**attempts)


class JobRunner:
    """Runs due jobs, up to `workers` at once. One loop claims them (as many
    as there are free workers, in one statement) and starts each in a task
    of its own; a task that ends, or a commit that queued a job, wakes it."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        workers: int = 2,
        poll_seconds: float = 1.0,
        lease_seconds: float = 60.0,
        kinds: Mapping[str, Kind] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.workers = max(1, workers)
        self.poll_seconds = poll_seconds
        # How long a job stays claimed without word from its runner: the
        # runner renews the lease while the job runs, so only a job whose
        # process died waits this long to be run again.
        self.lease_seconds = lease_seconds
        self._kinds = kinds
        self._wakeup = asyncio.Event()
        self._loop: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()
        # Jobs claimed whose task has not begun: a stop that cancels such a
        # task hands them back itself (the task never runs a line).
        self._unstarted: dict[int, job_store.Claimed] = {}
        self._stopping = False

    @property
    def kinds(self) -> Mapping[str, Kind]:
        """The kinds this runner claims: its own, or else those of @job."""
        return KINDS if self._kinds is None else self._kinds

    def wake(self) -> None:
        self._wakeup.set()

    async def start(self) -> None:
        periodic = sorted(name for name, kind in self.kinds.items() if kind.every is not None)
        if periodic:
            async with self.db.transaction() as session:
                await job_store.schedule_periodic(session, periodic)
        _runners.add(self)
        self._stopping = False
        self._loop = asyncio.create_task(self._claim_loop())

    async def stop(self) -> None:
        """Interrupt the jobs under way; each is handed back to the queue.

        The claim loop is let finish the claim it may be making rather than
        cancelled in it: a claim cancelled during its COMMIT can be committed
        all the same, leaving jobs leased by no one until the lease lapses."""
        _runners.discard(self)
        self._stopping = True
        self._wakeup.set()
        if self._loop is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._loop), _STOP_SECONDS)
        tasks = [t for t in (self._loop, *self._running) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for job in list(self._unstarted.values()):
            await self._hand_back(job)
        self._unstarted.clear()
        self._loop = None
        self._running.clear()

    async def _claim_loop(self) -> None:
        while not self._stopping:
            # Cleared before looking, so a wake-up while looking is not lost.
            self._wakeup.clear()
            try:
                wait = await self._claim()
            except Exception as exc:
                if disconnected(exc):  # said once, by the database's availability
                    await self.db.availability.lost(exc)
                else:
                    log.exception("job queue unavailable; retrying")
                wait = self.poll_seconds
            if wait > 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), wait)

    async def _claim(self) -> float:
        """Start due jobs in the free workers; how long to wait before
        looking again (0: at once, as more may be due)."""
        free = self.workers - len(self._running)
        kinds = sorted(self.kinds)
        if free <= 0 or not kinds:
            return self.poll_seconds  # a job that ends wakes the loop
        async with self.db.transaction() as session:
            claim = await job_store.claim(session, kinds, self.lease_seconds, free)
        claimed, due = claim.jobs, claim.next_in
        for job in claimed:
            self._unstarted[job.pk] = job
            task = asyncio.create_task(self._run(job))
            self._running.add(task)
            task.add_done_callback(self._ended)
        if len(claimed) == free:
            return 0.0
        return self.poll_seconds if due is None else min(due, self.poll_seconds)

    def _ended(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._wakeup.set()
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("recording the outcome of a job failed", exc_info=exc)

    async def _run(self, job: job_store.Claimed) -> None:
        del self._unstarted[job.pk]
        kind = self.kinds[job.kind]
        renewing = asyncio.create_task(self._renew(job.pk, kind.time_limit))
        try:
            outcome = await self._attempt(kind, job)
        except asyncio.CancelledError:
            # The runner is stopping: hand the job back now, not after its lease.
            renewing.cancel()
            await self._hand_back(job)
            raise
        finally:
            renewing.cancel()
        # It ran: its outcome is written even if the runner stops meanwhile.
        # Cancelled mid-way, the write would be rolled back, and the job, done,
        # would stay leased until the lease lapsed, then run again.
        _, cancelled = await to_the_end(self._settle(outcome))
        if cancelled:
            raise asyncio.CancelledError

    async def _settle(self, outcome: Outcome) -> None:
        try:
            await self._record(outcome)
        except Exception as exc:
            if not disconnected(exc):
                raise
            # The database went away: said once, by its availability; the
            # lease lapses and the job runs again.
            await self.db.availability.lost(exc)

    async def _attempt(self, kind: Kind, job: job_store.Claimed) -> Outcome:
        """Run the job's handler once, within its kind's time limit."""
        ctx = JobContext(self.db, self.settings, job.app_pk)
        limit = asyncio.timeout(kind.time_limit)
        try:
            async with limit:
                await kind.handler(ctx, job.payload)
        except Defer as deferred:
            return partial(job_store.defer, job=job, seconds=deferred.seconds)
        except Exception as exc:
            if disconnected(exc) and not limit.expired():
                # Not the job's fault: handed back, to run again once the
                # database is back (the availability says it went away).
                await self.db.availability.lost(exc)
                return partial(job_store.retry_later, pk=job.pk, seconds=0, failed=False)
            if conflicted(exc) and not limit.expired():
                # Nor is a deadlock with a concurrent call: its last chunk was
                # rolled back, and it runs again soon, as a call would.
                log.info("job %s %s runs again after %s", job.kind, job.pk, summary(exc))
                return partial(
                    job_store.retry_later, pk=job.pk, seconds=CONFLICT_PAUSE, failed=False
                )
            if limit.expired():
                error = f"the job ran longer than its time limit of {kind.time_limit:g} s"
                log.error("job %s %s cancelled: %s", job.kind, job.pk, error)
            else:
                error = f"{type(exc).__name__}: {exc}"
                log.exception("job %s %s failed", job.kind, job.pk)
            return await self._failed(kind, ctx, job, error)
        # Which process ran which job: operators of several processes look here.
        log.info("job %s %s done", job.kind, job.pk)
        return self._done(kind, job)

    def _done(self, kind: Kind, job: job_store.Claimed) -> Outcome:
        """A job's end: gone from the queue, or a periodic one's next run."""
        if kind.every is not None:
            return partial(job_store.reschedule, pk=job.pk, seconds=kind.every(self.settings))
        return partial(job_store.finish, pk=job.pk)

    async def _failed(
        self, kind: Kind, ctx: JobContext, job: job_store.Claimed, error: str
    ) -> Outcome:
        """A failed attempt: retried later, or given up after the last."""
        if job.attempts + 1 < kind.max_attempts:
            return partial(
                job_store.retry_later, pk=job.pk, seconds=_backoff(job.attempts), error=error
            )
        if kind.on_give_up is not None:
            try:
                async with asyncio.timeout(kind.time_limit):
                    await kind.on_give_up(ctx, job.payload, error)
            except Exception:
                log.exception("recording the failure of job %s failed", job.pk)
        return self._done(kind, job)

    async def _hand_back(self, job: job_store.Claimed) -> None:
        try:
            await self._record(partial(job_store.retry_later, pk=job.pk, seconds=0, failed=False))
        except Exception:  # the lease lapses instead; the stop goes on
            log.exception("handing back job %s failed", job.pk)

    async def _record(self, outcome: Outcome) -> None:
        async with self.db.transaction() as session:
            await outcome(session)

    async def _renew(self, pk: int, time_limit: float) -> None:
        """Keep the job's lease while it runs, no longer than its time limit:
        a run that outlasts it (cancelled, yet not ending) loses the lease
        instead of holding the job forever."""
        loop = asyncio.get_running_loop()
        until = loop.time() + time_limit
        while loop.time() < until:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                async with self.db.transaction() as session:
                    await job_store.renew(session, pk, self.lease_seconds)
            except Exception:
                log.exception("renewing the lease of job %s failed", pk)
