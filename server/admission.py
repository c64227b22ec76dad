"""How many calls a process runs at once, the others waiting their turn in
the order they came.

One event loop interleaves every call it runs: each round trip to the
database sends a call to the back of the loop's queue, behind every other
call's work. With 32 calls in flight a write of eight round trips waits
behind the others eight times, and a busy process's slowest answers took
several times its median. Running a few at once, first come first served,
gives each call the loop nearly to itself: about the same calls per
second, and the slowest answers close to the median (64-client mixed load
on 2 workers: p99 324-353 ms unlimited, 186-213 at 4 at once, 141-168 at
2, the default: two are enough to keep the loop busy while one waits for
the database).

A call holds its turn for at most `lease_s`: one that runs long (a
prediction, a large batch) then lets the next one in and goes on beside
it, so a few slow calls never hold up the quick ones behind them for long.
"""

from __future__ import annotations

import asyncio
from types import TracebackType


class Admission:
    def __init__(self, at_once: int, lease_s: float) -> None:
        self._turns = asyncio.Semaphore(at_once)
        self._lease_s = lease_s

    def turn(self) -> _Turn:
        """Wait for a turn (`async with`); it ends with the block or after lease_s."""
        return _Turn(self._turns, self._lease_s)


class _Turn:
    # A class rather than an @asynccontextmanager: every call takes one,
    # and a generator's machinery cost more than the turn itself.
    __slots__ = ("_ended", "_lease", "_lease_s", "_turns")

    def __init__(self, turns: asyncio.Semaphore, lease_s: float) -> None:
        self._turns = turns
        self._lease_s = lease_s
        self._ended = False
        self._lease: asyncio.TimerHandle | None = None

    async def __aenter__(self) -> None:
        await self._turns.acquire()
        self._lease = asyncio.get_running_loop().call_later(self._lease_s, self._end)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._lease is not None:
            self._lease.cancel()
        self._end()

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            self._turns.release()
