"""Evaluations of model versions: EvalMetrics computed on a held-out split."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps
from storage.listing import Order, Page
from storage.models import Model, ModelVersion
from storage.scoped import AppScoped


class Evaluation(Timestamps, Base):
    """EvalMetrics of a model version (PostModelVersionMetrics and
    PostModelVersionEvaluations)."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index("ix_evaluations_version_created", "model_version_pk", "created_at", "pk"),
        Index("ix_evaluations_app_created", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    model_version_pk: Mapped[int] = mapped_column(
        ForeignKey("model_versions.pk", ondelete="CASCADE")
    )
    id: Mapped[str]
    status_code: Mapped[int]
    # Status details (why an evaluation failed); the description is the code's.
    status_description: Mapped[str] = mapped_column(default="")
    # EvalInfo.params as sent; the computed EvalMetrics (summary, confusion
    # matrix, binary metrics, test set, label counts) as JSON.
    eval_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[str] = mapped_column(default="")


QUEUED = 21303  # MODEL_QUEUED_FOR_EVALUATION
EVALUATING = 21301  # MODEL_EVALUATING
EVALUATED = 21300  # MODEL_EVALUATED
FAILED = 21317  # MODEL_EVALUATION_FAILED


@dataclass(frozen=True)
class Found:
    """An evaluation with the ids of the model and version it evaluates."""

    row: Evaluation
    model_id: str
    model_type_id: str
    version_id: str


@dataclass(frozen=True)
class EvalFilter:
    """ListEvaluations' filters."""

    model_type_id: str = ""
    concept_ids: Sequence[str] = ()
    show_failed: bool = False


# A version's evaluations, newest first.
LIST_OF_VERSION = Order(
    "ListModelVersionEvaluations",
    scope=[Evaluation.model_version_pk],
    columns=[Evaluation.created_at, Evaluation.pk],
    descending=True,
)


def _by_created(descending: bool) -> Order:
    return Order(
        f"ListEvaluations by created_at{' descending' if descending else ''}",
        scope=[Evaluation.app_pk],
        columns=[Evaluation.created_at, Evaluation.pk],
        descending=descending,
    )


def _by_summary(name: str, descending: bool) -> Order:
    value = Evaluation.metrics["summary"][name].as_float()
    return Order(
        f"ListEvaluations by {name}{' descending' if descending else ''}",
        scope=[Evaluation.app_pk],
        columns=[func.coalesce(value, 0.0), Evaluation.pk],
        descending=descending,
        indexed=False,
        why="a value inside the metrics JSON; an app has few evaluations",
    )


def _by_model(descending: bool) -> Order:
    return Order(
        f"ListEvaluations by model id{' descending' if descending else ''}",
        scope=[Evaluation.app_pk],
        columns=[Model.id, Evaluation.pk],
        descending=descending,
        indexed=False,
        why="a column of the joined model; an app has few evaluations",
    )


# ListEvaluations' sorts (sort_by_app_id within one app is by creation).
LIST_ORDERS: dict[tuple[str, bool], Order] = {
    **{("created_at", d): _by_created(d) for d in (False, True)},
    **{("model_id", d): _by_model(d) for d in (False, True)},
    **{
        (name, d): _by_summary(name, d)
        for name in ("macroAvgRocAuc", "macroAvgF1Score", "macroAvgPrecision", "macroAvgRecall")
        for d in (False, True)
    },
}


def _joined() -> Select:
    return (
        select(Evaluation, Model.id, Model.model_type_id, ModelVersion.id)
        .join(ModelVersion, ModelVersion.pk == Evaluation.model_version_pk)
        .join(Model, Model.pk == ModelVersion.model_pk)
    )


class EvaluationStorage(AppScoped[Evaluation]):
    """The app's evaluations, and the model versions they evaluate."""

    model = Evaluation

    async def version(self, model_id: str, version_id: str) -> tuple[Model | None, Any]:
        """The app's model `model_id` and its version `version_id` (None for
        either that does not exist)."""
        model = await self.session.scalar(
            select(Model).where(Model.app_pk == self.app.pk, Model.id == model_id)
        )
        if model is None:
            return None, None
        version = await self.session.scalar(
            select(ModelVersion).where(
                ModelVersion.model_pk == model.pk, ModelVersion.id == version_id
            )
        )
        return model, version

    async def add(self, version_pk: int, values: Sequence[dict[str, Any]]) -> dict[str, Evaluation]:
        """New evaluations of a version, queued (ids already taken are skipped)."""
        rows = [
            {**v, "model_version_pk": version_pk, "status_code": QUEUED, "metrics": {}}
            for v in values
        ]
        return await self.create(rows)

    async def of_version(self, version_pk: int, evaluation_id: str) -> Evaluation | None:
        return await self.session.scalar(
            select(Evaluation).where(
                Evaluation.app_pk == self.app.pk,
                Evaluation.model_version_pk == version_pk,
                Evaluation.id == evaluation_id,
            )
        )

    async def latest(self, version_pk: int) -> Evaluation | None:
        """The version's newest evaluation (GetModelVersionMetrics)."""
        q = select(Evaluation).where(
            Evaluation.app_pk == self.app.pk, Evaluation.model_version_pk == version_pk
        )
        found = await listing.page(self.session, q, LIST_OF_VERSION, Page(1, 0))
        return found[0] if found else None

    async def page_of_version(self, version_pk: int, at: Page) -> list[Evaluation]:
        q = select(Evaluation).where(
            Evaluation.app_pk == self.app.pk, Evaluation.model_version_pk == version_pk
        )
        return await listing.page(self.session, q, LIST_OF_VERSION, at)

    async def find(self, evaluation_id: str) -> Found | None:
        q = _joined().where(Evaluation.app_pk == self.app.pk, Evaluation.id == evaluation_id)
        row = (await self.session.execute(q)).first()
        return Found(*row) if row else None

    async def page(self, f: EvalFilter, order: Order, at: Page) -> list[Found]:
        q = _joined().where(Evaluation.app_pk == self.app.pk)
        if not f.show_failed:
            q = q.where(Evaluation.status_code != FAILED)
        if f.model_type_id:
            q = q.where(Model.model_type_id == f.model_type_id)
        if f.concept_ids:
            q = q.where(
                or_(
                    *(
                        ModelVersion.output_info.contains({"data": {"concepts": [{"id": c}]}})
                        for c in f.concept_ids
                    )
                )
            )
        return [Found(*r) for r in await listing.page(self.session, q, order, at)]


# ---- the evaluation job's writes (no call: by primary key) ----


async def get_by_pk(session: AsyncSession, pk: int) -> Evaluation | None:
    return await session.get(Evaluation, pk)


async def set_status(
    session: AsyncSession,
    pk: int,
    code: int,
    details: str = "",
    metrics: dict[str, Any] | None = None,
) -> None:
    values: dict[str, Any] = {"status_code": code, "status_description": details}
    if metrics is not None:
        values["metrics"] = metrics
    await session.execute(
        update(Evaluation).where(Evaluation.pk == pk).values(**values, modified_at=func.now())
    )
