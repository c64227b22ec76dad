"""Auto-annotating tasks: a model or a workflow labels a task's inputs in
the background (server/auto_annotation.py).

The worker is clarifai/main's general image model (a real CPU model) or a
workflow running it; the inputs are the fixture photos. The tests read what
the model gives each photo (PostModelOutputs) and set each concept's
threshold_range around it, so that a concept is in range, or not, by
construction, whatever the model's exact values."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format
from sqlalchemy import func, select

from server import auto_annotation, indexing, jobs, main_app
from storage import jobs as job_store
from storage.tasks import Task as TaskRow
from tests.helpers import app_of, app_scope, assert_status

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "images"
# How long a test waits for the background (a bound, not a timing).
WAIT_SECONDS = 180.0
GENERAL = main_app.GENERAL_MODEL
GENERAL_VERSION = main_app.model(GENERAL).version_id
# The general model's concept ids (its vocabulary's).
CAT, ESPRESSO, MUG = "n02121620", "n07920052", "n03063599"
BOX, TAG = 2, 1


def photo(input_id: str, name: str) -> r.Input:
    return r.Input(id=input_id, data=r.Data(image=r.Image(base64=(FIXTURES / name).read_bytes())))


async def general_values(stub, account, name: str) -> dict[str, float]:
    """The general model's values of the three concepts for a fixture photo."""
    res = await stub.PostModelOutputs(
        s.PostModelOutputsRequest(
            user_app_id=r.UserAppIDSet(user_id="clarifai", app_id="main"),
            model_id=GENERAL,
            inputs=[photo("", name)],
            model=r.Model(
                model_version=r.ModelVersion(
                    output_info=r.OutputInfo(
                        output_config=r.OutputConfig(
                            select_concepts=[r.Concept(id=c) for c in (CAT, ESPRESSO, MUG)]
                        )
                    )
                )
            ),
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return {c.id: c.value for c in res.outputs[0].data.concepts}


async def concepts(stub, account) -> None:
    res = await stub.PostConcepts(
        s.PostConceptsRequest(
            user_app_id=app_of(account),
            concepts=[
                r.Concept(id=CAT, name="cat"),
                r.Concept(id=ESPRESSO, name="espresso"),
                r.Concept(id=MUG, name="coffee mug"),
            ],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status


async def post_inputs(stub, account, *inputs: r.Input) -> None:
    res = await stub.PostInputs(
        s.PostInputsRequest(user_app_id=app_of(account), inputs=list(inputs)),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status


def config(kinds: int, lower: float, upper: float, status: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {
        "annotation_data_types": kinds,
        "threshold_range": {
            "is_lower_inclusive": True,
            "is_upper_inclusive": True,
            "lower": lower,
            "upper": upper,
        },
    }
    if status:
        out["status_code"] = status
    return out


def auto_task(sent: dict[str, Any], *concepts: tuple[str, dict[str, Any]], **kw: Any) -> dict:
    """An auto-annotating task as the docs' example writes it."""
    task = {
        "type": "TYPE_NOT_SET",
        "name": "auto",
        "worker": {"strategy": "FULL", "workers": [sent]},
        "concepts": [{"concept": {"id": c}, "auto_annotation_config": cfg} for c, cfg in concepts],
        "input_source": {"type": "ALL_INPUTS"},
        "sample_ms": 1000,
        "review": {"strategy": "NONE"},
    }
    task.update(kw)
    return task


MODEL = {"model": {"id": GENERAL, "model_version": {"id": GENERAL_VERSION}}}


def post_request(account, *tasks: dict[str, Any]) -> s.PostTasksRequest:
    req = json_format.ParseDict({"tasks": list(tasks)}, s.PostTasksRequest())
    req.user_app_id.CopyFrom(app_of(account))
    return req


async def waiting_jobs(server, account) -> int:
    """The app's index and auto-annotation jobs not finished yet."""
    app = await app_scope(server, account)
    async with server.db.transaction() as session:
        q = select(func.count()).where(
            job_store.Job.app_pk == app.pk,
            job_store.Job.kind.in_([indexing.INDEX, auto_annotation.ANNOTATE]),
        )
        return int(await session.scalar(q) or 0)


async def settled(server, account) -> None:
    for _ in range(int(WAIT_SECONDS / 0.2)):
        if not await waiting_jobs(server, account):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"jobs still queued after {WAIT_SECONDS:g} s")


async def task_annotations(transport, account, task_id: str) -> list[r.Annotation]:
    """The task's annotations: all of them (a model's are not among the
    trusted ones ListAnnotations shows by default)."""
    res = await transport.call(
        "ListAnnotations",
        s.ListAnnotationsRequest(
            user_app_id=app_of(account), task_id=task_id, list_all_annotations=True, per_page=100
        ),
        account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.annotations)


async def get_task(transport, account, task_id: str) -> r.Task:
    res = await transport.call(
        "GetTask", s.GetTaskRequest(user_app_id=app_of(account), task_id=task_id), account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.task


def labels(annotations: list[r.Annotation]) -> dict[str, set[str]]:
    """The input-level concepts of the annotations, by input id."""
    out: dict[str, set[str]] = {}
    for a in annotations:
        out.setdefault(a.input_id, set()).update(c.id for c in a.data.concepts)
    return out


# ---- creation ----

REFUSALS = [
    (
        "a user worker in an AUTO task",
        {"worker": {"strategy": "FULL", "type": "WORKER_AUTO", "workers": [{"user": {"id": "x"}}]}},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].worker.workers[0].model or tasks[0].worker.workers[0].workflow is required",
    ),
    (
        "a model worker in a HUMAN task",
        {"worker": {"strategy": "FULL", "type": "WORKER_HUMAN", "workers": [MODEL]}},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].worker.workers[0].model: a model worker auto-annotates; it needs "
        "tasks[0].worker.type WORKER_AUTO",
    ),
    (
        "two workers",
        {"worker": {"strategy": "FULL", "workers": [MODEL, MODEL]}},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].worker.workers: an auto-annotating task takes exactly one worker",
    ),
    (
        "strategy DYNAMIC",
        {"worker": {"strategy": "DYNAMIC", "workers": [MODEL]}},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].worker.strategy",
        "use FULL",
    ),
    (
        "a reviewed task",
        {"review": {"strategy": "MANUAL", "users": [{"id": "x"}]}},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].review.strategy: an auto-annotating task takes NONE",
    ),
    (
        "no concepts",
        {"concepts": []},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts: an auto-annotating task needs at least one concept",
    ),
    (
        "a concept without its config",
        {"concepts": [{"concept": {"id": CAT}}]},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts[0].auto_annotation_config is required",
    ),
    (
        "no annotation kind",
        {"concepts": [{"concept": {"id": CAT}, "auto_annotation_config": config(0, 0, 1)}]},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts[0].auto_annotation_config.annotation_data_types 0",
    ),
    (
        "an unknown annotation kind",
        {"concepts": [{"concept": {"id": CAT}, "auto_annotation_config": config(64, 0, 1)}]},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts[0].auto_annotation_config.annotation_data_types 64",
    ),
    (
        "a bound above 1",
        {"concepts": [{"concept": {"id": CAT}, "auto_annotation_config": config(1, 0, 1.5)}]},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts[0].auto_annotation_config.threshold_range.upper 1.5",
    ),
    (
        "lower above upper",
        {"concepts": [{"concept": {"id": CAT}, "auto_annotation_config": config(1, 0.8, 0.2)}]},
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts[0].auto_annotation_config.threshold_range: lower 0.8 is above upper",
    ),
    (
        "a status annotations cannot be written with",
        {
            "concepts": [
                {
                    "concept": {"id": CAT},
                    "auto_annotation_config": config(1, 0, 1, sc.ANNOTATION_REVIEW_DENIED),
                }
            ]
        },
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts[0].auto_annotation_config.status_code 24158",
    ),
    (
        "a concept of no app",
        {"concepts": [{"concept": {"id": "nope"}, "auto_annotation_config": config(1, 0, 1)}]},
        sc.CONN_DOES_NOT_EXIST,
        "tasks[0].concepts[0].concept.id 'nope'",
    ),
    (
        "an unknown model",
        {"worker": {"strategy": "FULL", "workers": [{"model": {"id": "nope"}}]}},
        sc.MODEL_DOES_NOT_EXIST,
        "tasks[0].worker.workers[0].model.id: model 'nope'",
    ),
    (
        "an unknown workflow",
        {"worker": {"strategy": "FULL", "workers": [{"workflow": {"id": "nope"}}]}},
        sc.WORKFLOW_DOES_NOT_EXIST,
        "tasks[0].worker.workers[0].workflow.id: workflow 'nope'",
    ),
]


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [(c, code, w) for _, c, code, *w in REFUSALS],
    ids=[name for name, *_ in REFUSALS],
)
async def test_creation_refusals(transport, stub, account, change, code, words):
    await concepts(stub, account)
    req = post_request(account, auto_task(MODEL, (CAT, config(1, 0, 1)), **change))
    res = await transport.call("PostTasks", req, account.md())
    assert_status(res, code, *words)
    listed = await transport.call(
        "ListTasks", s.ListTasksRequest(user_app_id=app_of(account)), account.md()
    )
    assert not listed.tasks


async def test_a_human_task_takes_no_auto_annotation_config(transport, stub, account):
    await concepts(stub, account)
    task = auto_task({"user": {"id": account.user_id}}, (CAT, config(1, 0, 1)))
    res = await transport.call("PostTasks", post_request(account, task), account.md())
    assert_status(
        res,
        sc.CONN_INVALID_REQUEST,
        "tasks[0].concepts[0].auto_annotation_config is only for auto-annotating tasks",
    )


async def test_read_back_with_the_worker_and_its_pinned_version(transport, stub, account):
    """No type and no version sent: the task is read back as AUTO with its
    model worker, the version it runs named."""
    await concepts(stub, account)
    task = auto_task({"model": {"id": GENERAL}}, (CAT, config(1, 0.5, 1)))
    res = await transport.call("PostTasks", post_request(account, task), account.md())
    assert_status(res, sc.SUCCESS)
    got = await get_task(transport, account, res.tasks[0].id)
    assert got.worker.type == r.TaskWorker.WORKER_AUTO
    [worker] = got.worker.workers
    assert worker.model.id == GENERAL and worker.model.model_version.id == GENERAL_VERSION
    assert not got.worker.users and not got.worker.user_ids
    assert got.concepts[0].auto_annotation_config.threshold_range.lower == pytest.approx(0.5)
    assert got.concept_ids == [CAT]


# ---- running ----


async def test_a_model_annotates_the_tasks_inputs(transport, server, stub, account):
    await concepts(stub, account)
    cat = await general_values(stub, account, "chelsea.jpg")
    cup = await general_values(stub, account, "coffee.jpg")
    await post_inputs(stub, account, photo("chelsea", "chelsea.jpg"), photo("coffee", "coffee.jpg"))
    # cat: in range for the cat photo only; espresso: just out of range on
    # the coffee photo; coffee mug: any value, but as boxes (none here).
    cat_lower = (cat[CAT] + cup[CAT]) / 2
    espresso_lower = min(1.0, cup[ESPRESSO] + 0.001)
    task = auto_task(
        MODEL,
        (CAT, config(TAG, cat_lower, 1, sc.ANNOTATION_PENDING)),
        (ESPRESSO, config(TAG | BOX, espresso_lower, 1)),
        (MUG, {"annotation_data_types": BOX}),
    )
    res = await transport.call("PostTasks", post_request(account, task), account.md())
    assert_status(res, sc.SUCCESS)
    task_id = res.tasks[0].id
    await settled(server, account)
    found = await task_annotations(transport, account, task_id)
    assert labels(found) == {"chelsea": {CAT}}
    [annotation] = found
    assert annotation.task_id == task_id
    assert annotation.model_version_id == GENERAL_VERSION
    assert annotation.worker.model.id == GENERAL
    assert annotation.status.code == sc.ANNOTATION_PENDING
    assert not annotation.user_id
    assert [(c.id, c.value) for c in annotation.data.concepts] == [(CAT, 1.0)]
    assert (await get_task(transport, account, task_id)).status.code == sc.TASK_IDLE

    # An input added later is annotated too.
    await post_inputs(stub, account, photo("chelsea-again", "chelsea.jpg"))
    await settled(server, account)
    found = await task_annotations(transport, account, task_id)
    assert labels(found) == {"chelsea": {CAT}, "chelsea-again": {CAT}}
    assert (await get_task(transport, account, task_id)).status.code == sc.TASK_IDLE

    # Running the task again writes nothing new.
    app = await app_scope(server, account)
    async with server.db.transaction() as session:
        pk = await session.scalar(select(TaskRow.pk).where(TaskRow.app_pk == app.pk))
        await jobs.enqueue_many(session, app, auto_annotation.ANNOTATE, [{"task_pk": pk}] * 2)
    await settled(server, account)
    again = await task_annotations(transport, account, task_id)
    assert sorted(a.id for a in again) == sorted(a.id for a in found)


async def test_a_workflow_annotates_and_an_overwrite_starts_over(transport, server, stub, account):
    """clarifai/main's Universal workflow (the general model, embedders):
    its general model's concepts are used. An overwrite with another range
    replaces what the task wrote."""
    await concepts(stub, account)
    cat = await general_values(stub, account, "chelsea.jpg")
    await post_inputs(stub, account, photo("chelsea", "chelsea.jpg"), photo("coffee", "coffee.jpg"))
    worker = {"workflow": {"id": "Universal"}}
    task = auto_task(worker, (CAT, config(TAG, cat[CAT] / 2, 1)))
    res = await transport.call("PostTasks", post_request(account, task), account.md())
    assert_status(res, sc.SUCCESS)
    created = res.tasks[0]
    assert created.worker.workers[0].workflow.version.id  # pinned
    await settled(server, account)
    found = await task_annotations(transport, account, created.id)
    assert labels(found) == {"chelsea": {CAT}}
    assert found[0].model_version_id == GENERAL_VERSION
    assert found[0].status.code == sc.ANNOTATION_SUCCESS

    # Above the cat's value: nothing is in range any more.
    changed = s.PatchTasksRequest(user_app_id=app_of(account), action="overwrite")
    changed.tasks.append(created)
    changed.tasks[0].ClearField("status")
    rule = changed.tasks[0].concepts[0].auto_annotation_config.threshold_range
    rule.lower = min(1.0, cat[CAT] + 0.001)
    res = await transport.call("PatchTasks", changed, account.md())
    assert_status(res, sc.SUCCESS)
    assert res.tasks[0].status.code == sc.TASK_IN_PROGRESS  # it starts over
    await settled(server, account)
    assert await task_annotations(transport, account, created.id) == []
    assert (await get_task(transport, account, created.id)).status.code == sc.TASK_IDLE


async def test_a_stopped_task_annotates_nothing(transport, server, stub, account):
    """A task its user sets WONT_DO does not run; back IN_PROGRESS it does."""
    await concepts(stub, account)
    task = auto_task(MODEL, (CAT, config(TAG, 0, 1)), status={"code": "TASK_WONT_DO"})
    res = await transport.call("PostTasks", post_request(account, task), account.md())
    assert_status(res, sc.SUCCESS)
    task_id = res.tasks[0].id
    await post_inputs(stub, account, photo("chelsea", "chelsea.jpg"))
    await settled(server, account)
    assert await task_annotations(transport, account, task_id) == []
    resume = s.PatchTasksRequest(user_app_id=app_of(account), action="merge")
    resume.tasks.add(id=task_id).status.code = sc.TASK_IN_PROGRESS
    assert_status(await transport.call("PatchTasks", resume, account.md()), sc.SUCCESS)
    await settled(server, account)
    assert labels(await task_annotations(transport, account, task_id)) == {"chelsea": {CAT}}
    assert (await get_task(transport, account, task_id)).status.code == sc.TASK_IDLE


async def test_inputs_joining_a_dataset_source_are_annotated(transport, server, stub, account):
    await concepts(stub, account)
    res = await stub.PostDatasets(
        s.PostDatasetsRequest(user_app_id=app_of(account), datasets=[r.Dataset(id="pets")]),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    await post_inputs(stub, account, photo("chelsea", "chelsea.jpg"))
    task = auto_task(
        MODEL, (CAT, config(TAG, 0, 1)), input_source={"type": "DATASET", "id": "pets"}
    )
    res = await transport.call("PostTasks", post_request(account, task), account.md())
    assert_status(res, sc.SUCCESS)
    task_id = res.tasks[0].id
    await settled(server, account)
    assert await task_annotations(transport, account, task_id) == []
    added = await transport.call(
        "PostDatasetInputs",
        s.PostDatasetInputsRequest(
            user_app_id=app_of(account),
            dataset_id="pets",
            dataset_inputs=[r.DatasetInput(input=r.Input(id="chelsea"))],
        ),
        account.md(),
    )
    assert_status(added, sc.SUCCESS)
    await settled(server, account)
    assert labels(await task_annotations(transport, account, task_id)) == {"chelsea": {CAT}}
