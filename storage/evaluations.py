"""Evaluations of model versions: EvalMetrics computed on a held-out split."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps


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
    status_description: Mapped[str] = mapped_column(default="")
    # EvalInfo.params as sent; the computed EvalMetrics (summary, confusion
    # matrix, binary metrics, test set, label counts) as JSON.
    eval_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[str] = mapped_column(default="")
