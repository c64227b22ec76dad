"""A process runs a few calls at once, the others in the order they came;
a call that runs long lets the next one in once its lease is over."""

from __future__ import annotations

import asyncio

from server.admission import Admission


async def test_at_most_that_many_at_once_and_first_come_first_served() -> None:
    admission = Admission(at_once=2, lease_s=10)
    running: set[int] = set()
    most = 0
    began: list[int] = []
    gate = asyncio.Event()

    async def call(n: int) -> None:
        nonlocal most
        async with admission.turn():
            began.append(n)
            running.add(n)
            most = max(most, len(running))
            await gate.wait()
            await asyncio.sleep(0.001)
            running.discard(n)

    calls = [asyncio.create_task(call(n)) for n in range(8)]
    await asyncio.sleep(0.01)
    assert began == [0, 1]  # the rest wait
    gate.set()
    await asyncio.gather(*calls)
    assert most == 2
    assert began == list(range(8))


async def test_a_long_call_lets_the_next_in_after_its_lease() -> None:
    admission = Admission(at_once=1, lease_s=0.02)
    finished = asyncio.Event()

    async def long() -> None:
        async with admission.turn():
            await finished.wait()

    async def quick() -> float:
        began = asyncio.get_running_loop().time()
        async with admission.turn():
            return asyncio.get_running_loop().time() - began

    holding = asyncio.create_task(long())
    await asyncio.sleep(0)
    waited = await asyncio.wait_for(quick(), timeout=2)
    assert 0.015 <= waited < 1
    finished.set()
    await holding
    # Its lease was over: its end gave back no second turn, so one call
    # holding the turn still keeps the next waiting.
    finished.clear()
    holding = asyncio.create_task(long())
    await asyncio.sleep(0)
    assert await asyncio.wait_for(quick(), timeout=2) >= 0.015
    finished.set()
    await holding


async def test_a_cancelled_call_gives_its_turn_back() -> None:
    admission = Admission(at_once=1, lease_s=10)

    async def stuck() -> None:
        async with admission.turn():
            await asyncio.sleep(10)

    task = asyncio.create_task(stuck())
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    async with asyncio.timeout(1), admission.turn():
        pass
