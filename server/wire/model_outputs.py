"""Prediction outputs on the wire: each request input's Output (its id,
status, the model, the input echoed and the data the model answered)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from clarifai.api import resources_pb2

from server import prediction
from server.convert import ts
from server.ids import new_id
from server.runtimes import Failure, Outcome
from server.status import Code, make_status


def outputs(
    model: resources_pb2.Model,
    inputs: Sequence[resources_pb2.Input],
    outcomes: Sequence[Outcome],
    config: prediction.OutputConfig,
) -> list[resources_pb2.Output]:
    """One Output per input, each with a new id, in the request's order."""
    now = ts(datetime.now(UTC))
    made = []
    for sent, outcome in zip(inputs, outcomes, strict=True):
        out = resources_pb2.Output(id=new_id(), created_at=now, model=model)
        out.input.CopyFrom(prediction.echoed(sent))
        if isinstance(outcome, Failure):
            out.status.CopyFrom(make_status(outcome.code, outcome.details))
        else:
            prediction.apply(config, outcome)
            out.data.CopyFrom(outcome)
            out.status.CopyFrom(make_status(Code.SUCCESS))
        made.append(out)
    return made
