"""PostModelVersionMetrics, GetModelVersionMetrics, PostModelVersionEvaluations,
ListModelVersionEvaluations, GetModelVersionEvaluation, ListEvaluations,
GetEvaluation.

An evaluation is k-fold cross-validation of a trained classifier version
over its own training data (server/training.py's `model.evaluate` job):
posting one queues it (MODEL_QUEUED_FOR_EVALUATION) and answers at once;
reads show its status and, once MODEL_EVALUATED, its metrics. Only versions
this server trained can be evaluated (built-in models have no training
data here). GetModelVersionMetrics shows the version's newest evaluation.
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2

from server import model_types, training
from server.checks import Checks
from server.convert import from_struct
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, not_found
from server.wire.evaluations import eval_metrics, version_with_metrics
from storage import evaluations as eval_store

check = Checks(Code.MODEL_INVALID_REQUEST)

# ListEvaluations' sort_by fields and the stored orders that serve them.
SORTS = {
    "sort_by_created_at": "created_at",
    "sort_by_app_id": "created_at",  # one app: its evaluations by creation
    "sort_by_model_id": "model_id",
    "sort_by_roc_auc": "macroAvgRocAuc",
    "sort_by_f1": "macroAvgF1Score",
    "sort_by_precision": "macroAvgPrecision",
    "sort_by_recall": "macroAvgRecall",
}


async def _version(call: Call, model_id: str, version_id: str, field: str = "version_id"):
    check.required(model_id, "model_id")
    check.required(version_id, field)
    model, version = await call.store.evaluations.version(model_id, version_id)
    if model is None:
        raise ApiError(Code.MODEL_DOES_NOT_EXIST, f"model '{model_id}' not found")
    if version is None:
        raise ApiError(
            Code.MODEL_DOES_NOT_EXIST,
            f"{field}: version '{version_id}' of model '{model_id}' not found",
        )
    return model, version


def _evaluable(model, version) -> None:
    """Only versions this server trained have training data to evaluate on."""
    if not model_types.embedder_of(model.model_type_id) or version.artifact is None:
        raise ApiError(
            Code.MODEL_INVALID_REQUEST,
            f"model '{model.id}' version '{version.id}': only trained versions of trainable"
            " models can be evaluated (status MODEL_TRAINED)",
        )


async def _queue(call: Call, model, version, values: list[dict]) -> list:
    _evaluable(model, version)
    made = await call.store.evaluations.add(version.pk, values)
    check.none_taken([v["id"] for v in values], made, "evaluation", "eval_metrics[{n}].id")
    await call.enqueue(training.EVALUATE, [{"evaluation_pk": r.pk} for r in made.values()])
    return [
        eval_metrics(r, call.app, model.id, model.model_type_id, version.id) for r in made.values()
    ]


def _info(sent: resources_pb2.EvalMetrics, n: int) -> dict:
    return _eval_info(sent.eval_info, f"eval_metrics[{n}].eval_info")


def _eval_info(sent: resources_pb2.EvalInfo, field: str) -> dict:
    if not sent.HasField("params"):
        return {}
    return {"params": from_struct(sent.params, f"{field}.params", Code.MODEL_INVALID_REQUEST)}


@rpc
async def PostModelVersionMetrics(call: Call, request: service_pb2.PostModelVersionMetricsRequest):
    model, version = await _version(call, request.model_id, request.version_id)
    values = [{"id": check.new_ids([""], "eval_metrics")[0], "user_id": call.user_id}]
    values[0]["eval_info"] = _eval_info(request.eval_info, "eval_info")
    queued = await _queue(call, model, version, values)
    return service_pb2.SingleModelVersionResponse(
        model_version=version_with_metrics(version, call.app, queued[0])
    )


@rpc
async def PostModelVersionEvaluations(
    call: Call, request: service_pb2.PostModelVersionEvaluationsRequest
):
    check.batch(request.eval_metrics, "eval_metrics")
    model, version = await _version(
        call, request.model_id, request.model_version_id, "model_version_id"
    )
    ids = check.new_ids((e.id for e in request.eval_metrics), "eval_metrics")
    values = [
        {
            "id": i,
            "user_id": call.user_id,
            "eval_info": _eval_info(e.eval_info, f"eval_metrics[{n}]"),
        }
        for n, (e, i) in enumerate(zip(request.eval_metrics, ids, strict=True))
    ]
    queued = await _queue(call, model, version, values)
    return service_pb2.MultiEvalMetricsResponse(eval_metrics=queued)


@rpc
async def GetModelVersionMetrics(call: Call, request: service_pb2.GetModelVersionMetricsRequest):
    model, version = await _version(call, request.model_id, request.version_id)
    latest = await call.store.evaluations.latest(version.pk)
    fields = request.fields if request.HasField("fields") else None
    if latest is None:
        metrics = resources_pb2.EvalMetrics()
        metrics.status.code = Code.MODEL_NOT_EVALUATED
        metrics.status.description = "Model is not evaluated"
    else:
        metrics = eval_metrics(latest, call.app, model.id, model.model_type_id, version.id, fields)
    return service_pb2.SingleModelVersionResponse(
        model_version=version_with_metrics(version, call.app, metrics)
    )


@rpc
async def ListModelVersionEvaluations(
    call: Call, request: service_pb2.ListModelVersionEvaluationsRequest
):
    model, version = await _version(
        call, request.model_id, request.model_version_id, "model_version_id"
    )
    rows = await call.store.evaluations.page_of_version(version.pk, page_of(request))
    return service_pb2.MultiEvalMetricsResponse(
        eval_metrics=[
            eval_metrics(r, call.app, model.id, model.model_type_id, version.id) for r in rows
        ]
    )


@rpc
async def GetModelVersionEvaluation(
    call: Call, request: service_pb2.GetModelVersionEvaluationRequest
):
    model, version = await _version(
        call, request.model_id, request.model_version_id, "model_version_id"
    )
    check.required(request.evaluation_id, "evaluation_id")
    row = await call.store.evaluations.of_version(version.pk, request.evaluation_id)
    if row is None:
        raise not_found("evaluation", request.evaluation_id, "evaluation_id")
    fields = request.fields if request.HasField("fields") else None
    found = eval_metrics(row, call.app, model.id, model.model_type_id, version.id, fields)
    return service_pb2.SingleEvalMetricsResponse(eval_metrics=found)


def _order(request: service_pb2.ListEvaluationsRequest) -> eval_store.Order:
    chosen = request.WhichOneof("sort_by")
    name = SORTS.get(chosen or "", "created_at")
    # Newest (or highest) first unless sort_ascending.
    return eval_store.LIST_ORDERS[(name, not request.sort_ascending)]


@rpc
async def ListEvaluations(call: Call, request: service_pb2.ListEvaluationsRequest):
    filters = eval_store.EvalFilter(
        model_type_id=request.model_type_id,
        concept_ids=list(request.concept_ids),
        show_failed=request.show_failed_metrics,
    )
    found = await call.store.evaluations.page(filters, _order(request), page_of(request))
    return service_pb2.MultiEvalMetricsResponse(
        eval_metrics=[
            eval_metrics(f.row, call.app, f.model_id, f.model_type_id, f.version_id) for f in found
        ]
    )


@rpc
async def GetEvaluation(call: Call, request: service_pb2.GetEvaluationRequest):
    check.required(request.evaluation_id, "evaluation_id")
    f = await call.store.evaluations.find(request.evaluation_id)
    if f is None:
        raise not_found("evaluation", request.evaluation_id, "evaluation_id")
    fields = request.fields if request.HasField("fields") else None
    found = eval_metrics(f.row, call.app, f.model_id, f.model_type_id, f.version_id, fields)
    return service_pb2.SingleEvalMetricsResponse(eval_metrics=found)
