"""Auto-annotating tasks: a model or a workflow labels the task's inputs.

A task whose worker is a model or a workflow (TaskWorker.type WORKER_AUTO,
server/domain/task_rules.py) is run by a background job over the inputs of
its source, as they are when it runs: the worker runs on each input and
its predictions of the task's concepts become annotations, as each
concept's auto_annotation_config says (server/domain/auto_annotation.py).
Each annotation carries the task's id, the model version that predicted
it, no user, and its concept's status.

- The worker is a model of the app or of clarifai/main (its version
  model_version.id, else its newest trained version), or a workflow of
  either (its version, else its newest); the version is pinned in the task
  when it is made. A workflow runs whole; the outputs of its last nodes
  that give concepts or regions (no other node reads them) are used. An
  input of a medium the model does not read is passed over.
- The job is queued by PostTasks, by PatchTasks (an overwrite, or a status
  set back to IN_PROGRESS), for inputs added later by their index job
  (server/indexing.py), one job per task for those inputs, and for inputs
  joining a DATASET source by PostDatasetInputs. It takes the
  inputs BATCH at a time, in order of pk, one transaction per batch: the
  inputs taken are recorded with their annotations (storage/auto_annotations.py),
  so an input is annotated once however often jobs run; after BATCHES
  batches a new job goes on from there.
- A task runs while IN_PROGRESS or IDLE; a user's DONE, WONT_DO or FAILED
  stops it. Once no input of its source is left, an IN_PROGRESS task is
  IDLE ("waiting for data": an auto-annotating task is never DONE, as in
  the reference), and inputs arriving later are annotated all the same. An
  input the worker fails on is skipped and counted: the IDLE status's
  details say how many, with a reason. A worker that cannot run
  at all (its model version deleted since) fails the task (TASK_FAILED,
  the reason in its details).
- An overwrite that changes the worker, the concepts or the source starts
  the task over: what its worker wrote is deleted, every input taken anew.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server import jobs, labeling, prediction, workflow_runs, workflows
from server.domain import auto_annotation as rules
from server.domain.task_rules import AutoWorker
from server.ids import new_id
from server.runtimes import Failure, Item
from server.status import ApiError, Code
from storage import apps as app_store
from storage import blobs
from storage import tasks as task_store
from storage.store import Store

log = logging.getLogger("clarifai_local.auto_annotation")

ANNOTATE = "task.auto_annotate"
# Inputs per inference call and per transaction; batches per job run.
BATCH = 32
BATCHES = 40
# The task statuses it runs in.
RUNNING = (Code.TASK_IN_PROGRESS, Code.TASK_IDLE)
# What a model, or a workflow's node, gives that becomes annotations.
LABELS = frozenset({"concepts", "regions"})
Data = resources_pb2.Data
Task = resources_pb2.Task
DATASET = resources_pb2.TaskInputSource.DATASET


# ---- the worker ----


@dataclass(frozen=True)
class Worker:
    """What annotates: a model's version, or a workflow version's graph."""

    model: workflows.NodeModel | None = None
    graph: workflows.Graph | None = None

    @property
    def version_id(self) -> str:
        if self.model is not None:
            return self.model.version.id
        assert self.graph is not None
        return self.graph.version.id


def worker_of(task: Task) -> AutoWorker | None:
    """The model or workflow of a stored auto-annotating task."""
    if task.worker.type != resources_pb2.TaskWorker.WORKER_AUTO or not task.worker.workers:
        return None
    sent = task.worker.workers[0]
    kind = sent.WhichOneof("worker")
    if kind == "model":
        m = sent.model
        return AutoWorker(
            "worker.workers[0].model", kind, m.id, m.model_version.id, m.user_id, m.app_id
        )
    if kind == "workflow":
        w = sent.workflow
        return AutoWorker(
            "worker.workers[0].workflow", kind, w.id, w.version.id, w.user_id, w.app_id
        )
    return None


def _labeling_nodes(graph: workflows.Graph) -> list[int]:
    """The places of the graph's last nodes giving concepts or regions."""
    read = {i for n in graph.nodes for i in n.inputs}
    return [
        k
        for k, n in enumerate(graph.nodes)
        if n.found is not None
        and n.id not in read
        and LABELS.intersection(n.found.spec.output_fields if n.found.spec else ())
    ]


async def resolve(store: Store, app: app_store.App, auto: AutoWorker) -> Worker:
    """The worker a task names, ready to run, or why it cannot annotate
    (details naming `auto.where`)."""
    if auto.kind == "model":
        sent = resources_pb2.Model(
            id=auto.id,
            user_id=auto.user_id,
            app_id=auto.app_id,
            model_version=resources_pb2.ModelVersion(id=auto.version_id),
        )
        found = await workflows.model_of(store, sent, auto.where, Code.MODEL_UNTRAINED)
        try:
            prediction.runtime(found.model, found.version)
        except ApiError as exc:
            raise ApiError(exc.code, f"{auto.where}: {exc.details}") from None
        return Worker(model=found)
    row = await workflows.find(store, app, auto.id, f"{auto.where}.id")
    graph = await workflows.latest(store, row, auto.version_id, f"{auto.where}.version.id")
    if graph.deprecated:
        raise ApiError(
            Code.WORKFLOW_INVALID_REQUEST,
            f"{auto.where}: workflow '{row.id}' version '{graph.version.id}' names a deleted "
            "model version",
        )
    if not _labeling_nodes(graph):
        raise ApiError(
            Code.WORKFLOW_INVALID_REQUEST,
            f"{auto.where}: workflow '{row.id}' has no node giving concepts or regions",
        )
    return Worker(graph=graph)


def pin(values: dict[str, Any], worker: Worker) -> None:
    """The task's stored worker (`values`: its stored values) names the
    version it runs, as resolved when the task is made."""
    sent = values["task"]["worker"]["workers"][0]
    if worker.model is not None:
        sent["model"].setdefault("model_version", {})["id"] = worker.version_id
    else:
        sent["workflow"].setdefault("version", {})["id"] = worker.version_id


def settings_of(stored: dict[str, Any]) -> tuple[Any, ...]:
    """What an auto-annotating task's annotations depend on (a change of
    any starts it over): its worker, concepts and source."""
    return tuple(stored.get(k) for k in ("worker", "concepts", "input_source"))


# ---- running the worker ----

Answer = list[tuple[str, Data]] | Failure


async def _model_answers(
    store: Store, media: blobs.BlobStore, found: workflows.NodeModel, task: Task, ids: list[str]
) -> list[Answer]:
    """The model's output for each input, only the task's concepts kept,
    whatever their rank; an input of another medium gets none."""
    config = prediction.OutputConfig(
        max_concepts=prediction.MAX_CONCEPTS_CAP, select=tuple(c.concept.id for c in task.concepts)
    )
    ctx = prediction.context(
        found.version, resources_pb2.OutputInfo(), config, store, store.inputs.app.user_id
    )
    inputs = [resources_pb2.Input(id=i) for i in ids]
    resolved = await prediction.resolve(inputs, store.inputs, media, None)
    kinds = found.media()
    out: list[Answer] = [r if isinstance(r, Failure) else [] for r in resolved]
    runnable = [
        n
        for n, r in enumerate(resolved)
        if isinstance(r, Item) and (not kinds or not r.kind or r.kind in kinds)
    ]
    ran = await prediction.run(
        prediction.runtime(found.model, found.version), ctx, [resolved[n] for n in runnable]
    )
    for n, got in zip(runnable, ran, strict=True):
        if isinstance(got, Data):
            prediction.apply(config, got)
        out[n] = got if isinstance(got, Failure) else [(found.version.id, got)]
    return out


async def _workflow_answers(
    store: Store, media: blobs.BlobStore, graph: workflows.Graph, ids: list[str]
) -> list[Answer]:
    """The outputs of the workflow's last labeling nodes for each input."""
    whole = replace(graph, nodes=tuple(replace(n, suppress=False) for n in graph.nodes))
    runner = workflow_runs.Runner(store, media, None, store.inputs.app.user_id)
    inputs = [resources_pb2.Input(id=i) for i in ids]
    results = await workflow_runs.run(runner, whole, inputs, keep_ids=False)
    used = _labeling_nodes(graph)
    out: list[Answer] = []
    for result in results:
        if result.status.code != Code.SUCCESS:
            out.append(Failure(result.status.code, result.status.details))
            continue
        outputs = [result.outputs[k] for k in used]
        out.append([(o.model.model_version.id, o.data) for o in outputs])
    return out


def _values(
    task_id: str, input_id: str, answer: list[tuple[str, Data]], kept: dict[str, rules.ConceptRule]
) -> list[dict[str, Any]]:
    """The annotations of one input, as storage adds them."""
    out = []
    for version_id, status, data in rules.annotations(answer, kept):
        for region in data.regions:
            region.id = region.id or new_id()
        out.append(
            {
                "id": new_id(),
                "input_id": input_id,
                "data": json_format.MessageToDict(data, preserving_proto_field_name=True),
                "task_id": task_id,
                "model_version_id": version_id,
                "user_id": "",
                "status_code": status,
            }
        )
    return out


async def annotate(
    store: Store,
    media: blobs.BlobStore,
    row: task_store.Task,
    task: Task,
    worker: Worker,
    taken: Sequence[tuple[int, str]],
) -> None:
    """Run the worker on these inputs (pk, id) and write what it finds; an
    input it fails on is recorded as skipped."""
    ids = [i for _, i in taken]
    if worker.model is not None:
        answers = await _model_answers(store, media, worker.model, task, ids)
    else:
        assert worker.graph is not None
        answers = await _workflow_answers(store, media, worker.graph, ids)
    kept = rules.rules_of(task, Code.ANNOTATION_SUCCESS)
    values, failed = [], {}
    for (pk, input_id), answer in zip(taken, answers, strict=True):
        if isinstance(answer, Failure):
            failed[pk] = f"input '{input_id}': {answer.details}"
        else:
            values.extend(_values(row.id, input_id, answer, kept))
    await store.annotations.add(values)
    await store.auto_annotations.failed(row.pk, failed)


# ---- the job ----


async def enqueue_for(call_enqueue: Any, rows: Sequence[task_store.Task]) -> None:
    """Queue a run of each of these tasks over its whole source
    (`call_enqueue`: the call's enqueue)."""
    if rows:
        await call_enqueue(ANNOTATE, [{"task_pk": r.pk} for r in rows])


async def _finish(store: Store, row: task_store.Task, kind: str) -> None:
    """The task is IDLE, its details counting the inputs it skipped."""
    count, reason = await store.auto_annotations.failures(row.pk)
    details = (
        f"{count} input{'s' if count != 1 else ''} skipped: the {kind} failed on "
        f"{'them' if count != 1 else 'it'} ({reason})"
        if count
        else ""
    )
    await store.tasks.finish(row.pk, Code.TASK_IDLE, details)


async def _batch(
    ctx: jobs.JobContext, task_pk: int, after: int, among: list[int] | None
) -> int | None:
    """Annotate the task's next BATCH inputs after pk `after`, in one
    transaction; the pk to go on after, or None once there is no more to
    do (the task then settled)."""
    async with ctx.db.transaction() as session:
        app = await app_store.get_by_pk(session, ctx.app_pk) if ctx.app_pk else None
        if app is None:
            return None
        store = Store.owner_of(session, app)
        row = await store.tasks.by_pk(task_pk)
        if row is None or row.status_code not in RUNNING:
            return None  # deleted, or stopped by its user
        plan = labeling.plan_of(row, app_store.scope_of(app))
        auto = worker_of(plan.task)
        if auto is None:
            return None  # a human task since
        try:
            worker = await resolve(store, app, auto)
        except ApiError as exc:
            failed = {"status_code": Code.TASK_FAILED, "status_details": exc.details}
            await store.tasks.update({row.id: failed})
            log.warning("task %s/%s cannot run: %s", app.id, row.id, exc.details)
            return None
        where = await labeling.source(store, plan)
        taken, last = await store.auto_annotations.take(row.pk, where, after, BATCH, among)
        if last is None:
            if not await store.auto_annotations.left(row.pk, where):
                await _finish(store, row, auto.kind)
            return None
        await annotate(store, blobs.store_for(ctx.settings.data_dir), row, plan.task, worker, taken)
        return last


@jobs.job(ANNOTATE)
async def run(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    """{"task_pk", "input_pks"?: only these, "after"?: pk to go on after}."""
    task_pk = int(payload["task_pk"])
    among = payload.get("input_pks")
    after = int(payload.get("after", 0))
    for _ in range(BATCHES):
        step = await _batch(ctx, task_pk, after, among)
        if step is None:
            return
        after = step
    async with ctx.db.transaction() as session:
        app = await app_store.get_by_pk(session, ctx.app_pk) if ctx.app_pk else None
        if app is not None:
            await jobs.enqueue_many(
                session, app_store.scope_of(app), ANNOTATE, [{**payload, "after": after}]
            )


async def queue_new_inputs(session: Any, app: app_store.App, input_pks: Sequence[int]) -> None:
    """Inputs added to the app (their media in): each running
    auto-annotating task whose source may hold them gets a job for them."""
    store = Store.owner_of(session, app)
    rows = await store.tasks.auto(RUNNING)
    if not rows or not input_pks:
        return
    await jobs.enqueue_many(
        session,
        app_store.scope_of(app),
        ANNOTATE,
        [{"task_pk": r.pk, "input_pks": sorted(input_pks)} for r in rows],
    )


async def queue_dataset(call: Any, dataset_id: str) -> None:
    """Inputs joined a dataset (PostDatasetInputs, `call`): the running
    auto-annotating tasks of that DATASET source run over it."""
    rows = await call.store.tasks.auto(RUNNING)
    kept = [r for r in rows if (r.input_source_type, r.input_source_id) == (DATASET, dataset_id)]
    await enqueue_for(call.enqueue, kept)


# ---- PostTasks and PatchTasks ----


def _is_auto(stored: dict[str, Any]) -> bool:
    return (stored.get("worker") or {}).get("type") == resources_pb2.TaskWorker.WORKER_AUTO


def runs(row: task_store.Task) -> bool:
    """Whether the stored task auto-annotates now."""
    return _is_auto(row.task) and row.status_code in RUNNING


def restarts(row: task_store.Task, change: dict[str, Any]) -> bool:
    """Whether a patch's change starts the task over: an overwrite changing
    an auto-annotating task's worker, concepts or source (or making one)."""
    new = change.get("task")
    if new is None or not (_is_auto(row.task) or _is_auto(new)):
        return False
    return settings_of(row.task) != settings_of(new)


async def restart(
    store: Store, rows: Sequence[task_store.Task], changes: dict[str, dict[str, Any]]
) -> None:
    """These tasks start over (their changes, by id, are about to be
    stored): what their workers wrote goes, no input is taken, and one that
    was IDLE is IN_PROGRESS again unless the patch sets its status."""
    await store.annotations.drop_auto([r.id for r in rows])
    await store.auto_annotations.forget([r.pk for r in rows])
    for row in rows:
        change = changes[row.id]
        if "status_code" not in change and row.status_code == Code.TASK_IDLE:
            change["status_code"] = Code.TASK_IN_PROGRESS
        change.setdefault("status_details", "")
