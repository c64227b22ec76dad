"""PostInputs, GetInput, ListInputs, PatchInputs, DeleteInput, DeleteInputs,
GetInputCount, StreamInputs.

An input's media bytes go to the blob store and are served back from the
REST port (server.media); a URL input is downloaded in the background
(server.fetch). Its concepts are its input-level annotation, made with the
input and deleted only with it.

Request validation is atomic (the first problem fails the call, nothing is
written). PostInputs then treats each input on its own: an id already taken
(SKIP, the default), a URL already in the app without allow_duplicate_url,
or bytes that are not what the input says they are fail that input alone,
with its own status, and the call reports MIXED_STATUS. A request naming an
inputs_add_job_id counts the inputs it creates in that job (made when new,
added to when it exists; a cancelled job takes no more) and answers with it;
the inputs that failed count as failed in it, and the job stands when every
input failed (the call then reports FAILURE).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import (
    add_jobs,
    fetch,
    indexing,
    input_labels,
    input_marks,  # noqa: F401  (registers the marks' sweep job)
    input_views,
    media,
    patch,
)
from server.checks import Checks
from server.convert import from_struct
from server.dispatch import Call
from server.ids import MAX_ID_LENGTH, new_id
from server.pagination import fits_budget, page_of, within_budget
from server.services import rpc
from server.status import ApiError, Code, batch_status, make_status, not_found
from server.wire import inputs as wire
from server.wire import inputs_add_jobs as job_wire
from storage import blobs
from storage import inputs as input_store

STREAM_PER_PAGE = 20
MAX_URL_LENGTH = 2048
BAD = Code.INPUT_INVALID_REQUEST
check = Checks(BAD)
Resolution = resources_pb2.InputIDConflictResolution
# PatchInputs changes an input's metadata, geo and concepts only
# (server/input_labels.py): the media stays as stored, and dataset_ids are
# ignored (the reference reads them on PostInputs only).
SPEC = input_labels.SPEC


def _unknown(field: str, input_id: str) -> ApiError:
    return not_found("input", input_id, field)


async def _shown(
    call: Call,
    rows: Sequence[input_store.Row],
    inline_text: int = 0,
    into: Sequence[resources_pb2.Input] | None = None,
) -> list[resources_pb2.Input]:
    """Inputs as GetInput shows them, their concepts included (texts longer
    than `inline_text` bytes without raw), built in `into` when given."""
    return await input_views.shown(call, rows, inline_text, into)


def _drop_blobs(
    store: blobs.BlobStore,
    keys: list[str],
    when: Callable[[Callable[[], Awaitable[None]]], None],
) -> None:
    """Delete these blobs once the call ends as `when` says (call.after_commit
    or call.after_rollback): blobs follow the rows that name them."""
    if keys:
        when(lambda: store.delete(keys))


# ---- validation ----


def check_concepts(where: str, sent: Sequence[resources_pb2.Concept]) -> list[dict[str, Any]]:
    return input_labels.concepts(where, sent, BAD)


def check_geo(where: str, geo: resources_pb2.Geo) -> dict[str, Any]:
    return input_labels.geo(where, geo, BAD)


# An http(s) URL of an ASCII host name, an optional port and printable ASCII
# after: one urlsplit accepts, known without it (most inputs' URLs are such,
# and urlsplit costs as much as the rest of an input's checks).
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")


def _check_url(where: str, url: str) -> str:
    if len(url) <= MAX_URL_LENGTH and _PLAIN_URL.fullmatch(url):
        return url
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(url.encode()) > MAX_URL_LENGTH
    ):
        raise ApiError(
            Code.INPUT_INVALID_URL,
            f"{where} '{url[:200]}' is not an http or https URL of at most {MAX_URL_LENGTH} bytes",
        )
    return url


@dataclass
class NewInput:
    """One input of a PostInputs request, validated, then resolved."""

    index: int
    sent: resources_pb2.Input
    id: str
    kind: str
    url: str
    allow_duplicate_url: bool
    payload: bytes | None
    data: dict[str, Any]
    concepts: list[dict[str, Any]]
    dataset_ids: list[str]
    blob_key: str = ""
    failure: status_pb2.Status | None = None

    def first_status(self, fetching: bool) -> int:
        """Pending for a URL to download; done for bytes, raw text, and URLs
        kept without downloading (CLARIFAI_LOCAL_FETCH_URLS=false)."""
        waits = fetching and bool(self.url) and self.payload is None
        return input_store.PENDING if waits else input_store.SUCCESS


def _kind(where: str, data: resources_pb2.Data) -> str:
    """The input's one medium."""
    kinds = [k for k in media.KINDS if data.HasField(k)]
    if not kinds:
        raise ApiError(BAD, f"{where}.data: one of image, video, audio or text is required")
    if len(kinds) > 1:
        raise ApiError(
            BAD, f"{where}.data: an input carries one medium; found {' and '.join(kinds)}"
        )
    if data.regions:
        raise ApiError(BAD, f"{where}.data.regions: add regions with PostAnnotations")
    return kinds[0]


def _payload(at: str, kind: str, sent: Any) -> bytes | None:
    """The bytes the medium `sent` carries (raw text or base64), or None
    when it gives a URL instead; `at` names it."""
    fields = ("raw", "url") if kind == "text" else ("url", "base64")
    if len([f for f in fields if getattr(sent, f)]) != 1:
        raise ApiError(BAD, f"{at}: set exactly one of {' or '.join(fields)}")
    if sent.url:
        _check_url(f"{at}.url", sent.url)
        return None
    payload = sent.raw.encode("utf-8") if kind == "text" else sent.base64
    if len(payload) > media.BYTES_LIMITS[kind]:
        raise ApiError(
            BAD,
            f"{at}.{'raw' if kind == 'text' else 'base64'} holds {len(payload)} bytes; "
            f"{kind} inputs may have {media.describe_size(media.BYTES_LIMITS[kind])}",
        )
    return payload


def _stored(where: str, kind: str, data: resources_pb2.Data) -> dict[str, Any]:
    """The input's data as its row keeps it (the shape wire.fill_stored reads)."""
    sent = getattr(data, kind)
    stored: dict[str, Any] = {kind: {"url": sent.url} if sent.url else {}}
    if kind == "text" and sent.raw:
        stored["text"] = {"raw": sent.raw}
    if data.HasField("metadata") and data.metadata.fields:
        stored["metadata"] = from_struct(data.metadata, f"{where}.data.metadata", BAD)
    if data.HasField("geo"):
        stored["geo"] = check_geo(f"{where}.data.geo", data.geo)
    return stored


def _validate_new(n: int, sent: resources_pb2.Input, input_id: str) -> NewInput:
    where = f"inputs[{n}]"
    kind = _kind(where, sent.data)
    medium = getattr(sent.data, kind)
    payload = _payload(f"{where}.data.{kind}", kind, medium)
    data = _stored(where, kind, sent.data)
    dataset_ids = [check.id(d, f"{where}.dataset_ids[{k}]") for k, d in enumerate(sent.dataset_ids)]
    return NewInput(
        index=n,
        sent=sent,
        id=input_id,
        kind=kind,
        url=medium.url,
        allow_duplicate_url=medium.allow_duplicate_url,
        payload=payload,
        data=data,
        concepts=check_concepts(f"{where}.data.concepts", sent.data.concepts),
        dataset_ids=dataset_ids,
    )


# ---- PostInputs ----


def _fail(item: NewInput, code: int, details: str) -> None:
    item.failure = make_status(code, details)


# The reference's words for an id the app already holds, exactly: the clarifai
# SDK compares an input's status.details with them to tell duplicates from
# failures when uploading a dataset (clarifai/client/dataset.py,
# Dataset._delete_failed_inputs), and leaves those inputs alone. The field is
# named in developer_notes.
DUPLICATE_ID = "Input has a duplicate ID."


def _taken(item: NewInput) -> None:
    failure = make_status(Code.DATABASE_DUPLICATE_KEY, DUPLICATE_ID)
    failure.developer_notes = (
        f"inputs[{item.index}].id '{item.id}' is already used by an input of this app"
    )
    item.failure = failure


async def _kept_datasets(call: Call, items: list[NewInput]) -> dict[str, int]:
    """The pks of the datasets the inputs name, by id: each must exist (the
    call fails otherwise), and they are kept from deletion until it ends."""
    wanted = sorted({d for i in items for d in i.dataset_ids})
    if not wanted:
        return {}
    found = await call.store.dataset_inputs.keep_datasets(wanted)
    for i in items:
        check.all_known(i.dataset_ids, found, "dataset", f"inputs[{i.index}].dataset_ids[{{n}}]")
    return {dataset_id: dataset.pk for dataset_id, dataset in found.items()}


async def _clashes(call: Call, items: list[NewInput]) -> tuple[set[str], set[str]]:
    """The ids of these inputs the app already holds, and the URLs (of
    those not allowing a duplicate), read at once. Ids made here (for
    inputs sent without one) are new: they are not looked for, and inputs
    all sent so, without URLs to check, read nothing (the insert would
    refuse a taken id all the same)."""
    strict = [i.url for i in items if i.url and not i.allow_duplicate_url]
    return await call.store.inputs.clashes([i.id for i in items if i.sent.id], strict)


async def _resolve_ids(call: Call, items: list[NewInput], taken: set[str], resolution: int) -> None:
    clashing = [i for i in items if i.id in taken]
    if not clashing:
        return
    if resolution != Resolution.SUFFIX:
        for i in clashing:
            _taken(i)
        return
    # SUFFIX: the first free of "<id>-1" .. "<id>-9", else a random suffix.
    candidates = [_suffixed(i.id, str(k)) for i in clashing for k in range(1, 10)]
    taken |= await call.store.inputs.taken_ids(candidates)
    used = {i.id for i in items} - {i.id for i in clashing}
    for i in clashing:
        tries = (_suffixed(i.id, str(k)) for k in range(1, 10))
        free = [c for c in tries if c not in taken | used]
        i.id = free[0] if free else _suffixed(i.id, new_id()[:8])
        used.add(i.id)


def _suffixed(input_id: str, suffix: str) -> str:
    """The id with "-<suffix>" added, the id shortened (never the suffix)
    so that the result is still a valid id of at most MAX_ID_LENGTH
    characters."""
    base = input_id[: MAX_ID_LENGTH - len(suffix) - 1].rstrip("-_")
    return f"{base}-{suffix}"


def _check_urls(items: list[NewInput], known: set[str]) -> None:
    earlier: set[str] = set()
    for i in items:
        if i.failure is not None or not i.url:
            continue
        if not i.allow_duplicate_url and (i.url in known or i.url in earlier):
            _fail(
                i,
                Code.INPUT_DUPLICATE,
                f"inputs[{i.index}].data.{i.kind}.url '{i.url}' is already in this app; "
                "set allow_duplicate_url to add it again",
            )
            continue
        earlier.add(i.url)


def _examined(call: Call, items: list[NewInput]) -> list[tuple[str, bytes]]:
    """Examine the bytes of inputs that carry them (one whose bytes are not
    what it says fails alone); the blobs to write, as (key, bytes)."""
    writes: list[tuple[str, bytes]] = []
    for i in items:
        if i.failure is not None or i.payload is None:
            continue
        examined = media.examine(i.kind, i.payload)
        if examined.problem:
            field_name = "raw" if i.kind == "text" else "base64"
            _fail(
                i,
                Code.INPUT_FAILED,
                f"inputs[{i.index}].data.{i.kind}.{field_name}: {examined.problem}",
            )
            continue
        if examined.image_info:
            i.data["image"]["image_info"] = examined.image_info
        i.blob_key = blobs.new_key(call.app.pk, examined.content_type)
        # A raw text is in the row already (data.text.raw): its key names it
        # for the hosted URL (server/media.py serves it from there), and no
        # file is written (which cost a one-text PostInputs 21-32% of its CPU).
        if i.kind != "text":
            writes.append((i.blob_key, i.payload))
    # Bytes of a request that does not commit are removed again.
    _drop_blobs(call.blobs, [k for k, _ in writes], call.after_rollback)
    return writes


@asynccontextmanager
async def _writing(store: blobs.BlobStore, writes: list[tuple[str, bytes]]) -> AsyncIterator[None]:
    """These blobs written while the block does the database work: all
    written (or failed) when it ends, so the call commits none missing and
    a rollback finds all it removes. The block's own failure wins."""
    if not writes:  # texts and URLs only: no task to start
        yield
        return
    written = asyncio.ensure_future(store.put_many(writes))
    try:
        yield
    except BaseException:
        await asyncio.gather(written, return_exceptions=True)
        raise
    await written


async def _open_job(call: Call, job_id: str) -> int | None:
    """The inputs add job the request counts its inputs in (made when new),
    if it names one."""
    return await add_jobs.open_add_job(call, job_id) if job_id else None


async def _add(call: Call, items: list[NewInput], job_pk: int | None) -> dict[str, input_store.Row]:
    """Insert the inputs, each with its input-level annotation (its
    concepts), counted in the job `job_pk`; one whose id a concurrent
    request took since we looked fails alone."""
    fetching = call.settings.fetch_urls
    added = await call.store.inputs.add(
        [
            {
                "id": i.id,
                "data": i.data,
                "media_kind": i.kind,
                "source_url": i.url,
                "blob_key": i.blob_key,
                "status_code": i.first_status(fetching),
                "status_details": "",
                "labels": {"concepts": i.concepts} if i.concepts else {},
            }
            for i in items
        ],
        call.user_id,
        job_pk,
    )
    for i in items:
        if i.id not in added:
            _taken(i)
    return added


async def _count_in_job(
    call: Call, job_pk: int | None, items: list[NewInput], added: dict[str, input_store.Row]
) -> None:
    """Count in the job the inputs done and those that failed here (their
    downloads count later). The job stands when every input failed: it
    records them, as a client polling it expects."""
    if job_pk is None:
        return
    done = sum(1 for row in added.values() if row.status_code == input_store.SUCCESS)
    failed = sum(1 for i in items if i.failure is not None)
    await call.store.inputs_add_jobs.count_done(job_pk, success=done, failed=failed)
    call.keep_writes = True


async def _link_datasets(call: Call, items: list[NewInput], dataset_pks: dict[str, int]) -> None:
    """Add the inputs to the datasets they name, one statement per dataset
    (a dataset lists its inputs in the order they were added)."""
    by_dataset: dict[int, list[str]] = {}
    for i in items:
        for d in dict.fromkeys(i.dataset_ids):
            by_dataset.setdefault(dataset_pks[d], []).append(i.id)
    for dataset_pk, input_ids in by_dataset.items():
        await call.store.dataset_inputs.link_inputs([dataset_pk], input_ids)


async def _posted(
    call: Call, items: list[NewInput], added: dict[str, input_store.Row], job_id: str
) -> service_pb2.MultiInputResponse:
    response = service_pb2.MultiInputResponse()
    if job_id:
        job = await call.store.inputs_add_jobs.shown(job_id)
        assert job is not None, "the job was made by this call"
        response.inputs_add_job.CopyFrom(job_wire.job_proto(job))
    inline_text = call.settings.inline_text_bytes
    for i in items:
        out = response.inputs.add()
        if i.failure is not None:
            out.CopyFrom(wire.failed_input(i.sent, i.id, i.failure, inline_text))
            continue
        # The stored metadata is the Struct sent (from_struct's): copied as is.
        wire.input_proto(
            added[i.id],
            i.concepts,
            call.app,
            call.settings,
            inline_text,
            into=out,
            metadata=i.sent.data.metadata,
        )
        out.dataset_ids.extend(i.dataset_ids)
    response.status.CopyFrom(batch_status([posted.status for posted in response.inputs]))
    return response


async def _queue_jobs(call: Call, rows: list[input_store.Row]) -> None:
    """The downloads of the new inputs given by URL, and their index job
    when it has work on them."""
    waiting = [row.pk for row in rows if row.status_code == input_store.PENDING]
    await call.enqueue(fetch.FETCH, [{"input_pk": pk} for pk in waiting])
    # The base workflow indexes them, once their media are in.
    if rows and await indexing.indexes(call.store, call.app_row, rows):
        await call.enqueue(indexing.INDEX, [{"input_pks": [row.pk for row in rows]}])


async def add_inputs(
    call: Call, request: service_pb2.PostInputsRequest
) -> tuple[list[NewInput], dict[str, input_store.Row]]:
    """PostInputs' work without its answer: the inputs sent, each failed or
    added (the rows added, by id)."""
    check.batch(request.inputs, "inputs")
    ids = check.new_ids((sent.id for sent in request.inputs), "inputs")
    job_id = request.inputs_add_job_id
    if job_id:
        check.id(job_id, "inputs_add_job_id")
    items = [_validate_new(n, sent, ids[n]) for n, sent in enumerate(request.inputs)]
    dataset_pks = await _kept_datasets(call, items)

    taken, known = await _clashes(call, items)
    await _resolve_ids(call, items, taken, request.input_id_conflict_resolution)
    _check_urls(items, known)
    writes = _examined(call, items)
    async with _writing(call.blobs, writes):
        ok = [i for i in items if i.failure is None]
        await input_labels.name_concepts(call.store, [i.concepts for i in ok])
        job_pk = await _open_job(call, job_id)
        added = await _add(call, ok, job_pk)
        await _count_in_job(call, job_pk, items, added)
        ok = [i for i in ok if i.failure is None]
        stored = {key for key, _ in writes}
        orphaned = [i.blob_key for i in items if i.failure is not None and i.blob_key in stored]
        _drop_blobs(call.blobs, orphaned, call.after_commit)
        await _link_datasets(call, ok, dataset_pks)
        await _queue_jobs(call, [added[i.id] for i in ok])
    return items, added


# The statuses of an input added: its media stored, or its download queued.
ADDED = (Code.INPUT_DOWNLOAD_SUCCESS, Code.INPUT_DOWNLOAD_PENDING)


def statuses(items: list[NewInput], added: dict[str, input_store.Row]) -> list[status_pb2.Status]:
    """The status PostInputs answers for each input of add_inputs'."""
    return [
        i.failure or make_status(added[i.id].status_code, added[i.id].status_details) for i in items
    ]


@rpc
async def PostInputs(call: Call, request: service_pb2.PostInputsRequest):
    items, added = await add_inputs(call, request)
    return await _posted(call, items, added, request.inputs_add_job_id)


# ---- reads ----


async def _get_one(call: Call, input_id: str, where: str = "input_id") -> input_store.Row:
    check.required(input_id, where)
    row = await call.store.inputs.get(input_id)
    if row is None:
        raise _unknown(where, input_id)
    return row


@rpc
async def GetInput(call: Call, request: service_pb2.GetInputRequest):
    row = await _get_one(call, request.input_id)
    response = service_pb2.SingleInputResponse()
    await _shown(call, [row], into=[response.input])
    return response


@rpc
async def ListInputs(call: Call, request: service_pb2.ListInputsRequest):
    page = page_of(request)
    status_code = request.status.code if request.HasField("status") else 0
    inline_text, budget = call.settings.inline_text_bytes, call.settings.response_max_bytes
    rows = await call.store.inputs.page(
        page, status_code=status_code, ids=list(request.ids), inline_text=inline_text
    )
    response = service_pb2.MultiInputResponse()
    await _shown(call, rows, inline_text, [response.inputs.add() for _ in rows])
    return fits_budget(response, "inputs", budget)


@rpc
async def StreamInputs(call: Call, request: service_pb2.StreamInputsRequest):
    limit = page_of(request, STREAM_PER_PAGE).limit
    after = None
    if request.last_id and not request.order_by_id:
        after = await _get_one(call, request.last_id, "last_id")
    rows = await call.store.inputs.stream(
        limit,
        after=after,
        last_id=request.last_id,
        descending=request.descending,
        by_id=request.order_by_id,
        inline_text=call.settings.inline_text_bytes,
    )
    response = service_pb2.MultiInputResponse()
    await _shown(call, rows, call.settings.inline_text_bytes, [response.inputs.add() for _ in rows])
    return within_budget(response, "inputs", call.settings.response_max_bytes)


@rpc
async def GetInputCount(call: Call, request: service_pb2.GetInputCountRequest):
    counts = await call.store.inputs.count_by_status()
    return service_pb2.SingleInputCountResponse(
        counts=resources_pb2.InputCount(
            processed=counts.get(input_store.SUCCESS, 0),
            to_process=counts.get(input_store.PENDING, 0),
            errors=counts.get(input_store.FAILED, 0),
            processing=counts.get(input_store.IN_PROGRESS, 0),
        )
    )


# ---- PatchInputs ----


def _sent_patch(action: str, where: str, sent: resources_pb2.Data) -> dict[str, Any]:
    """What PatchInputs sent for one input, as SPEC's fields. Overwrite
    replaces all three: metadata and geo left unsent are sent empty, and
    concepts are always sent (none clears them); merge and remove leave
    out what was not sent (merge ignores an empty concept list)."""
    meta = (
        from_struct(sent.metadata, f"{where}.metadata", BAD) if sent.HasField("metadata") else None
    )
    geo = check_geo(f"{where}.geo", sent.geo) if sent.HasField("geo") else None
    concepts = check_concepts(f"{where}.concepts", sent.concepts)
    if action == patch.OVERWRITE:
        return {"labels": {"metadata": meta or {}, "concepts": concepts}, "geo": geo}
    labels: dict[str, Any] = {}
    if meta is not None:
        labels["metadata"] = meta
    if concepts:
        labels["concepts"] = concepts
    out: dict[str, Any] = {"labels": labels} if labels else {}
    if geo is not None:
        out["geo"] = geo
    return out


@rpc
async def PatchInputs(call: Call, request: service_pb2.PatchInputsRequest):
    action = SPEC.check(request.action)
    check.batch(request.inputs, "inputs")
    ids = check.ids([sent.id for sent in request.inputs], "inputs[{n}].id")
    rows = await call.store.inputs.locked(ids, concepts=True)
    for n, input_id in enumerate(ids):
        if input_id not in rows:
            raise _unknown(f"inputs[{n}].id", input_id)

    new: dict[str, input_labels.Labels] = {}
    for n, sent in enumerate(request.inputs):
        row = rows[sent.id]
        where = f"inputs[{n}].data"
        new[sent.id] = input_labels.patched(
            action, _sent_patch(action, where, sent.data), row.data, row.concepts or []
        )
    levels = await input_labels.changing(call.store, rows, new)
    fresh = await input_labels.write(call.store, call.user_id, rows, levels, new)
    return service_pb2.MultiInputResponse(
        inputs=[
            wire.input_proto(
                fresh[i], new[i][1], call.app, call.settings, call.settings.inline_text_bytes
            )
            for i in ids
        ]
    )


# ---- deletes ----


async def _delete(call: Call, ids: Sequence[str], fields: Sequence[str]) -> None:
    """Delete the inputs (atomic: an unknown id, named by its field, fails
    the call and the rollback restores the others)."""
    held = await call.store.inputs.delete(ids)
    for field, input_id in zip(fields, ids, strict=True):
        if input_id not in held:
            raise _unknown(field, input_id)
    # The bytes go once the rows are gone for good, unless a dataset version
    # keeps them.
    unused = await call.store.dataset_versions.unreferenced_blobs(held.items())
    _drop_blobs(call.blobs, unused, call.after_commit)


@rpc
async def DeleteInput(call: Call, request: service_pb2.DeleteInputRequest):
    check.required(request.input_id, "input_id")
    await _delete(call, [request.input_id], ["input_id"])
    return status_pb2.BaseResponse()


@rpc
async def DeleteInputs(call: Call, request: service_pb2.DeleteInputsRequest):
    check.batch(request.ids, "ids")
    await _delete(call, request.ids, [f"ids[{k}]" for k in range(len(request.ids))])
    return status_pb2.BaseResponse()
