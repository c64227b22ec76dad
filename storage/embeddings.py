"""Each input's embeddings: one vector per (input, embedding model version),
written when the app's base workflow runs on the input.

The column is a plain `real[]`, so the schema is the same with or without
the pgvector extension; where the extension is present, an HNSW index per
embedding model version casts it to `vector(n)` (see server/vectors.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import REAL, ForeignKey, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class Embedding(Base):
    __tablename__ = "embeddings"

    input_pk: Mapped[int] = mapped_column(
        ForeignKey("inputs.pk", ondelete="CASCADE"), primary_key=True
    )
    model_version_pk: Mapped[int] = mapped_column(
        ForeignKey("model_versions.pk", ondelete="CASCADE"), primary_key=True
    )
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    vector: Mapped[list[float]] = mapped_column(ARRAY(REAL))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
