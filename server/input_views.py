"""Inputs as GetInput shows them: the rows with their input-level concepts
(one read for the lot). Lists, searches, dataset inputs and task
assignments all show inputs this way."""

from __future__ import annotations

from collections.abc import Sequence

from clarifai.api import resources_pb2

from server.dispatch import Call
from server.wire import inputs as input_wire
from storage.inputs import Row


async def shown(
    call: Call,
    rows: Sequence[Row],
    inline_text: int = 0,
    into: Sequence[resources_pb2.Input] | None = None,
) -> list[resources_pb2.Input]:
    """These inputs, in their order (texts longer than `inline_text` bytes
    without raw; 0: every text whole); built in `into` when given (one
    message per row, a response's own: a message assigned or appended to a
    response is copied, about a third of the building's cost)."""
    concepts = {r.id: r.concepts for r in rows if r.concepts is not None}
    if missing := [r.id for r in rows if r.concepts is None]:
        concepts |= await call.store.annotations.input_concepts(missing)
    return input_wire.input_protos(rows, concepts, call.app, call.settings, inline_text, into)
