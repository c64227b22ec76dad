"""What orders a search's hits: its ranks.

This module holds the interface search calls (server/searching.py); the
ranking itself (concepts, image and text likeness, embeddings) comes with
the ranks change, which replaces this file. Until then a rank names an
input by `annotation.input_id`, and that input scores 1.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from clarifai.api import resources_pb2
from sqlalchemy import Select, select

from server.status import ApiError, Code
from storage.inputs import Input

if TYPE_CHECKING:
    from server.dispatch import Call


async def ranked(
    call: Call,
    ranks: Sequence[resources_pb2.Rank],
    *,
    candidates: Select,
    metric: Literal["euclidean", "cosine"],
    algorithm: Literal["nearest_neighbor", "brute_force", "avg_concept_brute_force"],
    limit: int,
    field: str,
) -> list[tuple[int, float]]:
    """(input pk, score in [0, 1]) of the best `limit` `candidates` (a
    Select of Input.pk), best first. Raises ApiError naming `field`[i] for
    a rank it cannot use."""
    for n, rank in enumerate(ranks):
        if not rank.annotation.input_id:
            raise ApiError(
                Code.SEARCH_INVALID_REQUEST,
                f"{field}[{n}].annotation: this server ranks by input_id only",
            )
    named = {rank.annotation.input_id for rank in ranks}
    store = call.store.searches
    pks = await store.session.scalars(
        select(Input.pk).where(Input.pk.in_(candidates), Input.id.in_(named))
    )
    return [(pk, 1.0) for pk in sorted(pks)][:limit]
