"""Ids of the outputs models produced (PostModelOutputs), for feedback to name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from clarifai.api.status import status_code_pb2
from sqlalchemy import ForeignKey, Identity, Index, and_, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column

from storage.base import Base
from storage.concepts import Concept, ConceptRelation
from storage.models import Model, ModelVersion
from storage.scoped import AppScope

Code = status_code_pb2.StatusCode


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


@dataclass(frozen=True)
class Version:
    """A model version as prediction needs it (plain values)."""

    pk: int
    id: str
    status_code: int
    runtime: str
    artifact: bytes | None
    output_info: dict[str, Any]
    app_id: str
    user_id: str


@dataclass(frozen=True)
class Found:
    """A model of the app and the version a prediction runs (None when it
    has none yet)."""

    pk: int
    id: str
    name: str
    model_type_id: str
    app_id: str
    user_id: str
    version: Version | None


_VERSION_COLUMNS = (
    ModelVersion.pk,
    ModelVersion.id,
    ModelVersion.status_code,
    ModelVersion.runtime,
    ModelVersion.artifact,
    ModelVersion.output_info,
)


class ModelOutputStorage:
    """Prediction's reads of the app's models and versions (until the
    models family's ModelStorage serves them), the output ids it records,
    and the app knowledge operators read (synonyms)."""

    def __init__(self, session: AsyncSession, app: AppScope, user_id: Callable[[], str]) -> None:
        self.session = session
        self.app = app
        self._user_id = user_id

    async def model(self, model_id: str, version_id: str = "") -> Found | None:
        """The model `model_id` of the app with `version_id`, or else its
        newest trained version, or else its newest version whatever its
        status (None when it has no version, or not `version_id`)."""
        model = (
            await self.session.execute(
                select(Model.pk, Model.id, Model.name, Model.model_type_id).where(
                    Model.app_pk == self.app.pk, Model.id == model_id
                )
            )
        ).one_or_none()
        if model is None:
            return None
        q = select(*_VERSION_COLUMNS).where(ModelVersion.model_pk == model.pk)
        if version_id:
            q = q.where(ModelVersion.id == version_id)
        else:
            trained = ModelVersion.status_code == Code.MODEL_TRAINED
            q = q.order_by(trained.desc(), ModelVersion.created_at.desc(), ModelVersion.pk.desc())
        row = (await self.session.execute(q)).first()
        version = None if row is None else Version(*row, self.app.id, self.app.user_id)
        return Found(*model, self.app.id, self.app.user_id, version)

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
