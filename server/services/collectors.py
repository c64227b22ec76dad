"""PostCollectors, GetCollector, ListCollectors, PatchCollectors,
DeleteCollectors.

A collector watches predictions of a model (its source) and posts their
inputs into this app with the post-inputs key (server/collecting.py does
the collecting). The key is checked when the collector is written and kept
by hash: responses show its prefix, masked, like ListKeys does; sending
that masked id back keeps the stored key. The source model (and version)
must exist when the collector is written: one of this app, of another app
of the caller, or of a public app (clarifai/main: a model id this app lacks
is looked up there when the source names no app). The workflows must exist
in this app or in clarifai/main ("Universal"). Only the app's owner writes
or deletes its collectors, as the docs say only owners' apps collect.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import contract, main_app, patch, workflows
from server.auth import Grant
from server.checks import Checks
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, not_found
from server.wire.collectors import collector_proto
from storage import collectors as collector_store
from storage import keys as key_store
from storage.apps import PUBLIC, scope_of
from storage.store import Store

check = Checks(Code.CONN_INVALID_REQUEST)

# Overwrite only: the collector becomes the one sent.
SPEC = patch.Spec("collectors", (patch.OVERWRITE,))
# A collector's status as sent: active or paused. POST_INPUT_FAILED, which
# a read shows while collection fails, reads as active when sent back.
STATUSES = (Code.COLLECTOR_ACTIVE, Code.COLLECTOR_INACTIVE, Code.COLLECTOR_POST_INPUT_FAILED)
SOURCE_FIELDS = ("model_user_id", "model_app_id", "model_id", "model_version_id", "caller_user_id")
SOURCE = "collector_source.api_post_model_outputs_collector_source"


def _can_post_inputs(key: key_store.Key) -> bool:
    return Grant.of(key.scopes, key.endpoints).allows(contract.methods()["PostInputs"])


def _settings(sent: resources_pb2.Collector, field: str) -> dict[str, Any]:
    """Everything of a collector but its source and key."""
    out: dict[str, Any] = {
        "description": sent.description,
        "pre_queue_workflow_id": sent.pre_queue_workflow_id,
        "post_queue_workflow_id": sent.post_queue_workflow_id,
        "collect_outputs": sent.collect_outputs,
    }
    for name in ("pre_queue_workflow_id", "post_queue_workflow_id"):
        if out[name]:
            check.id(out[name], f"{field}.{name}")
    if not out["pre_queue_workflow_id"] and not out["post_queue_workflow_id"]:
        raise check.invalid(
            f"{field}: at least one of pre_queue_workflow_id or post_queue_workflow_id is required"
        )
    if not 0.0 <= sent.pre_queue_random_sample <= 1.0:
        raise check.invalid(
            f"{field}.pre_queue_random_sample {sent.pre_queue_random_sample} is not in (0, 1]"
        )
    out["pre_queue_random_sample"] = sent.pre_queue_random_sample
    if sent.status.code:
        code = check.one_of(
            sent.status.code,
            STATUSES,
            f"{field}.status.code",
            "COLLECTOR_ACTIVE or COLLECTOR_INACTIVE",
        )
        out["status_code"] = (
            Code.COLLECTOR_INACTIVE if code == Code.COLLECTOR_INACTIVE else (Code.COLLECTOR_ACTIVE)
        )
    return out


async def _check_workflows(call: Call, values: dict[str, Any], field: str) -> None:
    """The workflows named exist (this app's, else clarifai/main's)."""
    for name in ("pre_queue_workflow_id", "post_queue_workflow_id"):
        if values[name]:
            await workflows.find(call.store, call.app_row, values[name], f"{field}.{name}")


async def _source_store(call: Call, user_id: str, app_id: str, field: str) -> Store:
    """The storage of the app holding the source model: this app, another
    of the caller's, or a public one."""
    if (user_id, app_id) == (call.app.user_id, call.app.id):
        return call.store
    app = await call.store.named_app(user_id, app_id)
    if app is None or (app.user_id != call.user_id and app.visibility != PUBLIC):
        raise ApiError(
            Code.MODEL_DOES_NOT_EXIST,
            f"{field}.model_app_id: app '{user_id}/{app_id}' is not one of the caller's nor public",
        )
    return call.store.of(scope_of(app))


async def _source(call: Call, sent: resources_pb2.Collector, field: str) -> dict[str, Any]:
    """The model whose predictions are collected (this app's user and app
    when not named, or clarifai/main's model of that id), found: its pk and
    its version's when one is named."""
    source = sent.collector_source.api_post_model_outputs_collector_source
    at = f"{field}.{SOURCE}"
    check.id(source.model_id, f"{at}.model_id")
    user_id = source.model_user_id or call.app.user_id
    app_id = source.model_app_id or call.app.id
    store = await _source_store(call, user_id, app_id, at)
    model = await store.models.get(source.model_id)
    if model is None and not (source.model_user_id or source.model_app_id):
        store = await call.store.main()
        model = await store.models.get(source.model_id)
        user_id, app_id = main_app.USER_ID, main_app.APP_ID
    if model is None:
        raise ApiError(
            Code.MODEL_DOES_NOT_EXIST,
            f"{at}.model_id: model '{source.model_id}' not found in {user_id}/{app_id}",
        )
    version_pk = None
    if source.model_version_id:
        version = await store.model_versions.of(model, source.model_version_id)
        if version is None:
            raise ApiError(
                Code.MODEL_DOES_NOT_EXIST,
                f"{at}.model_version_id: model '{model.id}' has no version "
                f"'{source.model_version_id}'",
            )
        version_pk = version.pk
    return {
        "source": {
            "model_user_id": user_id,
            "model_app_id": app_id,
            **{k: getattr(source, k) for k in SOURCE_FIELDS[2:] if getattr(source, k)},
        },
        "model_pk": model.pk,
        "version_pk": version_pk,
        "caller_user_id": source.caller_user_id,
    }


async def _key(call: Call, key_id: str, field: str, stored_prefix: str) -> dict[str, Any]:
    """The post-inputs key: one of the caller's, for this app, that may call
    PostInputs."""
    if stored_prefix and key_id == key_store.masked(stored_prefix):
        return {}  # the masked id we showed: keep the stored key
    check.required(key_id, field)
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
    return {"key_hash": key.hash, "key_prefix": key.prefix}


async def _values(
    call: Call, sent: resources_pb2.Collector, field: str, stored_prefix: str = ""
) -> dict[str, Any]:
    """The checked values of the collector `sent` (a new one, or one whose
    stored key shows `stored_prefix`)."""
    out = {**_settings(sent, field), **await _source(call, sent, field)}
    await _check_workflows(call, out, field)
    key_id = sent.collector_source.api_post_model_outputs_collector_source.post_inputs_key_id
    return {
        **out,
        **await _key(call, key_id, f"{field}.{SOURCE}.post_inputs_key_id", stored_prefix),
    }


def _check_owner(call: Call) -> None:
    # The docs restrict collecting to apps the caller owns.
    if not call.access.is_owner:
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES,
            "collectors: collectors can only be written or deleted in apps the caller owns",
        )


@rpc
async def PostCollectors(call: Call, request: service_pb2.PostCollectorsRequest):
    check.batch(request.collectors, "collectors")
    _check_owner(call)
    ids = check.new_ids((c.id for c in request.collectors), "collectors")
    values = [
        {
            "id": i,
            "status_code": Code.COLLECTOR_ACTIVE,
            **await _values(call, sent, f"collectors[{n}]"),
        }
        for n, (sent, i) in enumerate(zip(request.collectors, ids, strict=True))
    ]
    made = await call.store.collectors.create(values)
    check.none_taken(ids, made, "collector", "collectors[{n}].id")
    return service_pb2.MultiCollectorResponse(
        collectors=[collector_proto(r) for r in made.values()]
    )


@rpc
async def GetCollector(call: Call, request: service_pb2.GetCollectorRequest):
    row = await call.store.collectors.get(request.collector_id)
    if row is None:
        raise not_found("collector", request.collector_id)
    return service_pb2.SingleCollectorResponse(collector=collector_proto(row))


@rpc
async def ListCollectors(call: Call, request: service_pb2.ListCollectorsRequest):
    rows = await call.store.collectors.page(page_of(request))
    return service_pb2.MultiCollectorResponse(collectors=[collector_proto(r) for r in rows])


def _with_stored_source(
    sent: resources_pb2.Collector, row: collector_store.Collector
) -> resources_pb2.Collector:
    merged = resources_pb2.Collector()
    merged.CopyFrom(sent)
    merged.collector_source.CopyFrom(collector_proto(row).collector_source)
    return merged


@rpc
async def PatchCollectors(call: Call, request: service_pb2.PatchCollectorsRequest):
    """overwrite: the collector becomes the one sent. Its source may be left
    out, keeping the stored one (the docs' update example sends only the
    description and a workflow id)."""
    SPEC.check(request.action)
    check.batch(request.collectors, "collectors")
    _check_owner(call)
    stored = await call.store.collectors.get_many(c.id for c in request.collectors)
    rows = []
    for n, sent in enumerate(request.collectors):
        row = stored.get(sent.id)
        if row is None:
            raise not_found("collector", sent.id or f"collectors[{n}].id (empty)")
        if not sent.HasField("collector_source"):
            # The spec cannot say "keep this field when not sent": the stored
            # source (its key by the masked id) is sent in its place.
            sent = _with_stored_source(sent, row)
        values = await _values(call, sent, f"collectors[{n}]", row.key_prefix)
        changes = patch.apply(request.action, {}, values, SPEC)
        rows.append(await call.store.collectors.update(row, changes))
    return service_pb2.MultiCollectorResponse(collectors=[collector_proto(r) for r in rows])


@rpc
async def DeleteCollectors(call: Call, request: service_pb2.DeleteCollectorsRequest):
    _check_owner(call)
    ids = check.ids_or_all(request.ids, request.delete_all)
    if ids is None:
        await call.store.collectors.delete(None)
        return status_pb2.BaseResponse()
    found = await call.store.collectors.existing_ids(ids)
    check.all_known(ids, found, "collector", "ids[{n}]")
    await call.store.collectors.delete(ids)
    return status_pb2.BaseResponse()
