"""Bulk operations: one operation over many inputs (or annotations), run in
the background in chunks (server/bulk_operations.py).

What an operation acts on is fixed when it is made: the pks of the inputs
(or annotations) its source finds are written beside it, one row each
(`bulk_operation_items`). The job then walks them in pk order, a chunk at a
time, and each chunk's changes commit in one transaction with the
operation's progress: how many it processed, the id of the last one, and
the pk cursor the next chunk starts after. A process killed mid-chunk
leaves the chunk uncommitted, so the job, run again, resumes at the cursor:
no item is done twice, none skipped. The items go once the operation ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Identity,
    Index,
    LargeBinary,
    Select,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.annotations import Annotation
from storage.base import Base, Timestamps, any_of
from storage.dataset_inputs import DatasetInput
from storage.inputs import Input
from storage.listing import Order, Page
from storage.scoped import AppScoped

# The operation's states (BULK_OPERATION_* status codes).
SUCCESS, FAILED, PENDING, IN_PROGRESS, CANCELLED = 25400, 25401, 25402, 25403, 25405
RUNNING = (PENDING, IN_PROGRESS)
TERMINATED = (SUCCESS, FAILED, CANCELLED)
# What the items are.
INPUTS, ANNOTATIONS = "inputs", "annotations"


class BulkOperation(Timestamps, Base):
    __tablename__ = "bulk_operations"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListBulkOperations, newest first.
        Index("ix_bulk_operations_app_order", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    created_by: Mapped[str]
    # The BulkOperation as sent (its source and operation, serialized),
    # shown back as it was asked for: an input_ids source may name many
    # inputs, which bytes carry cheaper than JSON.
    sent: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    # The operation checked and resolved for the job (server/bulk_operations.py).
    work: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status_code: Mapped[int] = mapped_column(default=PENDING)
    status_details: Mapped[str] = mapped_column(default="")
    processed: Mapped[int] = mapped_column(default=0)
    last_processed_id: Mapped[str] = mapped_column(default="")
    # The pk of the last item done: the next chunk starts after it.
    cursor: Mapped[int] = mapped_column(default=0)


class BulkOperationItem(Base):
    """One input (or annotation) an operation acts on, by pk."""

    __tablename__ = "bulk_operation_items"

    operation_pk: Mapped[int] = mapped_column(
        ForeignKey("bulk_operations.pk", ondelete="CASCADE"), primary_key=True
    )
    item_pk: Mapped[int] = mapped_column(BigInteger, primary_key=True)


LIST = Order(
    "ListBulkOperations",
    scope=[BulkOperation.app_pk],
    columns=[BulkOperation.created_at, BulkOperation.pk],
    descending=True,
)

_SNAPSHOT_PKS = text(
    """
    INSERT INTO bulk_operation_items (operation_pk, item_pk)
    SELECT :operation_pk, p FROM unnest(CAST(:pks AS bigint[])) AS p
    ON CONFLICT DO NOTHING
    """
)


class BulkOperationStorage(AppScoped[BulkOperation]):
    """The app's bulk operations."""

    model = BulkOperation

    async def add(self, values: dict[str, Any]) -> BulkOperation | None:
        """A new operation (None when the app holds its id already)."""
        made = await self.create([values])
        return made.get(values["id"])

    async def snapshot(self, operation_pk: int, items: Select | Sequence[int]) -> None:
        """Write the items an operation acts on: the pks a query selects (one
        column), or the pks given."""
        if isinstance(items, Select):
            chosen = items.add_columns(literal(operation_pk)).subquery()
            pk_col, op_col = chosen.c
            await self.session.execute(
                insert(BulkOperationItem)
                .from_select(["item_pk", "operation_pk"], select(pk_col, op_col))
                .on_conflict_do_nothing()
            )
        elif items:
            await self.session.execute(
                _SNAPSHOT_PKS, {"operation_pk": operation_pk, "pks": sorted(set(items))}
            )

    # ---- what a source finds ----

    async def input_pks(self, ids: Sequence[str]) -> dict[str, int]:
        """The pks of the app's inputs of these ids, by id."""
        rows = await self.session.execute(
            select(Input.id, Input.pk).where(Input.app_pk == self.app.pk, Input.id == any_of(ids))
        )
        return {input_id: pk for input_id, pk in rows}

    def dataset_input_pks(self, dataset_pk: int) -> Select:
        """The pks of a dataset's inputs."""
        return (
            select(Input.pk)
            .join(
                DatasetInput,
                (DatasetInput.app_pk == Input.app_pk) & (DatasetInput.input_id == Input.id),
            )
            .where(DatasetInput.app_pk == self.app.pk, DatasetInput.dataset_pk == dataset_pk)
        )

    # ---- a chunk's annotations ----

    async def annotations_of(self, pks: Sequence[int], only_user: str) -> list[tuple[int, str]]:
        """(pk, id) of the app's annotations among these pks that may be
        deleted (not the input-level one a user made, which goes only with
        its input; only `only_user`'s, if given), by pk, locked."""
        q = select(Annotation.pk, Annotation.id).where(
            Annotation.app_pk == self.app.pk,
            Annotation.pk.in_(pks),
            ~(Annotation.input_level & (Annotation.model_version_id == "")),
        )
        if only_user:
            q = q.where(Annotation.user_id == only_user, Annotation.model_version_id == "")
        rows = await self.session.execute(q.order_by(Annotation.pk).with_for_update())
        return [(pk, annotation_id) for pk, annotation_id in rows]

    # ---- the operations ----

    async def shown(self, ids: Sequence[str], *, lock: bool = False) -> dict[str, BulkOperation]:
        """The operations of these ids, by id, as they are now (read again
        after `end` changed them); `lock` holds them FOR UPDATE."""
        q = (
            select(BulkOperation)
            .where(BulkOperation.app_pk == self.app.pk, BulkOperation.id == any_of(ids))
            .execution_options(populate_existing=True)
        )
        if lock:
            # Their turns first (see _turn), in pk order: two cancels never
            # wait for each other's.
            await self.session.execute(
                select(_turn(BulkOperation.pk, exclusive=True))
                .where(BulkOperation.app_pk == self.app.pk, BulkOperation.id == any_of(ids))
                .order_by(BulkOperation.pk)
            )
            q = q.with_for_update()
        return {row.id: row for row in await self.session.scalars(q)}

    async def page(self, at: Page) -> list[BulkOperation]:
        q = select(BulkOperation).where(BulkOperation.app_pk == self.app.pk)
        return list(await listing.page(self.session, q, LIST, at))

    async def end(self, pks: Sequence[int], status_code: int, details: str = "") -> None:
        """Mark operations ended (cancelled, ...) and drop their items."""
        if not pks:
            return
        await self.session.execute(
            update(BulkOperation)
            .where(BulkOperation.app_pk == self.app.pk, BulkOperation.pk.in_(pks))
            .values(status_code=status_code, status_details=details, modified_at=func.now())
        )
        await self.session.execute(
            delete(BulkOperationItem).where(BulkOperationItem.operation_pk.in_(pks))
        )

    async def delete(self, ids: Sequence[str]) -> None:
        await self.session.execute(
            delete(BulkOperation).where(
                BulkOperation.app_pk == self.app.pk, BulkOperation.id == any_of(ids)
            )
        )


# ---- the job's side: one operation by pk ----

_TABLE = BulkOperation.__table__


@dataclass(frozen=True)
class Held:
    """An operation as its job reads it (what was sent is left out)."""

    pk: int
    app_pk: int
    id: str
    created_by: str
    work: dict[str, Any]
    status_code: int
    processed: int
    cursor: int


_HOLD = (
    select(*(_TABLE.c[f.name] for f in fields(Held)))
    .where(_TABLE.c.pk == bindparam("pk"))
    .with_for_update()
)


def _turn(pk: Any, *, exclusive: bool) -> Any:
    """An operation's turn, taken before its row is locked and held until
    the transaction ends: shared by a chunk, exclusive by a cancel.
    PostgreSQL queues a lock request behind the conflicting ones waiting, so
    a cancel waiting for the chunk under way goes before the next chunk.
    (Row locks do not queue so: the next chunk, asking as the one under way
    commits, could lock the row before the woken cancel.)"""
    take = func.pg_advisory_xact_lock if exclusive else func.pg_advisory_xact_lock_shared
    return take(func.hashtextextended("bulk operation", pk))


async def hold(session: AsyncSession, pk: int) -> Held | None:
    """The operation, locked until the transaction ends: a chunk holds it
    while it works, so a cancel waits for the chunk under way, and no chunk
    starts after a cancel, nor between a cancel's wait and its commit."""
    await session.execute(select(_turn(pk, exclusive=False)))
    row = (await session.execute(_HOLD, {"pk": pk})).first()
    return Held(*row) if row is not None else None


async def next_items(session: AsyncSession, op: Held, limit: int) -> list[int]:
    """The pks of the next `limit` items after the operation's cursor."""
    after = (
        select(BulkOperationItem.item_pk)
        .where(BulkOperationItem.operation_pk == op.pk, BulkOperationItem.item_pk > op.cursor)
        .order_by(BulkOperationItem.item_pk)
    )
    rows = await session.scalars(listing.take(after, limit))
    return list(rows)


# The next chunk of an input operation, with each input's id (None: deleted
# since), in one round trip: an index probe per item, whatever plan a
# prepared statement settles on.
_NEXT_INPUTS = text(
    """
    SELECT b.item_pk,
           (SELECT i.id FROM inputs AS i WHERE i.pk = b.item_pk AND i.app_pk = :app_pk)
    FROM (
        SELECT item_pk FROM bulk_operation_items
        WHERE operation_pk = :operation_pk AND item_pk > :cursor
        ORDER BY item_pk
        LIMIT :limit
    ) AS b
    ORDER BY b.item_pk
    """
)


async def next_inputs(
    session: AsyncSession, op: Held, limit: int
) -> tuple[list[int], list[tuple[int, str]]]:
    """The pks of the next `limit` items after the operation's cursor, and
    (pk, id) of the inputs among them that still exist, by pk."""
    rows = (
        await session.execute(
            _NEXT_INPUTS,
            {"app_pk": op.app_pk, "operation_pk": op.pk, "cursor": op.cursor, "limit": limit},
        )
    ).all()
    return [pk for pk, _ in rows], [(pk, input_id) for pk, input_id in rows if input_id is not None]


async def advance(
    session: AsyncSession, op: Held, cursor: int, processed: int, last_id: str
) -> None:
    """Count a chunk done, in the transaction that did it."""
    values: dict[str, Any] = {
        "cursor": cursor,
        "processed": op.processed + processed,
        "status_code": IN_PROGRESS,
        "modified_at": func.now(),
    }
    if last_id:
        values["last_processed_id"] = last_id
    await session.execute(update(_TABLE).where(_TABLE.c.pk == op.pk).values(**values))


async def finish(session: AsyncSession, pk: int, status_code: int, details: str = "") -> None:
    """End an operation (done, or failed) and drop its items."""
    await session.execute(
        update(_TABLE)
        .where(_TABLE.c.pk == pk, _TABLE.c.status_code.in_(RUNNING))
        .values(status_code=status_code, status_details=details, modified_at=func.now())
    )
    await session.execute(delete(BulkOperationItem).where(BulkOperationItem.operation_pk == pk))
