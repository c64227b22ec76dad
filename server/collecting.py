"""Collection: what a collector does with the predictions it watches.

PostModelOutputs on a collector's source model (and version, when the
collector names one), by any caller or only its `caller_user_id`, queues
one job with the inputs that got a successful output: their media staged in
the blob store (what the model saw: bytes sent, downloaded or read from the
app's input), their outputs, and the watching collectors. The job is queued
once the prediction is answered, in a transaction of its own; in the
prediction only the watching collectors are read (one indexed read, all a
prediction nobody collects from pays) and media staged. Its failures never
fail a prediction.
Use of the model inside a workflow collects nothing, as in the reference.

The job (server/jobs.py) runs each collector in a transaction of its own:
1. pre-queue: `pre_queue_random_sample`, when set, keeps that share of the
   inputs (instead of the workflow); the share is decided by a hash of the
   collector's id and the input's id (the output's for an input sent
   without one), so it is reproducible and a retried job decides alike;
   else the pre-queue workflow runs on each input's model OUTPUT and any
   non-empty output keeps it; without either every input goes on;
2. post-queue: the workflow runs on the original input (its media as the
   model saw it) and any non-empty output keeps it;
3. the inputs kept are posted into the collector's app by PostInputs itself,
   as the post-inputs key's holder (its scopes checked again: a key deleted,
   expired or without the scopes refuses the collection); with
   `collect_outputs` each posted input gets its model output as an
   annotation (status SUCCESS, model_version_id the source version).

A collected input keeps the id it was predicted under (the output's id when
sent without one) and its metadata, with `metadata.collector` naming the
collector, the source model and version, the output's id and the source
input's URL. An id the app already holds is not posted again: a retried job,
or the same input predicted again, leaves the first. Counts and the last
failure are kept on the collector (its status, server/wire/collectors.py).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from clarifai.api import resources_pb2, service_pb2
from google.protobuf import json_format, struct_pb2
from google.protobuf.message import Message

from server import contract, ids, jobs, runtimes, workflow_runs, workflows
from server.auth import stored_key_access
from server.dispatch import Call
from server.jobs import JobContext, job
from server.services import inputs as input_service
from server.status import ApiError, Code
from storage import apps as app_store
from storage import blobs, transaction_hooks
from storage.apps import AppScope
from storage.availability import summary
from storage.collectors import Collector
from storage.db import Database
from storage.store import Store

if TYPE_CHECKING:
    from storage.models import Model, ModelVersion

M = TypeVar("M", bound=Message)
log = logging.getLogger("clarifai_local.collecting")
COLLECT = "collectors.collect"
# Staged media live in the predicting app's blob space, in this folder.
STAGED = "collecting"
# PostInputs' answer for an id the app holds (inputs already collected).
TAKEN = Code.DATABASE_DUPLICATE_KEY


# ---- in the prediction ----


async def watch(
    call: Call,
    model: Model,
    version: ModelVersion,
    shown: resources_pb2.Model,
    resolved: Sequence[runtimes.Item | runtimes.Failure],
    made: Sequence[resources_pb2.Output],
) -> None:
    """Queue the inputs of successful outputs for the collectors watching
    this model version (none: one indexed read, nothing written)."""
    ok = [
        (item, out)
        for item, out in zip(resolved, made, strict=True)
        if isinstance(item, runtimes.Item) and item.kind and out.status.code == Code.SUCCESS
    ]
    if not ok:
        return
    watching = await call.store.collectors_watching(model.pk, version.pk)
    if not watching:
        return
    items = [await _staged(call, item, out) for item, out in ok]
    staged = [i["blob"] for i in items if i.get("blob")]
    payload = {
        "collectors": watching,
        "model": {
            "user_id": shown.user_id,
            "app_id": shown.app_id,
            "id": model.id,
            "version_id": version.id,
        },
        "items": items,
        # The blob sweep keeps what a queued job names here.
        "blobs": staged,
    }
    call.after_answer(partial(_queue, call.db, call.blobs, call.app, payload))


async def _queue(
    db: Database, store: blobs.BlobStore, app: AppScope, payload: dict[str, Any]
) -> None:
    """Queue the collection once the prediction is answered: its caller does
    not wait for the queue's write. A crash in between loses this one
    collection, as a failed queueing does (its staged media go too)."""
    try:
        async with db.transaction() as session:
            await jobs.enqueue_many(session, app, COLLECT, [payload])
    except Exception as exc:
        log.warning("collection of a prediction not queued: %s", summary(exc))
        await store.delete(payload["blobs"])


async def _staged(call: Call, item: runtimes.Item, out: resources_pb2.Output) -> dict[str, Any]:
    """One input as the job needs it: its media (text inline, bytes staged in
    the blob store), its source URL and metadata, and the model's output."""
    medium = getattr(item.data, item.kind)
    staged: dict[str, Any] = {
        "output_id": out.id,
        "input_id": out.input.id,
        "kind": item.kind,
        "url": medium.url,
        # Serialized, not as JSON: the prediction pays for this encoding.
        "output": _packed(out.data),
    }
    if item.data.HasField("metadata") and item.data.metadata.fields:
        staged["metadata"] = _packed(item.data.metadata)
    if item.kind == "text":
        staged["text"] = item.text
        return staged
    key = blobs.new_key(call.app.pk, "application/octet-stream", folder=STAGED)
    await call.blobs.put(key, item.media)
    call.after_rollback(lambda: call.blobs.delete([key]))
    staged["blob"] = key
    return staged


def _packed(message: Message) -> str:
    return base64.b64encode(message.SerializeToString()).decode("ascii")


def _unpacked(packed: str, message: M) -> M:
    message.ParseFromString(base64.b64decode(packed))
    return message


# ---- in the job ----


@dataclass
class Outcome:
    """What one collector's run did."""

    collected: int = 0
    failed: int = 0
    error: str = ""

    def fail(self, count: int, error: str) -> None:
        self.failed += count
        self.error = error


async def _gave_up(ctx: JobContext, payload: dict[str, Any], error: str) -> None:
    """A job that failed every attempt: each collector records it."""
    for app_pk, pk in payload["collectors"]:
        async with ctx.db.transaction() as session:
            found = await _collector(session, app_pk, pk)
            if found is not None:
                store, row, _ = found
                await store.collectors.record(
                    row, 0, len(payload["items"]), f"collection failed: {error}"
                )
    await blobs.store_for(ctx.settings.data_dir).delete(payload["blobs"])


@job(COLLECT, on_give_up=_gave_up)
async def collect(ctx: JobContext, payload: dict[str, Any]) -> None:
    store = blobs.store_for(ctx.settings.data_dir)
    media = Media(store)
    for app_pk, pk in payload["collectors"]:
        await _collect_one(ctx, media, app_pk, pk, payload)
    await store.delete(payload["blobs"])


class Media:
    """The staged bytes of a job's inputs, read once for all its collectors."""

    def __init__(self, store: blobs.BlobStore) -> None:
        self.store = store
        self._read: dict[str, bytes] = {}

    async def input_of(self, item: dict[str, Any]) -> resources_pb2.Input:
        """The original input as the model saw it (no id: inline media)."""
        data = resources_pb2.Data()
        if item["kind"] == "text":
            data.text.raw = item["text"]
        else:
            key = item["blob"]
            if key not in self._read:
                self._read[key] = b"".join([c async for c in self.store.read(key)])
            getattr(data, item["kind"]).base64 = self._read[key]
        return resources_pb2.Input(data=data)


async def _collector(
    session: Any, app_pk: int, pk: int
) -> tuple[Store, Collector, app_store.App] | None:
    app = await app_store.get_by_pk(session, app_pk)
    if app is None:
        return None
    # The app owner's storage: the post-inputs key is looked for among the
    # owner's keys, so only owners' collectors collect.
    store = Store.owner_of(session, app)
    # Not locked: counts are added in the database, and jobs of one collector
    # run side by side (PostInputs' ids keep them from posting one input twice).
    row = await store.collectors.by_pk(pk)
    return None if row is None else (store, row, app)


async def _collect_one(
    ctx: JobContext, media: Media, app_pk: int, pk: int, payload: dict[str, Any]
) -> None:
    async with ctx.db.transaction() as session:
        found = await _collector(session, app_pk, pk)
        if found is None:
            return  # deleted since
        store, row, app = found
        if row.status_code != Code.COLLECTOR_ACTIVE or row.model_pk is None:
            return  # paused, or its model deleted, since
        outcome = Outcome()
        try:
            async with transaction_hooks.savepoint(session):
                await _run(Collection(ctx, session, store, row, app, media, payload, outcome))
        except ApiError as exc:
            outcome = Outcome()
            outcome.fail(len(payload["items"]), exc.details)
        await store.collectors.record(row, outcome.collected, outcome.failed, outcome.error)
    if outcome.failed:
        log.info("collector %s/%s: %s", app.id, row.id, outcome.error)


@dataclass
class Collection:
    """One collector's run over one job's items: where it runs, what it
    reads, and what it records."""

    ctx: JobContext
    session: Any
    store: Store
    row: Collector
    app: app_store.App
    media: Media
    payload: dict[str, Any]
    outcome: Outcome


async def _run(c: Collection) -> None:
    row, outcome = c.row, c.outcome
    runner = workflow_runs.Runner(c.store, c.media.store, None, c.app.user_id)
    items = _pre_sampled(row, c.payload["items"])
    if row.pre_queue_workflow_id and not row.pre_queue_random_sample:
        outputs = [_output_input(i) for i in items]
        items = await _kept(
            runner, c.app, row.pre_queue_workflow_id, "pre", items, outputs, outcome
        )
    if row.post_queue_workflow_id and items:
        originals = [await c.media.input_of(i) for i in items]
        items = await _kept(
            runner, c.app, row.post_queue_workflow_id, "post", items, originals, outcome
        )
    if items:
        await _post(c, items)


def _pre_sampled(row: Collector, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    share = row.pre_queue_random_sample
    if not share:
        return items
    return [i for i in items if _draw(row.id, i["input_id"] or i["output_id"]) < share]


def _draw(collector_id: str, input_id: str) -> float:
    """A number in [0, 1), the same for the same collector and input."""
    digest = hashlib.sha256(f"{collector_id}/{input_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _output_input(item: dict[str, Any]) -> resources_pb2.Input:
    """The model's output as a workflow input (data without media, no id)."""
    return resources_pb2.Input(data=_unpacked(item["output"], resources_pb2.Data()))


async def _kept(
    runner: workflow_runs.Runner,
    app: app_store.App,
    workflow_id: str,
    stage: str,
    items: list[dict[str, Any]],
    inputs: list[resources_pb2.Input],
    outcome: Outcome,
) -> list[dict[str, Any]]:
    """The items whose workflow result has a non-empty output; a result that
    failed counts as a failure."""
    field = f"{stage}_queue_workflow_id"
    found = await workflows.find(runner.store, app, workflow_id, field)
    graph = await workflows.latest(runner.store, found)
    results = await workflow_runs.run(runner, graph, inputs)
    kept = []
    for item, result in zip(items, results, strict=True):
        if result.status.code != Code.SUCCESS:
            outcome.fail(1, f"{field} '{workflow_id}': {result.status.details}")
        elif any(o.data.ByteSize() for o in result.outputs):
            kept.append(item)
    return kept


def _new_id(item: dict[str, Any]) -> str:
    given = item["input_id"]
    return given if given and ids.is_valid(given) else item["output_id"]


def _metadata(row: Collector, model: dict[str, Any], item: dict[str, Any]) -> struct_pb2.Struct:
    out = (
        _unpacked(item["metadata"], struct_pb2.Struct())
        if "metadata" in item
        else (struct_pb2.Struct())
    )
    note = {
        "id": row.id,
        "model": model,
        "output_id": item["output_id"],
        "input_id": item["input_id"],
    }
    if item["url"]:
        note["url"] = item["url"]
    out.update({"collector": note})
    return out


async def _post(c: Collection, items: list[dict[str, Any]]) -> None:
    """PostInputs into the collector's app as the key's holder (and the
    outputs as annotations)."""
    store, row, app, outcome, payload = c.store, c.row, c.app, c.outcome, c.payload
    methods = contract.methods()
    key = await store.keys.by_hash(row.key_hash) if row.key_hash else None
    try:
        access = stored_key_access(key, app, methods["PostInputs"])
        if row.collect_outputs:
            stored_key_access(key, app, methods["PostAnnotations"])
    except ApiError as exc:
        outcome.fail(len(items), f"post_inputs_key_id: {exc.details}")
        return
    by_id = {_new_id(i): i for i in reversed(items)}  # one per id: the first
    request = service_pb2.PostInputsRequest()
    for input_id, item in reversed(by_id.items()):
        sent = await c.media.input_of(item)
        sent.id = input_id
        sent.data.metadata.CopyFrom(_metadata(row, payload["model"], item))
        request.inputs.append(sent)
    call = Call(c.session, access, methods["PostInputs"], ids.new_id(), c.ctx.settings, c.ctx.db)
    posted, stored = await input_service.add_inputs(call, request)
    added = []
    for one, status in zip(posted, input_service.statuses(posted, stored), strict=True):
        if status.code in input_service.ADDED:
            added.append(one.id)
        elif status.code != TAKEN:
            outcome.fail(1, f"PostInputs: {status.details}")
    outcome.collected += len(added)
    if row.collect_outputs and added:
        await store.annotations.add(
            [_annotation(by_id[i], payload["model"]["version_id"], i) for i in added]
        )


def _annotation(item: dict[str, Any], version_id: str, input_id: str) -> dict[str, Any]:
    return {
        "id": ids.new_id(),
        "input_id": input_id,
        "data": json_format.MessageToDict(
            _unpacked(item["output"], resources_pb2.Data()), preserving_proto_field_name=True
        ),
        "model_version_id": version_id,
        "status_code": Code.ANNOTATION_SUCCESS,
    }
