"""Annotations: labels on inputs, by users, tasks or models. Each input has
one input-level annotation holding its concepts and metadata."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    UniqueConstraint,
    and_,
    delete,
    false,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

from storage.apps import AppScope
from storage.base import Base, Timestamps, rows_by_id
from storage.inputs import Input
from storage.scoped import AppScoped

SUCCESS = 24150  # ANNOTATION_SUCCESS


class Annotation(Timestamps, Base):
    # Read back on INSERT only: a PatchAnnotations flush then sends its
    # UPDATEs as one executemany instead of an UPDATE ... RETURNING per row
    # (the handler reloads the rows it answers with anyway).
    __mapper_args__ = {"eager_defaults": "auto"}
    __tablename__ = "annotations"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        ForeignKeyConstraint(
            ["app_pk", "input_id"], ["inputs.app_pk", "inputs.id"], ondelete="CASCADE"
        ),
        Index("ix_annotations_app_input", "app_pk", "input_id"),
        Index("ix_annotations_app_order", "app_pk", "created_at", "pk"),
        # A task's annotations (ListAnnotations' task filter, PatchAnnotationsStatus).
        Index("ix_annotations_app_task", "app_pk", "task_id"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    input_id: Mapped[str]
    # The Data message (concepts, regions, metadata, ...) as json_format JSON.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    annotation_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The human worker (Annotation.user_id, worker.user.id); for a model's
    # annotation, model_version_id names the model version instead.
    user_id: Mapped[str] = mapped_column(default="")
    task_id: Mapped[str] = mapped_column(default="")
    model_version_id: Mapped[str] = mapped_column(default="")
    input_level: Mapped[bool] = mapped_column(default=False)
    status_code: Mapped[int] = mapped_column(default=SUCCESS)
    status_details: Mapped[str] = mapped_column(default="")


@dataclass
class Filters:
    """ListAnnotations' filters. `pairs` are (annotation id, input id);
    `trusted_only` keeps what the reference calls trusted annotations."""

    ids: list[str] = field(default_factory=list)
    input_ids: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    user_ids: list[str] = field(default_factory=list)
    model_version_ids: list[str] = field(default_factory=list)
    status_codes: list[int] = field(default_factory=list)
    task_id: str = ""
    trusted_only: bool = False


def _where(app: AppScope, f: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Annotation.app_pk == app.pk]
    if f.pairs:
        where.append(tuple_(Annotation.id, Annotation.input_id).in_(f.pairs))
    if f.ids:
        where.append(Annotation.id.in_(f.ids))
    if f.input_ids:
        where.append(Annotation.input_id.in_(f.input_ids))
    if f.task_id:
        where.append(Annotation.task_id == f.task_id)
    # Annotations come from users or model versions: the two filters are OR'd.
    by_worker: list[ColumnElement[bool]] = []
    if f.user_ids:
        by_worker.append(
            and_(Annotation.model_version_id == "", Annotation.user_id.in_(f.user_ids))
        )
    if f.model_version_ids:
        by_worker.append(Annotation.model_version_id.in_(f.model_version_ids))
    if by_worker:
        where.append(or_(*by_worker))
    if f.trusted_only:
        where.append(Annotation.input_level == false())
        if not f.model_version_ids:
            where.append(Annotation.model_version_id == "")
        if not f.status_codes:
            where.append(Annotation.status_code == SUCCESS)
    if f.status_codes:
        where.append(Annotation.status_code.in_(f.status_codes))
    return where


class AnnotationStorage(AppScoped[Annotation]):
    """The app's annotations."""

    model = Annotation

    async def inputs_text(
        self, input_ids: Sequence[str], *, hold: bool = False
    ) -> dict[str, str | None]:
        """The inputs of `input_ids` that exist in the app, each with its raw
        text (None for inputs that carry none), to check text spans against.
        `hold` locks them as a foreign key check does (FOR KEY SHARE): they
        cannot be deleted before the transaction ends."""
        q = select(Input.id, Input.data["text"]["raw"].astext).where(
            Input.app_pk == self.app.pk, Input.id.in_(set(input_ids))
        )
        if hold:
            q = q.with_for_update(read=True, key_share=True)
        return {input_id: raw for input_id, raw in await self.session.execute(q)}

    async def add(self, values: list[dict[str, Any]]) -> dict[str, Annotation]:
        """Insert annotations (column values without app_pk) in one statement;
        returns those inserted, by id. An id the app has is skipped."""
        if not values:
            return {}
        rows = await self.session.scalars(
            insert(Annotation)
            .values([{**v, "app_pk": self.app.pk} for v in values])
            .on_conflict_do_nothing(index_elements=["app_pk", "id"])
            .returning(Annotation),
        )
        return {row.id: row for row in rows}

    async def get(self, annotation_id: str, input_id: str = "") -> Annotation | None:
        q = select(Annotation).where(
            Annotation.app_pk == self.app.pk, Annotation.id == annotation_id
        )
        if input_id:
            q = q.where(Annotation.input_id == input_id)
        return await self.session.scalar(q)

    async def get_many(
        self, ids: Sequence[str], *, for_update: bool = False
    ) -> dict[str, Annotation]:
        return await rows_by_id(self.session, Annotation, self.app, ids, lock=for_update)

    async def reload(self, ids: Sequence[str]) -> list[Annotation]:
        """The rows of `ids` as stored now (after an update), in the order given."""
        q = (
            select(Annotation)
            .where(Annotation.app_pk == self.app.pk, Annotation.id.in_(set(ids)))
            .execution_options(populate_existing=True)
        )
        by_id = {row.id: row for row in await self.session.scalars(q)}
        return [by_id[i] for i in ids if i in by_id]

    async def list_(self, filters: Filters, *, limit: int, offset: int) -> list[Annotation]:
        """Oldest first, as the reference lists annotations."""
        q = (
            select(Annotation)
            .where(*_where(self.app, filters))
            .order_by(Annotation.created_at, Annotation.pk)
            .limit(limit)
            .offset(offset)
        )
        return list(await self.session.scalars(q))

    async def of_inputs(self, input_ids: Sequence[str]) -> list[Annotation]:
        """Every annotation of these inputs except the input-level ones."""
        q = (
            select(Annotation)
            .where(
                Annotation.app_pk == self.app.pk,
                Annotation.input_id.in_(set(input_ids)),
                Annotation.input_level == false(),
            )
            .order_by(Annotation.created_at, Annotation.pk)
        )
        return list(await self.session.scalars(q))

    async def delete_(self, pks: Sequence[int]) -> None:
        await self.session.execute(
            delete(Annotation).where(Annotation.app_pk == self.app.pk, Annotation.pk.in_(set(pks)))
        )

    async def set_task_status(
        self,
        task_id: str,
        status_code: int,
        *,
        user_ids: Sequence[str],
        status_codes: Sequence[int],
    ) -> list[str]:
        """Set the status of a task's annotations (optionally only those of
        `user_ids` and in `status_codes`); returns the user id of each changed
        annotation."""
        q = update(Annotation).where(
            Annotation.app_pk == self.app.pk,
            Annotation.task_id == task_id,
            Annotation.status_code != status_code,
        )
        if user_ids:
            q = q.where(Annotation.user_id.in_(user_ids))
        if status_codes:
            q = q.where(Annotation.status_code.in_(status_codes))
        q = q.values(status_code=status_code, status_details="", modified_at=func.now())
        rows = await self.session.scalars(q.returning(Annotation.user_id))
        return list(rows)
