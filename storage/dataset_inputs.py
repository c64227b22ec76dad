"""The inputs of datasets: which input is in which dataset, since when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.datasets import Dataset, DatasetStorage
from storage.listing import Order, Page
from storage.scoped import AppScoped


class DatasetInput(Timestamps, Base):
    __tablename__ = "dataset_inputs"
    __table_args__ = (
        UniqueConstraint("dataset_pk", "input_id"),
        ForeignKeyConstraint(
            ["app_pk", "input_id"], ["inputs.app_pk", "inputs.id"], ondelete="CASCADE"
        ),
        # Deleting an input cascades here; PostInputs and searches look up an
        # input's datasets.
        Index("ix_dataset_inputs_app_input", "app_pk", "input_id"),
        # A dataset's inputs in the order they were added, page by page.
        Index("ix_dataset_inputs_dataset_order", "dataset_pk", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    dataset_pk: Mapped[int] = mapped_column(ForeignKey("datasets.pk", ondelete="CASCADE"))
    input_id: Mapped[str]


# A dataset's inputs in the order they were added.
LIST = Order("ListDatasetInputs", scope=[DatasetInput.dataset_pk], columns=[DatasetInput.pk])


class DatasetInputStorage(AppScoped[DatasetInput]):
    """The inputs of the app's datasets (rows have no id of their own: the
    helpers by id do not apply)."""

    model = DatasetInput

    async def keep_datasets(self, ids: Sequence[str]) -> dict[str, Dataset]:
        """The datasets with these ids, by id, kept from deletion until the
        transaction ends (for calls that add inputs to them)."""
        return await DatasetStorage(self.session, self.app).get_many(list(ids), keep=True)

    async def link_inputs(
        self, dataset_pks: list[int], input_ids: list[str]
    ) -> dict[tuple[int, str], datetime]:
        """Add each input to each dataset in one statement; pairs already linked
        are left alone. Returns the pairs added, with when."""
        if not dataset_pks or not input_ids:
            return {}
        rows = [
            {"app_pk": self.app.pk, "dataset_pk": d, "input_id": i}
            for d in dataset_pks
            for i in input_ids
        ]
        stmt = (
            insert(DatasetInput)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["dataset_pk", "input_id"])
            .returning(DatasetInput.dataset_pk, DatasetInput.input_id, DatasetInput.created_at)
        )
        result = await self.session.execute(stmt)
        return {(d, i): at for d, i, at in result}

    async def get_link(self, dataset_pk: int, input_id: str) -> DatasetInput | None:
        return await self.session.scalar(
            select(DatasetInput).where(
                DatasetInput.app_pk == self.app.pk,
                DatasetInput.dataset_pk == dataset_pk,
                DatasetInput.input_id == input_id,
            )
        )

    async def linked(self, dataset_pk: int, input_ids: Sequence[str]) -> set[str]:
        """Which of these inputs are in the dataset."""
        rows = await self.session.scalars(
            select(DatasetInput.input_id).where(
                DatasetInput.app_pk == self.app.pk,
                DatasetInput.dataset_pk == dataset_pk,
                DatasetInput.input_id == any_of(input_ids),
            )
        )
        return set(rows)

    async def page(self, dataset_pk: int, at: Page) -> list[DatasetInput]:
        """The dataset's inputs in the order they were added."""
        query = select(DatasetInput).where(
            DatasetInput.app_pk == self.app.pk, DatasetInput.dataset_pk == dataset_pk
        )
        return await listing.page(self.session, query, LIST, at)

    async def unlink(self, dataset_pk: int, input_ids: Sequence[str]) -> None:
        """Take these inputs out of the dataset (the inputs themselves stay)."""
        await self.session.execute(
            delete(DatasetInput).where(
                DatasetInput.app_pk == self.app.pk,
                DatasetInput.dataset_pk == dataset_pk,
                DatasetInput.input_id == any_of(input_ids),
            )
        )
