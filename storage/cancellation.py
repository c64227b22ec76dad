"""Work that must run to its end even when the task awaiting it is
cancelled: a COMMIT on its way, a job's outcome being written."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def to_the_end(work: Awaitable[T]) -> tuple[T, bool]:
    """`work`'s result, awaited to its end however often the awaiting task
    is cancelled meanwhile, and whether it was: the caller raises
    CancelledError itself once it has done what must follow."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while True:
        try:
            return await asyncio.shield(task), cancelled
        except asyncio.CancelledError:
            if task.done():
                # Cancelled as the work ended (before the shield passed its
                # result on): the outcome stands. Raised instead, a COMMIT
                # made would be taken for a rollback, and the blobs its rows
                # name deleted. (A task itself cancelled raises here.)
                return task.result(), True
            cancelled = True
