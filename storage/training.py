"""What training and evaluation read and write outside a call: a model
version by primary key, and the app's annotated inputs of its concepts
(server/training.py runs these in its own transactions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.annotations import SUCCESS as ANNOTATION_SUCCESS
from storage.annotations import Annotation
from storage.dataset_inputs import DatasetInput
from storage.dataset_versions import DatasetVersion, VersionInput
from storage.datasets import Dataset
from storage.inputs import SUCCESS as INPUT_SUCCESS
from storage.inputs import Input
from storage.models import Model, ModelVersion
from storage.scoped import AppScope


@dataclass
class Example:
    """An input of the training set and its labels: concept id -> value
    (> 0 positive, 0 negative) of the model's concepts."""

    input: Input
    concepts: dict[str, float] = field(default_factory=dict)


async def version(session: AsyncSession, pk: int, *, lock: bool = False):
    """(ModelVersion, Model) by the version's primary key, or None."""
    q = select(ModelVersion, Model).join(Model, Model.pk == ModelVersion.model_pk)
    q = q.where(ModelVersion.pk == pk)
    if lock:
        q = q.with_for_update(of=ModelVersion)
    row = (await session.execute(q)).first()
    return (row[0], row[1]) if row else None


async def set_version(session: AsyncSession, pk: int, **values: Any) -> None:
    await session.execute(
        update(ModelVersion).where(ModelVersion.pk == pk).values(**values, modified_at=func.now())
    )


async def dataset_inputs(
    session: AsyncSession, app: AppScope, dataset_id: str, version_id: str
) -> list[str] | None:
    """The input ids of the app's dataset (of its version's frozen inputs
    when `version_id` is given); None when either does not exist."""
    dataset = await session.scalar(
        select(Dataset).where(Dataset.app_pk == app.pk, Dataset.id == dataset_id)
    )
    if dataset is None:
        return None
    if not version_id:
        q = select(DatasetInput.input_id).where(DatasetInput.dataset_pk == dataset.pk)
        return list(await session.scalars(q))
    found = await session.scalar(
        select(DatasetVersion.pk).where(
            DatasetVersion.dataset_pk == dataset.pk, DatasetVersion.id == version_id
        )
    )
    if found is None:
        return None
    q = select(VersionInput.input_id).where(VersionInput.version_pk == found)
    return list(await session.scalars(q))


async def examples(
    session: AsyncSession,
    app: AppScope,
    concept_ids: Sequence[str],
    input_ids: Sequence[str] | None = None,
) -> list[Example]:
    """The app's downloaded inputs whose input-level annotations (status
    SUCCESS) name any of `concept_ids`, oldest first, with those concepts'
    values (the highest where several annotations name one); only among
    `input_ids` when given."""
    if not concept_ids:
        return []
    q = (
        select(Input, Annotation.data)
        .join(Annotation, (Annotation.app_pk == Input.app_pk) & (Annotation.input_id == Input.id))
        .where(
            Input.app_pk == app.pk,
            Input.status_code == INPUT_SUCCESS,
            Annotation.input_level.is_(True),
            # Users' labels: not the base workflow's predicted concepts.
            Annotation.model_version_id == "",
            Annotation.status_code == ANNOTATION_SUCCESS,
            or_(*(Annotation.data.contains({"concepts": [{"id": c}]}) for c in concept_ids)),
        )
        .order_by(Input.created_at, Input.pk)
    )
    if input_ids is not None:
        q = q.where(Input.id.in_(list(input_ids)))
    wanted = set(concept_ids)
    out: dict[int, Example] = {}
    for row, data in await session.execute(q):
        example = out.setdefault(row.pk, Example(row))
        for concept in data.get("concepts", []):
            cid = concept.get("id")
            if cid in wanted:
                value = float(concept.get("value", 0.0))
                example.concepts[cid] = max(value, example.concepts.get(cid, value))
    return list(out.values())
