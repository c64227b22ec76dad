"""Annotation filters: named searches that select which annotations (and,
with ignore_empty_inputs, which inputs) a dataset version holds. A dataset
may name one as its default (datasets.default_filter_pk)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps
from storage.listing import Order, Page
from storage.scoped import AppScoped


class AnnotationFilter(Timestamps, Base):
    __tablename__ = "annotation_filters"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListAnnotationFilters: newest first.
        Index("ix_annotation_filters_app_created", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    # The Search as the filter holds it (json_format, snake_case), without
    # its created_at, modified_at and save.
    search: Mapped[dict[str, Any]] = mapped_column(default=dict)


LIST = Order(
    "ListAnnotationFilters",
    scope=[AnnotationFilter.app_pk],
    columns=[AnnotationFilter.created_at, AnnotationFilter.pk],
    descending=True,
)


class AnnotationFilterStorage(AppScoped[AnnotationFilter]):
    """The app's annotation filters."""

    model = AnnotationFilter

    async def page(self, at: Page) -> list[AnnotationFilter]:
        query = select(AnnotationFilter).where(AnnotationFilter.app_pk == self.app.pk)
        return await listing.page(self.session, query, LIST, at)

    async def kept(self, ids: Sequence[str]) -> dict[str, AnnotationFilter]:
        """The filters of these ids, by id, which cannot be deleted until this
        transaction ends (for calls that name them from a dataset)."""
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(AnnotationFilter)
            .where(AnnotationFilter.app_pk == self.app.pk, AnnotationFilter.id.in_(set(ids)))
            .with_for_update(read=True, key_share=True)
        )
        return {r.id: r for r in rows}

    async def by_pk(self, pks: Sequence[int]) -> dict[int, AnnotationFilter]:
        """The filters of these pks (the defaults datasets name), by pk."""
        if not pks:
            return {}
        rows = await self.session.scalars(
            select(AnnotationFilter).where(
                AnnotationFilter.app_pk == self.app.pk, AnnotationFilter.pk.in_(set(pks))
            )
        )
        return {r.pk: r for r in rows}

    async def delete(self, pks: list[int]) -> None:
        await self.session.execute(
            delete(AnnotationFilter).where(
                AnnotationFilter.app_pk == self.app.pk, AnnotationFilter.pk.in_(pks)
            )
        )
