"""Prediction outputs on the wire: each request input's Output (its id,
status, model, the input echoed and the data the model answered).

`model_proto` is a minimal Model until the models family's wire module
(server/wire/models.py `model(row, version)`) serves it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from clarifai.api import resources_pb2

from server import prediction
from server.convert import ts
from server.ids import new_id
from server.runtimes import Failure, Outcome
from server.status import Code, make_status
from storage.model_outputs import Found


def model_proto(found: Found) -> resources_pb2.Model:
    out = resources_pb2.Model(
        id=found.id,
        name=found.name,
        app_id=found.app_id,
        user_id=found.user_id,
        model_type_id=found.model_type_id,
    )
    if found.version is not None:
        version = out.model_version
        version.id, version.app_id, version.user_id = (
            found.version.id,
            found.version.app_id,
            found.version.user_id,
        )
        version.status.CopyFrom(make_status(found.version.status_code))
    return out


def outputs(
    found: Found,
    inputs: Sequence[resources_pb2.Input],
    outcomes: Sequence[Outcome],
    config: prediction.OutputConfig,
) -> list[resources_pb2.Output]:
    """One Output per input, each with a new id, in the request's order."""
    model = model_proto(found)
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
