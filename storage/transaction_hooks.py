"""Work that waits for a transaction's outcome: run once its writes are
committed (COMMIT) or rolled back (ROLLBACK). Blobs follow the rows that
name them, so they are removed only when those rows are gone for good;
runners are woken only when the jobs they are to run are visible.

Work belongs to the transaction, or savepoint (`savepoint`), it was given
in. A savepoint rolled back runs its own ROLLBACK work and drops its COMMIT
work; one released hands both to the transaction around it. So a savepoint
that fails never touches what an earlier, released one wrote (SQLAlchemy's
session events fire for savepoints and the whole session alike: the
rollback of one savepoint ran every rollback listener of the session,
deleting the bytes of inputs other savepoints had kept).
`Database.transaction()` runs the work of the outcome (`settle`), once it
is known: when the connection is lost during COMMIT it asks the database,
and when that cannot tell runs neither (the orphan sweep removes the blobs
no row names).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("clarifai_local.transactions")

Outcome = Literal["commit", "rollback"]
COMMIT: Outcome = "commit"
ROLLBACK: Outcome = "rollback"
Work = Callable[[], Awaitable[None]]

# Where a session keeps its hooks (Session.info): one frame for the
# transaction, one more per savepoint open in it.
_FRAMES = "transaction_hooks"


@dataclass(eq=False)  # frames are told apart by identity
class _Frame:
    commit: list[Work] = field(default_factory=list)
    rollback: list[Work] = field(default_factory=list)

    def of(self, outcome: Outcome) -> list[Work]:
        return self.commit if outcome == COMMIT else self.rollback


def _frames(session: AsyncSession) -> list[_Frame]:
    return session.info.setdefault(_FRAMES, [_Frame()])


def when_done(session: AsyncSession, outcome: Outcome, work: Work) -> None:
    """Run `work` once what the session writes from now on (in its current
    savepoint, if any) is committed or rolled back, as `outcome` says."""
    _frames(session)[-1].of(outcome).append(work)


def waiting(session: AsyncSession, outcome: Outcome) -> bool:
    """Whether any work waits for this outcome."""
    return any(frame.of(outcome) for frame in session.info.get(_FRAMES, ()))


@asynccontextmanager
async def savepoint(session: AsyncSession) -> AsyncIterator[None]:
    """A savepoint (SQLAlchemy's begin_nested) that owns the work given in
    it: rolled back with an exception (which goes on), released otherwise."""
    frames = _frames(session)
    frame = _Frame()
    frames.append(frame)
    try:
        async with session.begin_nested():
            yield
    except BaseException:
        frames.remove(frame)
        _spawn_all(frame.rollback)
        raise
    frames.remove(frame)
    frames[-1].commit += frame.commit
    frames[-1].rollback += frame.rollback


def settle(session: AsyncSession, outcome: Outcome | None) -> None:
    """The session's transaction ended with `outcome` (None: unknown): run
    its work for it, once."""
    frames: list[_Frame] = session.info.pop(_FRAMES, [])
    if outcome is None:
        if any(frame.commit or frame.rollback for frame in frames):
            log.warning("a transaction's outcome is unknown: its work after it does not run")
        return
    for frame in frames:
        _spawn_all(frame.of(outcome))


def _spawn_all(works: list[Work]) -> None:
    for work in works:
        spawn(work)


_pending: set[asyncio.Task[None]] = set()


def spawn(work: Work) -> None:
    """Run `work` in a task of its own, held until done (so it is not
    collected); a failure is logged."""
    task = asyncio.get_running_loop().create_task(work())
    _pending.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Task[None]) -> None:
    _pending.discard(task)
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("work after a transaction failed", exc_info=exc)
