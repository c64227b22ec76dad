"""Datasets: named sets of an app's inputs. The inputs they hold are in
storage/dataset_inputs.py, their versions (frozen snapshots) and the
versions' exports in storage/dataset_versions.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.dataset_versions import DatasetVersionStorage
from storage.listing import Order, Page
from storage.scoped import AppScoped


class Dataset(Timestamps, Base):
    __tablename__ = "datasets"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListDatasets by modified_at (its default) and by created_at.
        Index("ix_datasets_app_modified", "app_pk", "modified_at", "pk"),
        Index("ix_datasets_app_created", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    visibility: Mapped[int] = mapped_column(default=10)
    image_url: Mapped[str] = mapped_column(default="")
    # The annotation filter versions made without one of their own use;
    # DeleteAnnotationFilters refuses a filter a dataset names here.
    default_filter_pk: Mapped[int | None] = mapped_column(
        ForeignKey("annotation_filters.pk"), default=None, index=True
    )


# ListDatasets' sorts, each ascending or descending as the request asks; rows
# of equal times (made or changed in one call) follow their pks, the same way.
_SORTS: dict[str, list[Any]] = {
    "created_at": [Dataset.created_at, Dataset.pk],
    "modified_at": [Dataset.modified_at, Dataset.pk],
    "id": [Dataset.id],
}
LIST = {
    (sort, descending): Order(
        f"ListDatasets by {sort}{' descending' if descending else ''}",
        scope=[Dataset.app_pk],
        columns=columns,
        descending=descending,
    )
    for sort, columns in _SORTS.items()
    for descending in (False, True)
}


class DatasetStorage(AppScoped[Dataset]):
    """The app's datasets."""

    model = Dataset

    async def get(self, dataset_id: str, *, keep: bool = False) -> Dataset | None:
        """`keep`: the dataset cannot be deleted until this transaction ends (for
        calls that write rows referring to it)."""
        q = select(Dataset).where(Dataset.app_pk == self.app.pk, Dataset.id == dataset_id)
        if keep:
            q = q.with_for_update(read=True, key_share=True)
        return await self.session.scalar(q)

    async def get_many(
        self, ids: Sequence[str], *, keep: bool = False, lock: bool = False
    ) -> dict[str, Dataset]:
        """`keep`: as for `get`. `lock`: for deleting them: a call adding a
        version (which keeps its dataset) finishes first, or waits and finds the
        dataset gone."""
        if not ids:
            return {}
        q = select(Dataset).where(Dataset.app_pk == self.app.pk, Dataset.id == any_of(ids))
        if lock:
            q = q.with_for_update()
        elif keep:
            q = q.with_for_update(read=True, key_share=True)
        return {d.id: d for d in await self.session.scalars(q)}

    async def page(self, at: Page, *, sort: str, descending: bool) -> list[Dataset]:
        query = select(Dataset).where(Dataset.app_pk == self.app.pk)
        return await listing.page(self.session, query, LIST[sort, descending], at)

    async def naming_filters(self, filter_pks: Sequence[int]) -> dict[int, str]:
        """Of these annotation filters, those a dataset names as its default,
        each with one such dataset's id."""
        if not filter_pks:
            return {}
        rows = await self.session.execute(
            select(Dataset.default_filter_pk, Dataset.id)
            .where(Dataset.app_pk == self.app.pk, Dataset.default_filter_pk.in_(filter_pks))
            .order_by(Dataset.id)
        )
        out: dict[int, str] = {}
        for pk, dataset_id in rows:
            out.setdefault(pk, dataset_id)
        return out

    async def delete(self, pks: list[int]) -> list[str]:
        """Delete these datasets with their inputs' links, their versions and
        the versions' exports; returns the blobs to delete once the transaction
        commits (the exports' archives, and media no live input or version
        refers to any more)."""
        versions = DatasetVersionStorage(self.session, self.app)
        frozen = await versions.drop_frozen(dataset_pks=pks)
        locations = await versions.delete_exports(dataset_pks=pks)
        await self.session.execute(
            delete(Dataset).where(Dataset.app_pk == self.app.pk, Dataset.pk.in_(pks))
        )
        # Media of deleted inputs go with the last version that kept them.
        return locations + await versions.unreferenced_blobs(frozen)
