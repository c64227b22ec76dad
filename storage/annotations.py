"""Annotations: labels on inputs, by users, tasks, workers or models. Each
input has one input-level annotation holding its concepts and metadata."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Identity, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps


class Annotation(Timestamps, Base):
    __tablename__ = "annotations"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        ForeignKeyConstraint(
            ["app_pk", "input_id"], ["inputs.app_pk", "inputs.id"], ondelete="CASCADE"
        ),
        Index("ix_annotations_app_input", "app_pk", "input_id"),
        Index("ix_annotations_app_order", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    input_id: Mapped[str]
    # The Data message (concepts, regions, metadata, ...) as json_format JSON.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    annotation_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[str] = mapped_column(default="")
    worker_user_id: Mapped[str] = mapped_column(default="")
    task_id: Mapped[str] = mapped_column(default="", index=True)
    model_version_id: Mapped[str] = mapped_column(default="")
    input_level: Mapped[bool] = mapped_column(default=False)
    status_code: Mapped[int] = mapped_column(default=24150)
    status_details: Mapped[str] = mapped_column(default="")
