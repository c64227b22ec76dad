"""The base workflow: each input's embeddings, computed in the background.

An app's base workflow (PostApps' default_workflow, or the deprecated
default_workflow_id; Universal when it names none) is one of clarifai/main's
built-in workflows (server/main_app.py). Its embedding models index the
app's inputs: image inputs get image-embedding vectors, text inputs
text-embedding vectors; other media and other models' outputs are not
indexed. A workflow id that is not a built-in one is indexed as Universal
until apps can have workflows of their own.

Jobs (server/jobs.py):
- `input.index` {"input_pks": [...]}: queued by PostInputs for the inputs it
  added. Inputs whose media is in are embedded, 32 per inference call, one
  transaction per batch; while some still wait for their download the job
  is deferred, and the download's end runs it again at once (server/fetch.py).
- `app.reindex` {}: queued by PatchApps when the base workflow changes. It
  drops the app's vectors of embedders the new workflow lacks and embeds
  every input for those it has, 32 at a time, continuing in a new job after
  a bounded number of batches.
Both compute only vectors not stored yet, so running them again (a retry, a
second reindex) repeats no inference; each reads the app's workflow when it
runs, so a job queued before a later change does that change's work.

`ensure_embeddings` is the one path from inputs to vectors: training uses it
too, on inputs whatever the base workflow."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from server import inference, jobs, main_app, vectors
from storage import apps as app_store
from storage import blobs
from storage.embeddings import EmbeddingStorage, Media
from storage.scoped import AppScope

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


def base_workflow(app: app_store.App) -> main_app.BuiltinWorkflow:
    """The app's base workflow; Universal for none, or one not built in."""
    sent = (app.default_workflow or {}).get("id") or app.default_workflow_id
    found = main_app.workflow(sent) if sent else None
    if found is None:
        found = main_app.workflow(main_app.DEFAULT_WORKFLOW)
    assert found is not None, "the default workflow is built in"
    return found


def indexes(app: app_store.App) -> bool:
    """Whether the app's base workflow embeds anything (PostInputs queues
    no index job otherwise)."""
    return bool(embedders(base_workflow(app)))


def embedders(workflow: main_app.BuiltinWorkflow) -> list[str]:
    """The runtime keys of the workflow's embedding models, in its order."""
    runtimes = [m.runtime for model_id in workflow.model_ids if (m := main_app.model(model_id))]
    return [r for r in dict.fromkeys(runtimes) if r in MEDIA]


# ---- computing vectors ----


async def _media(store: blobs.BlobStore, item: Indexable) -> bytes | str | None:
    """An input's bytes (an image) or text; None when there is none."""
    if item.media_kind == "text" and (raw := (item.data.get("text") or {}).get("raw")):
        return str(raw)
    if not item.blob_key:
        return None  # a URL kept without download (CLARIFAI_LOCAL_FETCH_URLS=false)
    try:
        data = b"".join([chunk async for chunk in store.read(item.blob_key)])
    except FileNotFoundError:
        return None
    return data.decode("utf-8", errors="replace") if item.media_kind == "text" else data


async def _embed(runtime: str, media: list[Any]) -> np.ndarray:
    """One inference call, off the event loop (models load on first use)."""
    fn = inference.embed_images if runtime == "image-embedding" else inference.embed_texts
    return await inference.run(fn, media)


async def _compute(runtime: str, media: dict[int, Any]) -> dict[int, np.ndarray]:
    """Vectors of these inputs' media, BATCH per inference call. An image
    the model cannot decode is left out (logged), not the whole batch."""
    out: dict[int, np.ndarray] = {}
    pks = list(media)
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        try:
            found = await _embed(runtime, [media[pk] for pk in chunk])
            out.update(zip(chunk, found, strict=True))
        except inference.MediaError:
            for pk in chunk:  # one at a time, to keep the good ones
                try:
                    out[pk] = (await _embed(runtime, [media[pk]]))[0]
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
        computed = await _compute(runtime, {pk: m for pk, m in media.items() if m is not None})
        await embeddings.put(version_pk, {pk: v.tolist() for pk, v in computed.items()})
        out.update(computed)
    return out


# ---- jobs ----


async def _index_batch(ctx: jobs.JobContext, pks: Sequence[int]) -> tuple[list[Media], int] | None:
    """Index these inputs of the job's app, in one transaction; the inputs
    indexed and how many wait for their download (None: nothing to do)."""
    async with ctx.db.transaction() as session:
        app = await app_store.get_by_pk(session, ctx.app_pk) if ctx.app_pk else None
        if app is None:
            return None  # the app is gone
        runtimes = embedders(base_workflow(app))
        if not runtimes:
            return None
        scope = app_store.scope_of(app)
        embeddings = EmbeddingStorage(session, scope)
        items = await embeddings.media(pks)
        store = blobs.store_for(ctx.settings.data_dir)
        for runtime in runtimes:
            await ensure_embeddings(session, scope, items, runtime, store)
        return items, await embeddings.waiting(pks)


@jobs.job(INDEX)
async def index_inputs(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    pks: list[int] = list(payload.get("input_pks", []))
    waiting = 0
    for start in range(0, len(pks), BATCH):
        done = await _index_batch(ctx, pks[start : start + BATCH])
        if done is None:
            return
        waiting += done[1]
    if waiting:
        raise jobs.Defer(WAIT_SECONDS)


async def downloaded(session: AsyncSession, input_pk: int) -> None:
    """An input's download ended (either way): the index job waiting for it
    runs as soon as the transaction commits."""
    await jobs.run_now(session, INDEX, {"input_pks": [input_pk]})


async def _reindex_batch(
    ctx: jobs.JobContext, mark: tuple[datetime, int] | None
) -> tuple[AppScope, list[Media]] | None:
    """Index the app's next BATCH inputs after `mark` for its base workflow,
    in one transaction (the first batch also drops the vectors of embedders
    the workflow lacks); None when there is nothing more to do."""
    async with ctx.db.transaction() as session:
        app = await app_store.get_by_pk(session, ctx.app_pk) if ctx.app_pk else None
        if app is None:
            return None
        scope = app_store.scope_of(app)
        runtimes = embedders(base_workflow(app))
        embeddings = EmbeddingStorage(session, scope)
        if mark is None:
            versions = await vectors.embedder_versions(session)
            await embeddings.drop([pk for pk, r in versions.items() if r not in runtimes])
        if not runtimes:
            return None
        items = await embeddings.media_after(mark, BATCH)
        store = blobs.store_for(ctx.settings.data_dir)
        for runtime in runtimes:
            await ensure_embeddings(session, scope, items, runtime, store)
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
