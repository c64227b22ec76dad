"""Models of an app and their versions (evaluations are in
storage/evaluations.py, prediction output ids in storage/model_outputs.py).
A model's versions hold what it
outputs (output_info, kept as the client sent it), how it was trained, and
what runs it: a built-in runtime of server/inference (clarifai/main's
models), an operator, or a trained artifact (a classifier's coefficients)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Identity,
    Index,
    LargeBinary,
    Select,
    UniqueConstraint,
    any_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on, insert
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Text

from storage import listing
from storage.apps import PUBLIC, App
from storage.base import Base, Timestamps, any_of
from storage.concepts import like_escape
from storage.listing import Order, Page
from storage.scoped import AppScoped, UserScoped


class Model(Timestamps, Base):
    __tablename__ = "models"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index("ix_models_app_modified", "app_pk", "modified_at", "pk"),
        Index("ix_models_app_created", "app_pk", "created_at", "pk"),
        Index("ix_models_app_name", "app_pk", "name", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    name: Mapped[str] = mapped_column(default="")
    model_type_id: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    presets: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    visibility: Mapped[int] = mapped_column(default=10)
    toolkits: Mapped[list[str]] = mapped_column(default=list)
    use_cases: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    check_consents: Mapped[list[str]] = mapped_column(default=list)
    workflow_recommended: Mapped[bool | None] = mapped_column(default=None)
    # The user who made it (Model.creator).
    creator: Mapped[str] = mapped_column(default="")
    # The output_info PostModels was sent with (its concepts, output_config),
    # as sent: the first PostModelVersions of a trainable model inherits it.
    output_info: Mapped[dict[str, Any]] = mapped_column(
        default=dict, server_default=text("'{}'::jsonb")
    )


class ModelVersion(Timestamps, Base):
    __tablename__ = "model_versions"
    __table_args__ = (
        UniqueConstraint("model_pk", "id"),
        Index("ix_model_versions_model_created", "model_pk", "created_at", "pk"),
        Index("ix_model_versions_app_pk_id", "app_pk", "id"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    # The model's app, repeated so a version is scoped like every app-owned row.
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    model_pk: Mapped[int] = mapped_column(ForeignKey("models.pk", ondelete="CASCADE"))
    id: Mapped[str]
    # status.Status of the version: MODEL_TRAINED, MODEL_QUEUED_FOR_TRAINING, ...
    status_code: Mapped[int]
    status_description: Mapped[str] = mapped_column(default="")
    description: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    license: Mapped[str] = mapped_column(default="")
    visibility: Mapped[int] = mapped_column(default=10)
    # OutputInfo, InputInfo and TrainInfo as JSON (proto field names), as sent
    # plus what training filled in (output_info.data.concepts).
    output_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    input_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    train_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    train_log: Mapped[str] = mapped_column(default="")
    total_input_count: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    # What runs it: a key of the built-in runtimes ("" for a trained version,
    # whose artifact holds the fitted classifier as an .npz archive).
    runtime: Mapped[str] = mapped_column(default="")
    artifact: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    # The user who made it.
    user_id: Mapped[str] = mapped_column(default="")


# status.code of a version that can predict (StatusCode.MODEL_TRAINED).
TRAINED = 21100


@dataclass(frozen=True)
class ModelFilter:
    """ListModels' and PostModelsSearches' filters, ANDed; empty ones
    filter nothing."""

    type_ids: Sequence[str] | None = None  # None: any type; []: none
    trained_only: bool = False
    toolkits: Sequence[str] = ()
    use_cases: Sequence[str] = ()
    languages: Sequence[str] = ()
    creator: str = ""
    visibility: int = 0
    # Case-insensitive substring of the id or the name ("*" any run of characters).
    search: str = ""
    version_ids: Sequence[str] = ()

    def apply(self, q: Select) -> Select:
        if self.type_ids is not None:
            q = q.where(Model.model_type_id == any_of(self.type_ids))
        for column, values in (
            (Model.toolkits, self.toolkits),
            (Model.use_cases, self.use_cases),
            (Model.languages, self.languages),
        ):
            if values:
                q = q.where(column.overlap(_texts(values)))
        if self.creator:
            q = q.where(Model.creator == self.creator)
        if self.visibility:
            q = q.where(Model.visibility == self.visibility)
        if self.search:
            pattern = "%" + "%".join(like_escape(p) for p in self.search.split("*")) + "%"
            q = q.where(
                or_(Model.id.ilike(pattern, escape="\\"), Model.name.ilike(pattern, escape="\\"))
            )
        if self.trained_only:
            q = q.where(_has_version(ModelVersion.status_code == TRAINED))
        if self.version_ids:
            q = q.where(_has_version(ModelVersion.id == any_of(self.version_ids)))
        return q


def _texts(values: Sequence[str]) -> Any:
    return func.cast(list(values), ARRAY(Text))


def _has_version(condition: Any) -> Any:
    return exists().where(ModelVersion.model_pk == Model.pk, condition)


def _orders(name: str, scope: Sequence[Any]) -> dict[tuple[str, bool], Order]:
    """The sorts of ListModels: by name, modified_at or created_at, either way."""
    return {
        (sort, descending): Order(
            f"{name} by {sort}{' descending' if descending else ''}",
            scope=scope,
            columns=[getattr(Model, sort), Model.pk],
            descending=descending,
            indexed=bool(scope),
            why="" if scope else "across the apps of a user: the user's models are few",
        )
        for sort in ("name", "modified_at", "created_at")
        for descending in (False, True)
    }


LIST_MODELS = _orders("ListModels", [Model.app_pk])
LIST_USER_MODELS = _orders("ListModels of a user", [])
LIST_VERSIONS = Order(
    "ListModelVersions",
    scope=[ModelVersion.model_pk],
    columns=[ModelVersion.created_at, ModelVersion.pk],
    descending=True,
)
# The other sorts of ListModelVersions: a model has few versions.
LIST_VERSIONS_BY = {
    (column, descending): Order(
        f"ListModelVersions by {column}{' descending' if descending else ''}",
        scope=[ModelVersion.model_pk],
        columns=[getattr(ModelVersion, column), ModelVersion.pk],
        descending=descending,
        indexed=False,
        why="a model's versions are few; no index per sort",
    )
    for column in ("status_code", "total_input_count", "description", "created_at")
    for descending in (False, True)
}


async def latest_versions(
    session: Any, model_pks: Sequence[int], *, trained: bool = False
) -> dict[int, ModelVersion]:
    """Each model's newest version (`trained`: newest trained one), by model pk."""
    if not model_pks:
        return {}
    q = (
        select(ModelVersion)
        .where(ModelVersion.model_pk == _pks(model_pks))
        .ext(distinct_on(ModelVersion.model_pk))
        .order_by(ModelVersion.model_pk, ModelVersion.created_at.desc(), ModelVersion.pk.desc())
    )
    if trained:
        q = q.where(ModelVersion.status_code == TRAINED)
    return {v.model_pk: v for v in await session.scalars(q)}


async def version_counts(session: Any, model_pks: Sequence[int]) -> dict[int, int]:
    if not model_pks:
        return {}
    q = (
        select(ModelVersion.model_pk, func.count())
        .where(ModelVersion.model_pk == _pks(model_pks))
        .group_by(ModelVersion.model_pk)
    )
    return {pk: n for pk, n in await session.execute(q)}


def _pks(pks: Sequence[int]) -> Any:
    return any_(bindparam(None, sorted(set(pks)), type_=ARRAY(BigInteger)))


class ModelStorage(AppScoped[Model]):
    """The app's models; their versions are in ModelVersionStorage."""

    model = Model

    async def page(
        self, at: Page, found: ModelFilter, sort: str = "modified_at", descending: bool = True
    ) -> list[Model]:
        q = found.apply(select(Model).where(Model.app_pk == self.app.pk))
        return await listing.page(self.session, q, LIST_MODELS[sort, descending], at)

    async def latest_versions(
        self, models: Sequence[Model], *, trained: bool = False
    ) -> dict[int, ModelVersion]:
        return await latest_versions(self.session, [m.pk for m in models], trained=trained)

    async def version_counts(self, models: Sequence[Model]) -> dict[int, int]:
        return await version_counts(self.session, [m.pk for m in models])

    async def delete(self, ids: Sequence[str] | None) -> None:
        """Delete the given models, or all of the app's (None); their versions,
        evaluations, outputs and embeddings go by the foreign keys' cascades."""
        q = delete(Model).where(Model.app_pk == self.app.pk)
        if ids is not None:
            q = q.where(Model.id == any_of(ids))
        await self.session.execute(q)


class ModelVersionStorage(AppScoped[ModelVersion]):
    """The versions of the app's models."""

    model = ModelVersion

    async def of(self, model: Model, version_id: str) -> ModelVersion | None:
        q = select(ModelVersion).where(
            ModelVersion.app_pk == self.app.pk,
            ModelVersion.model_pk == model.pk,
            ModelVersion.id == version_id,
        )
        return await self.session.scalar(q)

    async def add(self, model: Model, values: dict[str, Any]) -> ModelVersion:
        """A new version of `model` (its values by column name)."""
        row = await self.session.scalar(
            insert(ModelVersion)
            .values(app_pk=self.app.pk, model_pk=model.pk, **values)
            .returning(ModelVersion)
        )
        # A new version makes the model modified (ListModels' default order).
        await self.session.scalar(
            update(Model)
            .where(Model.pk == model.pk)
            .values(modified_at=func.now())
            .returning(Model),
            execution_options={"populate_existing": True},
        )
        return row

    async def page(
        self,
        model: Model,
        at: Page,
        *,
        concept_ids: Sequence[str] = (),
        trained_only: bool = False,
        sort: str = "created_at",
        descending: bool = True,
    ) -> list[ModelVersion]:
        """A model's versions; `concept_ids`: those whose output_info.data
        names any of these concepts."""
        q = select(ModelVersion).where(
            ModelVersion.app_pk == self.app.pk, ModelVersion.model_pk == model.pk
        )
        if trained_only:
            q = q.where(ModelVersion.status_code == TRAINED)
        if concept_ids:
            q = q.where(
                or_(
                    *(
                        ModelVersion.output_info["data"]["concepts"].contains([{"id": c}])
                        for c in concept_ids
                    )
                )
            )
        order = LIST_VERSIONS if (sort, descending) == ("created_at", True) else None
        order = order or LIST_VERSIONS_BY[sort, descending]
        return await listing.page(self.session, q, order, at)

    async def delete(self, row: ModelVersion) -> None:
        await self.session.execute(
            delete(ModelVersion).where(
                ModelVersion.app_pk == self.app.pk, ModelVersion.pk == row.pk
            )
        )

    async def with_models(self, pks: Sequence[int]) -> dict[int, tuple[Model, ModelVersion]]:
        """The app's versions with these pks and their models, by version pk
        (a workflow's nodes name versions by pk)."""
        if not pks:
            return {}
        q = (
            select(Model, ModelVersion)
            .join(Model, Model.pk == ModelVersion.model_pk)
            .where(ModelVersion.app_pk == self.app.pk, ModelVersion.pk == _pks(pks))
        )
        return {v.pk: (m, v) for m, v in await self.session.execute(q)}

    async def models_by_version_ids(self, version_ids: Sequence[str]) -> dict[str, Model]:
        """The app's model of each of these version ids (ids the app has)."""
        if not version_ids:
            return {}
        q = (
            select(ModelVersion.id, Model)
            .join(Model, Model.pk == ModelVersion.model_pk)
            .where(ModelVersion.app_pk == self.app.pk, ModelVersion.id == any_of(version_ids))
        )
        return {v: m for v, m in await self.session.execute(q)}


class UserModelStorage(UserScoped):
    """Models across apps of one user (ListModels without an app): the
    calling user's own apps, or another user's public apps only."""

    async def page(
        self,
        owner: str,
        at: Page,
        found: ModelFilter,
        sort: str = "modified_at",
        descending: bool = True,
    ) -> list[tuple[Model, str]]:
        """(model, its app's id) pairs of `owner`'s apps; public ones only
        unless `owner` is the calling user."""
        q = select(Model, App.id).join(App, App.pk == Model.app_pk).where(App.user_id == owner)
        if owner != self.user_id:
            q = q.where(App.visibility == PUBLIC, Model.visibility == PUBLIC)
        q = found.apply(q)
        rows = await listing.page(self.session, q, LIST_USER_MODELS[sort, descending], at)
        return [(m, app_id) for m, app_id in rows]

    async def latest_versions(self, models: Sequence[Model]) -> dict[int, ModelVersion]:
        return await latest_versions(self.session, [m.pk for m in models])

    async def version_counts(self, models: Sequence[Model]) -> dict[int, int]:
        return await version_counts(self.session, [m.pk for m in models])
