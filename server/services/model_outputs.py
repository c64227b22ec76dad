"""PostModelOutputs: a model version run over 1..128 inputs.

The model is one of the request's app (clarifai/main's built-ins for
everyone). Inputs are inline data (an image or video by URL or bytes, a
text raw or by URL) or ids of the app's inputs; each gets an Output with
its own status, so one bad input among good ones answers MIXED_STATUS and
all bad FAILURE, with each output saying why. Every output gets a new id,
recorded in the call's transaction so feedback can name it
(PostModelFeedback refuses ids never produced)."""

from __future__ import annotations

from typing import Any

from clarifai.api import service_pb2

from server import collecting, prediction, runtimes
from server.checks import Checks
from server.dispatch import Call
from server.services import rpc
from server.status import ApiError, Code, batch_status
from server.wire import models as models_wire
from server.wire.model_outputs import outputs as output_protos

check = Checks(Code.PREDICT_INVALID_REQUEST, missing_code=Code.MODEL_DOES_NOT_EXIST)


async def _runnable(call: Call, request: service_pb2.PostModelOutputsRequest) -> tuple[Any, Any]:
    """The model and the version to run (version_id, else the newest
    trained one), or the reference's status for a model that cannot
    predict: unknown, without that version, or not trained."""
    where = f"{call.app.user_id}/{call.app.id}"
    model = await call.store.models.get(request.model_id)
    if model is None:
        raise ApiError(
            Code.MODEL_DOES_NOT_EXIST, f"model '{request.model_id}' not found in {where}"
        )
    if request.version_id:
        version = await call.store.model_versions.of(model, request.version_id)
        if version is None:
            raise ApiError(
                Code.MODEL_DOES_NOT_EXIST,
                f"model '{model.id}' has no version '{request.version_id}'",
            )
    else:
        trained = await call.store.models.latest_versions([model], trained=True)
        version = trained.get(model.pk) or (await call.store.models.latest_versions([model])).get(
            model.pk
        )
    if version is None:
        raise ApiError(Code.MODEL_UNTRAINED, f"model '{model.id}' has no version to predict with")
    prediction.ready(model, version)
    return model, version


def _context(
    call: Call, request: service_pb2.PostModelOutputsRequest, version: Any
) -> tuple[prediction.OutputConfig, runtimes.Context]:
    sent = request.model.model_version.output_info
    config = prediction.config_of(sent, models_wire.output_info(version.output_info))
    ctx = prediction.context(version, sent, config, call.store, call.user_id)
    if config.select and prediction.selection_unknown(
        config, runtimes.concepts(version.runtime) or ctx.concepts
    ):
        raise ApiError(
            Code.MODEL_INVALID_ARGUMENT,
            "model.model_version.output_info.output_config.select_concepts: none is a concept "
            "of this model (ids and names are matched exactly)",
        )
    return config, ctx


@rpc
async def PostModelOutputs(call: Call, request: service_pb2.PostModelOutputsRequest):
    check.id(request.model_id, "model_id")
    if request.version_id:
        check.id(request.version_id, "version_id")
    check.batch(request.inputs, "inputs")
    model, version = await _runnable(call, request)
    run = prediction.runtime(model, version)
    config, ctx = _context(call, request, version)
    resolved = await prediction.resolve(request.inputs, call.store.inputs, call.blobs, call.fetcher)
    shown = models_wire.model(model, version, call.app)
    outcomes = await prediction.run(run, ctx, resolved)
    made = output_protos(shown, request.inputs, outcomes, config)
    ok = [(o.id, o.input.id) for o in made if o.status.code == Code.SUCCESS]
    await call.store.model_outputs.record(version.pk, ok)
    await collecting.watch(call, model, version, shown, resolved, made)
    status = batch_status([o.status for o in made])
    return service_pb2.MultiOutputResponse(status=status, outputs=made)
