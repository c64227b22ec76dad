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
with its own status, and the call reports MIXED_STATUS.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import fetch, media, patch
from server.convert import f32, from_struct
from server.dispatch import Call
from server.domain import regions
from server.ids import MAX_ID_LENGTH, check_id, ids_for_new, new_id
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, batch_status, check_batch_size, make_status
from server.wire.inputs import input_proto, labels
from storage import blobs
from storage import inputs as input_store

MAX_INPUTS = 128
STREAM_PER_PAGE = 20
MAX_URL_LENGTH = 2048
BAD = Code.INPUT_INVALID_REQUEST
Resolution = resources_pb2.InputIDConflictResolution


# ---- conversions ----


async def input_protos(call: Call, rows: Sequence[input_store.Row]) -> list[resources_pb2.Input]:
    """Inputs as GetInput shows them, their concepts included."""
    levels = await call.store.inputs.input_level([r.id for r in rows])
    return [input_proto(call, r, labels(levels, r.id)) for r in rows]


# ---- after the transaction ----


def _drop_blobs(call: Call, keys: list[str], outcome: str) -> None:
    blobs.delete_when(call.session, outcome, blobs.store_for(call.settings.data_dir), keys)


# ---- validation ----


def _concepts(where: str, sent: Sequence[resources_pb2.Concept]) -> list[dict[str, Any]]:
    """Concepts as the input-level annotation keeps them: {id, value, name
    (when given)}, checked as any annotation's concepts are."""
    out: list[dict[str, Any]] = []
    for c in sent:
        item: dict[str, Any] = {"id": c.id, "value": f32(c.value)}
        if c.name:
            item["name"] = c.name
        out.append(item)
    regions.check_concepts(out, where, BAD)
    return out


def _check_geo(where: str, geo: resources_pb2.Geo) -> dict[str, Any]:
    point = geo.geo_point
    if not -180.0 <= point.longitude <= 180.0:
        raise ApiError(BAD, f"{where}.geo_point.longitude {point.longitude:g} is outside -180..180")
    if not -90.0 <= point.latitude <= 90.0:
        raise ApiError(BAD, f"{where}.geo_point.latitude {point.latitude:g} is outside -90..90")
    return {"geo_point": {"longitude": f32(point.longitude), "latitude": f32(point.latitude)}}


def _check_url(where: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL_LENGTH:
        raise ApiError(
            Code.INPUT_INVALID_URL,
            f"{where} '{url[:200]}' is not an http or https URL of at most "
            f"{MAX_URL_LENGTH} characters",
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


def _media_kinds(data: resources_pb2.Data) -> list[str]:
    return [k for k in media.KINDS if data.HasField(k)]


def _validate_new(n: int, sent: resources_pb2.Input, input_id: str) -> NewInput:
    where = f"inputs[{n}]"
    data = sent.data
    kinds = _media_kinds(data)
    if not kinds:
        raise ApiError(BAD, f"{where}.data: one of image, video, audio or text is required")
    if len(kinds) > 1:
        raise ApiError(
            BAD, f"{where}.data: an input carries one medium; found {' and '.join(kinds)}"
        )
    if data.regions:
        raise ApiError(BAD, f"{where}.data.regions: add regions with PostAnnotations")
    kind = kinds[0]
    at = f"{where}.data.{kind}"
    m = getattr(data, kind)
    url = m.url
    payload: bytes | None = None
    if kind == "text":
        given = [f for f in ("raw", "url") if getattr(m, f)]
        if len(given) != 1:
            raise ApiError(BAD, f"{at}: set exactly one of raw or url")
        if m.raw:
            payload = m.raw.encode("utf-8")
    else:
        given = [f for f in ("url", "base64") if getattr(m, f)]
        if len(given) != 1:
            raise ApiError(BAD, f"{at}: set exactly one of url or base64")
        if m.base64:
            payload = m.base64
    if url:
        _check_url(f"{at}.url", url)
    if payload is not None and len(payload) > media.BYTES_LIMITS[kind]:
        raise ApiError(
            BAD,
            f"{at}.{'raw' if kind == 'text' else 'base64'} holds {len(payload)} bytes; "
            f"{kind} inputs may have {media.describe_size(media.BYTES_LIMITS[kind])}",
        )
    stored: dict[str, Any] = {kind: {"url": url} if url else {}}
    if kind == "text" and m.raw:
        stored["text"] = {"raw": m.raw}
    if data.HasField("metadata") and data.metadata.fields:
        stored["metadata"] = from_struct(data.metadata, f"{where}.data.metadata", BAD)
    if data.HasField("geo"):
        stored["geo"] = _check_geo(f"{where}.data.geo", data.geo)
    dataset_ids = [
        check_id(d, f"{where}.dataset_ids[{k}]", BAD) for k, d in enumerate(sent.dataset_ids)
    ]
    return NewInput(
        index=n,
        sent=sent,
        id=input_id,
        kind=kind,
        url=url,
        allow_duplicate_url=m.allow_duplicate_url,
        payload=payload,
        data=stored,
        concepts=_concepts(f"{where}.data.concepts", data.concepts),
        dataset_ids=dataset_ids,
    )


async def _concept_names(call: Call, lists: Sequence[list[dict[str, Any]]]) -> None:
    """Create the concepts these lists name that the app lacks (name
    defaults to id), and give each item its concept's stored name."""
    names = await call.store.concepts.ensure(
        [(c["id"], c.get("name", "")) for items in lists for c in items]
    )
    for items in lists:
        for c in items:
            c["name"] = names[c["id"]]


# ---- PostInputs ----


def _fail(item: NewInput, code: int, details: str) -> None:
    item.failure = make_status(code, details)


async def _resolve_ids(call: Call, items: list[NewInput], resolution: int) -> None:
    taken = await call.store.inputs.taken_ids([i.id for i in items])
    clashing = [i for i in items if i.id in taken]
    if not clashing:
        return
    if resolution != Resolution.SUFFIX:
        for i in clashing:
            _fail(
                i,
                Code.DATABASE_DUPLICATE_KEY,
                f"inputs[{i.index}].id '{i.id}' is already used by an input of this app",
            )
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


async def _check_urls(call: Call, items: list[NewInput]) -> None:
    strict = [i for i in items if i.url and not i.allow_duplicate_url and i.failure is None]
    known = await call.store.inputs.known_urls([i.url for i in strict])
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


async def _store_bytes(call: Call, items: list[NewInput]) -> None:
    """Examine and store the bytes of inputs that carry them."""
    store = blobs.store_for(call.settings.data_dir)
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
        writes.append((i.blob_key, i.payload))
    keys = [k for k, _ in writes]
    # Bytes of a request that does not commit are removed again.
    _drop_blobs(call, keys, "after_rollback")
    await asyncio.gather(*(store.put(k, b) for k, b in writes))


def _echo(item: NewInput) -> resources_pb2.Input:
    """A failed input as sent (without its bytes), with its status."""
    out = resources_pb2.Input()
    out.CopyFrom(item.sent)
    out.id = item.id
    for kind in media.KINDS:
        if out.data.HasField(kind) and kind != "text":
            getattr(out.data, kind).ClearField("base64")
    out.status.CopyFrom(item.failure)
    return out


@rpc
async def PostInputs(call: Call, request: service_pb2.PostInputsRequest):
    check_batch_size(request.inputs, "inputs", MAX_INPUTS, BAD)
    ids = ids_for_new((sent.id for sent in request.inputs), "inputs", BAD)
    items = [_validate_new(n, sent, ids[n]) for n, sent in enumerate(request.inputs)]
    wanted_datasets = sorted({d for i in items for d in i.dataset_ids})
    datasets = await call.store.datasets.get_many(wanted_datasets) if wanted_datasets else {}
    for i in items:
        for k, d in enumerate(i.dataset_ids):
            if d not in datasets:
                raise ApiError(
                    Code.CONN_DOES_NOT_EXIST,
                    f"inputs[{i.index}].dataset_ids[{k}]: dataset '{d}' not found",
                )

    await _resolve_ids(call, items, request.input_id_conflict_resolution)
    await _check_urls(call, items)
    await _store_bytes(call, items)
    ok = [i for i in items if i.failure is None]
    await _concept_names(call, [i.concepts for i in ok])

    fetching = call.settings.fetch_urls
    inserted = await call.store.inputs.add(
        [
            {
                "id": i.id,
                "data": i.data,
                "media_kind": i.kind,
                "source_url": i.url,
                "blob_key": i.blob_key,
                "status_code": i.first_status(fetching),
                "status_details": "",
            }
            for i in ok
        ],
    )
    for i in ok:
        if i.id not in inserted:
            # Taken by a concurrent request since we looked.
            _fail(i, Code.DATABASE_DUPLICATE_KEY, f"inputs[{i.index}].id '{i.id}' is already used")
    ok = [i for i in ok if i.failure is None]
    orphaned = [i.blob_key for i in items if i.failure is not None and i.blob_key]
    _drop_blobs(call, orphaned, "after_commit")

    await call.store.inputs.add_input_annotations(
        call.user_id,
        [
            {
                "id": new_id(),
                "input_id": i.id,
                "data": {"concepts": i.concepts} if i.concepts else {},
            }
            for i in ok
        ],
    )
    by_dataset: dict[int, list[str]] = {}
    for i in ok:
        for d in dict.fromkeys(i.dataset_ids):
            by_dataset.setdefault(datasets[d].pk, []).append(i.id)
    for dataset_pk, input_ids in by_dataset.items():
        await call.store.dataset_inputs.link_inputs([dataset_pk], input_ids)
    waiting = [i for i in ok if i.first_status(fetching) == input_store.PENDING]
    await fetch.enqueue(call.session, call.app, [inserted[i.id][0] for i in waiting])

    response = service_pb2.MultiInputResponse()
    statuses: list[status_pb2.Status] = []
    for i in items:
        if i.failure is not None:
            out = _echo(i)
        else:
            pk, created, modified = inserted[i.id]
            row = input_store.Row(
                pk=pk,
                id=i.id,
                data=i.data,
                media_kind=i.kind,
                source_url=i.url,
                blob_key=i.blob_key,
                status_code=i.first_status(fetching),
                status_details="",
                created_at=created,
                modified_at=modified,
            )
            out = input_proto(call, row, i.concepts)
            out.dataset_ids.extend(i.dataset_ids)
        statuses.append(out.status)
        response.inputs.append(out)
    response.status.CopyFrom(batch_status(statuses))
    return response


# ---- reads ----


async def _get_one(call: Call, input_id: str, where: str = "input_id") -> input_store.Row:
    if not input_id:
        raise ApiError(BAD, f"{where} is required")
    rows = await call.store.inputs.get_many([input_id])
    if input_id not in rows:
        raise ApiError(Code.INPUT_DOES_NOT_EXIST, f"{where} '{input_id}' not found")
    return rows[input_id]


@rpc
async def GetInput(call: Call, request: service_pb2.GetInputRequest):
    row = await _get_one(call, request.input_id)
    (proto,) = await input_protos(call, [row])
    return service_pb2.SingleInputResponse(input=proto)


@rpc
async def ListInputs(call: Call, request: service_pb2.ListInputsRequest):
    page = page_of(request)
    status_code = request.status.code if request.HasField("status") else 0
    if request.ids:
        rows = await call.store.inputs.list_ids(
            list(request.ids),
            limit=page.limit,
            offset=page.offset,
            status_code=status_code,
        )
    else:
        rows = await call.store.inputs.list_page(
            limit=page.limit, offset=page.offset, status_code=status_code
        )
    return service_pb2.MultiInputResponse(inputs=await input_protos(call, rows))


@rpc
async def StreamInputs(call: Call, request: service_pb2.StreamInputsRequest):
    limit = page_of(request, STREAM_PER_PAGE).limit
    after = None
    if request.last_id and not request.order_by_id:
        after = await _get_one(call, request.last_id, "last_id")
    rows = await call.store.inputs.stream(
        limit=limit,
        after=after,
        last_id=request.last_id,
        descending=request.descending,
        by_id=request.order_by_id,
    )
    return service_pb2.MultiInputResponse(inputs=await input_protos(call, rows))


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


def _patched(
    action: str,
    where: str,
    sent: resources_pb2.Data,
    data: dict[str, Any],
    concepts: list[dict[str, Any]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The input's data and concepts after the patch. Only metadata, geo and
    concepts are patchable: the media stays as stored, and dataset_ids are
    ignored (the reference reads them on PostInputs only)."""
    data = copy.deepcopy(data)
    sent_meta = (
        from_struct(sent.metadata, f"{where}.metadata", BAD) if sent.HasField("metadata") else None
    )
    sent_geo = _check_geo(f"{where}.geo", sent.geo) if sent.HasField("geo") else None
    sent_concepts = _concepts(f"{where}.concepts", sent.concepts)
    meta = data.get("metadata", {})
    if action == patch.MERGE:
        if sent_meta is not None:
            meta = patch.merge(meta, sent_meta)
        if sent_geo is not None:
            data["geo"] = sent_geo
        if sent_concepts:
            concepts = patch.merge(concepts, sent_concepts)
    elif action == patch.OVERWRITE:
        meta = sent_meta or {}
        data.pop("geo", None)
        if sent_geo is not None:
            data["geo"] = sent_geo
        concepts = sent_concepts
    else:
        if sent_meta is not None:
            meta = patch.remove(meta, sent_meta)
        if sent_geo is not None:
            data.pop("geo", None)
        drop = {c["id"] for c in sent_concepts}
        concepts = [c for c in concepts if c["id"] not in drop]
    if meta:
        data["metadata"] = meta
    else:
        data.pop("metadata", None)
    return data, concepts


@rpc
async def PatchInputs(call: Call, request: service_pb2.PatchInputsRequest):
    action = patch.check_action(request.action, patch.ACTIONS, "inputs")
    check_batch_size(request.inputs, "inputs", MAX_INPUTS, BAD)
    seen: dict[str, int] = {}
    for n, sent in enumerate(request.inputs):
        if not sent.id:
            raise ApiError(BAD, f"inputs[{n}].id is required")
        if sent.id in seen:
            raise ApiError(BAD, f"inputs[{n}].id '{sent.id}' repeats inputs[{seen[sent.id]}].id")
        seen[sent.id] = n
    ids = list(seen)
    rows = await call.store.inputs.get_many(ids, for_update=True)
    for n, input_id in enumerate(ids):
        if input_id not in rows:
            raise ApiError(Code.INPUT_DOES_NOT_EXIST, f"inputs[{n}].id '{input_id}' not found")
    levels = await call.store.inputs.input_level(ids)

    new_data: dict[int, dict[str, Any]] = {}
    new_concepts: dict[str, list[dict[str, Any]]] = {}
    for n, sent in enumerate(request.inputs):
        row = rows[sent.id]
        where = f"inputs[{n}].data"
        data, concepts = _patched(action, where, sent.data, row.data, labels(levels, sent.id))
        if data != row.data:
            new_data[row.pk] = data
        new_concepts[sent.id] = concepts
    await _concept_names(call, list(new_concepts.values()))

    modified = await call.store.inputs.set_data(new_data)
    changed: dict[int, dict[str, Any]] = {}
    missing: list[dict[str, Any]] = []
    for input_id, concepts in new_concepts.items():
        body = {"concepts": concepts} if concepts else {}
        if input_id in levels:
            pk, old = levels[input_id]
            updated = {**{k: v for k, v in old.items() if k != "concepts"}, **body}
            if updated != old:
                changed[pk] = updated
        else:
            missing.append({"id": new_id(), "input_id": input_id, "data": body})
    await call.store.inputs.set_annotation_data(changed)
    await call.store.inputs.add_input_annotations(call.user_id, missing)

    fresh = {
        i: replace(row, data=new_data[row.pk], modified_at=modified[row.pk])
        if row.pk in modified
        else row
        for i, row in rows.items()
    }
    return service_pb2.MultiInputResponse(
        inputs=[input_proto(call, fresh[i], new_concepts[i]) for i in ids]
    )


# ---- deletes ----


async def _delete(call: Call, ids: Sequence[str], fields: Sequence[str]) -> None:
    """Delete the inputs (atomic: an unknown id, named by its field, fails
    the call and the rollback restores the others)."""
    held = await call.store.inputs.delete_(ids)
    for field, input_id in zip(fields, ids, strict=True):
        if input_id not in held:
            raise ApiError(Code.INPUT_DOES_NOT_EXIST, f"{field} '{input_id}' not found")
    # The bytes go once the rows are gone for good, unless a dataset version
    # keeps them.
    unused = await call.store.dataset_versions.unreferenced_blobs(held.items())
    _drop_blobs(call, unused, "after_commit")


@rpc
async def DeleteInput(call: Call, request: service_pb2.DeleteInputRequest):
    if not request.input_id:
        raise ApiError(BAD, "input_id is required")
    await _delete(call, [request.input_id], ["input_id"])
    return status_pb2.BaseResponse()


@rpc
async def DeleteInputs(call: Call, request: service_pb2.DeleteInputsRequest):
    check_batch_size(request.ids, "ids", code=BAD)
    await _delete(call, request.ids, [f"ids[{k}]" for k in range(len(request.ids))])
    return status_pb2.BaseResponse()
