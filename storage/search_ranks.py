"""The SQL of concept ranks (server/ranks.py): how well each of the app's
inputs matches wanted concept values, from its annotations' labels.

An input's value of a concept is the highest among its finished
(ANNOTATION_SUCCESS) annotations' labels of it, input-level or in a region:
a user's label counts 1 when positive and 0 when negative, a model's
predicted concept (the base workflow's annotations) its predicted value,
and an input without any label of it has 0. A wanted concept with value t
scores 1 - |t - value|; a rank's score is the mean over its concepts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Select, Text, column, func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage import annotations, listing
from storage.inputs import Input
from storage.scoped import AppScope


@dataclass(frozen=True)
class Wanted:
    """One concept of a rank: its ids (the one sent, or those of the
    concepts called by the name sent) and the value wanted (1: has it, 0:
    has it not)."""

    ids: tuple[str, ...]
    value: float


# Per input with any label of a wanted concept (n: the concept's place in
# the rank): the sum over those concepts of t - |t - value|, what the
# labels add to the score of an input without any. The annotations are
# found by the JSON paths (`@?`, the data column's GIN index) first.
_GAINS = text(
    f"""
    SELECT input_id, sum(target - abs(target - v)) AS gain
    FROM (
        SELECT a.input_id, w.n, w.target, max(x.value) AS v
        FROM annotations a
        {annotations.LABELS_OF_A}
        JOIN unnest(CAST(:ns AS int[]), CAST(:targets AS float8[]), CAST(:ids AS text[]))
          AS w(n, target, id) ON x.concept_id = w.id
        WHERE a.app_pk = :app_pk AND a.status_code = :success
          AND (a.data @? CAST(:on_input AS jsonpath) OR a.data @? CAST(:in_regions AS jsonpath))
          AND (CAST(:model_version_id AS text) = '' OR a.model_version_id = :model_version_id)
        GROUP BY a.input_id, w.n, w.target
    ) AS m
    GROUP BY input_id
    """
).columns(column("input_id", Text), column("gain", Float))


def _gains(app: AppScope, wanted: Sequence[Wanted], model_version_id: str) -> Any:
    """_GAINS of these concepts, as a subquery (None when no concept is known)."""
    rows = [(n, w.value, i) for n, w in enumerate(wanted) for i in w.ids]
    if not rows:
        return None
    ns, targets, ids = (list(c) for c in zip(*rows, strict=True))
    test = " || ".join(f"@.id == {json.dumps(i)}" for i in sorted(set(ids)))
    return _GAINS.bindparams(
        ns=ns,
        targets=targets,
        ids=ids,
        on_input=f"$.concepts[*] ? ({test})",
        in_regions=f"$.regions[*].data.concepts[*] ? ({test})",
        app_pk=app.pk,
        success=annotations.SUCCESS,
        model_version_id=model_version_id,
    ).subquery("gains")


class RankStorage:
    """Concept scores of the app's inputs."""

    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    def _scored(
        self, wanted: Sequence[Wanted], model_version_id: str, media_kind: str
    ) -> tuple[Select, Any]:
        """The app's inputs (of `media_kind` when given) with their score,
        and the score's column. Only labels by `model_version_id` count
        when one is named."""
        gains = _gains(self.app, wanted, model_version_id)
        # An input without labels scores sum(1 - t) / n; labels add their gain.
        base = sum(1.0 - w.value for w in wanted)
        gain = func.coalesce(gains.c.gain, 0.0) if gains is not None else literal(0.0)
        score = ((base + gain) / len(wanted)).label("score")
        q = select(Input.pk, score).where(Input.app_pk == self.app.pk)
        if gains is not None:
            q = q.outerjoin(gains, gains.c.input_id == Input.id)
        if media_kind:
            q = q.where(Input.media_kind == media_kind)
        return q, score

    async def top(
        self,
        wanted: Sequence[Wanted],
        candidates: Select | None,
        k: int,
        *,
        worst: bool = False,
        model_version_id: str = "",
        media_kind: str = "",
    ) -> list[tuple[int, float]]:
        """The `k` best-scoring inputs among `candidates` (or worst-scoring),
        as (input pk, score); ties newest first."""
        q, score = self._scored(wanted, model_version_id, media_kind)
        if candidates is not None:
            q = q.where(Input.pk.in_(candidates))
        order = score.asc() if worst else score.desc()
        q = listing.take(q.order_by(order, Input.created_at.desc(), Input.pk.desc()), k)
        return [(pk, float(s)) for pk, s in await self.session.execute(q)]

    async def scores(
        self,
        wanted: Sequence[Wanted],
        input_pks: Sequence[int],
        *,
        model_version_id: str = "",
        media_kind: str = "",
    ) -> dict[int, float]:
        """The score of each of these inputs (of `media_kind`), by pk."""
        q, _ = self._scored(wanted, model_version_id, media_kind)
        rows = await self.session.execute(q.where(Input.pk.in_(list(input_pks))))
        return {pk: float(s) for pk, s in rows}
