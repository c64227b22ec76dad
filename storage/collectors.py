"""Collectors: rules that post a model's prediction inputs into an app."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.scoped import AppScoped


class Collector(Timestamps, Base):
    __tablename__ = "collectors"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListCollectors.
        Index("ix_collectors_app_pk_created_at_pk", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    pre_queue_workflow_id: Mapped[str] = mapped_column(default="")
    pre_queue_random_sample: Mapped[float] = mapped_column(default=0.0)
    post_queue_workflow_id: Mapped[str] = mapped_column(default="")
    collect_outputs: Mapped[bool] = mapped_column(default=False)
    status_code: Mapped[int] = mapped_column(default=52001)
    # api_post_model_outputs_collector_source without the key, which is kept
    # by hash (key_hash) and shown by its prefix (key_prefix) only.
    source: Mapped[dict[str, Any]] = mapped_column(default=dict)
    key_hash: Mapped[str | None] = mapped_column(
        ForeignKey("keys.hash", ondelete="SET NULL"), default=None
    )
    key_prefix: Mapped[str] = mapped_column(default="")


LIST_COLLECTORS = Order(
    "ListCollectors", scope=[Collector.app_pk], columns=[Collector.created_at, Collector.pk]
)


class CollectorStorage(AppScoped[Collector]):
    """The app's collectors."""

    model = Collector

    async def page(self, at: Page) -> list[Collector]:
        q = select(Collector).where(Collector.app_pk == self.app.pk)
        return await listing.page(self.session, q, LIST_COLLECTORS, at)

    async def delete(self, ids: list[str] | None) -> None:
        """Delete the given collectors, or every collector of the app (None)."""
        q = delete(Collector).where(Collector.app_pk == self.app.pk)
        if ids is not None:
            q = q.where(Collector.id == any_of(ids))
        await self.session.execute(q)
