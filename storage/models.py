"""Models of an app and their versions (evaluations are in
storage/evaluations.py, prediction output ids in storage/model_outputs.py).
A model's versions hold what it
outputs (output_info, kept as the client sent it), how it was trained, and
what runs it: a built-in runtime of server/inference (clarifai/main's
models), an operator, or a trained artifact (a classifier's coefficients)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps


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
