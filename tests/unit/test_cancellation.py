"""Work run to its end through a cancellation of the task awaiting it
(storage/cancellation.py): a COMMIT on its way, a job's outcome."""

from __future__ import annotations

import asyncio

import pytest

from storage.cancellation import to_the_end


async def test_a_cancel_while_the_work_runs_waits_for_its_end():
    release = asyncio.Event()
    ended: list[str] = []

    async def work() -> str:
        await release.wait()
        ended.append("ended")
        return "committed"

    caller = asyncio.create_task(to_the_end(work()))
    await asyncio.sleep(0.01)
    caller.cancel()
    await asyncio.sleep(0.01)
    assert not caller.done()  # still waiting for the work
    release.set()
    assert await caller == ("committed", True)
    assert ended == ["ended"]


async def test_a_cancel_as_the_work_ends_keeps_its_result():
    # The work has its result, the shield has not passed it on yet, and the
    # caller is cancelled: the result stands (a COMMIT made must not be
    # taken for a rollback).
    work = asyncio.get_running_loop().create_future()
    caller = asyncio.create_task(to_the_end(work))
    await asyncio.sleep(0)  # the caller now awaits the shield
    work.set_result("committed")
    caller.cancel()
    assert await caller == ("committed", True)


async def test_uncancelled_work_answers_its_result_alone():
    async def work() -> int:
        return 7

    assert await to_the_end(work()) == (7, False)


async def test_work_cancelled_itself_raises():
    work = asyncio.get_running_loop().create_future()
    caller = asyncio.create_task(to_the_end(work))
    await asyncio.sleep(0)
    work.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
