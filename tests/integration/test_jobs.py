"""The background job queue: several runners on one database run each job
exactly once; a failing job is retried, then given up and reported."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from server import jobs
from storage import apps as app_store

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


async def _app(server, account):
    async with server.db.transaction() as session:
        return app_store.scope_of(await app_store.get(session, account.user_id, account.app_id))


async def _until(check, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


class TestJobRunner:
    async def test_each_job_runs_once_across_runners(self, server, settings, account):
        app = await _app(server, account)
        runners = [
            jobs.JobRunner(server.db, settings, workers=2, poll_seconds=0.05) for _ in range(3)
        ]
        for runner in runners:
            await runner.start()
        try:
            async with server.db.transaction() as session:
                for n in range(40):
                    await jobs.enqueue(session, app, "test.count", {"n": n})
            await _until(lambda: sum(ran.values()) >= 40)
            await asyncio.sleep(0.2)  # a second run of any job would show up now
        finally:
            for runner in runners:
                await runner.stop()
        assert sorted(ran) == list(range(40))
        assert set(ran.values()) == {1}

    async def test_failing_job_is_retried_then_given_up(self, server, account):
        app = await _app(server, account)
        async with server.db.transaction() as session:
            await jobs.enqueue(session, app, "test.fail", {"name": "doomed"})
        await _until(lambda: gave_up)
        assert attempts["doomed"] == 2
        assert gave_up == ["doomed: ValueError: always"]
