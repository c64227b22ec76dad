"""Marks for ListInputs' deep pages: a page 100,000 inputs deep seeks from a
mark near it instead of skipping 100,000 index entries.

`input_marks` holds, per app, the key (created_at, pk) of every EVERY-th
input in ListInputs' order (newest first) and how many inputs came before
it (`ahead`) when the marks were built. `input_changes` gets a row for each
statement that adds or removes an app's inputs (triggers on `inputs`, so
every writer counts, cascades and raw COPY included): how many, and the
bounds of their keys. A mark's place now is its place at the build plus the
changes wholly newer than it; a change whose bounds hold the mark's
key leaves its place unknown, and the mark unused until the next build.

A build replaces the app's marks and deletes the changes it saw in one
statement (one snapshot), so the marks and the changes any statement sees
describe that statement's snapshot exactly: a page read through them is the
page OFFSET would give, under concurrent writes and across processes, with
nothing cached outside the database. Builds run when a read skipped far
(no mark near, or the marks near made unusable by changes spanning them) or saw
many changes; `forget` drops the marks of apps written to without being
listed deep, so `input_changes` stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DDL,
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Select,
    and_,
    cast,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base
from storage.listing import Order, Start

# Inputs between two marks: a marked read skips fewer than about this many
# index entries.
EVERY = 1024
# Pages less deep than this skip from the first input (marks would not help).
MARKED_FROM = 2 * EVERY
# Changes an app may gather before its marks are rebuilt (when read) or
# forgotten (by the periodic sweep).
MAX_CHANGES = 1024
# Before every input in ListInputs' order (newest first): a read starts
# here when no mark serves.
_HEAD = (cast(literal("infinity"), DateTime(timezone=True)), literal(2**63 - 1, BigInteger))


class InputMark(Base):
    __tablename__ = "input_marks"
    __table_args__ = (Index("ix_input_marks_app_ahead", "app_pk", "ahead"),)

    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), primary_key=True)
    # The input's key (no foreign key: the input may be deleted since; its
    # key still bounds the inputs after it).
    created_at: Mapped[datetime] = mapped_column(primary_key=True)
    pk: Mapped[int] = mapped_column(primary_key=True)
    # Inputs before it in the order when the marks were built.
    ahead: Mapped[int]


class InputChange(Base):
    __tablename__ = "input_changes"

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    # Bounds of the keys of the inputs added (delta > 0) or removed: at or
    # before the first key (the least created_at and the least pk, maybe of
    # two inputs), at or after the last.
    low_at: Mapped[datetime]
    low_pk: Mapped[int]
    high_at: Mapped[datetime]
    high_pk: Mapped[int]
    delta: Mapped[int]


# One change per statement and app (statement triggers over the transition
# table: a 128-input PostInputs adds one row). Removals, rarer and anywhere
# in the order, make one change per stretch up to a mark, so that none spans
# a mark: marks stay usable after any removal. Inputs removed with their app
# record nothing: the app's marks and changes go with it.
TRIGGERS = (
    """
    CREATE FUNCTION inputs_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO input_changes (app_pk, low_at, low_pk, high_at, high_pk, delta)
        SELECT app_pk, min(created_at), min(pk), max(created_at), max(pk), count(*)
        FROM added GROUP BY app_pk;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION inputs_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO input_changes (app_pk, low_at, low_pk, high_at, high_pk, delta)
        SELECT r.app_pk, min(r.created_at), min(r.pk), max(r.created_at), max(r.pk), -count(*)
        FROM removed r LEFT JOIN LATERAL (
            SELECT m.created_at, m.pk FROM input_marks m
            WHERE m.app_pk = r.app_pk AND (m.created_at, m.pk) >= (r.created_at, r.pk)
            ORDER BY m.created_at, m.pk LIMIT 1
        ) AS mark ON true
        WHERE EXISTS (SELECT FROM apps WHERE apps.pk = r.app_pk)
        GROUP BY r.app_pk, mark.created_at, mark.pk;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER inputs_added AFTER INSERT ON inputs REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION inputs_added()
    """,
    """
    CREATE TRIGGER inputs_removed AFTER DELETE ON inputs REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION inputs_removed()
    """,
)
for _statement in TRIGGERS:
    event.listen(Base.metadata, "after_create", DDL(_statement))


@dataclass(frozen=True)
class Marked:
    """A deep read's start (the nearest usable mark at or before the page)
    and the columns that tell `stale` how well the marks served it: how many
    entries the read skips from there, how many changes are not folded in."""

    start: Start
    signals: tuple[Any, Any]


def stale(skipped: int, changes: int) -> bool:
    """Whether marks that served a read so should be rebuilt."""
    return skipped > MARKED_FROM or changes > MAX_CHANGES


def start(app_pk: Any, offset: Any) -> Marked:
    """Where the page at `offset` of the app's ListInputs starts skipping
    (both SQL values, or plain ones)."""
    change = InputChange
    pending = (
        select(change.low_at, change.low_pk, change.high_at, change.high_pk, change.delta)
        .where(change.app_pk == app_pk)
        .cte("pending")
    )
    delta = pending.c.delta
    totals = select(
        func.coalesce(func.sum(delta).filter(delta > 0), 0).cast(BigInteger).label("added"),
        func.coalesce(-func.sum(delta).filter(delta < 0), 0).cast(BigInteger).label("removed"),
        func.count().label("changes"),
    ).cte("totals")
    mark = InputMark
    # Marks whose place now may be at or just before the page.
    near = mark.ahead.between(offset - totals.c.added - EVERY, offset + totals.c.removed)
    at = tuple_(mark.created_at, mark.pk)
    # Changes wholly newer than the mark move it; wholly at it or older, not.
    newer = tuple_(pending.c.low_at, pending.c.low_pk) > at
    older = tuple_(pending.c.high_at, pending.c.high_pk) <= at
    moved = select(
        func.coalesce(func.sum(delta).filter(newer), 0).cast(BigInteger).label("by"),
        func.bool_or(~newer & ~older).label("unsure"),
    ).lateral("moved")
    now = (mark.ahead + moved.c.by).label("ahead")
    # The deepest usable one at or before the page (marks keep their order).
    best = listing.take(
        select(mark.created_at, mark.pk, now)
        .select_from(totals)
        .join(mark, and_(mark.app_pk == app_pk, near))
        .join(moved, true())
        .where(moved.c.unsure.is_not(True), now <= offset)
        .order_by(mark.ahead.desc()),
        1,
    ).subquery("best")
    head = select(*_HEAD, literal(0, BigInteger))
    both = union_all(select(best), head).subquery("candidates")
    begin = listing.take(select(both).order_by(both.c.ahead.desc()), 1).cte("start")
    return Marked(
        start=Start(
            key=select(begin.c.created_at, begin.c.pk).scalar_subquery(),
            ahead=select(begin.c.ahead).scalar_subquery(),
        ),
        signals=(
            (offset - select(begin.c.ahead).scalar_subquery()).label("skipped"),
            select(totals.c.changes).scalar_subquery().label("changes"),
        ),
    )


def _locked(app_pk: int, *, wait: bool) -> Any:
    """The app's marks lock, for this transaction: one build (or forget) of
    an app's marks at a time, so none replaces a newer one."""
    lock = func.pg_advisory_xact_lock if wait else func.pg_try_advisory_xact_lock
    return lock(func.hashtextextended("input marks", app_pk))


async def rebuild(session: AsyncSession, app_pk: int, keys: Select, order: Order) -> None:
    """Replace the app's marks with the keys of every EVERY-th row of `keys`
    (the app's inputs) in `order`, folding in the changes seen. Skipped
    while another transaction builds them, and in a transaction whose
    snapshot may predate the lock (one not READ COMMITTED): it could
    replace a newer build's marks with older ones."""
    fresh = func.current_setting("transaction_isolation") == "read committed"
    if not await session.scalar(select(fresh & _locked(app_pk, wait=False))):
        return
    await session.execute(delete(InputMark).where(InputMark.app_pk == app_pk))
    # The statement's snapshot is taken after the lock: a build committed
    # before it is seen, and its marks replaced by newer ones.
    n = (func.row_number().over(order_by=order.by()) - 1).label("n")
    ranked = keys.with_only_columns(*order.columns, n).subquery("ranked")
    folded = delete(InputChange).where(InputChange.app_pk == app_pk).cte("folded")
    marks = select(literal(app_pk, BigInteger), ranked.c.created_at, ranked.c.pk, ranked.c.n).where(
        ranked.c.n > 0, ranked.c.n % EVERY == 0
    )
    columns = ["app_pk", "created_at", "pk", "ahead"]
    await session.execute(insert(InputMark).from_select(columns, marks).add_cte(folded))


async def forget(session: AsyncSession) -> int:
    """Drop the marks and changes of apps with more than MAX_CHANGES changes
    (written to, not listed deep since); their next deep read builds anew.
    How many apps."""
    crowded = await session.scalars(
        select(InputChange.app_pk).group_by(InputChange.app_pk).having(func.count() > MAX_CHANGES)
    )
    apps = list(crowded)
    for app_pk in apps:
        await session.execute(select(_locked(app_pk, wait=True)))
        await session.execute(delete(InputMark).where(InputMark.app_pk == app_pk))
        await session.execute(delete(InputChange).where(InputChange.app_pk == app_pk))
    return len(apps)
