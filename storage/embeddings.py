"""Each input's embeddings: one vector per (input, embedding model version),
written when the app's base workflow runs on the input.

The column is a plain `real[]`, so the schema is the same with or without
the pgvector extension; where the extension is present, an HNSW index per
embedding model version casts it to `vector(n)` (see server/vectors.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import REAL, ForeignKey, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.scoped import AppScope


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


class EmbeddingStorage:
    """The app's inputs' embeddings, by input pk and embedding model version."""

    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    async def vectors(
        self, input_pks: Sequence[int], model_version_pk: int
    ) -> dict[int, list[float]]:
        """The stored vectors of these inputs from that model version, by input pk."""
        if not input_pks:
            return {}
        q = select(Embedding.input_pk, Embedding.vector).where(
            Embedding.app_pk == self.app.pk,
            Embedding.model_version_pk == model_version_pk,
            Embedding.input_pk.in_(list(input_pks)),
        )
        return dict((await self.session.execute(q)).tuples().all())

    async def put(self, model_version_pk: int, vectors: dict[int, Sequence[float]]) -> None:
        """Store (or replace) these inputs' vectors from that model version."""
        if not vectors:
            return
        rows = [
            {
                "input_pk": pk,
                "model_version_pk": model_version_pk,
                "app_pk": self.app.pk,
                "vector": [float(x) for x in vector],
            }
            for pk, vector in vectors.items()
        ]
        stmt = insert(Embedding).values(rows)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Embedding.input_pk, Embedding.model_version_pk],
                set_={"vector": stmt.excluded.vector, "created_at": func.now()},
            )
        )
