"""Ids of the outputs models produced (PostModelOutputs), for feedback to name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Identity, Index, func
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class ModelOutput(Base):
    """The id of every output a model produced, so feedback can name it.
    Kept for OUTPUT_DAYS (a periodic job drops older ones)."""

    __tablename__ = "model_outputs"
    __table_args__ = (
        Index("ix_model_outputs_version_id", "model_version_pk", "id", unique=True),
        Index("ix_model_outputs_created_at", "created_at"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    model_version_pk: Mapped[int] = mapped_column(
        ForeignKey("model_versions.pk", ondelete="CASCADE")
    )
    id: Mapped[str]
    # The input the output answered: an app input's id, or "" for inline data.
    input_id: Mapped[str] = mapped_column(default="")
    # Who asked for it.
    user_id: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
