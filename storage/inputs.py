"""Inputs: the media and data users upload. Media bytes live in the blob
store; a row keeps the Data message as JSON with blob references."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps


class Input(Timestamps, Base):
    __tablename__ = "inputs"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # Keyset order for lists and streams.
        Index("ix_inputs_app_order", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    # The Data message (json_format, snake_case) without the input-level
    # concepts, which are kept as the input-level annotation.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Media kind (image, video, audio, text) and its source URL, for duplicate
    # URL checks; blob_key names the stored bytes.
    media_kind: Mapped[str] = mapped_column(default="")
    source_url: Mapped[str] = mapped_column(default="", index=True)
    blob_key: Mapped[str] = mapped_column(default="")
    status_code: Mapped[int] = mapped_column(default=30001)
    status_details: Mapped[str] = mapped_column(default="")
