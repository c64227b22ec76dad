"""Label orders: a request for labels, owning one task (tasks.label_order_id
names its order, and goes with it: ON DELETE CASCADE)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select, tuple_, update
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.scoped import AppScoped
from storage.tasks import Task

# LABEL_ORDER_* codes.
PENDING = 55001
IN_PROGRESS = 55002
SUCCESS = 55003
CANCELED = 55004
TASK_DONE = 54002


class LabelOrder(Timestamps, Base):
    __tablename__ = "label_orders"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListLabelOrders, newest first (read backwards).
        Index("ix_label_orders_app_order", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    name: Mapped[str] = mapped_column(default="")
    status_code: Mapped[int] = mapped_column(default=PENDING)
    auto_release: Mapped[bool] = mapped_column(default=False)
    allow_empty_tag: Mapped[bool] = mapped_column(default=False)
    desired_fulfill_time: Mapped[datetime | None] = mapped_column(default=None)
    estimate_fulfill_time: Mapped[datetime | None] = mapped_column(default=None)


LIST_LABEL_ORDERS = Order(
    "ListLabelOrders",
    scope=[LabelOrder.app_pk],
    columns=[LabelOrder.created_at, LabelOrder.pk],
    descending=True,
)


class LabelOrderStorage(AppScoped[LabelOrder]):
    """The app's label orders. Values are the columns of `LabelOrder` by
    name."""

    model = LabelOrder

    async def page(self, at: Page) -> list[LabelOrder]:
        q = select(LabelOrder).where(LabelOrder.app_pk == self.app.pk)
        return await listing.page(self.session, q, LIST_LABEL_ORDERS, at)

    async def tasks_of(self, order_ids: Sequence[str], *, lock: bool = False) -> dict[str, Task]:
        """The task of each order (by order id); `lock` holds them FOR
        UPDATE until the transaction ends."""
        if not order_ids:
            return {}
        q = select(Task).where(Task.app_pk == self.app.pk, Task.label_order_id == any_of(order_ids))
        if lock:
            q = q.with_for_update()
        return {row.label_order_id: row for row in await self.session.scalars(q)}

    async def release_done(self, task_pks: Sequence[int]) -> list[LabelOrder]:
        """The orders of these tasks that are IN_PROGRESS with auto_release
        and whose task is TASK_DONE become SUCCESS; answers them (and rows
        of them the session holds are refreshed)."""
        if not task_pks:
            return []
        done = select(Task.app_pk, Task.label_order_id).where(
            Task.app_pk == self.app.pk,
            Task.pk.in_(list(task_pks)),
            Task.status_code == TASK_DONE,
            Task.label_order_id.is_not(None),
        )
        q = (
            update(LabelOrder)
            .where(
                LabelOrder.app_pk == self.app.pk,
                tuple_(LabelOrder.app_pk, LabelOrder.id).in_(done),
                LabelOrder.status_code == IN_PROGRESS,
                LabelOrder.auto_release.is_(True),
            )
            .values(status_code=SUCCESS)
            .returning(LabelOrder)
        )
        rows = await self.session.scalars(q, execution_options={"populate_existing": True})
        return list(rows)

    async def delete(self, ids: Sequence[str]) -> None:
        """The orders go, and their tasks with them (ON DELETE CASCADE)."""
        await self.session.execute(
            delete(LabelOrder).where(LabelOrder.app_pk == self.app.pk, LabelOrder.id == any_of(ids))
        )
