"""Evaluating a trained version: PostModelVersionMetrics and
PostModelVersionEvaluations queue k-fold cross-validation; GetModelVersionMetrics,
GetModelVersionEvaluation, ListModelVersionEvaluations, ListEvaluations and
GetEvaluation read it back, heavy parts only where `fields` asks."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import app_of, rest_call, struct
from tests.training_fixtures import WAIT_SECONDS, queue_version, red_and_blue, wait_trained

pytestmark = pytest.mark.timeout(600)

ALL = r.FieldsValue(confusion_matrix=True, label_counts=True, binary_metrics=True, test_set=True)


@pytest.fixture
async def trained(server, stub, account) -> tuple[str, str]:
    """(model id, version id) of a version trained on 10 red and 10 blue images."""
    await red_and_blue(stub, account)
    model_id, version_id, pk = await queue_version(server, account, ["red", "blue"])
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINED, row.train_log
    return model_id, version_id


async def _metrics(stub, account, model_id, version_id, fields=None):
    req = s.GetModelVersionMetricsRequest(
        user_app_id=app_of(account), model_id=model_id, version_id=version_id
    )
    if fields is not None:
        req.fields.CopyFrom(fields)
    res = await stub.GetModelVersionMetrics(req, metadata=account.md())
    assert res.status.code == sc.SUCCESS, res.status
    return res.model_version


async def _wait_evaluated(stub, account, model_id, version_id):
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            version = await _metrics(stub, account, model_id, version_id)
            if version.metrics.status.code not in (
                sc.MODEL_QUEUED_FOR_EVALUATION,
                sc.MODEL_EVALUATING,
            ):
                return version
            await asyncio.sleep(0.2)


async def test_metrics_of_a_separable_set(stub, account, trained):
    model_id, version_id = trained
    before = await _metrics(stub, account, model_id, version_id)
    assert before.metrics.status.code == sc.MODEL_NOT_EVALUATED
    res = await stub.PostModelVersionMetrics(
        s.PostModelVersionMetricsRequest(
            user_app_id=app_of(account), model_id=model_id, version_id=version_id
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert res.model_version.id == version_id
    assert res.model_version.metrics.status.code == sc.MODEL_QUEUED_FOR_EVALUATION
    done = await _wait_evaluated(stub, account, model_id, version_id)
    assert done.metrics.status.code == sc.MODEL_EVALUATED, done.metrics.status
    assert done.metrics.status.description == "Model was successfully evaluated"
    summary = done.metrics.summary
    assert summary.macro_avg_f1_score > 0.9 and summary.macro_avg_roc_auc > 0.95
    # Without fields: status and summary only.
    assert not done.metrics.binary_metrics and not done.metrics.test_set
    full = (await _metrics(stub, account, model_id, version_id, ALL)).metrics
    assert [b.concept.id for b in full.binary_metrics] == ["red", "blue"]
    red = full.binary_metrics[0]
    assert (red.num_pos, red.num_neg, red.num_tot) == (10, 10, 20)
    assert red.roc_auc > 0.95 and red.f1 > 0.9 and red.avg_precision > 0.9
    assert len(red.roc_curve.fpr) == len(red.roc_curve.tpr) > 1
    assert len(red.precision_recall_curve.precision) > 1
    assert {e.input.id for e in full.test_set} == {f"red{i}" for i in range(10)} | {
        f"blue{i}" for i in range(10)
    }
    entry = next(e for e in full.test_set if e.input.id == "red3")
    assert [c.id for c in entry.ground_truth_concepts] == ["red"]
    assert entry.predicted_concepts[0].id == "red"
    right = sum(e.value for e in full.confusion_matrix.matrix if e.predicted == e.actual)
    assert right >= 18
    assert [c.count for c in full.label_counts.positive_label_counts] == [10, 10]


async def test_evaluations_by_id(stub, account, trained):
    model_id, version_id = trained
    res = await stub.PostModelVersionEvaluations(
        s.PostModelVersionEvaluationsRequest(
            user_app_id=app_of(account),
            model_id=model_id,
            model_version_id=version_id,
            eval_metrics=[r.EvalMetrics(id="eval-1", eval_info=r.EvalInfo(params=struct(k=5)))],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    (queued,) = res.eval_metrics
    assert queued.id == "eval-1" and queued.status.code == sc.MODEL_QUEUED_FOR_EVALUATION
    assert queued.model.id == model_id and queued.model.model_version.id == version_id
    await _wait_evaluated(stub, account, model_id, version_id)

    got = await stub.GetModelVersionEvaluation(
        s.GetModelVersionEvaluationRequest(
            user_app_id=app_of(account),
            model_id=model_id,
            model_version_id=version_id,
            evaluation_id="eval-1",
            fields=r.FieldsValue(binary_metrics=True),
        ),
        metadata=account.md(),
    )
    assert got.status.code == sc.SUCCESS, got.status
    assert got.eval_metrics.status.code == sc.MODEL_EVALUATED
    assert got.eval_metrics.eval_info.params["k"] == 5
    assert len(got.eval_metrics.binary_metrics) == 2 and not got.eval_metrics.test_set

    listed = await stub.ListModelVersionEvaluations(
        s.ListModelVersionEvaluationsRequest(
            user_app_id=app_of(account), model_id=model_id, model_version_id=version_id
        ),
        metadata=account.md(),
    )
    assert [e.id for e in listed.eval_metrics] == ["eval-1"]

    app_wide = await stub.GetEvaluation(
        s.GetEvaluationRequest(user_app_id=app_of(account), evaluation_id="eval-1"),
        metadata=account.md(),
    )
    assert app_wide.eval_metrics.model.id == model_id
    assert app_wide.eval_metrics.summary.macro_avg_roc_auc > 0.95

    again = await stub.PostModelVersionEvaluations(
        s.PostModelVersionEvaluationsRequest(
            user_app_id=app_of(account),
            model_id=model_id,
            model_version_id=version_id,
            eval_metrics=[r.EvalMetrics(id="eval-1")],
        ),
        metadata=account.md(),
    )
    assert again.status.code == sc.DATABASE_DUPLICATE_KEY


async def test_list_evaluations_of_the_app(server, stub, account, trained):
    model_id, version_id = trained
    for n in range(2):
        res = await stub.PostModelVersionEvaluations(
            s.PostModelVersionEvaluationsRequest(
                user_app_id=app_of(account),
                model_id=model_id,
                model_version_id=version_id,
                eval_metrics=[r.EvalMetrics(id=f"e{n}")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
    await _wait_evaluated(stub, account, model_id, version_id)

    async def ids(**kw) -> list[str]:
        res = await stub.ListEvaluations(
            s.ListEvaluationsRequest(user_app_id=app_of(account), **kw), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        return [e.id for e in res.eval_metrics]

    assert await ids() == ["e1", "e0"]  # newest first
    assert await ids(sort_ascending=True) == ["e0", "e1"]
    assert await ids(per_page=1, page=2) == ["e0"]
    assert set(await ids(sort_by_f1=True)) == {"e0", "e1"}
    assert set(await ids(sort_by_model_id=True)) == {"e0", "e1"}
    assert set(await ids(concept_ids=["red"])) == {"e0", "e1"}
    assert await ids(concept_ids=["green"]) == []
    assert await ids(model_type_id="text-classifier") == []


async def test_evaluation_over_rest(server, rest, stub, account, trained):
    model_id, version_id = trained
    base = f"{rest}/v2/users/{account.user_id}/apps/{account.app_id}/models/{model_id}"
    async with aiohttp.ClientSession() as http:
        status, body = await rest_call(
            http, "POST", f"{base}/versions/{version_id}/metrics", account.pat, json={}
        )
        assert status == 200, body
        queued = body["model_version"]["metrics"]["status"]["code"]
        assert queued == sc.MODEL_QUEUED_FOR_EVALUATION
        await _wait_evaluated(stub, account, model_id, version_id)
        status, body = await rest_call(
            http, "GET", f"{base}/versions/{version_id}/evaluations", account.pat
        )
    assert status == 200, body
    assert body["eval_metrics"][0]["status"]["code"] == sc.MODEL_EVALUATED


async def test_unknown_model_version_and_evaluation(stub, account, trained):
    model_id, version_id = trained
    res = await stub.GetModelVersionMetrics(
        s.GetModelVersionMetricsRequest(
            user_app_id=app_of(account), model_id="nope", version_id=version_id
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.MODEL_DOES_NOT_EXIST
    assert res.status.description == "Model does not exist"
    res = await stub.PostModelVersionMetrics(
        s.PostModelVersionMetricsRequest(
            user_app_id=app_of(account), model_id=model_id, version_id="nope"
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.MODEL_DOES_NOT_EXIST and "'nope'" in res.status.details
    got = await stub.GetEvaluation(
        s.GetEvaluationRequest(user_app_id=app_of(account), evaluation_id="nope"),
        metadata=account.md(),
    )
    assert got.status.code == sc.CONN_DOES_NOT_EXIST
    got = await stub.GetModelVersionEvaluation(
        s.GetModelVersionEvaluationRequest(
            user_app_id=app_of(account),
            model_id=model_id,
            model_version_id=version_id,
            evaluation_id="nope",
        ),
        metadata=account.md(),
    )
    assert got.status.code == sc.CONN_DOES_NOT_EXIST


async def test_an_untrained_version_is_not_evaluated(server, stub, account):
    model_id, version_id, pk = await queue_version(server, account, ["red", "blue"])
    await wait_trained(server, pk)  # no data: MODEL_TRAINING_NO_DATA
    res = await stub.PostModelVersionMetrics(
        s.PostModelVersionMetricsRequest(
            user_app_id=app_of(account), model_id=model_id, version_id=version_id
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.MODEL_INVALID_REQUEST
    assert "only trained versions" in res.status.details


async def test_too_few_examples_fail_the_evaluation(server, stub, account):
    await red_and_blue(stub, account, per_class=1)
    model_id, version_id, pk = await queue_version(server, account, ["red", "blue"])
    assert (await wait_trained(server, pk)).status_code == sc.MODEL_TRAINED
    res = await stub.PostModelVersionMetrics(
        s.PostModelVersionMetricsRequest(
            user_app_id=app_of(account), model_id=model_id, version_id=version_id
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    done = await _wait_evaluated(stub, account, model_id, version_id)
    assert done.metrics.status.code == sc.MODEL_EVALUATION_FAILED
    assert "at least 2" in done.metrics.status.details
