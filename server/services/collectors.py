"""PostCollectors, GetCollector, ListCollectors, PatchCollectors,
DeleteCollectors.

A collector watches predictions of a model (its source) and posts their
inputs into this app with the post-inputs key. The key is checked when the
collector is written and kept by hash: responses show its prefix, masked,
like ListKeys does; sending that masked id back keeps the stored key.
Workflow and model references are stored as given, since this server has no
models or workflows to check them against yet.
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy import func

from server import contract, patch
from server.auth import Grant
from server.convert import ts
from server.dispatch import Call
from server.ids import check_id, ids_for_new
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, check_batch_size, make_status, not_found
from storage import keys as key_store
from storage.collectors import Collector

STATUSES = (Code.COLLECTOR_ACTIVE, Code.COLLECTOR_INACTIVE)
SOURCE_FIELDS = ("model_user_id", "model_app_id", "model_id", "model_version_id", "caller_user_id")


def collector_proto(c: Collector) -> resources_pb2.Collector:
    source = resources_pb2.APIPostModelOutputsCollectorSource(**c.source)
    if c.key_prefix:
        source.post_inputs_key_id = key_store.masked(c.key_prefix)
    out = resources_pb2.Collector(
        id=c.id,
        description=c.description,
        created_at=ts(c.created_at),
        pre_queue_workflow_id=c.pre_queue_workflow_id,
        pre_queue_random_sample=c.pre_queue_random_sample,
        post_queue_workflow_id=c.post_queue_workflow_id,
        collect_outputs=c.collect_outputs,
        status=make_status(c.status_code),
    )
    if c.source or c.key_prefix:
        out.collector_source.api_post_model_outputs_collector_source.CopyFrom(source)
    return out


def _can_post_inputs(key: key_store.Key) -> bool:
    return Grant.of(key.scopes, key.endpoints).allows(contract.methods()["PostInputs"])


async def _apply(call: Call, row: Collector, sent: resources_pb2.Collector, field: str) -> None:
    """Validate `sent` and write it into `row` (a new or a stored collector)."""
    row.description = sent.description
    row.pre_queue_workflow_id = sent.pre_queue_workflow_id
    row.post_queue_workflow_id = sent.post_queue_workflow_id
    row.collect_outputs = sent.collect_outputs
    for name in ("pre_queue_workflow_id", "post_queue_workflow_id"):
        if getattr(sent, name):
            check_id(getattr(sent, name), f"{field}.{name}")
    if not row.pre_queue_workflow_id and not row.post_queue_workflow_id:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"{field}: at least one of pre_queue_workflow_id or post_queue_workflow_id is required",
        )
    if not 0.0 <= sent.pre_queue_random_sample <= 1.0:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"{field}.pre_queue_random_sample {sent.pre_queue_random_sample} is not in (0, 1]",
        )
    row.pre_queue_random_sample = sent.pre_queue_random_sample
    if sent.status.code:
        if sent.status.code not in STATUSES:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"{field}.status.code {sent.status.code} is not COLLECTOR_ACTIVE or "
                "COLLECTOR_INACTIVE",
            )
        row.status_code = sent.status.code
    source = sent.collector_source.api_post_model_outputs_collector_source
    src_field = f"{field}.collector_source.api_post_model_outputs_collector_source"
    if not source.model_id:
        raise ApiError(Code.CONN_INVALID_REQUEST, f"{src_field}.model_id is required")
    check_id(source.model_id, f"{src_field}.model_id")
    row.source = {
        "model_user_id": source.model_user_id or call.app.user_id,
        "model_app_id": source.model_app_id or call.app.id,
        **{k: getattr(source, k) for k in SOURCE_FIELDS[2:] if getattr(source, k)},
    }
    await _set_key(call, row, source.post_inputs_key_id, f"{src_field}.post_inputs_key_id")


async def _set_key(call: Call, row: Collector, key_id: str, field: str) -> None:
    if row.key_prefix and key_id == key_store.masked(row.key_prefix):
        return  # the masked id we showed: keep the stored key
    if not key_id:
        raise ApiError(Code.CONN_INVALID_REQUEST, f"{field} is required")
    key = await call.store.keys.by_token(key_id)
    if key is None:
        raise ApiError(
            Code.CONN_KEY_INVALID, f"{field}: no key of user '{call.user_id}' has this id"
        )
    if key.app_pk is not None and key.app_pk != call.app.pk:
        raise ApiError(Code.CONN_KEY_INVALID, f"{field}: the key belongs to another app")
    if not _can_post_inputs(key):
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES, f"{field}: the key lacks the scopes of PostInputs"
        )
    row.key_hash, row.key_prefix = key.hash, key.prefix


def _check_owner(call: Call) -> None:
    # The docs restrict collecting to apps the caller owns.
    if not call.access.is_owner:
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES,
            "collectors: collectors can only be written in apps the caller owns",
        )


@rpc
async def PostCollectors(call: Call, request: service_pb2.PostCollectorsRequest):
    check_batch_size(request.collectors, "collectors")
    _check_owner(call)
    rows: list[Collector] = []
    collector_ids = ids_for_new((c.id for c in request.collectors), "collectors")
    for n, (sent, collector_id) in enumerate(zip(request.collectors, collector_ids, strict=True)):
        field = f"collectors[{n}]"
        row = Collector(id=collector_id, app_pk=call.app.pk, status_code=Code.COLLECTOR_ACTIVE)
        await _apply(call, row, sent, field)
        rows.append(row)
    taken = await call.store.collectors.get_many([r.id for r in rows])
    if taken:
        raise ApiError(
            Code.DATABASE_DUPLICATE_KEY,
            f"collectors: a collector with id '{sorted(taken)[0]}' already exists in the app",
        )
    call.session.add_all(rows)
    await call.session.flush()
    return service_pb2.MultiCollectorResponse(collectors=[collector_proto(r) for r in rows])


@rpc
async def GetCollector(call: Call, request: service_pb2.GetCollectorRequest):
    row = await call.store.collectors.get(request.collector_id)
    if row is None:
        raise not_found("collector", request.collector_id)
    return service_pb2.SingleCollectorResponse(collector=collector_proto(row))


@rpc
async def ListCollectors(call: Call, request: service_pb2.ListCollectorsRequest):
    page = page_of(request)
    rows = await call.store.collectors.list_(limit=page.limit, offset=page.offset)
    return service_pb2.MultiCollectorResponse(collectors=[collector_proto(r) for r in rows])


@rpc
async def PatchCollectors(call: Call, request: service_pb2.PatchCollectorsRequest):
    """overwrite: the collector becomes the one sent. Its source may be left
    out, keeping the stored one (the docs' update example sends only the
    description and a workflow id)."""
    patch.check_action(request.action, (patch.OVERWRITE,), "collectors")
    check_batch_size(request.collectors, "collectors")
    _check_owner(call)
    stored = await call.store.collectors.get_many([c.id for c in request.collectors])
    rows: list[Collector] = []
    for n, sent in enumerate(request.collectors):
        field = f"collectors[{n}]"
        row = stored.get(sent.id)
        if row is None:
            raise not_found("collector", sent.id or f"{field}.id (empty)")
        if not sent.HasField("collector_source"):
            sent = _with_stored_source(sent, row)
        await _apply(call, row, sent, field)
        row.modified_at = func.now()
        rows.append(row)
    await call.session.flush()
    return service_pb2.MultiCollectorResponse(collectors=[collector_proto(r) for r in rows])


def _with_stored_source(sent: resources_pb2.Collector, row: Collector) -> resources_pb2.Collector:
    merged = resources_pb2.Collector()
    merged.CopyFrom(sent)
    merged.collector_source.CopyFrom(collector_proto(row).collector_source)
    return merged


@rpc
async def DeleteCollectors(call: Call, request: service_pb2.DeleteCollectorsRequest):
    if request.delete_all:
        if request.ids:
            raise ApiError(Code.CONN_INVALID_REQUEST, "ids: give ids or delete_all, not both")
        await call.store.collectors.delete_(None)
        return status_pb2.BaseResponse()
    if not request.ids:
        raise ApiError(Code.CONN_INVALID_REQUEST, "ids: give at least one id, or delete_all")
    found = await call.store.collectors.get_many(list(request.ids))
    for n, collector_id in enumerate(request.ids):
        if collector_id not in found:
            raise not_found("collector", f"ids[{n}] '{collector_id}'")
    await call.store.collectors.delete_(list(request.ids))
    return status_pb2.BaseResponse()
