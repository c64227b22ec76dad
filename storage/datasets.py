"""Datasets, the inputs they hold, their versions (frozen snapshots of those
inputs and their annotations) and the versions' exports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    PrimaryKeyConstraint,
    UniqueConstraint,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.apps import AppScope
from storage.base import Base, Timestamps, ids_in
from storage.scoped import AppScoped

VERSION_PENDING = 64005
EXPORT_PENDING = 64201
ANNOTATION_SUCCESS = 24150


class Dataset(Timestamps, Base):
    __tablename__ = "datasets"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index("ix_datasets_app_modified", "app_pk", "modified_at"),
        Index("ix_datasets_app_created", "app_pk", "created_at"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    visibility: Mapped[int] = mapped_column(default=10)
    image_url: Mapped[str] = mapped_column(default="")


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


class DatasetVersion(Timestamps, Base):
    __tablename__ = "dataset_versions"
    __table_args__ = (
        UniqueConstraint("dataset_pk", "id"),
        Index("ix_dataset_versions_dataset_created", "dataset_pk", "created_at"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    dataset_pk: Mapped[int] = mapped_column(ForeignKey("datasets.pk", ondelete="CASCADE"))
    id: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    visibility: Mapped[int] = mapped_column(default=10)
    request_origin: Mapped[int] = mapped_column(default=1)
    status_code: Mapped[int] = mapped_column(default=VERSION_PENDING)
    status_details: Mapped[str] = mapped_column(default="")
    # DatasetVersionMetrics as json_format JSON, keyed like the API's map
    # ("/" for the whole version); filled when the version is ready.
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)


class VersionInput(Base):
    """One input of a version, frozen: its data and its annotations as they
    were when the version was created."""

    __tablename__ = "dataset_version_inputs"
    __table_args__ = (
        PrimaryKeyConstraint("version_pk", "input_id"),
        Index("ix_dataset_version_inputs_order", "version_pk", "seq"),
        # Whether a version still refers to a blob (unreferenced_blobs).
        Index(
            "ix_dataset_version_inputs_app_blob",
            "app_pk",
            "blob_key",
            postgresql_where=text("blob_key <> ''"),
        ),
    )

    version_pk: Mapped[int] = mapped_column(ForeignKey("dataset_versions.pk", ondelete="CASCADE"))
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    input_id: Mapped[str]
    # The order the inputs were added to the dataset.
    seq: Mapped[int]
    # The input's row of the inputs table as JSON (id, data, created_at, ...),
    # but for its blob key, kept in its own column.
    input: Mapped[dict[str, Any]]
    # The input's stored media ("" for none): the blob stays while a version
    # refers to it, after the input itself is deleted.
    blob_key: Mapped[str] = mapped_column(default="")
    # Its finished annotations, rows of the annotations table as JSON.
    annotations: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)


class VersionExport(Timestamps, Base):
    __tablename__ = "dataset_version_exports"
    __table_args__ = (PrimaryKeyConstraint("version_pk", "format"),)

    version_pk: Mapped[int] = mapped_column(ForeignKey("dataset_versions.pk", ondelete="CASCADE"))
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    format: Mapped[int]
    status_code: Mapped[int] = mapped_column(default=EXPORT_PENDING)
    status_details: Mapped[str] = mapped_column(default="")
    size: Mapped[int] = mapped_column(default=0)
    # Where the finished archive is stored (a blob key or a file name).
    location: Mapped[str] = mapped_column(default="")


# ---- datasets ----


# ---- dataset inputs ----


# ---- versions ----


async def version_by_pk(session: AsyncSession, app_pk: int, pk: int) -> DatasetVersion | None:
    """For background jobs, which carry the app's pk rather than its scope."""
    return await session.scalar(
        select(DatasetVersion).where(DatasetVersion.app_pk == app_pk, DatasetVersion.pk == pk)
    )


# Each input with its finished annotations (the tables' rows as JSON), read
# once by the one statement, so every version gets the same consistent copy.
_FREEZE = text(
    """
    WITH frozen AS MATERIALIZED (
        SELECT di.input_id, di.pk AS seq, to_jsonb(i) - 'pk' - 'app_pk' - 'blob_key' AS input,
               i.blob_key,
               COALESCE((SELECT jsonb_agg(to_jsonb(a) - 'pk' - 'app_pk'
                                          ORDER BY a.created_at, a.pk)
                         FROM annotations a
                         WHERE a.app_pk = i.app_pk AND a.input_id = i.id
                           AND a.status_code = :annotation_success), '[]'::jsonb) AS annotations
        FROM dataset_inputs di
        JOIN inputs i ON i.app_pk = di.app_pk AND i.id = di.input_id
        WHERE di.app_pk = :app_pk AND di.dataset_pk = :dataset_pk
    )
    INSERT INTO dataset_version_inputs
        (version_pk, app_pk, input_id, seq, input, blob_key, annotations)
    SELECT v.pk, :app_pk, f.input_id, f.seq, f.input, f.blob_key, f.annotations
    FROM unnest(CAST(:version_pks AS bigint[])) AS v(pk) CROSS JOIN frozen f
    """
)


async def frozen_inputs(
    session: AsyncSession, app_pk: int, version_pk: int, batch: int = 500
) -> AsyncIterator[VersionInput]:
    """A version's inputs in the order they were added, streamed."""
    result = await session.stream_scalars(
        select(VersionInput)
        .where(VersionInput.app_pk == app_pk, VersionInput.version_pk == version_pk)
        .order_by(VersionInput.seq)
        .execution_options(yield_per=batch)
    )
    async for row in result:
        yield row


def _of_versions(
    column: Any, app: AppScope, dataset_pks: Sequence[int], version_pks: Sequence[int]
) -> Any:
    """`column` (a version pk) names one of these datasets' versions, or
    one of these versions."""
    if dataset_pks:
        return column.in_(
            select(DatasetVersion.pk).where(
                DatasetVersion.app_pk == app.pk, DatasetVersion.dataset_pk.in_(list(dataset_pks))
            )
        )
    return column.in_(list(version_pks))


# ---- blob references ----


# A key is made for one input (blobs.new_key), so the live input that can
# refer to it is the one of that id: found by the unique (app_pk, id) index.
_UNREFERENCED = text(
    """
    SELECT DISTINCT r.blob_key
    FROM unnest(CAST(:input_ids AS text[]), CAST(:blob_keys AS text[])) AS r(input_id, blob_key)
    WHERE NOT EXISTS (SELECT 1 FROM inputs i
                      WHERE i.app_pk = :app_pk AND i.id = r.input_id
                        AND i.blob_key = r.blob_key)
      AND NOT EXISTS (SELECT 1 FROM dataset_version_inputs v
                      WHERE v.app_pk = :app_pk AND v.blob_key = r.blob_key)
    """
)


# ---- exports ----


async def get_export(
    session: AsyncSession, app_pk: int, version_pk: int, fmt: int, *, lock: bool = False
) -> VersionExport | None:
    q = select(VersionExport).where(
        VersionExport.app_pk == app_pk,
        VersionExport.version_pk == version_pk,
        VersionExport.format == fmt,
    )
    if lock:
        q = q.with_for_update()
    return await session.scalar(q)


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
        self, ids: list[str], *, keep: bool = False, lock: bool = False
    ) -> dict[str, Dataset]:
        """`keep`: as for `get`. `lock`: for deleting them: a call adding a
        version (which keeps its dataset) finishes first, or waits and finds the
        dataset gone."""
        q = select(Dataset).where(Dataset.app_pk == self.app.pk, Dataset.id.in_(ids))
        if lock:
            q = q.with_for_update()
        elif keep:
            q = q.with_for_update(read=True, key_share=True)
        return {d.id: d for d in await self.session.scalars(q)}

    async def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of these dataset ids exist in the app."""
        return await ids_in(self.session, Dataset, self.app, ids)

    async def add(self, rows: Sequence[Dataset] | Sequence[DatasetVersion]) -> None:
        """New datasets, or new versions, of the app."""
        for row in rows:
            row.app_pk = self.app.pk
        self.session.add_all(rows)
        await self.session.flush()

    async def list_(self, *, order: list[Any], limit: int, offset: int) -> list[Dataset]:
        q = select(Dataset).where(Dataset.app_pk == self.app.pk).order_by(*order)
        return list(await self.session.scalars(q.limit(limit).offset(offset)))

    async def delete_many(self, pks: list[int]) -> None:
        await self.session.execute(
            delete(Dataset).where(Dataset.app_pk == self.app.pk, Dataset.pk.in_(pks))
        )


class DatasetInputStorage(AppScoped[DatasetInput]):
    """The inputs of the app's datasets."""

    model = DatasetInput

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

    async def linked_input_ids(self, dataset_pk: int, ids: list[str]) -> set[str]:
        rows = await self.session.scalars(
            select(DatasetInput.input_id).where(
                DatasetInput.app_pk == self.app.pk,
                DatasetInput.dataset_pk == dataset_pk,
                DatasetInput.input_id.in_(ids),
            )
        )
        return set(rows)

    async def page_links(self, dataset_pk: int, *, limit: int, offset: int) -> list[DatasetInput]:
        """The dataset's inputs in the order they were added."""
        q = (
            select(DatasetInput)
            .where(DatasetInput.app_pk == self.app.pk, DatasetInput.dataset_pk == dataset_pk)
            .order_by(DatasetInput.pk)
            .limit(limit)
            .offset(offset)
        )
        return list(await self.session.scalars(q))

    async def get_link(self, dataset_pk: int, input_id: str) -> DatasetInput | None:
        return await self.session.scalar(
            select(DatasetInput).where(
                DatasetInput.app_pk == self.app.pk,
                DatasetInput.dataset_pk == dataset_pk,
                DatasetInput.input_id == input_id,
            )
        )

    async def unlink_inputs(self, dataset_pk: int, ids: list[str]) -> None:
        await self.session.execute(
            delete(DatasetInput).where(
                DatasetInput.app_pk == self.app.pk,
                DatasetInput.dataset_pk == dataset_pk,
                DatasetInput.input_id.in_(ids),
            )
        )

    async def keep_datasets(self, ids: Sequence[str]) -> dict[str, Dataset]:
        """The datasets with these ids, by id, kept from deletion until the
        transaction ends (for calls that add inputs to them)."""
        return await DatasetStorage(self.session, self.app).get_many(list(ids), keep=True)


class DatasetVersionStorage(AppScoped[DatasetVersion]):
    """The versions of the app's datasets, their frozen inputs and exports."""

    model = DatasetVersion

    async def get_version(
        self, dataset_pk: int, version_id: str, *, keep: bool = False
    ) -> DatasetVersion | None:
        """`keep`: as for `get`."""
        q = select(DatasetVersion).where(
            DatasetVersion.app_pk == self.app.pk,
            DatasetVersion.dataset_pk == dataset_pk,
            DatasetVersion.id == version_id,
        )
        if keep:
            q = q.with_for_update(read=True, key_share=True)
        return await self.session.scalar(q)

    async def versions_by_id(self, dataset_pk: int, ids: list[str]) -> dict[str, DatasetVersion]:
        rows = await self.session.scalars(
            select(DatasetVersion).where(
                DatasetVersion.app_pk == self.app.pk,
                DatasetVersion.dataset_pk == dataset_pk,
                DatasetVersion.id.in_(ids),
            )
        )
        return {v.id: v for v in rows}

    async def list_versions(
        self,
        dataset_pk: int,
        *,
        origins: list[int],
        limit: int,
        offset: int,
    ) -> list[DatasetVersion]:
        q = select(DatasetVersion).where(
            DatasetVersion.app_pk == self.app.pk, DatasetVersion.dataset_pk == dataset_pk
        )
        if origins:
            q = q.where(DatasetVersion.request_origin.in_(origins))
        q = q.order_by(DatasetVersion.created_at.desc(), DatasetVersion.pk.desc())
        return list(await self.session.scalars(q.limit(limit).offset(offset)))

    async def latest_versions(self, dataset_pks: list[int]) -> dict[int, DatasetVersion]:
        if not dataset_pks:
            return {}
        # The most recently added version of each dataset.
        newest = (
            select(func.max(DatasetVersion.pk))
            .where(DatasetVersion.app_pk == self.app.pk, DatasetVersion.dataset_pk.in_(dataset_pks))
            .group_by(DatasetVersion.dataset_pk)
        )
        q = select(DatasetVersion).where(
            DatasetVersion.app_pk == self.app.pk, DatasetVersion.pk.in_(newest)
        )
        return {v.dataset_pk: v for v in await self.session.scalars(q)}

    async def freeze(self, dataset_pk: int, version_pks: list[int]) -> None:
        """Copy the dataset's inputs and their annotations into these versions;
        later edits to either leave the versions unchanged, and the inputs'
        blobs stay while the versions refer to them."""
        # An input deleted meanwhile is either seen gone here, or its delete
        # sees these versions refer to its blob.
        await self._hold_references()
        await self.session.execute(
            _FREEZE,
            {
                "version_pks": version_pks,
                "app_pk": self.app.pk,
                "dataset_pk": dataset_pk,
                "annotation_success": ANNOTATION_SUCCESS,
            },
        )

    async def delete_versions(self, pks: list[int]) -> None:
        await self.session.execute(
            delete(DatasetVersion).where(
                DatasetVersion.app_pk == self.app.pk, DatasetVersion.pk.in_(pks)
            )
        )

    async def drop_frozen(
        self,
        *,
        dataset_pks: Sequence[int] = (),
        version_pks: Sequence[int] = (),
    ) -> list[tuple[str, str]]:
        """Delete the frozen inputs of these datasets' or versions' (before the
        datasets or versions themselves); returns the (input id, blob key) pairs
        of those that had media, for unreferenced_blobs."""
        gone = (
            delete(VersionInput)
            .where(
                VersionInput.app_pk == self.app.pk,
                _of_versions(VersionInput.version_pk, self.app, dataset_pks, version_pks),
            )
            .returning(VersionInput.input_id, VersionInput.blob_key)
            .cte("gone")
        )
        rows = await self.session.execute(
            select(gone.c.input_id, gone.c.blob_key).distinct().where(gone.c.blob_key != "")
        )
        return [(input_id, key) for input_id, key in rows]

    async def _hold_references(self) -> None:
        """Until this transaction ends, no other transaction adds or drops
        references to the app's blobs (freeze, unreferenced_blobs), so whether a
        blob is still referenced is decided on rows that stay as read. Taken
        late, after the call's writes that may wait for other transactions' row
        locks, so a holder never waits for a transaction waiting for it."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended('blob references', :app_pk))"),
            {"app_pk": self.app.pk},
        )

    async def unreferenced_blobs(self, held: Iterable[tuple[str, str]]) -> list[str]:
        """Of the blobs named by these (input id, blob key) pairs of rows just
        deleted (inputs, frozen inputs), those no live input and no version
        refers to any more: to delete once the transaction commits."""
        pairs = [(input_id, key) for input_id, key in held if key]
        if not pairs:
            return []
        await self._hold_references()
        rows = await self.session.scalars(
            _UNREFERENCED,
            {
                "app_pk": self.app.pk,
                "input_ids": [input_id for input_id, _ in pairs],
                "blob_keys": [key for _, key in pairs],
            },
        )
        return list(rows)

    async def exports_of(self, version_pks: list[int]) -> dict[int, list[VersionExport]]:
        out: dict[int, list[VersionExport]] = {pk: [] for pk in version_pks}
        if not version_pks:
            return out
        rows = await self.session.scalars(
            select(VersionExport)
            .where(VersionExport.app_pk == self.app.pk, VersionExport.version_pk.in_(version_pks))
            .order_by(VersionExport.format)
        )
        for row in rows:
            out[row.version_pk].append(row)
        return out

    async def delete_exports(
        self,
        *,
        dataset_pks: Sequence[int] = (),
        version_pks: Sequence[int] = (),
    ) -> list[str]:
        """Delete the exports of these datasets' or versions' (before the
        datasets or versions themselves); returns where their archives are
        stored. Deleting, rather than reading, waits for an export job that is
        recording its archive right now, and so returns that archive too."""
        q = delete(VersionExport).where(
            VersionExport.app_pk == self.app.pk,
            _of_versions(VersionExport.version_pk, self.app, dataset_pks, version_pks),
        )
        locations = await self.session.scalars(q.returning(VersionExport.location))
        return [loc for loc in locations if loc]

    async def start_export(self, version_pk: int, fmt: int) -> bool:
        """Create the export in PENDING state unless it exists; True if created.
        Concurrent requests for the same export create it once."""
        result = await self.session.execute(
            insert(VersionExport)
            .values(
                app_pk=self.app.pk, version_pk=version_pk, format=fmt, status_code=EXPORT_PENDING
            )
            .on_conflict_do_nothing(index_elements=["version_pk", "format"])
            .returning(VersionExport.format)
        )
        return result.first() is not None
