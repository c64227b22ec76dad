"""The background job queue: several runners on one database run each job
exactly once; a failing job is retried, then given up and reported; a job
that outlasts its time limit is cancelled and fails the same way; a job
under way locks nothing, and one whose runner is gone runs again."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from psycopg.errors import DeadlockDetected
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from server import jobs
from storage import apps as app_store
from storage import jobs as job_store
from tests.helpers import app_scope

ran: Counter[int] = Counter()
gave_up: list[str] = []
attempts: Counter[str] = Counter()


@jobs.job("test.count")
async def _count(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    await asyncio.sleep(0.01)  # long enough for the runners to overlap
    ran[payload["n"]] += 1


async def _give_up(ctx: jobs.JobContext, payload: dict[str, Any], error: str) -> None:
    gave_up.append(f"{payload['name']}: {error}")


@jobs.job("test.fail", max_attempts=2, on_give_up=_give_up)
async def _fail(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    attempts[payload["name"]] += 1
    raise ValueError("always")


conflicts: Counter[str] = Counter()


@jobs.job("test.deadlocked", max_attempts=1, on_give_up=_give_up)
async def _deadlocked(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    """Meets a deadlock on its first run: a counted failure would give it up."""
    conflicts[payload["name"]] += 1
    if conflicts[payload["name"]] == 1:
        raise DBAPIError("UPDATE ...", {}, DeadlockDetected("deadlock detected"))


hung: Counter[str] = Counter()
cancelled: Counter[str] = Counter()
timed_out: list[str] = []


async def _timed_out(ctx: jobs.JobContext, payload: dict[str, Any], error: str) -> None:
    timed_out.append(f"{payload['name']}: {error}")


@jobs.job("test.hang", max_attempts=2, on_give_up=_timed_out, time_limit=0.2)
async def _hang(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    hung[payload["name"]] += 1
    try:
        await asyncio.Event().wait()  # never set
    except asyncio.CancelledError:
        cancelled[payload["name"]] += 1
        raise


started: Counter[str] = Counter()
release = asyncio.Event()


@jobs.job("test.wait")
async def _wait(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    started[payload["name"]] += 1
    await release.wait()


handed: list[str] = []


@jobs.job("test.handed")
async def _handed(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    handed.append(payload["name"])


periodic_runs: list[int | None] = []


@jobs.job("test.periodic", every=lambda settings: 300.0)
async def _periodic(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    periodic_runs.append(ctx.app_pk)


async def _until(check, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


class TestJobRunner:
    async def test_each_job_runs_once_across_runners(self, server, settings, account):
        app = await app_scope(server, account)
        runners = [
            jobs.JobRunner(server.db, settings, workers=2, poll_seconds=0.05) for _ in range(3)
        ]
        for runner in runners:
            await runner.start()
        try:
            async with server.db.transaction() as session:
                for n in range(40):
                    jobs.enqueue(session, app, "test.count", {"n": n})
            await _until(lambda: sum(ran.values()) >= 40)
            await asyncio.sleep(0.2)  # a second run of any job would show up now
        finally:
            for runner in runners:
                await runner.stop()
        assert sorted(ran) == list(range(40))
        assert set(ran.values()) == {1}

    async def test_failing_job_is_retried_then_given_up(self, server, account):
        app = await app_scope(server, account)
        async with server.db.transaction() as session:
            jobs.enqueue(session, app, "test.fail", {"name": "doomed"})
        await _until(lambda: gave_up)
        assert attempts["doomed"] == 2
        assert gave_up == ["doomed: ValueError: always"]

    async def test_a_job_that_meets_a_deadlock_runs_again_uncounted(self, server, account):
        app = await app_scope(server, account)
        async with server.db.transaction() as session:
            jobs.enqueue(session, app, "test.deadlocked", {"name": "unlucky"})
        await _until(lambda: conflicts["unlucky"] == 2)

        async def gone() -> bool:
            async with server.db.transaction() as session:
                kinds = await session.scalars(
                    select(job_store.Job.kind).where(job_store.Job.kind == "test.deadlocked")
                )
                return not list(kinds)

        for _ in range(100):
            if await gone():
                break
            await asyncio.sleep(0.05)
        assert await gone()
        assert conflicts["unlucky"] == 2
        assert not [g for g in gave_up if g.startswith("unlucky")]

    async def test_a_job_past_its_time_limit_is_cancelled_then_given_up(self, server, account):
        app = await app_scope(server, account)
        async with server.db.transaction() as session:
            jobs.enqueue(session, app, "test.hang", {"name": "stuck"})
        await _until(lambda: timed_out)
        # Each run was cancelled at its limit and counted as a failed attempt.
        assert hung["stuck"] == 2
        assert cancelled["stuck"] == 2
        assert timed_out == ["stuck: the job ran longer than its time limit of 0.2 s"]
        # Given up, the job is gone (once recorded): nothing holds or renews it.
        for _ in range(100):
            async with server.db.transaction() as session:
                left = await session.scalar(
                    select(func.count()).where(job_store.Job.kind == "test.hang")
                )
            if left == 0:
                break
            await asyncio.sleep(0.05)
        assert left == 0

    async def test_a_job_under_way_does_not_hold_up_deleting_its_app(self, server, account):
        app = await app_scope(server, account)
        release.clear()
        async with server.db.transaction() as session:
            jobs.enqueue(session, app, "test.wait", {"name": "app-deleted"})
        await _until(lambda: started["app-deleted"])
        try:
            async with asyncio.timeout(5), server.db.transaction() as session:
                await session.execute(delete(app_store.App).where(app_store.App.pk == app.pk))
        finally:
            release.set()
        await asyncio.sleep(0.1)  # the job ends; recording it finds its row gone
        assert started["app-deleted"] == 1

    async def test_a_runner_stopped_right_after_claiming_hands_the_jobs_back(
        self, server, settings, account
    ):
        app = await app_scope(server, account)
        runner = jobs.JobRunner(
            server.db, settings, kinds={"test.handed": jobs.KINDS["test.handed"]}
        )
        await server.jobs.stop()  # (the session's runner would take the job)
        try:
            async with server.db.transaction() as session:
                jobs.enqueue(session, app, "test.handed", {"name": "claimed"})
            # Claimed, its task made but not begun when the stop cancels it.
            await runner._claim()
            await runner.stop()
            assert handed == []
            async with server.db.transaction() as session:
                [row] = await session.scalars(
                    select(job_store.Job).where(job_store.Job.kind == "test.handed")
                )
            assert row.leased_until is None  # handed back: not left leased for a minute
        finally:
            await server.jobs.start()
        await _until(lambda: handed == ["claimed"])

    async def test_a_runner_stopped_while_writing_a_jobs_end_writes_it(
        self, server, settings, account, monkeypatch
    ):
        # A kind of this runner alone (the session's runner claims @job's).
        done: list[str] = []

        async def handler(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
            done.append(payload["name"])

        writing, go_on = asyncio.Event(), asyncio.Event()
        finish = job_store.finish

        async def slow_finish(session, pk: int) -> None:
            writing.set()
            await go_on.wait()
            await finish(session, pk)

        monkeypatch.setattr(job_store, "finish", slow_finish)
        app = await app_scope(server, account)
        runner = jobs.JobRunner(server.db, settings, kinds={"test.alone": jobs.Kind(handler)})
        await runner.start()
        try:
            async with server.db.transaction() as session:
                await jobs.enqueue_many(session, app, "test.alone", [{"name": "ran"}])
            async with asyncio.timeout(10):
                await writing.wait()
            stopping = asyncio.create_task(runner.stop())
            await asyncio.sleep(0.2)
            assert not stopping.done()  # it waits for the write
            go_on.set()
            await stopping
        finally:
            go_on.set()
            await runner.stop()
        assert done == ["ran"]
        async with server.db.transaction() as session:
            left = await session.scalar(
                select(func.count()).where(job_store.Job.kind == "test.alone")
            )
        # Finished, not left leased to run a second time once the lease lapsed.
        assert left == 0

    async def test_a_job_whose_runner_is_gone_runs_again(self, server, settings, account):
        app = await app_scope(server, account)
        release.clear()
        async with server.db.transaction() as session:
            jobs.enqueue(session, app, "test.wait", {"name": "orphan"})
        await _until(lambda: started["orphan"])
        # A runner that stops hands its job back at once...
        await server.jobs.stop()
        await server.jobs.start()
        await _until(lambda: started["orphan"] == 2)
        # ...and one claimed by a process that died runs once the lease lapses.
        release.set()
        async with server.db.transaction() as session:
            jobs.enqueue(session, app, "test.wait", {"name": "lapsed"})
            await session.flush()
            assert (await job_store.claim(session, ["test.wait"], lease_seconds=1.0)).jobs
        assert started["lapsed"] == 0
        await _until(lambda: started["lapsed"])


class TestClaim:
    async def test_oldest_due_first_each_once_with_when_the_next_is_due(self, server, account):
        app = await app_scope(server, account)
        kind = "test.claimed-directly"  # no runner claims this kind
        async with server.db.transaction() as session:
            for name, after in (("later", 100.0), ("second", 0.0), ("first", 0.0)):
                job_store.enqueue(session, app, kind, {"name": name})
                await session.flush()
                await session.execute(
                    update(job_store.Job)
                    .where(job_store.Job.payload["name"].astext == name)
                    .values(run_after=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, after))
                )
        try:
            names = []
            for expected_next in (0.0, 100.0, 100.0):
                # Each claim commits on its own: the next one sees its lease.
                async with server.db.transaction() as session:
                    claim = await job_store.claim(session, [kind], 60.0)
                names.append([job.payload["name"] for job in claim.jobs])
                assert claim.next_in is not None
                assert expected_next - 5 <= claim.next_in <= expected_next
            # first and second were created in the same transaction (the
            # same run_after): the lower pk, "second", goes first.
            assert names == [["second"], ["first"], []]
            async with server.db.transaction() as session:
                leased = await session.scalars(
                    select(job_store.Job.payload["name"].astext).where(
                        job_store.Job.kind == kind, job_store.Job.leased_until > func.now()
                    )
                )
                assert sorted(leased) == ["first", "second"]
                nothing = await job_store.claim(session, ["test.no-such-kind"], 60.0)
            assert nothing == job_store.Claim([], None)
        finally:
            async with server.db.transaction() as session:
                await session.execute(delete(job_store.Job).where(job_store.Job.kind == kind))


class TestPeriodicJobs:
    async def periodic_rows(self, server) -> list[job_store.Job]:
        async with server.db.transaction() as session:
            rows = await session.scalars(
                select(job_store.Job).where(job_store.Job.kind == "test.periodic")
            )
            return list(rows)

    async def test_queued_once_run_at_each_start_then_again_later(self, server, settings):
        # The session's server queued it when it started; two more processes
        # starting together leave it queued once, due now.
        kinds = {"test.periodic": jobs.KINDS["test.periodic"]}
        runners = [jobs.JobRunner(server.db, settings, kinds=kinds) for _ in range(2)]
        before = len(periodic_runs)
        await asyncio.gather(*(runner.start() for runner in runners))
        try:
            try:
                await _until(lambda: len(periodic_runs) > before)
            except AssertionError:  # say how the row stands
                rows = [
                    (r.run_after, r.leased_until, r.attempts, r.last_error)
                    for r in await self.periodic_rows(server)
                ]
                raise AssertionError(
                    f"not run; rows (run_after, leased_until, attempts, last_error): {rows}"
                ) from None
            # Run, it is due again `every` seconds later, not gone.
            for _ in range(100):
                [row] = await self.periodic_rows(server)
                if row.leased_until is None:
                    break
                await asyncio.sleep(0.05)
        finally:
            for runner in runners:
                await runner.stop()
        assert row.app_pk is None and row.attempts == 0 and row.leased_until is None
        async with server.db.transaction() as session:
            wait = (await job_store.claim(session, ["test.periodic"], 60.0, limit=0)).next_in
        assert wait is not None and 250 < wait <= 300
        # Of no app; once, or once more when one runner ran it before the
        # other's start made it due again (each start runs it: a busy machine
        # spreads the two starts apart).
        assert periodic_runs[before:] in ([None], [None, None])

    async def test_the_blob_sweep_is_one_of_them(self, server):
        async with server.db.transaction() as session:
            count = await session.scalar(
                select(func.count()).where(
                    job_store.Job.kind == "blobs.sweep", job_store.Job.app_pk.is_(None)
                )
            )
        assert count == 1
