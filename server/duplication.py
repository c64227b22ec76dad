"""The app duplication job: copies an app's resources into another app as a
duplication's filter says (storage/app_duplications.py holds the record
and the statements).

The job (`app.duplicate` {"duplication_pk": pk}) runs in stages, each in a
transaction of its own that also records the stage reached and the rows
copied (`progress`): concepts, datasets (with inputs), models, workflows,
then the inputs in chunks of `CHUNK` by source pk. A process killed
midway loses at most the transaction under way; the next run resumes from
the stage and pk recorded, and every statement skips rows the destination
holds already, so nothing is copied twice.

Inputs keep their ids, metadata, status and dataset memberships; their
media is shared, not copied: the destination's input names the same file
under its own app's key (a hard link in the local store), so deleting
either input leaves the other's bytes readable, and every per-app path
(hosted URLs, the orphan sweep, DeleteApp) stays as it is. Their
embeddings are copied with them (clarifai/main's embedders' as they are,
the source's own models' through the copied versions), then the
destination's base workflow indexes what it still lacks (`app.reindex`),
so the copies are searchable at once without running models again.
Input-level annotations always come with the inputs (the reference's
rule); the others with copy_annotations. While a chunk holds inputs
still downloading in the source, the job waits for them."""

from __future__ import annotations

import logging
from typing import Any

from server import indexing, jobs
from server.jobs import Defer, JobContext, job
from server.status import Code
from storage import app_duplications as dup_store
from storage import apps as app_store
from storage import blobs
from storage import inputs as input_store
from storage.app_duplications import AppDuplication

log = logging.getLogger("clarifai_local.duplication")

KIND = "app.duplicate"
# Inputs copied per transaction.
CHUNK = 1000
# Chunks one run copies before handing over to its next run (well within
# the job's time limit).
CHUNKS_PER_RUN = 200
# Seconds before looking again at a chunk whose inputs still download.
WAIT_SECONDS = 5.0

# The stages in order; each runs only when the filter asks for it.
STAGES = ("concepts", "datasets", "models", "workflows", "inputs", "index")
_NEEDS = {
    "concepts": "copy_concepts",
    "datasets": "copy_inputs",
    "models": "copy_models",
    "workflows": "copy_workflows",
    "inputs": "copy_inputs",
    "index": "copy_inputs",
}
# Model versions whose training is under way stay behind.
_TRAINING = (Code.MODEL_TRAINING, Code.MODEL_QUEUED_FOR_TRAINING)
_DOWNLOADING = (input_store.PENDING, input_store.IN_PROGRESS)


def first_stage(flags: dict[str, bool]) -> str:
    return _next_stage("", flags)


def _next_stage(after: str, flags: dict[str, bool]) -> str:
    start = STAGES.index(after) + 1 if after else 0
    for stage in STAGES[start:]:
        if flags.get(_NEEDS[stage]):
            return stage
    return "done"


async def _give_up(ctx: JobContext, payload: dict[str, Any], error: str) -> None:
    async with ctx.db.transaction() as session:
        row = await dup_store.claim(session, payload["duplication_pk"])
        if row is not None:
            await dup_store.advance(
                session, row, status_code=dup_store.FAILED, details=f"the copy failed: {error}"
            )


@job(KIND, max_attempts=5, on_give_up=_give_up)
async def duplicate(ctx: JobContext, payload: dict[str, Any]) -> None:
    pk = payload["duplication_pk"]
    store = blobs.store_for(ctx.settings.data_dir)
    chunks = 0
    while True:
        async with ctx.db.transaction() as session:
            row = await dup_store.claim(session, pk)
            if row is None or row.status_code in (dup_store.SUCCESS, dup_store.FAILED):
                return
            if row.source_app_pk is None or row.dest_app_pk is None:
                await dup_store.advance(
                    session,
                    row,
                    status_code=dup_store.FAILED,
                    details="the source or the destination app was deleted during the copy",
                )
                return
            if row.stage == "done":
                await dup_store.advance(session, row, status_code=dup_store.SUCCESS)
                return
            if row.stage == "inputs":
                if chunks >= CHUNKS_PER_RUN:
                    raise Defer(0.0)
                chunks += 1
            await _step(session, store, row)


async def _step(session: Any, store: blobs.BlobStore, row: AppDuplication) -> None:
    """One stage, or one chunk of inputs, in the caller's transaction."""
    src, dst, stage = row.source_app_pk, row.dest_app_pk, row.stage
    assert src is not None and dst is not None
    flags = row.filter
    done = {"stage": _next_stage(stage, flags), "status_code": dup_store.IN_PROGRESS}
    if stage == "concepts":
        n = await dup_store.copy_concepts(session, src, dst)
        await dup_store.advance(session, row, counts={"concepts": n}, **done)
    elif stage == "datasets":
        await dup_store.copy_datasets(session, src, dst)
        await dup_store.advance(session, row, **done)
    elif stage == "models":
        n = await dup_store.copy_models(session, src, dst, _TRAINING)
        await dup_store.advance(session, row, counts={"models": n}, **done)
    elif stage == "workflows":
        n, versions = await dup_store.copy_workflows(session, src, dst)
        await _point_nodes(session, row, versions)
        await dup_store.advance(session, row, counts={"workflows": n}, **done)
    elif stage == "inputs":
        await _inputs_chunk(session, store, row)
    elif stage == "index":
        dest = await app_store.get_by_pk(session, dst)
        if dest is not None:
            jobs.enqueue(session, app_store.scope_of(dest), indexing.REINDEX, {})
        await dup_store.advance(session, row, **done)
    else:
        # A new record: the first stage the filter asks for.
        await dup_store.advance(
            session, row, stage=first_stage(flags), status_code=dup_store.IN_PROGRESS
        )


async def _inputs_chunk(session: Any, store: blobs.BlobStore, row: AppDuplication) -> None:
    src, dst = row.source_app_pk, row.dest_app_pk
    assert src is not None and dst is not None
    pks = await dup_store.input_chunk(session, src, row.cursor, CHUNK)
    if not pks:
        await dup_store.advance(session, row, stage=_next_stage("inputs", row.filter))
        return
    if await dup_store.any_in_status(session, src, pks, _DOWNLOADING):
        raise Defer(WAIT_SECONDS)
    # The bytes first: a destination key whose row never commits is an
    # orphan the sweep removes; a row never names missing bytes.
    keys = await dup_store.blob_keys(session, src, pks)
    await store.share([(key, f"{dst}{key[len(str(src)) :]}") for key in keys])
    made = await dup_store.copy_inputs(session, src, dst, pks)
    annotations = 0
    if made:
        annotations = await dup_store.copy_input_children(
            session,
            src,
            dst,
            made,
            all_annotations=bool(row.filter.get("copy_annotations")),
            versions=await dup_store.version_map(session, src, dst),
            own_versions=await dup_store.source_version_pks(session, src),
        )
    counts = {"inputs": len(made)}
    if row.filter.get("copy_annotations"):
        counts["annotations"] = annotations
    await dup_store.advance(session, row, counts=counts, cursor=pks[-1])


async def _point_nodes(session: Any, row: AppDuplication, version_pks: list[int]) -> None:
    """Copied workflow versions' nodes that run the source's own models run
    the destination's copies of them (same model and version ids); a node
    whose model the destination lacks keeps its ids and reads as a node
    whose model version was deleted."""
    src, dst = row.source_app_pk, row.dest_app_pk
    assert src is not None and dst is not None
    if not version_pks:
        return
    own = await dup_store.source_version_pks(session, src)
    mapped = await dup_store.version_map(session, src, dst)
    dest = await app_store.get_by_pk(session, dst)
    assert dest is not None
    for pk, nodes in (await dup_store.nodes_of(session, version_pks)).items():
        changed = False
        for node in nodes:
            if node.get("version_pk") in own:
                node["version_pk"] = mapped.get(node["version_pk"], 0)
                node["model"] = {
                    **node.get("model", {}),
                    "user_id": dest.user_id,
                    "app_id": dest.id,
                }
                changed = True
        if changed:
            await dup_store.set_nodes(session, pk, nodes)
