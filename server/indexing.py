"""The base workflow: each input's embeddings, computed in the background.

An app's base workflow (PostApps' default_workflow, or the deprecated
default_workflow_id; Universal when it names none) is a workflow of the
app or of clarifai/main (its built-in ones, server/main_app.py), read as
its latest version's nodes. Its embedding nodes index the app's inputs:
image inputs get image-embedding vectors, text inputs text-embedding
vectors. Where a node runs general-image-recognition, each image input
also gets that model's predicted concepts, as one input-level annotation
by the model version (`PREDICTED_TOP` concepts at most, each valued
`PREDICTED_MIN` or more): the same EfficientNet run gives the concepts and
the image embedding, so the network runs once per image. A base workflow
id naming no workflow (stored before workflows were checked) is indexed as
Universal.

A base workflow holding an annotation writer (the docs' auto-annotation
walkthrough: classify, map synonyms, threshold, write) also runs whole on
each input whose media is in, through the runner PostWorkflowResults uses
(server/workflow_runs.py), the input named by id, so its writers annotate
the stored input. Without a writer the graph's outputs would go nowhere:
it does not run (its embedders and general model still index). Each
workflow version's graph runs once per input: a small per-input record
(storage/workflow_runs.py, written in the transaction of the writers'
annotations) says which inputs it ran on, failures included; and a
writer's annotation of an input has an id made of the writer's model
version and the input (storage/annotations.py's WrittenOnce), so no run
(a new version keeping the writer, two jobs at once) writes a second one.
A graph that cannot run (a node's model version deleted, a writer's bad
annotation_status) is logged and skipped, the indexing done.

Jobs (server/jobs.py):
- `input.index` {"input_pks": [...]}: queued by PostInputs for the inputs it
  added, when some hold their media or wait for its download (a URL kept
  without download has none to index). It reads the workflow and the
  inputs once; those whose media is in are embedded, 32 per inference
  call, one transaction per batch; while some still wait for their
  download the job is deferred, and the download's end runs it again at
  once (server/fetch.py).
- `app.reindex` {}: queued by PatchApps when the base workflow changes (and
  by PatchWorkflows and DeleteWorkflowVersions when its nodes do). It
  drops the app's vectors of embedders the new workflow lacks (and its
  predicted concepts when it lacks the general model) and indexes every
  input for what it has, 32 at a time, continuing in a new job after a
  bounded number of batches.
Once an index job's inputs all have their media (or failed to get it),
each running auto-annotating task of the app gets a job for them
(server/auto_annotation.py); while an app has such tasks, PostInputs queues
index jobs even when its base workflow indexes nothing.
Both compute only vectors and predictions not stored yet, so running them
again (a retry, a second reindex) repeats no inference; each reads the
app's workflow when it runs, so a job queued before a later change does
that change's work.

`ensure_embeddings` is the one path from inputs to vectors: training uses it
too, on inputs whatever the base workflow."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

import numpy as np
from clarifai.api import resources_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from server import auto_annotation, inference, jobs, main_app, vectors, workflow_runs, workflows
from server.runtimes import OPERATOR
from server.status import ApiError, Code
from storage import apps as app_store
from storage import blobs
from storage import inputs as input_store
from storage.annotations import AnnotationStorage
from storage.embeddings import EmbeddingStorage, Media
from storage.scoped import AppScope
from storage.store import JobStore, Store
from storage.workflow_runs import WorkflowRunStorage

log = logging.getLogger("clarifai_local.indexing")

INDEX = "input.index"
REINDEX = "app.reindex"
# Inputs per inference call and per transaction.
BATCH = 32
# Batches one reindex job runs before it hands over to the next one (each
# run stays well within a job's time limit).
REINDEX_BATCHES = 40
# Seconds before an index job whose inputs wait for their download looks
# again (the end of a download wakes it sooner).
WAIT_SECONDS = 10.0
# The media kind each embedder reads.
MEDIA = {"image-embedding": "image", "text-embedding": "text"}
# The general model's predictions kept per image: the most likely concepts
# (the reference's predictions default to 20), leaving out the negligible.
PREDICTED_TOP = 20
PREDICTED_MIN = 0.01
# The general model's runtime key (server/runtimes.py).
GENERAL_RUNTIME = "general-image"
# The runtime key of annotation writers: a graph holding one runs on inputs.
WRITER_RUNTIME = OPERATOR + "annotation-writer"


class Indexable(Protocol):
    """What ensure_embeddings reads of an input (storage/inputs.py's Row,
    the Input table's rows and storage/embeddings.py's Media all have it)."""

    pk: int
    media_kind: str
    blob_key: str
    data: dict[str, Any]


# The blob store of the last server started in this process: for callers
# of ensure_embeddings that do not name one.
_default_store: list[blobs.BlobStore] = []


def use_store(store: blobs.BlobStore) -> None:
    _default_store[:] = [store]


def _server_store() -> blobs.BlobStore:
    if not _default_store:
        raise RuntimeError("no server started in this process: pass ensure_embeddings a store")
    return _default_store[0]


async def embedder_version_pk(session: AsyncSession, runtime: str) -> int:
    """clarifai/main's model version of an embedder, by runtime key
    ("image-embedding", "text-embedding"): the version vectors are stored
    under. Its models have two ids each (a version row each): the first."""
    pks = sorted(
        pk for pk, key in (await vectors.embedder_versions(session)).items() if key == runtime
    )
    if not pks:
        raise LookupError(f"clarifai/main has no model version of runtime {runtime!r}")
    return pks[0]


@dataclass(frozen=True)
class BaseWorkflow:
    """What indexing computes for an app's base workflow: the runtime keys
    of its embedding nodes (in node order), whether a node runs the
    general model (its predicted concepts are kept), and its graph when a
    node writes annotations (the graph then runs on inputs)."""

    id: str
    embedders: tuple[str, ...] = ()
    classifies: bool = False
    writes: workflows.Graph | None = field(default=None, compare=False)


# clarifai/main's workflows as base workflows, by the id an app names:
# written at start and fixed while the server runs, so PostInputs asks
# only whether the app has a workflow of that id of its own.
_MAIN_BASES: dict[str, BaseWorkflow] = {}


async def base_workflow(
    store: Store, app: app_store.App, has_own: bool | None = None
) -> BaseWorkflow:
    """The app's base workflow (`store`: the app's storage); `has_own`:
    whether the app has a workflow of the id it names, when known."""
    wanted = workflows.base_workflow_id(app)
    if wanted in _MAIN_BASES:
        if has_own is None:
            has_own = await store.workflows.has(wanted)
        if not has_own:
            return _MAIN_BASES[wanted]
    try:
        row = await workflows.find(store, app, "")
    except ApiError:
        row = await workflows.find(store, app, main_app.DEFAULT_WORKFLOW)
    graph = await workflows.latest(store, row)
    runtimes = [n.found.version.runtime for n in graph.nodes if n.found is not None]
    found = BaseWorkflow(
        id=row.id,
        embedders=tuple(r for r in dict.fromkeys(runtimes) if r in MEDIA),
        classifies=GENERAL_RUNTIME in runtimes,
        writes=graph if WRITER_RUNTIME in runtimes else None,
    )
    if row.app_pk != store.workflows.app.pk and found.writes is None:
        _MAIN_BASES[wanted] = found  # (a graph that writes holds rows: not kept)
    return found


async def indexes(store: Store, app: app_store.App, added: Sequence[input_store.Row]) -> bool:
    """Whether an index job has work on these new inputs (PostInputs queues
    none otherwise): the app's base workflow runs on inputs and some of
    them hold their media or will once downloaded, or an auto-annotating
    task waits for new inputs."""
    has_own, auto = await store.workflows.indexing(workflows.base_workflow_id(app))
    if auto:
        return True
    indexable = any(i.status_code == input_store.PENDING or _holds_media(i) for i in added)
    return indexable and runs_on_inputs(await base_workflow(store, app, has_own))


def runs_on_inputs(workflow: BaseWorkflow) -> bool:
    return bool(workflow.embedders) or workflow.classifies or workflow.writes is not None


def embedders(workflow: BaseWorkflow) -> list[str]:
    """The runtime keys of the workflow's embedding models, in its order."""
    return list(workflow.embedders)


def classifies(workflow: BaseWorkflow) -> bool:
    """Whether the workflow stores the general model's predicted concepts."""
    return workflow.classifies


def general_version_id() -> str:
    general = main_app.model(main_app.GENERAL_MODEL)
    assert general is not None, "the general model is built in"
    return general.version_id


# ---- computing vectors ----


def _raw_text(item: Indexable) -> str | None:
    """A text input's raw text, when the input carries it."""
    if item.media_kind == "text" and (raw := (item.data.get("text") or {}).get("raw")):
        return str(raw)
    return None


def _holds_media(item: Indexable) -> bool:
    """Whether the input's media is at hand: its blob, or its raw text (a URL
    kept without download has none)."""
    return bool(item.blob_key) or _raw_text(item) is not None


async def _media(store: blobs.BlobStore, item: Indexable) -> bytes | str | None:
    """An input's bytes (an image) or text; None when there is none."""
    if (raw := _raw_text(item)) is not None:
        return raw
    if not item.blob_key:
        return None  # a URL kept without download (CLARIFAI_LOCAL_FETCH_URLS=false)
    try:
        data = b"".join([chunk async for chunk in store.read(item.blob_key)])
    except FileNotFoundError:
        return None
    return data.decode("utf-8", errors="replace") if item.media_kind == "text" else data


def _embedder(runtime: str) -> Callable[[list[Any]], Sequence[Any]]:
    return inference.embed_images if runtime == "image-embedding" else inference.embed_texts


async def _compute(
    fn: Callable[[list[Any]], Sequence[Any]], media: dict[int, Any]
) -> dict[int, Any]:
    """`fn`'s answer for each of these inputs' media, BATCH per inference
    call off the event loop (models load on first use). An image the model
    cannot decode is left out (logged), not the whole batch."""
    out: dict[int, Any] = {}
    pks = list(media)
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        try:
            found = await inference.run(fn, [media[pk] for pk in chunk])
            out.update(zip(chunk, found, strict=True))
        except inference.MediaError:
            for pk in chunk:  # one at a time, to keep the good ones
                try:
                    out[pk] = (await inference.run(fn, [media[pk]]))[0]
                except inference.MediaError as exc:
                    log.warning("input %s not indexed: %s", pk, exc)
    return out


async def ensure_embeddings(
    session: AsyncSession,
    app: AppScope,
    inputs: Sequence[Indexable],
    runtime: str,
    store: blobs.BlobStore | None = None,
) -> dict[int, np.ndarray]:
    """The vectors of these inputs from the embedder `runtime`, by input pk:
    those stored, and the missing ones computed from the inputs' media
    (read from `store`, by default the server's) and stored. Inputs of
    another medium, or without media, are left out."""
    kind = MEDIA[runtime]
    wanted = [i for i in inputs if i.media_kind == kind]
    if not wanted:
        return {}
    version_pk = await embedder_version_pk(session, runtime)
    embeddings = EmbeddingStorage(session, app)
    stored = await embeddings.vectors([i.pk for i in wanted], version_pk)
    out = {pk: np.asarray(v, dtype=np.float32) for pk, v in stored.items()}
    missing = [i for i in wanted if i.pk not in out]
    if missing:
        blob_store = store or _server_store()
        media = {i.pk: await _media(blob_store, i) for i in missing}
        computed = await _compute(
            _embedder(runtime), {pk: m for pk, m in media.items() if m is not None}
        )
        await embeddings.put(version_pk, {pk: v.tolist() for pk, v in computed.items()})
        out.update(computed)
    return out


def _kept(concepts: Sequence[inference.Concept]) -> list[dict[str, Any]]:
    """The predicted concepts an annotation keeps (they come value first)."""
    kept = [c for c in concepts[:PREDICTED_TOP] if c.value >= PREDICTED_MIN]
    return [{"id": c.id, "name": c.name, "value": float(c.value)} for c in kept]


async def ensure_predictions(
    session: AsyncSession,
    app: AppScope,
    items: Sequence[Media],
    store: blobs.BlobStore,
    embed: bool,
) -> None:
    """The general model's predicted concepts of these image inputs, stored
    where missing, and (`embed`) their image-embedding vectors: one network
    run per image lacking either."""
    images = [i for i in items if i.media_kind == "image"]
    if not images:
        return
    version_id = general_version_id()
    annotations = AnnotationStorage(session, app)
    embeddings = EmbeddingStorage(session, app)
    have = await annotations.predicted(version_id, [i.id for i in images])
    vector_pk = await embedder_version_pk(session, "image-embedding") if embed else 0
    vectors_in = (
        set(await embeddings.vectors([i.pk for i in images], vector_pk)) if embed else set()
    )
    todo = [i for i in images if i.id not in have or (embed and i.pk not in vectors_in)]
    if not todo:
        return
    media = {i.pk: await _media(store, i) for i in todo}
    analysed = await _compute(
        inference.analyse_images, {pk: m for pk, m in media.items() if m is not None}
    )
    await annotations.add_predicted(
        version_id,
        {
            i.id: {"concepts": _kept(analysed[i.pk].concepts)}
            for i in todo
            if i.pk in analysed and i.id not in have
        },
    )
    if embed:
        await embeddings.put(
            vector_pk,
            {pk: a.embedding.tolist() for pk, a in analysed.items() if pk not in vectors_in},
        )


async def _run_workflow(
    app: JobStore,
    session: AsyncSession,
    scope: AppScope,
    workflow: BaseWorkflow,
    items: Sequence[Media],
    store: blobs.BlobStore,
) -> None:
    """The workflow's outputs of these inputs (`app`: their app's storage),
    computing only what is missing; those without their media at hand (a
    URL kept without download) have none."""
    items = [i for i in items if _holds_media(i)]
    runtimes = embedders(workflow)
    if classifies(workflow):
        await ensure_predictions(session, scope, items, store, "image-embedding" in runtimes)
    for runtime in runtimes:
        await ensure_embeddings(session, scope, items, runtime, store)
    if workflow.writes is not None:
        await _run_graph(app, WorkflowRunStorage(session, scope), workflow.writes, items, store)


async def _run_graph(
    app: JobStore,
    runs: WorkflowRunStorage,
    graph: workflows.Graph,
    items: Sequence[Media],
    store: blobs.BlobStore,
) -> None:
    """The graph run on those of these inputs it has not run on, by id, its
    outputs kept by none but its writers (every node suppressed: nobody
    reads them, so no output ids are kept for feedback)."""
    done = await runs.ran(graph.version.pk, [i.pk for i in items])
    todo = [i for i in items if i.pk not in done]
    if not todo:
        return
    quiet = replace(graph, nodes=tuple(replace(n, suppress=True) for n in graph.nodes))
    runner = workflow_runs.Runner(app, store, None, runs.app.user_id)
    try:
        results = await workflow_runs.run(
            runner, quiet, [resources_pb2.Input(id=i.id) for i in todo]
        )
    except ApiError as exc:
        log.warning("base workflow %r cannot run on inputs: %s", graph.workflow.id, exc)
        return
    for item, result in zip(todo, results, strict=True):
        if result.status.code != Code.SUCCESS:
            log.warning("input %s: base workflow: %s", item.id, result.status.details)
    await runs.mark(graph.version.pk, [i.pk for i in todo])


# ---- jobs ----


@dataclass(frozen=True)
class _Plan:
    """What an index job reads first, in one transaction: its app, the base
    workflow, the inputs whose media is in, how many still wait."""

    app: app_store.App
    workflow: BaseWorkflow
    items: list[Media]
    waiting: int

    def todo(self) -> list[Media]:
        """The inputs the workflow has work on: those whose media is at hand."""
        if not runs_on_inputs(self.workflow):
            return []
        return [i for i in self.items if _holds_media(i)]


async def _plan(ctx: jobs.JobContext, pks: Sequence[int]) -> _Plan | None:
    """The index job's plan (None: the app is gone)."""
    async with ctx.db.transaction() as session:
        app = await app_store.get_by_pk(session, ctx.app_pk) if ctx.app_pk else None
        if app is None:
            return None
        workflow = await base_workflow(JobStore.owner_of(session, app), app)
        # Waiting ones counted in the same read as the media: a download
        # ending meanwhile is indexed now or by the deferred rerun, never by
        # neither.
        items, waiting = await EmbeddingStorage(session, app_store.scope_of(app)).media(pks)
        return _Plan(app, workflow, items, waiting)


async def _index_batch(ctx: jobs.JobContext, plan: _Plan, items: Sequence[Media]) -> None:
    """Run the base workflow on these inputs, in one transaction."""
    async with ctx.db.transaction() as session:
        await _run_workflow(
            JobStore.owner_of(session, plan.app),
            session,
            app_store.scope_of(plan.app),
            plan.workflow,
            items,
            blobs.store_for(ctx.settings.data_dir),
        )


@jobs.job(INDEX)
async def index_inputs(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    pks: list[int] = list(payload.get("input_pks", []))
    plan = await _plan(ctx, pks)
    if plan is None:
        return
    todo = plan.todo()
    for start in range(0, len(todo), BATCH):
        await _index_batch(ctx, plan, todo[start : start + BATCH])
    if plan.waiting:
        raise jobs.Defer(WAIT_SECONDS)
    # Every input's media is in (or failed): the app's auto-annotating tasks
    # annotate those of their sources.
    async with ctx.db.transaction() as session:
        await auto_annotation.queue_new_inputs(session, plan.app, pks)


async def downloaded(session: AsyncSession, input_pk: int) -> None:
    """An input's download ended (either way): the index job waiting for it
    runs as soon as the transaction commits."""
    await jobs.run_now(session, INDEX, {"input_pks": [input_pk]})


async def _reindex_batch(
    ctx: jobs.JobContext, mark: tuple[datetime, int] | None
) -> tuple[AppScope, list[Media]] | None:
    """Index the app's next BATCH inputs after `mark` for its base workflow,
    in one transaction (the first batch also drops the vectors of embedders
    the workflow lacks, and the predictions of a model it lacks); None when
    there is nothing more to do."""
    async with ctx.db.transaction() as session:
        app = await app_store.get_by_pk(session, ctx.app_pk) if ctx.app_pk else None
        if app is None:
            return None
        scope = app_store.scope_of(app)
        app_storage = JobStore.owner_of(session, app)
        workflow = await base_workflow(app_storage, app)
        runtimes = embedders(workflow)
        embeddings = EmbeddingStorage(session, scope)
        if mark is None:
            versions = await vectors.embedder_versions(session)
            await embeddings.drop([pk for pk, r in versions.items() if r not in runtimes])
            if not classifies(workflow):
                await AnnotationStorage(session, scope).drop_predicted([general_version_id()])
        if not runs_on_inputs(workflow):
            return None
        items = await embeddings.media_after(mark, BATCH)
        await _run_workflow(
            app_storage,
            session,
            scope,
            workflow,
            items,
            blobs.store_for(ctx.settings.data_dir),
        )
        return scope, items


@jobs.job(REINDEX)
async def reindex(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    after = payload.get("after")
    mark = (datetime.fromisoformat(after[0]), int(after[1])) if after else None
    for _ in range(REINDEX_BATCHES):
        done = await _reindex_batch(ctx, mark)
        if done is None or len(done[1]) < BATCH:
            return
        scope, items = done
        mark = (items[-1].created_at, items[-1].pk)
    # More inputs: a new job goes on from here (each run stays short).
    async with ctx.db.transaction() as session:
        await jobs.enqueue_many(
            session, scope, REINDEX, [{"after": [mark[0].isoformat(), mark[1]]}]
        )
