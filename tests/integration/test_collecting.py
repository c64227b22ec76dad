"""Collectors collecting (server/collecting.py), end to end over gRPC and
REST: another user predicts with a model of the collector's (public) app;
the collector's pre-queue rule, post-queue workflow and post-inputs key
decide what reaches its app, through the job queue.

Collection runs in the background: tests wait for what they expect to
appear, or for a second collector on the same model (collecting everything
into another app) whose inputs show that the job, which runs a prediction's
collectors in the order they were made, is done."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from tests.helpers import app_key, app_of, make_key, me, png, struct

# How long collection may take before a test gives up (not a timing: the
# test passes as soon as what it waits for is there).
WAIT_SECONDS = 120.0
BATCH = 128


async def _ok(res: Any) -> Any:
    assert res.status.code == sc.SUCCESS, res.status
    return res


async def model(
    stub, account, model_id: str, type_id: str, data=None, app_id: str = "", **params
) -> str:
    info = r.OutputInfo(data=data, params=struct(**params))
    res = await stub.PostModels(
        s.PostModelsRequest(
            user_app_id=app_of(account, app_id),
            models=[r.Model(id=model_id, model_type_id=type_id, output_info=info)],
        ),
        metadata=account.md(),
    )
    return (await _ok(res)).model.model_version.id


def concepts(**values: float) -> r.Data:
    return r.Data(concepts=[r.Concept(id=k, value=v) for k, v in values.items()])


async def workflow(stub, account, workflow_id: str, model_id: str, app_id: str = "") -> None:
    node = r.WorkflowNode(id="n", model=r.Model(id=model_id))
    res = await stub.PostWorkflows(
        s.PostWorkflowsRequest(
            user_app_id=app_of(account, app_id),
            workflows=[r.Workflow(id=workflow_id, nodes=[node])],
        ),
        metadata=account.md(),
    )
    await _ok(res)


async def world(stub, account) -> str:
    """The collector owner's public app with its models and workflows: "pass"
    echoes an input's concept `score` (a thresholder keeping any value),
    "above" keeps scores over 0.6, "every" and "never" are workflows whose
    regex classifier outputs something for every text or for none. Returns
    the version id of "pass"."""
    res = await stub.PatchApps(
        s.PatchAppsRequest(
            action="overwrite",
            apps=[r.App(id=account.app_id, visibility=r.Visibility(gettable=r.Visibility.PUBLIC))],
        ),
        metadata=account.md(),
    )
    await _ok(res)
    version = await model(
        stub,
        account,
        "pass",
        "concept-thresholder",
        concepts(score=0.0),
        concept_threshold_type=2,
    )
    await model(stub, account, "above-06", "concept-thresholder", concepts(score=0.6))
    await model(stub, account, "any", "regex-based-classifier", concepts(text=1), regex=".")
    await model(stub, account, "none", "regex-based-classifier", concepts(text=1), regex="^$")
    await workflow(stub, account, "above", "above-06")
    await workflow(stub, account, "every", "any")
    await workflow(stub, account, "never", "none")
    return version


def collector(account, collector_id: str, key: str = "", **fields: Any) -> r.Collector:
    source = r.APIPostModelOutputsCollectorSource(
        model_user_id=account.user_id,
        model_app_id=account.app_id,
        model_id="pass",
        post_inputs_key_id=key or account.api_key,
    )
    return r.Collector(
        id=collector_id,
        collector_source=r.CollectorSource(api_post_model_outputs_collector_source=source),
        **fields,
    )


async def add(transport, account, made: r.Collector, app_id: str = "", key: str = "") -> None:
    res = await transport.call(
        "PostCollectors",
        s.PostCollectorsRequest(user_app_id=app_of(account, app_id), collectors=[made]),
        account.md(key) if key else account.md(),
    )
    await _ok(res)


def scored(k: int, value: float) -> r.Input:
    return r.Input(
        id=f"in-{k:04}",
        data=r.Data(text=r.Text(raw=f"text {k}"), concepts=[r.Concept(id="score", value=value)]),
    )


async def predict(transport, predictor, owner, inputs: list[r.Input]) -> None:
    """`predictor` runs "pass" in `owner`'s app, BATCH inputs per call."""
    for start in range(0, len(inputs), BATCH):
        res = await transport.call(
            "PostModelOutputs",
            s.PostModelOutputsRequest(
                user_app_id=app_of(owner), model_id="pass", inputs=inputs[start : start + BATCH]
            ),
            predictor.md(),
        )
        await _ok(res)


async def inputs_of(stub, account, app_id: str = "") -> dict[str, r.Input]:
    out: dict[str, r.Input] = {}
    page = 1
    while True:
        res = await stub.ListInputs(
            s.ListInputsRequest(user_app_id=app_of(account, app_id), page=page, per_page=1000),
            metadata=account.md(),
        )
        await _ok(res)
        out.update({i.id: i for i in res.inputs})
        if len(res.inputs) < 1000:
            return out
        page += 1


async def until(check, what: str) -> Any:
    """Poll `check` until it answers something truthy."""
    for _ in range(int(WAIT_SECONDS / 0.1)):
        if found := await check():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"waited {WAIT_SECONDS:g} s for {what}")


async def until_count(stub, account, n: int, app_id: str = "") -> dict[str, r.Input]:
    async def enough():
        got = await inputs_of(stub, account, app_id)
        return got if len(got) >= n else None

    return await until(enough, f"{n} inputs in {app_id or account.app_id}")


async def status_of(stub, account, collector_id: str) -> Any:
    res = await stub.GetCollector(
        s.GetCollectorRequest(user_app_id=app_of(account), collector_id=collector_id),
        metadata=account.md(),
    )
    return (await _ok(res)).collector.status


def drawn(collector_id: str, input_id: str) -> float:
    """The README's rule for pre_queue_random_sample: the first 8 bytes of
    SHA-256("<collector id>/<input id>"), big-endian, over 2**64."""
    digest = hashlib.sha256(f"{collector_id}/{input_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


async def annotations_of(stub, account, version_id: str) -> dict[str, r.Annotation]:
    out: dict[str, r.Annotation] = {}
    page = 1
    while True:
        res = await stub.ListAnnotations(
            s.ListAnnotationsRequest(
                user_app_id=app_of(account),
                model_version_ids=[version_id],
                page=page,
                per_page=1000,
            ),
            metadata=account.md(),
        )
        await _ok(res)
        out.update({a.input_id: a for a in res.annotations})
        if len(res.annotations) < 1000:
            return out
        page += 1


async def second_app(stub, account, app_id: str) -> None:
    res = await stub.PostApps(s.PostAppsRequest(apps=[r.App(id=app_id)]), metadata=account.md())
    await _ok(res)


class TestCollecting:
    async def test_random_sample_collects_its_share_with_outputs(
        self, stub, transport, account, new_account
    ):
        version = await world(stub, account)
        predictor = await new_account()
        await add(
            transport,
            account,
            collector(
                account,
                "sampler",
                pre_queue_random_sample=0.3,
                post_queue_workflow_id="every",
                collect_outputs=True,
            ),
        )
        sent = [scored(k, (k % 97) / 100) for k in range(1000)]
        await predict(transport, predictor, account, sent)

        expected = {i.id for i in sent if drawn("sampler", i.id) < 0.3}
        assert 255 <= len(expected) <= 345
        got = await until_count(stub, account, len(expected))
        assert set(got) == expected
        one = got[sorted(expected)[0]]
        assert one.data.text.raw == f"text {int(one.id[3:])}"
        note = json_format.MessageToDict(one.data.metadata)["collector"]
        assert note["id"] == "sampler" and note["input_id"] == one.id
        assert note["model"] == {
            "user_id": account.user_id,
            "app_id": account.app_id,
            "id": "pass",
            "version_id": version,
        }
        # collect_outputs: each input's output (its score) as a SUCCESS
        # annotation of the model version.
        annotated = await until(
            lambda: _all_annotated(stub, account, version, len(expected)), "annotations"
        )
        assert set(annotated) == expected
        for input_id, annotation in annotated.items():
            k = int(input_id[3:])
            assert annotation.status.code == sc.ANNOTATION_SUCCESS
            assert [c.id for c in annotation.data.concepts] == ["score"]
            assert abs(annotation.data.concepts[0].value - (k % 97) / 100) < 1e-6
        status = await status_of(stub, account, "sampler")
        assert status.code == sc.COLLECTOR_ACTIVE
        assert status.details.startswith(f"{len(expected)} inputs collected, 0 failed")

    async def test_thresholder_collects_exactly_what_passes_and_takes_feedback(
        self, stub, transport, account, new_account
    ):
        version = await world(stub, account)
        predictor = await new_account()
        await add(transport, account, collector(account, "high", pre_queue_workflow_id="above"))
        sent = [scored(k, (k + 0.5) / 20) for k in range(20)]
        await predict(transport, predictor, account, sent)

        expected = {i.id for i in sent if i.data.concepts[0].value > 0.6}
        assert expected == {f"in-{k:04}" for k in range(12, 20)}
        got = await until_count(stub, account, len(expected))
        assert set(got) == expected
        assert await annotations_of(stub, account, version) == {}  # collect_outputs unset

        # The collector's owner gives feedback on a collected output.
        collected = got["in-0015"]
        output_id = json_format.MessageToDict(collected.data.metadata)["collector"]["output_id"]
        feedback = s.PostModelFeedbackRequest(
            user_app_id=app_of(account),
            model_id="pass",
            input=r.Input(
                id=collected.id,
                data=concepts(score=1),
                feedback_info=r.FeedbackInfo(event_type=r.annotation, output_id=output_id),
            ),
        )
        await _ok(await transport.call("PostModelFeedback", feedback, account.md()))
        listed = await transport.call(
            "ListFeedback",
            s.ListFeedbackRequest(user_app_id=app_of(account)),
            account.md(),
        )
        await _ok(listed)
        [entry] = listed.feedback
        assert entry.model_id == "pass" and entry.user_id == account.user_id
        assert entry.input == feedback.input

    async def test_post_queue_workflow_without_output_collects_nothing(
        self, stub, transport, account, new_account
    ):
        await world(stub, account)
        predictor = await new_account()
        await add(transport, account, collector(account, "nothing", post_queue_workflow_id="never"))
        # The control, made second: it collects everything into another app.
        await second_app(stub, account, "control")
        await model(
            stub, account, "any", "regex-based-classifier", concepts(text=1), "control", regex="."
        )
        await workflow(stub, account, "every", "any", app_id="control")
        control_key = await make_key(stub, account, app_key("control"))
        await add(
            transport,
            account,
            collector(account, "everything", key=control_key, post_queue_workflow_id="every"),
            app_id="control",
        )
        await predict(transport, predictor, account, [scored(k, 0.5) for k in range(5)])

        await until_count(stub, account, 5, "control")
        assert await inputs_of(stub, account) == {}
        status = await status_of(stub, account, "nothing")
        assert status.code == sc.COLLECTOR_ACTIVE
        assert status.details == "0 inputs collected, 0 failed"

    async def test_revoked_key_stops_collection_and_prediction_succeeds(
        self, stub, transport, account, new_account
    ):
        await world(stub, account)
        predictor = await new_account()
        key = await make_key(stub, account, app_key(account.app_id))
        await add(
            transport, account, collector(account, "keyed", key=key, post_queue_workflow_id="every")
        )
        res = await stub.DeleteKey(
            s.DeleteKeyRequest(user_app_id=me(), key_id=key), metadata=account.md()
        )
        await _ok(res)
        await predict(transport, predictor, account, [scored(k, 0.5) for k in range(3)])

        async def failed():
            status = await status_of(stub, account, "keyed")
            return status if status.code == sc.COLLECTOR_POST_INPUT_FAILED else None

        status = await until(failed, "the collector to record its failure")
        assert status.details.startswith("0 inputs collected, 3 failed; last error (")
        assert "post_inputs_key_id" in status.details
        assert await inputs_of(stub, account) == {}


async def _all_annotated(stub, account, version: str, n: int) -> dict[str, r.Annotation] | None:
    got = await annotations_of(stub, account, version)
    return got if len(got) >= n else None


class TestWhatCollects:
    async def test_workflow_use_of_the_model_collects_nothing(
        self, stub, transport, account, new_account
    ):
        await world(stub, account)
        await workflow(stub, account, "uses-pass", "pass")
        predictor = await new_account()
        await add(transport, account, collector(account, "c", post_queue_workflow_id="every"))
        ran = await transport.call(
            "PostWorkflowResults",
            s.PostWorkflowResultsRequest(
                user_app_id=app_of(account), workflow_id="uses-pass", inputs=[scored(1, 0.5)]
            ),
            predictor.md(),
        )
        await _ok(ran)
        # A prediction afterwards is collected; the workflow's input never is.
        await predict(transport, predictor, account, [scored(2, 0.5)])
        assert set(await until_count(stub, account, 1)) == {"in-0002"}

    async def test_caller_user_id_collects_that_callers_predictions_only(
        self, stub, transport, account, new_account
    ):
        await world(stub, account)
        chosen, other = await new_account(), await new_account()
        made = collector(account, "c", post_queue_workflow_id="every")
        made.collector_source.api_post_model_outputs_collector_source.caller_user_id = (
            chosen.user_id
        )
        await add(transport, account, made)
        await predict(transport, other, account, [scored(1, 0.5)])
        await predict(transport, chosen, account, [scored(2, 0.5)])
        assert set(await until_count(stub, account, 1)) == {"in-0002"}
        # The other caller's prediction was queued before the chosen one's:
        # had it been collected, it would be there too.
        assert set(await inputs_of(stub, account)) == {"in-0002"}

    async def test_deleted_source_model_makes_the_collector_inactive(
        self, stub, transport, account
    ):
        await world(stub, account)
        await add(transport, account, collector(account, "c", post_queue_workflow_id="every"))
        assert (await status_of(stub, account, "c")).code == sc.COLLECTOR_ACTIVE
        res = await stub.DeleteModel(
            s.DeleteModelRequest(user_app_id=app_of(account), model_id="pass"),
            metadata=account.md(),
        )
        await _ok(res)
        status = await status_of(stub, account, "c")
        assert status.code == sc.COLLECTOR_INACTIVE
        assert "source model was deleted" in status.details

    async def test_paused_collector_collects_nothing(self, stub, transport, account, new_account):
        await world(stub, account)
        predictor = await new_account()
        await add(transport, account, collector(account, "paused", post_queue_workflow_id="every"))
        await add(transport, account, collector(account, "live", post_queue_workflow_id="every"))
        paused = collector(account, "paused", post_queue_workflow_id="every")
        paused.status.code = sc.COLLECTOR_INACTIVE
        paused.collector_source.api_post_model_outputs_collector_source.post_inputs_key_id = (
            account.api_key
        )
        res = await transport.call(
            "PatchCollectors",
            s.PatchCollectorsRequest(
                user_app_id=app_of(account), action="overwrite", collectors=[paused]
            ),
            account.md(),
        )
        await _ok(res)
        await predict(transport, predictor, account, [scored(1, 0.5)])
        await until_count(stub, account, 1)
        assert (await status_of(stub, account, "paused")).details == (
            "0 inputs collected, 0 failed"
        )
        assert (await status_of(stub, account, "live")).details == "1 inputs collected, 0 failed"

    async def test_image_bytes_reach_the_destination(self, stub, transport, account, new_account):
        await world(stub, account)
        predictor = await new_account()
        await add(transport, account, collector(account, "pics", pre_queue_workflow_id="above"))
        picture = r.Input(
            id="pic",
            data=r.Data(
                image=r.Image(base64=png(5, 7, "blue")), concepts=[r.Concept(id="score", value=0.9)]
            ),
        )
        await predict(transport, predictor, account, [picture])
        got = (await until_count(stub, account, 1))["pic"]
        assert (got.data.image.image_info.width, got.data.image.image_info.height) == (5, 7)
        assert got.status.code == sc.INPUT_DOWNLOAD_SUCCESS

    async def test_a_collection_not_queued_fails_no_prediction_and_leaves_no_media(
        self, stub, transport, account, new_account, settings, monkeypatch
    ):
        """The job is queued after the answer: a queue that refuses it (the
        database gone meanwhile) costs that collection, never the prediction,
        and the media staged for it are removed."""
        from server import jobs

        await world(stub, account)
        predictor = await new_account()
        await add(transport, account, collector(account, "pics", post_queue_workflow_id="every"))
        refused: list[dict[str, Any]] = []

        async def refuse(_session, _app, _kind, payloads) -> None:
            refused.extend(payloads)
            raise ConnectionError("the database went away")

        monkeypatch.setattr(jobs, "enqueue_many", refuse)
        picture = r.Input(
            id="pic",
            data=r.Data(
                image=r.Image(base64=png(5, 7, "blue")), concepts=[r.Concept(id="score", value=0.9)]
            ),
        )
        await predict(transport, predictor, account, [picture])  # answers SUCCESS
        await until(lambda: asyncio.sleep(0, refused), "the collection to be queued")
        [key] = refused[0]["blobs"]
        staged = settings.data_dir / "blobs" / key

        await until(lambda: asyncio.sleep(0, not staged.exists()), "the staged media removed")
        monkeypatch.undo()
        assert (await status_of(stub, account, "pics")).details == "0 inputs collected, 0 failed"
        assert await inputs_of(stub, account) == {}
