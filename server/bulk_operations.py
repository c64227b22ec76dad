"""Bulk operations: one operation over the inputs of a source (input ids, a
search, a dataset) or over the annotations an annotation search finds, run
in the background (server/jobs.py) in chunks.

PostBulkOperations checks a request whole (`planned`) and writes, with
the operation, the pks of the items its source finds now
(storage/bulk_operations.py): a search is evaluated once, when the
operation is made, so what it acts on does not move while it runs (an
operation that changes what its own search matches, such as removing the
concept it searched for, acts on every input found all the same). The job
(`run`) then takes the items in pk order, CHUNK at a time; each chunk's
changes commit with the operation's progress, in one transaction that
holds the operation's row: a cancel waits for the chunk under way, and no
chunk starts after it. A job killed mid-chunk resumes after the last chunk
committed.

Every change goes through the storage paths of the calls that make it one
input at a time: labels as PatchInputs changes them
(server/input_labels.py), dataset membership as PostDatasetInputs and
DeleteDatasetInputs change it, annotations as DeleteAnnotations deletes
them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clarifai.api import resources_pb2
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from server import auto_annotation, input_labels, jobs, patch, searching
from server.checks import Checks
from server.convert import from_struct
from server.jobs import Defer, JobContext, job
from server.status import Code
from storage import apps as app_store
from storage import bulk_operations as bulk_store
from storage.apps import AppScope
from storage.bulk_operations import ANNOTATIONS, INPUTS, Held
from storage.store import Store

if TYPE_CHECKING:
    from server.dispatch import Call

KIND = "bulk_operation"
BAD = Code.BULK_OPERATION_INVALID_REQUEST
check = Checks(BAD)
# How long one run of the job works before it hands the job back to the
# queue (it is claimed again at once: other jobs get their turn).
RUN_SECONDS = 30.0
SplitMethod = resources_pb2.SplitIntoDatasets.DatasetSplitMethod


# ---- checking a request ----


@dataclass(frozen=True)
class Planned:
    """An operation checked: what the job does, and the items it does it
    to (the pks a query selects, or listed)."""

    work: dict[str, Any]
    items: Select | list[int]


async def planned(call: Call, sent: resources_pb2.BulkOperation, at: str) -> Planned:
    """The operation sent at `at`, checked whole: nothing is written when
    any part of it is wrong (concepts it names are made, as PostInputs
    makes them)."""
    op = sent.operation
    name, on_annotations = op.WhichOneof("operation"), op.WhichOneof("annotation_operation")
    if not name and not on_annotations:
        raise check.invalid(f"{at}.operation: give one operation")
    if name and on_annotations:
        raise check.invalid(f"{at}.operation: give {name} or {on_annotations}, not both")
    source, annotation_source = (
        sent.WhichOneof("input_source"),
        sent.WhichOneof("annotation_source"),
    )
    if on_annotations:
        if not annotation_source or source:
            raise check.invalid(
                f"{at}.annotation_search: {on_annotations} acts on the annotations of an "
                "annotation_search (and takes no input source)"
            )
        items = await _annotation_items(call, sent.annotation_search, f"{at}.annotation_search")
        only_user = "" if call.access.is_owner else call.user_id
        return Planned({"kind": ANNOTATIONS, "op": on_annotations, "only_user": only_user}, items)
    if not source or annotation_source:
        raise check.invalid(
            f"{at}: {name} acts on an input source: give input_ids, search or dataset "
            "(and no annotation_search)"
        )
    items = await _input_items(call, sent, source, at)
    where = f"{at}.operation.{name}"
    work = await _OPERATIONS[name](call, getattr(op, name), where)
    return Planned({"kind": INPUTS, "op": name, **work}, items)


async def _input_items(
    call: Call, sent: resources_pb2.BulkOperation, source: str, at: str
) -> Select | list[int]:
    store = call.store.bulk_operations
    if source == "input_ids":
        ids = list(sent.input_ids.input_ids)
        field = f"{at}.input_ids.input_ids"
        check.batch(ids, field)
        check.ids(ids, field + "[{n}]")
        pks = await store.input_pks(ids)
        check.all_known(ids, pks, "input", field + "[{n}]")
        return list(pks.values())
    if source == "dataset":
        dataset = sent.dataset
        check.required(dataset.id, f"{at}.dataset.id")
        if dataset.HasField("version"):
            raise check.invalid(f"{at}.dataset.version: a dataset version is not an input source")
        row = check.found(await call.store.datasets.get(dataset.id), "dataset", dataset.id)
        return store.dataset_input_pks(row.pk)
    search = await searching.sent_or_saved(call, sent.search, f"{at}.search")
    return await searching.input_pks(call, searching.plan(search, f"{at}.search", call.user_id))


async def _annotation_items(
    call: Call, search: resources_pb2.Search, at: str
) -> Select | list[int]:
    search = await searching.sent_or_saved(call, search, at)
    return await searching.annotation_pks(call, searching.plan(search, at, call.user_id))


Checker = Callable[["Call", Any, str], Awaitable[dict[str, Any]]]


async def _add_concepts(call: Call, sent: resources_pb2.AddConcepts, at: str) -> dict[str, Any]:
    check.batch(sent.concepts, f"{at}.concepts")
    concepts = input_labels.concepts(f"{at}.concepts", sent.concepts, BAD)
    await input_labels.name_concepts(call.store, [concepts])
    return {"concepts": concepts}


async def _delete_concepts(
    call: Call, sent: resources_pb2.DeleteConcepts, at: str
) -> dict[str, Any]:
    check.batch(sent.concepts, f"{at}.concepts")
    ids = check.ids([c.id for c in sent.concepts], f"{at}.concepts[{{n}}].id")
    # The caller's own labels unless others' are named ("me": the caller).
    users = [call.user_id if u == "me" else u for u in sent.user_ids] or [call.user_id]
    return {"concept_ids": ids, "user_ids": sorted(set(users))}


def _metadata(sent: Any, at: str) -> dict[str, Any]:
    meta = from_struct(sent.metadata, f"{at}.metadata", BAD)
    if not meta:
        raise check.invalid(f"{at}.metadata is required")
    return {"metadata": meta}


async def _add_metadata(call: Call, sent: resources_pb2.AddMetadata, at: str) -> dict[str, Any]:
    return _metadata(sent, at)


async def _delete_metadata(
    call: Call, sent: resources_pb2.DeleteMetadata, at: str
) -> dict[str, Any]:
    return _metadata(sent, at)


async def _overwrite_geo(call: Call, sent: resources_pb2.OverwriteGeo, at: str) -> dict[str, Any]:
    if not sent.HasField("geo"):
        raise check.invalid(f"{at}.geo is required")
    return {"geo": input_labels.geo(f"{at}.geo", sent.geo, BAD)}


async def _delete_geo(call: Call, sent: resources_pb2.DeleteGeo, at: str) -> dict[str, Any]:
    return {}


async def _dataset(call: Call, dataset_id: str, at: str) -> list[Any]:
    """[pk, id] of the app's dataset `dataset_id`, sent at `at`."""
    check.required(dataset_id, at)
    row = await call.store.datasets.get(dataset_id)
    if row is None:
        raise check.missing("dataset", dataset_id, at)
    return [row.pk, row.id]


async def _one_dataset(call: Call, sent: Any, at: str) -> dict[str, Any]:
    return {"datasets": [await _dataset(call, sent.dataset_id, f"{at}.dataset_id")]}


async def _split(call: Call, sent: resources_pb2.SplitIntoDatasets, at: str) -> dict[str, Any]:
    # The one method there is, also when none is named.
    check.one_of(
        sent.method,
        (SplitMethod.NOT_SET, SplitMethod.RANDOM_PERCENTAGE_SPLIT),
        f"{at}.method",
        "RANDOM_PERCENTAGE_SPLIT",
    )
    check.batch(sent.dataset_splits, f"{at}.dataset_splits")
    check.each_once(
        [s.dataset.id for s in sent.dataset_splits], f"{at}.dataset_splits[{{n}}].dataset.id"
    )
    datasets = []
    for n, split in enumerate(sent.dataset_splits):
        here = f"{at}.dataset_splits[{n}]"
        if not 0 < split.percentage <= 100:
            raise check.invalid(f"{here}.percentage {split.percentage} is outside (0, 100]")
        pk, dataset_id = await _dataset(call, split.dataset.id, f"{here}.dataset.id")
        datasets.append([pk, dataset_id, split.percentage])
    total = sum(split.percentage for split in sent.dataset_splits)
    if total != 100:
        raise check.invalid(f"{at}.dataset_splits: the percentages add up to {total}, not 100")
    return {"datasets": datasets}


_OPERATIONS: dict[str, Checker] = {
    "add_concepts": _add_concepts,
    "delete_concepts": _delete_concepts,
    "add_metadata": _add_metadata,
    "delete_metadata": _delete_metadata,
    "overwrite_geo": _overwrite_geo,
    "delete_geo": _delete_geo,
    "add_to_dataset": _one_dataset,
    "delete_from_dataset": _one_dataset,
    "split_into_datasets": _split,
}


# ---- running: the job ----


@dataclass(frozen=True)
class Chunk:
    """One chunk's work: the operation, the app's storage acting as the
    operation's author, and the pks of the items."""

    session: AsyncSession
    op: Held
    store: Store
    scope: AppScope
    pks: list[int]


# What a chunk did: how many items it processed, and the id of the last.
Done = tuple[int, str]


def _matching(stored: Any, sent: Any) -> Any:
    """delete_metadata's pairs as patch.remove takes them: each key whose
    stored value equals the value sent is removed (`true`); objects are
    matched key by key, inside."""
    out: dict[str, Any] = {}
    for key, value in sent.items():
        if key not in stored:
            continue
        if isinstance(value, dict) and isinstance(stored[key], dict) and value != stored[key]:
            inner = _matching(stored[key], value)
            if inner:
                out[key] = inner
        elif stored[key] == value:
            out[key] = True
    return out


def _label_change(work: dict[str, Any], data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The patch action and SPEC fields (server/input_labels.py) of a label
    operation, for an input whose data is `data`."""
    op = work["op"]
    if op == "add_concepts":
        return patch.MERGE, {"labels": {"concepts": work["concepts"]}}
    if op == "delete_concepts":
        return patch.REMOVE, {"labels": {"concepts": [{"id": i} for i in work["concept_ids"]]}}
    if op == "add_metadata":
        return patch.MERGE, {"labels": {"metadata": work["metadata"]}}
    if op == "delete_metadata":
        return patch.REMOVE, {
            "labels": {"metadata": _matching(data.get("metadata", {}), work["metadata"])}
        }
    if op == "overwrite_geo":
        return patch.OVERWRITE, {"geo": work["geo"]}
    return patch.REMOVE, {"geo": None}  # delete_geo


async def _relabel(chunk: Chunk, inputs: list[tuple[int, str]]) -> None:
    """Change the labels of the chunk's inputs as PatchInputs does: rows
    and input-level annotations read locked, changed, written at once."""
    work = chunk.op.work
    ids = [input_id for _, input_id in inputs]
    # Concepts are read only to change them.
    touched = work["op"] in ("add_concepts", "delete_concepts")
    rows, levels = await input_labels.locked(chunk.store, ids, concepts=touched)
    users = set(work.get("user_ids", ()))
    new: dict[str, input_labels.Labels] = {}
    for input_id, row in rows.items():
        level = levels.get(input_id)
        if users and (level is None or level.user_id not in users):
            continue  # delete_concepts: another user's labels
        action, sent = _label_change(work, row.data)
        new[input_id] = input_labels.patched(action, sent, row.data, row.concepts or [])
    await input_labels.write(chunk.store, chunk.op.created_by, rows, levels, new)


def _bucket(op_id: str, input_id: str) -> int:
    """Where an input falls in 0..99: the same for an input every time the
    operation runs (a resumed split sends it where it sent it before)."""
    digest = hashlib.blake2b(f"{op_id}/{input_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest) % 100


def _split_of(datasets: list[list[Any]], bucket: int) -> int:
    edge = 0
    for pk, _, percentage in datasets:
        edge += percentage
        if bucket < edge:
            return pk
    return datasets[-1][0]


async def _datasets(chunk: Chunk, inputs: list[tuple[int, str]]) -> str:
    """Add the chunk's inputs to datasets, or take them out, as
    PostDatasetInputs and DeleteDatasetInputs do; what stops the operation
    ("": nothing)."""
    work = chunk.op.work
    kept = await chunk.store.dataset_inputs.keep_datasets([d[1] for d in work["datasets"]])
    gone = [d[1] for d in work["datasets"] if d[1] not in kept or kept[d[1]].pk != d[0]]
    if gone:
        return f"dataset '{gone[0]}' was deleted while the operation ran"
    ids = [input_id for _, input_id in inputs]
    if work["op"] == "delete_from_dataset":
        await chunk.store.dataset_inputs.unlink(work["datasets"][0][0], ids)
    elif work["op"] == "add_to_dataset":
        await chunk.store.dataset_inputs.link_inputs([work["datasets"][0][0]], ids)
    else:
        by_dataset: dict[int, list[str]] = {}
        for input_id in ids:
            pk = _split_of(work["datasets"], _bucket(chunk.op.id, input_id))
            by_dataset.setdefault(pk, []).append(input_id)
        for pk, members in by_dataset.items():
            await chunk.store.dataset_inputs.link_inputs([pk], members)
    return ""


_DATASET_OPS = frozenset({"add_to_dataset", "delete_from_dataset", "split_into_datasets"})


async def _on_inputs(chunk: Chunk, inputs: list[tuple[int, str]]) -> Done | str:
    if chunk.op.work["op"] in _DATASET_OPS:
        if stopped := await _datasets(chunk, inputs):
            return stopped
    else:
        await _relabel(chunk, inputs)
    return len(inputs), inputs[-1][1] if inputs else ""


async def _on_annotations(chunk: Chunk, _: list[tuple[int, str]]) -> Done | str:
    found = await chunk.store.bulk_operations.annotations_of(
        chunk.pks, chunk.op.work.get("only_user", "")
    )
    await chunk.store.annotations.delete([pk for pk, _ in found])
    return len(found), found[-1][1] if found else ""


async def _ended(chunk: Chunk) -> None:
    """The operation is done: tasks auto-annotating a dataset it added
    inputs to run over them, as after PostDatasetInputs."""
    if chunk.op.work["op"] in ("add_to_dataset", "split_into_datasets"):
        call = _JobCall(chunk.store, chunk.session, chunk.scope)
        for _, dataset_id, *_ in chunk.op.work["datasets"]:
            await auto_annotation.queue_dataset(call, dataset_id)
    await bulk_store.finish(chunk.session, chunk.op.pk, bulk_store.SUCCESS)


@dataclass(frozen=True)
class _JobCall:
    """What auto_annotation.queue_dataset needs of a call."""

    store: Store
    session: AsyncSession
    scope: AppScope

    async def enqueue(self, kind: str, payloads: list[dict[str, Any]]) -> None:
        await jobs.enqueue_many(self.session, self.scope, kind, payloads)


async def _chunk(ctx: JobContext, pk: int) -> bool:
    """Do the operation's next chunk; whether it has ended."""
    async with ctx.db.transaction() as session:
        op = await bulk_store.hold(session, pk)
        if op is None or op.status_code not in bulk_store.RUNNING:
            return True  # deleted, cancelled, or ended by an earlier run
        app = await app_store.get_by_pk(session, op.app_pk)
        if app is None:
            return True
        scope = app_store.scope_of(app)
        store = Store(session, lambda: scope, lambda: op.created_by)
        limit = ctx.settings.bulk_chunk
        on_annotations = op.work["kind"] == ANNOTATIONS
        if on_annotations:
            pks, inputs = await bulk_store.next_items(session, op, limit), []
        else:
            pks, inputs = await bulk_store.next_inputs(session, op, limit)
        chunk = Chunk(session, op, store, scope, pks)
        if not pks:
            await _ended(chunk)
            return True
        done = await (_on_annotations if on_annotations else _on_inputs)(chunk, inputs)
        if isinstance(done, str):
            await bulk_store.finish(session, pk, bulk_store.FAILED, done)
            return True
        await bulk_store.advance(session, op, pks[-1], *done)
        return False


async def _gave_up(ctx: JobContext, payload: dict[str, Any], error: str) -> None:
    async with ctx.db.transaction() as session:
        await bulk_store.finish(
            session, payload["operation_pk"], bulk_store.FAILED, f"the operation failed: {error}"
        )


@job(KIND, on_give_up=_gave_up, time_limit=RUN_SECONDS + 60.0)
async def run(ctx: JobContext, payload: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    until = loop.time() + RUN_SECONDS
    while not await _chunk(ctx, payload["operation_pk"]):
        if loop.time() > until:
            raise Defer(0)


def payloads(pks: Sequence[int]) -> list[dict[str, Any]]:
    return [{"operation_pk": pk} for pk in pks]
