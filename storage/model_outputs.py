"""Ids of the outputs models produced (PostModelOutputs), for feedback to name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Identity, Index, and_, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column

from storage.base import Base
from storage.concepts import Concept, ConceptRelation
from storage.models import Model, ModelVersion
from storage.scoped import AppScope


class ModelOutput(Base):
    """The id of every output a model produced, so feedback can name it.
    Kept for OUTPUT_DAYS (a periodic job drops older ones)."""

    __tablename__ = "model_outputs"
    __table_args__ = (
        Index("ix_model_outputs_version_id", "model_version_pk", "id", unique=True),
        Index("ix_model_outputs_created_at", "created_at"),
        # Feedback names an output by id alone (its model may be another app's).
        Index("ix_model_outputs_id", "id"),
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


class ModelOutputStorage:
    """The output ids predictions record (and feedback checks), and the app
    knowledge operators read (synonyms)."""

    def __init__(self, session: AsyncSession, app: AppScope, user_id: Callable[[], str]) -> None:
        self.session = session
        self.app = app
        self._user_id = user_id

    async def record(self, version_pk: int, outputs: Sequence[tuple[str, str]]) -> None:
        """Record the (output id, input id) pairs one call produced, in one
        statement, so feedback can name them."""
        if not outputs:
            return
        user_id = self._user_id()
        rows = [
            {"model_version_pk": version_pk, "id": oid, "input_id": iid, "user_id": user_id}
            for oid, iid in outputs
        ]
        await self.session.execute(insert(ModelOutput).values(rows))

    async def produced(self, output_id: str, model_id: str, version_id: str = "") -> bool:
        """Whether `output_id` was produced by the model `model_id` (and its
        version `version_id`, when given), asked for in this app's model or
        by this caller (a model of another app, e.g. clarifai/main)."""
        q = (
            select(ModelOutput.pk)
            .join(ModelVersion, ModelVersion.pk == ModelOutput.model_version_pk)
            .join(Model, Model.pk == ModelVersion.model_pk)
            .where(
                ModelOutput.id == output_id,
                Model.id == model_id,
                or_(Model.app_pk == self.app.pk, ModelOutput.user_id == self._user_id()),
            )
        )
        if version_id:
            q = q.where(ModelVersion.id == version_id)
        return (await self.session.execute(q)).first() is not None

    async def synonyms(self, concept_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """The (id, name) of each concept's synonyms in the app (relations
        with predicate "synonym", either way round), by concept id."""
        if not concept_ids:
            return {}
        rel, a, b = ConceptRelation, aliased(Concept), aliased(Concept)
        pairs = await self.session.execute(
            select(a.id, b.id, b.name)
            .select_from(rel)
            .join(a, or_(a.pk == rel.subject_pk, a.pk == rel.object_pk))
            .join(b, and_(b.pk != a.pk, or_(b.pk == rel.subject_pk, b.pk == rel.object_pk)))
            .where(rel.app_pk == self.app.pk, rel.predicate == "synonym", a.id.in_(concept_ids))
        )
        found: dict[str, list[tuple[str, str]]] = {}
        for concept_id, other_id, other_name in pairs:
            found.setdefault(concept_id, []).append((other_id, other_name))
        return found


async def drop_older(session: AsyncSession, days: float) -> int:
    """Forget output ids older than `days` (feedback can no longer name
    them); returns how many went."""
    result = await session.execute(
        delete(ModelOutput).where(ModelOutput.created_at < func.now() - timedelta(days=days))
    )
    return result.rowcount or 0
