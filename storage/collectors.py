"""Collectors: rules that post a model's prediction inputs into an app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Identity,
    Index,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.prepared import Prepared
from storage.scoped import AppScoped

ACTIVE = 52001


class Collector(Timestamps, Base):
    __tablename__ = "collectors"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListCollectors.
        Index("ix_collectors_app_pk_created_at_pk", "app_pk", "created_at", "pk"),
        # Every PostModelOutputs looks for the collectors watching its model.
        Index("ix_collectors_model_pk", "model_pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    pre_queue_workflow_id: Mapped[str] = mapped_column(default="")
    pre_queue_random_sample: Mapped[float] = mapped_column(default=0.0)
    post_queue_workflow_id: Mapped[str] = mapped_column(default="")
    collect_outputs: Mapped[bool] = mapped_column(default=False)
    status_code: Mapped[int] = mapped_column(default=ACTIVE)
    # api_post_model_outputs_collector_source without the key, which is kept
    # by hash (key_hash) and shown by its prefix (key_prefix) only.
    source: Mapped[dict[str, Any]] = mapped_column(default=dict)
    key_hash: Mapped[str | None] = mapped_column(
        ForeignKey("keys.hash", ondelete="SET NULL"), default=None
    )
    key_prefix: Mapped[str] = mapped_column(default="")
    # The source model (and version, when the collector names one), as found
    # when the collector was written; None once deleted: the collector is
    # then inactive.
    model_pk: Mapped[int | None] = mapped_column(
        ForeignKey("models.pk", ondelete="SET NULL"), default=None
    )
    version_pk: Mapped[int | None] = mapped_column(
        ForeignKey("model_versions.pk", ondelete="SET NULL"), default=None
    )
    # Only this caller's predictions are collected ("" for every caller's).
    caller_user_id: Mapped[str] = mapped_column(default="", server_default="")
    # What collection did: inputs posted, inputs that could not be, and the
    # last failure (failing: the latest attempt failed).
    collected_count: Mapped[int] = mapped_column(default=0, server_default="0")
    failed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str] = mapped_column(default="", server_default="")
    last_error_at: Mapped[datetime | None] = mapped_column(default=None)
    failing: Mapped[bool] = mapped_column(default=False, server_default="false")


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

    async def by_pk(self, pk: int) -> Collector | None:
        q = select(Collector).where(Collector.app_pk == self.app.pk, Collector.pk == pk)
        return await self.session.scalar(q)

    async def record(self, row: Collector, collected: int, failed: int, error: str) -> None:
        """Count what one collection did; a failure becomes the last error."""
        changes: dict[str, Any] = {
            "collected_count": Collector.collected_count + collected,
            "failed_count": Collector.failed_count + failed,
        }
        if failed:
            changes.update(last_error=error, last_error_at=func.now(), failing=True)
        elif collected:
            changes["failing"] = False
        await self.update(row, changes)


# The trigger, outside any app's request scope: the collectors of every app
# that watch one model. Its model's pk is the scope (a model belongs to one
# app), and only pks come back; each collector is then read in its own app.
# Read by every prediction (storage/prepared.py): compiled once.
_WATCHING = Prepared(
    select(Collector.app_pk, Collector.pk)
    .where(
        Collector.model_pk == bindparam("model_pk"),
        or_(
            Collector.version_pk == bindparam("version_pk"),
            # Any version, unless the one it named is deleted.
            and_(
                Collector.version_pk.is_(None),
                ~Collector.source.has_key("model_version_id"),
            ),
        ),
        Collector.status_code == ACTIVE,
        Collector.caller_user_id.in_(("", bindparam("caller_user_id"))),
    )
    .order_by(Collector.pk)
)


async def watching(
    session: AsyncSession, model_pk: int, version_pk: int, caller_user_id: str
) -> list[tuple[int, int]]:
    """The (app pk, collector pk) of the active collectors watching this
    model version for this caller, in the order they were made."""
    rows = await _WATCHING.rows(
        session, model_pk=model_pk, version_pk=version_pk, caller_user_id=caller_user_id
    )
    return [(app_pk, pk) for app_pk, pk in rows]
