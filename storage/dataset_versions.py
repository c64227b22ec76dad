"""The versions of datasets (frozen snapshots of their inputs and those
inputs' annotations) and the versions' exports.

Background jobs (server/exports.py) build and export versions in
transactions of their own, through the same `DatasetVersionStorage`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Identity,
    Index,
    PrimaryKeyConstraint,
    UniqueConstraint,
    delete,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.scoped import AppScoped

VERSION_PENDING = 64005
EXPORT_PENDING = 64201
ANNOTATION_SUCCESS = 24150


class DatasetVersion(Timestamps, Base):
    __tablename__ = "dataset_versions"
    __table_args__ = (
        UniqueConstraint("dataset_pk", "id"),
        # ListDatasetVersions: a dataset's versions, newest first.
        Index("ix_dataset_versions_dataset_created", "dataset_pk", "created_at", "pk"),
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
    # The AnnotationFilterConfig the version was made with (json_format), the
    # filter copied whole ({}: none, every finished annotation).
    data_config: Mapped[dict[str, Any]] = mapped_column(default=dict)
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


class MetricsGroup(Base):
    """One metrics group of a ready version (ListDatasetVersionMetricsGroups),
    written with the version's metrics; `seq` is its place in the list."""

    __tablename__ = "dataset_version_metrics_groups"
    __table_args__ = (PrimaryKeyConstraint("version_pk", "seq"),)

    version_pk: Mapped[int] = mapped_column(ForeignKey("dataset_versions.pk", ondelete="CASCADE"))
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    parent_path: Mapped[str]
    type: Mapped[int]
    # The group's google.protobuf.Value as JSON: a string or a number.
    value: Mapped[Any] = mapped_column(JSONB)
    # DatasetVersionMetrics counts by field name.
    metrics: Mapped[dict[str, Any]]


# A dataset's versions, newest first.
LIST = Order(
    "ListDatasetVersions",
    scope=[DatasetVersion.dataset_pk],
    columns=[DatasetVersion.created_at, DatasetVersion.pk],
    descending=True,
)

# A version's metrics groups, in the order they were written.
GROUPS = Order(
    "ListDatasetVersionMetricsGroups",
    scope=[MetricsGroup.version_pk],
    columns=[MetricsGroup.seq],
)


# Each input with its annotations (the tables' rows as JSON), read once by
# the one statement, so every version gets the same consistent copy: the
# finished ones, or those of :annotation_pks when an annotation filter chose
# them; with :ignore_empty, inputs left without any stay out.
_FREEZE = text(
    """
    WITH frozen AS MATERIALIZED (
        SELECT di.input_id, di.pk AS seq, to_jsonb(i) - 'pk' - 'app_pk' - 'blob_key' AS input,
               i.blob_key,
               COALESCE((SELECT jsonb_agg(to_jsonb(a) - 'pk' - 'app_pk'
                                          ORDER BY a.created_at, a.pk)
                         FROM annotations a
                         WHERE a.app_pk = i.app_pk AND a.input_id = i.id
                           AND CASE WHEN CAST(:annotation_pks AS bigint[]) IS NULL
                                    THEN a.status_code = :annotation_success
                                         AND a.model_version_id <> :predicted_by
                                    ELSE a.pk = ANY(CAST(:annotation_pks AS bigint[]))
                               END), '[]'::jsonb) AS annotations
        FROM dataset_inputs di
        JOIN inputs i ON i.app_pk = di.app_pk AND i.id = di.input_id
        WHERE di.app_pk = :app_pk AND di.dataset_pk = :dataset_pk
    )
    INSERT INTO dataset_version_inputs
        (version_pk, app_pk, input_id, seq, input, blob_key, annotations)
    SELECT v.pk, :app_pk, f.input_id, f.seq, f.input, f.blob_key, f.annotations
    FROM unnest(CAST(:version_pks AS bigint[])) AS v(pk) CROSS JOIN frozen f
    WHERE NOT :ignore_empty OR f.annotations <> '[]'::jsonb
    """
)


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


class DatasetVersionStorage(AppScoped[DatasetVersion]):
    """The versions of the app's datasets, their frozen inputs and exports.
    A version's id is unique within its dataset only: versions are found by
    dataset, or by pk (the helpers by id do not apply)."""

    model = DatasetVersion

    # ---- versions ----

    async def get_version(
        self, dataset_pk: int, version_id: str, *, keep: bool = False
    ) -> DatasetVersion | None:
        """`keep`: the version cannot be deleted until this transaction ends
        (for calls that write rows referring to it)."""
        q = select(DatasetVersion).where(
            DatasetVersion.app_pk == self.app.pk,
            DatasetVersion.dataset_pk == dataset_pk,
            DatasetVersion.id == version_id,
        )
        if keep:
            q = q.with_for_update(read=True, key_share=True)
        return await self.session.scalar(q)

    async def by_pk(self, pk: int) -> DatasetVersion | None:
        """For background jobs, which carry the version's pk."""
        return await self.session.scalar(
            select(DatasetVersion).where(
                DatasetVersion.app_pk == self.app.pk, DatasetVersion.pk == pk
            )
        )

    async def versions_by_id(
        self, dataset_pk: int, ids: Sequence[str]
    ) -> dict[str, DatasetVersion]:
        """The dataset's versions with these ids, by id."""
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(DatasetVersion).where(
                DatasetVersion.app_pk == self.app.pk,
                DatasetVersion.dataset_pk == dataset_pk,
                DatasetVersion.id == any_of(ids),
            )
        )
        return {v.id: v for v in rows}

    async def add(self, dataset_pk: int, values: Sequence[dict[str, Any]]) -> list[DatasetVersion]:
        """New versions of the dataset (their attributes by name), in order;
        `freeze` then fills them."""
        rows = [DatasetVersion(app_pk=self.app.pk, dataset_pk=dataset_pk, **v) for v in values]
        self.session.add_all(rows)
        await self.session.flush()
        return rows

    async def page(
        self, dataset_pk: int, at: Page, *, origins: Collection[int] = ()
    ) -> list[DatasetVersion]:
        """The dataset's versions, newest first; only those made for one of
        `origins` when given."""
        query = select(DatasetVersion).where(
            DatasetVersion.app_pk == self.app.pk, DatasetVersion.dataset_pk == dataset_pk
        )
        if origins:
            query = query.where(DatasetVersion.request_origin.in_(list(origins)))
        return await listing.page(self.session, query, LIST, at)

    async def latest_versions(self, dataset_pks: list[int]) -> dict[int, DatasetVersion]:
        """The most recently added version of each of these datasets."""
        if not dataset_pks:
            return {}
        newest = (
            select(func.max(DatasetVersion.pk))
            .where(DatasetVersion.app_pk == self.app.pk, DatasetVersion.dataset_pk.in_(dataset_pks))
            .group_by(DatasetVersion.dataset_pk)
        )
        q = select(DatasetVersion).where(
            DatasetVersion.app_pk == self.app.pk, DatasetVersion.pk.in_(newest)
        )
        return {v.dataset_pk: v for v in await self.session.scalars(q)}

    async def update(self, row: DatasetVersion, values: dict[str, Any]) -> None:
        """Set these attributes of the version (none: only modified_at, which
        every update sets); `row` is read back."""
        stmt = update(DatasetVersion).where(
            DatasetVersion.app_pk == self.app.pk, DatasetVersion.pk == row.pk
        )
        # Reading the returned row refreshes `row`, modified_at included.
        (await self.session.scalars(stmt.values(values).returning(DatasetVersion))).all()

    async def delete(self, pks: list[int]) -> list[str]:
        """Delete these versions with their frozen inputs and exports; returns
        the blobs to delete once the transaction commits (the exports'
        archives, and media no live input or version refers to any more)."""
        frozen = await self.drop_frozen(version_pks=pks)
        locations = await self.delete_exports(version_pks=pks)
        await self.session.execute(
            delete(DatasetVersion).where(
                DatasetVersion.app_pk == self.app.pk, DatasetVersion.pk.in_(pks)
            )
        )
        return locations + await self.unreferenced_blobs(frozen)

    # ---- metrics groups ----

    async def add_groups(self, version_pk: int, groups: Sequence[dict[str, Any]]) -> None:
        """Write a version's metrics groups (parent_path, type, value,
        metrics), in the order they are listed."""
        if groups:
            await self.session.execute(
                insert(MetricsGroup),
                [
                    {"version_pk": version_pk, "app_pk": self.app.pk, "seq": n, **g}
                    for n, g in enumerate(groups)
                ],
            )

    async def groups_page(
        self,
        version_pk: int,
        at: Page,
        *,
        parent_paths: Collection[str] = (),
        types: Collection[int] = (),
        values: Collection[Any] = (),
    ) -> list[MetricsGroup]:
        """A page of the version's metrics groups, only those with one of
        these parent paths, types and values (JSON) where given."""
        query = select(MetricsGroup).where(
            MetricsGroup.app_pk == self.app.pk, MetricsGroup.version_pk == version_pk
        )
        if parent_paths:
            query = query.where(MetricsGroup.parent_path.in_(sorted(set(parent_paths))))
        if types:
            query = query.where(MetricsGroup.type.in_(sorted(set(types))))
        if values:
            query = query.where(MetricsGroup.value.in_([literal(v, JSONB) for v in values]))
        return await listing.page(self.session, query, GROUPS, at)

    # ---- frozen inputs ----

    async def freeze(
        self,
        dataset_pk: int,
        version_pks: list[int],
        predicted_by: str,
        *,
        annotation_pks: Sequence[int] | None = None,
        ignore_empty: bool = False,
    ) -> None:
        """Copy the dataset's inputs and their annotations into these versions;
        later edits to either leave the versions unchanged, and the inputs'
        blobs stay while the versions refer to them. The annotations are those
        of `annotation_pks` (an annotation filter's choice) when given, else
        the finished ones but for those of the model version `predicted_by`
        (the base workflow's predictions, not labels). `ignore_empty`: inputs
        left without annotations stay out."""
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
                "predicted_by": predicted_by,
                "annotation_pks": None if annotation_pks is None else list(annotation_pks),
                "ignore_empty": ignore_empty,
            },
        )

    async def frozen_inputs(self, version_pk: int, batch: int = 500) -> AsyncIterator[VersionInput]:
        """A version's inputs in the order they were added, streamed."""
        result = await self.session.stream_scalars(
            select(VersionInput)
            .where(VersionInput.app_pk == self.app.pk, VersionInput.version_pk == version_pk)
            .order_by(VersionInput.seq)
            .execution_options(yield_per=batch)
        )
        async for row in result:
            yield row

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
                self._of_versions(VersionInput.version_pk, dataset_pks, version_pks),
            )
            .returning(VersionInput.input_id, VersionInput.blob_key)
            .cte("gone")
        )
        rows = await self.session.execute(
            select(gone.c.input_id, gone.c.blob_key).distinct().where(gone.c.blob_key != "")
        )
        return [(input_id, key) for input_id, key in rows]

    def _of_versions(
        self, column: Any, dataset_pks: Sequence[int], version_pks: Sequence[int]
    ) -> Any:
        """`column` (a version pk) names one of these datasets' versions, or
        one of these versions."""
        if dataset_pks:
            return column.in_(
                select(DatasetVersion.pk).where(
                    DatasetVersion.app_pk == self.app.pk,
                    DatasetVersion.dataset_pk.in_(list(dataset_pks)),
                )
            )
        return column.in_(list(version_pks))

    # ---- blob references ----

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

    # ---- exports ----

    async def exports_of(self, version_pks: list[int]) -> dict[int, list[VersionExport]]:
        """The exports of these versions, by version, in format order."""
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

    async def get_export(
        self, version_pk: int, fmt: int, *, lock: bool = False
    ) -> VersionExport | None:
        q = select(VersionExport).where(
            VersionExport.app_pk == self.app.pk,
            VersionExport.version_pk == version_pk,
            VersionExport.format == fmt,
        )
        if lock:
            q = q.with_for_update()
        return await self.session.scalar(q)

    async def start_export(
        self, version_pk: int, fmt: int, *, again_if: Collection[int] = ()
    ) -> tuple[VersionExport, bool]:
        """The version's export in this format, created PENDING unless it
        exists, or set back to PENDING if its status is one of `again_if`; and
        whether it (re)started. Concurrent requests for the same export create
        it once; the export stays locked until the transaction ends."""
        created = await self.session.execute(
            insert(VersionExport)
            .values(
                app_pk=self.app.pk, version_pk=version_pk, format=fmt, status_code=EXPORT_PENDING
            )
            .on_conflict_do_nothing(index_elements=["version_pk", "format"])
            .returning(VersionExport.format)
        )
        started = created.first() is not None
        row = await self.get_export(version_pk, fmt, lock=True)
        assert row is not None  # just created or already there, and locked now
        if not started and row.status_code in again_if:
            await self.update_export(row, {"status_code": EXPORT_PENDING, "status_details": ""})
            started = True
        return row, started

    async def update_export(self, row: VersionExport, values: dict[str, Any]) -> None:
        """Set these attributes of the export; `row` is read back."""
        stmt = update(VersionExport).where(
            VersionExport.app_pk == self.app.pk,
            VersionExport.version_pk == row.version_pk,
            VersionExport.format == row.format,
        )
        # Reading the returned row refreshes `row`, modified_at included.
        (await self.session.scalars(stmt.values(values).returning(VersionExport))).all()

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
            self._of_versions(VersionExport.version_pk, dataset_pks, version_pks),
        )
        locations = await self.session.scalars(q.returning(VersionExport.location))
        return [loc for loc in locations if loc]
