"""PostAnnotations, GetAnnotation, ListAnnotations, PatchAnnotations,
PatchAnnotationsStatus, DeleteAnnotation, DeleteAnnotations.

Annotations are attributed to one human worker (the caller unless the app
owner names another user) and optionally to a task. The app owner may change
anyone's annotations; a collaborator only their own. An input's input-level
annotation goes only with the input.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from google.protobuf import json_format

from server import patch
from server.convert import from_struct, struct, ts
from server.dispatch import Call
from server.domain import regions
from server.ids import check_id, ids_for_new, new_id
from server.pagination import page_of
from server.rest_json import request_json
from server.services import rpc
from server.status import ApiError, Code, check_batch_size, make_status
from storage import annotations as store
from storage.annotations import Annotation

MAX_BATCH = 128
INVALID = Code.ANNOTATION_INVALID_ARGUMENT
# The states an annotation moves through (labeling, review, consensus).
STATUSES = frozenset(
    {
        Code.ANNOTATION_SUCCESS,
        Code.ANNOTATION_PENDING,
        Code.ANNOTATION_AWAITING_REVIEW,
        Code.ANNOTATION_AWAITING_CONSENSUS_REVIEW,
        Code.ANNOTATION_REVIEW_DENIED,
    }
)


# ---- conversions ----


def data_json(data: resources_pb2.Data, field: str) -> dict[str, Any]:
    """Data as stored: the JSON the REST port writes, so show-if-empty fields
    (concept values, box and point coordinates, span offsets) are present
    even when 0, and a 0 sent in a merge overwrites the stored value."""
    return request_json(data, field, INVALID)


def annotation_proto(row: Annotation) -> resources_pb2.Annotation:
    out = resources_pb2.Annotation(
        id=row.id,
        input_id=row.input_id,
        data=json_format.ParseDict(row.data, resources_pb2.Data(), ignore_unknown_fields=True),
        annotation_info=struct(row.annotation_info),
        user_id=row.user_id,
        model_version_id=row.model_version_id,
        status=make_status(row.status_code, row.status_details),
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        input_level=row.input_level,
        task_id=row.task_id,
    )
    if row.user_id and not row.model_version_id:
        out.worker.user.id = row.user_id
    return out


def _response(rows: list[Annotation]) -> service_pb2.MultiAnnotationResponse:
    return service_pb2.MultiAnnotationResponse(annotations=[annotation_proto(r) for r in rows])


# ---- checks shared by post and patch ----


def _status(code: int, field: str) -> int:
    if code not in STATUSES:
        name = Code.Name(code) if code in Code.values() else str(code)
        allowed = ", ".join(sorted(Code.Name(c) for c in STATUSES))
        raise ApiError(INVALID, f"{field} {name} is not an annotation status; use one of {allowed}")
    return code


def _sent_worker(call: Call, sent: resources_pb2.Annotation, field: str) -> str:
    """The user the annotation is attributed to (user_id or worker.user.id;
    'me' is the caller), or '' when neither is given."""
    named = {call.user_id if u == "me" else u for u in (sent.user_id, sent.worker.user.id) if u}
    if len(named) > 1:
        raise ApiError(INVALID, f"{field}.user_id and {field}.worker.user.id name different users")
    return named.pop() if named else ""


def _sent_task(sent: resources_pb2.Annotation, field: str) -> str:
    """Annotation.task_id, or the deprecated annotation_info.task_id."""
    info_task = sent.annotation_info.fields.get("task_id")
    legacy = info_task.string_value if info_task is not None else ""
    if sent.task_id and legacy and sent.task_id != legacy:
        raise ApiError(
            INVALID,
            f"{field}.task_id '{sent.task_id}' differs from "
            f"{field}.annotation_info.task_id '{legacy}'",
        )
    task_id = sent.task_id or legacy
    if task_id:
        check_id(task_id, f"{field}.task_id", INVALID)
    return task_id


def _with_region_ids(data: dict[str, Any], field: str) -> dict[str, Any]:
    """`data` with each region's id checked, or made when missing (patches
    address regions by id). `field` names the annotation."""
    for n, region in enumerate(data.get("regions", [])):
        if region.get("id"):
            check_id(region["id"], f"{field}.data.regions[{n}].id", INVALID)
        else:
            region["id"] = new_id()
    return data


async def _inputs(
    call: Call, input_ids: list[tuple[str, str]], *, hold: bool = False
) -> dict[str, str | None]:
    """The raw text of each named input (None if it has none); an input
    missing from the app is an error naming its field. `hold` keeps the
    inputs from being deleted until the transaction ends."""
    found = await call.store.annotations.inputs_text([i for _, i in input_ids], hold=hold)
    for field, input_id in input_ids:
        if input_id not in found:
            raise ApiError(Code.INPUT_DOES_NOT_EXIST, f"{field} '{input_id}' does not exist")
    return found


def _check_editable(call: Call, row: Annotation, field: str) -> None:
    """The app owner may change any annotation; others only their own."""
    if call.access.is_owner:
        return
    if row.model_version_id or row.user_id != call.user_id:
        owner = (
            f"model version '{row.model_version_id}'"
            if row.model_version_id
            else f"user '{row.user_id}'"
        )
        raise ApiError(
            Code.ANNOTATION_PERMISSION_DENIED,
            f"{field}: annotation '{row.id}' belongs to {owner}; only the app owner may "
            "change other workers' annotations",
        )


async def _check_workers(call: Call, named: list[tuple[str, str]]) -> None:
    """Only the app owner may attribute annotations to another user, who must
    be the owner or a collaborator of the app."""
    others = [(field, user_id) for field, user_id in named if user_id != call.user_id]
    if not others:
        return
    if not call.access.is_owner:
        field, user_id = others[0]
        raise ApiError(
            Code.ANNOTATION_PERMISSION_DENIED,
            f"{field} '{user_id}': only the app owner may post annotations for another user",
        )
    live = await call.store.collaborators.live_for_app()
    members = {call.app.user_id, *(c.user_id for c in live)}
    for field, user_id in others:
        if user_id not in members:
            raise ApiError(
                INVALID,
                f"{field} '{user_id}' is neither the app owner nor a collaborator of the app",
            )


# ---- RPCs ----


@rpc
async def PostAnnotations(call: Call, request: service_pb2.PostAnnotationsRequest):
    check_batch_size(request.annotations, "annotations", MAX_BATCH)
    ids = ids_for_new((a.id for a in request.annotations), "annotations", INVALID)
    values: list[dict[str, Any]] = []
    input_refs: list[tuple[str, str]] = []
    workers: list[tuple[str, str]] = []
    for n, sent in enumerate(request.annotations):
        field = f"annotations[{n}]"
        if not sent.input_id:
            raise ApiError(INVALID, f"{field}.input_id is required")
        if sent.model_version_id:
            raise ApiError(INVALID, f"{field}.model_version_id: posted annotations belong to users")
        if sent.input_level:
            raise ApiError(
                INVALID, f"{field}.input_level: the input-level annotation comes with the input"
            )
        user_id = _sent_worker(call, sent, field) or call.user_id
        workers.append((f"{field}.user_id", user_id))
        input_refs.append((f"{field}.input_id", sent.input_id))
        values.append(
            {
                "id": ids[n],
                "input_id": sent.input_id,
                "data": _with_region_ids(data_json(sent.data, f"{field}.data"), field),
                "annotation_info": from_struct(
                    sent.annotation_info, f"{field}.annotation_info", INVALID
                ),
                "user_id": user_id,
                "task_id": _sent_task(sent, field),
                "model_version_id": "",
                "input_level": False,
                "status_code": _status(sent.status.code, f"{field}.status.code")
                if sent.status.code
                else Code.ANNOTATION_SUCCESS,
                "status_details": "",
            }
        )
    # The inputs stay until this call ends (a concurrent DeleteInputs waits).
    texts = await _inputs(call, input_refs, hold=True)
    for n, v in enumerate(values):
        regions.check_data(v["data"], f"annotations[{n}].data", texts[v["input_id"]])
    await _check_workers(call, workers)
    await call.store.concepts.ensure([c for v in values for c in regions.concept_refs(v["data"])])
    # The insert skips ids the app has; the first one skipped fails the call.
    added = await call.store.annotations.add(values)
    for n, annotation_id in enumerate(ids):
        if annotation_id not in added:
            raise ApiError(
                Code.DATABASE_DUPLICATE_KEY,
                f"annotations[{n}].id '{annotation_id}': an annotation with this id already "
                "exists in the app",
            )
    return _response([added[i] for i in ids])


@rpc
async def GetAnnotation(call: Call, request: service_pb2.GetAnnotationRequest):
    if not request.annotation_id:
        raise ApiError(Code.CONN_INVALID_REQUEST, "annotation_id is required")
    row = await call.store.annotations.get(request.annotation_id, request.input_id)
    if row is None:
        raise _not_found("annotation_id", request.annotation_id, request.input_id)
    return service_pb2.SingleAnnotationResponse(annotation=annotation_proto(row))


def _not_found(field: str, annotation_id: str, input_id: str = "") -> ApiError:
    where = f" on input '{input_id}'" if input_id else ""
    return ApiError(
        Code.CONN_DOES_NOT_EXIST, f"{field}: annotation '{annotation_id}'{where} not found"
    )


@rpc
async def ListAnnotations(call: Call, request: service_pb2.ListAnnotationsRequest):
    page = page_of(request)
    ids, input_ids = list(request.ids), list(request.input_ids)
    filters = store.Filters(
        user_ids=[call.user_id if u == "me" else u for u in request.user_ids],
        model_version_ids=list(request.model_version_ids),
        status_codes=[s.code for s in request.statuses],
        task_id=request.task_id,
        # Asking for ids finds them whoever made them; otherwise only
        # trusted annotations unless list_all_annotations.
        trusted_only=not request.list_all_annotations and not ids,
    )
    if ids and input_ids:
        if len(ids) != len(input_ids):
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"ids ({len(ids)}) and input_ids ({len(input_ids)}) must pair up one to one",
            )
        filters.pairs = list(zip(ids, input_ids, strict=True))
    else:
        filters.ids, filters.input_ids = ids, input_ids
    rows = await call.store.annotations.list_(filters, limit=page.limit, offset=page.offset)
    return _response(rows)


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    """Drops the lists and objects a patch left empty (concepts, regions,
    metadata, region data), as if they had never been sent."""
    out = {k: v for k, v in data.items() if v not in ([], {})}
    if "regions" in out:
        out["regions"] = [
            {k: _pruned(v) if k == "data" else v for k, v in g.items()} for g in out["regions"]
        ]
        for region in out["regions"]:
            if region.get("data") == {}:
                del region["data"]
    return out


def _patched_data(
    action: str, row: Annotation, sent: resources_pb2.Annotation, field: str
) -> dict[str, Any]:
    if not sent.HasField("data"):
        return row.data
    data = data_json(sent.data, f"{field}.data")
    if action == patch.REMOVE:
        return _pruned(patch.remove(row.data, data))
    data = _with_region_ids(data, field)
    return _pruned(data if action == patch.OVERWRITE else patch.merge(row.data, data))


def _patched_info(
    action: str, row: Annotation, sent: resources_pb2.Annotation, field: str
) -> dict[str, Any]:
    if not sent.HasField("annotation_info"):
        return row.annotation_info
    info = from_struct(sent.annotation_info, f"{field}.annotation_info", INVALID)
    if action == patch.REMOVE:
        return patch.remove(row.annotation_info, info)
    return info if action == patch.OVERWRITE else patch.merge(row.annotation_info, info)


@rpc
async def PatchAnnotations(call: Call, request: service_pb2.PatchAnnotationsRequest):
    action = patch.check_action(request.action, patch.ACTIONS, "annotations")
    check_batch_size(request.annotations, "annotations", MAX_BATCH)
    seen: set[str] = set()
    for n, sent in enumerate(request.annotations):
        if not sent.id:
            raise ApiError(INVALID, f"annotations[{n}].id is required")
        if sent.id in seen:
            raise ApiError(INVALID, f"annotations[{n}].id '{sent.id}' is repeated")
        seen.add(sent.id)
    rows = await call.store.annotations.get_many(list(seen), for_update=True)
    texts = await call.store.annotations.inputs_text([r.input_id for r in rows.values()])
    kept: list[str] = []
    emptied: list[int] = []
    named: list[tuple[str, str]] = []
    for n, sent in enumerate(request.annotations):
        field = f"annotations[{n}]"
        row = rows.get(sent.id)
        if row is None or (sent.input_id and sent.input_id != row.input_id):
            raise _not_found(f"{field}.id", sent.id, sent.input_id)
        _check_editable(call, row, field)
        worker = _sent_worker(call, sent, field)
        if worker and worker != row.user_id:
            raise ApiError(INVALID, f"{field}.user_id: an annotation's worker cannot change")
        data = _patched_data(action, row, sent, field)
        regions.check_data(data, f"{field}.data", texts.get(row.input_id))
        info = _patched_info(action, row, sent, field)
        if action != patch.REMOVE:
            row.task_id = _sent_task(sent, field) or row.task_id
            if sent.status.code:
                row.status_code = _status(sent.status.code, f"{field}.status.code")
                row.status_details = ""
        # Emptied by a remove: deleted on request, except input-level ones.
        if (
            action == patch.REMOVE
            and request.delete_if_empty_data
            and regions.is_empty(data)
            and not row.input_level
        ):
            emptied.append(row.pk)
            continue
        named += regions.concept_refs(data)
        if data != row.data:
            row.data = data
        if info != row.annotation_info:
            row.annotation_info = info
        kept.append(row.id)
    await call.store.concepts.ensure(named)
    await call.session.flush()
    await call.store.annotations.delete_(emptied)
    return _response(await call.store.annotations.reload(kept))


@rpc
async def PatchAnnotationsStatus(call: Call, request: service_pb2.PatchAnnotationsStatusRequest):
    if request.action:
        patch.check_action(request.action, (patch.OVERWRITE,), "annotation statuses")
    if not request.task_id:
        raise ApiError(Code.CONN_INVALID_REQUEST, "task_id is required")
    new_code = _status(request.status_code, "status_code")
    for n, code in enumerate(request.status_codes):
        _status(code, f"status_codes[{n}]")
    user_ids = [call.user_id if u == "me" else u for u in request.user_ids]
    if not call.access.is_owner:
        others = sorted(set(user_ids) - {call.user_id})
        if others:
            raise ApiError(
                Code.ANNOTATION_PERMISSION_DENIED,
                f"user_ids '{others[0]}': only the app owner may change other workers' annotations",
            )
        user_ids = [call.user_id]
    changed = await call.store.annotations.set_task_status(
        request.task_id,
        new_code,
        user_ids=user_ids,
        status_codes=list(request.status_codes),
    )
    return service_pb2.PatchAnnotationsStatusResponse(
        user_ids=sorted(set(changed)), updated_count=len(changed)
    )


@rpc
async def DeleteAnnotation(call: Call, request: service_pb2.DeleteAnnotationRequest):
    for name in ("input_id", "annotation_id"):
        if not getattr(request, name):
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{name} is required")
    row = await call.store.annotations.get(request.annotation_id, request.input_id)
    if row is None:
        raise _not_found("annotation_id", request.annotation_id, request.input_id)
    _check_deletable(call, row, "annotation_id")
    await call.store.annotations.delete_([row.pk])
    return status_pb2.BaseResponse()


def _check_deletable(call: Call, row: Annotation, field: str) -> None:
    if row.input_level:
        raise ApiError(
            INVALID,
            f"{field}: annotation '{row.id}' is the input-level annotation of input "
            f"'{row.input_id}'; it goes only when the input is deleted",
        )
    _check_editable(call, row, field)


@rpc
async def DeleteAnnotations(call: Call, request: service_pb2.DeleteAnnotationsRequest):
    ids, input_ids = list(request.ids), list(request.input_ids)
    if not ids and not input_ids:
        raise ApiError(Code.CONN_INVALID_REQUEST, "ids or input_ids: give at least one")
    if ids and input_ids and len(ids) != len(input_ids):
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"ids ({len(ids)}) and input_ids ({len(input_ids)}) must pair up one to one",
        )
    doomed: list[tuple[str, Annotation]] = []
    if ids:
        rows = await call.store.annotations.get_many(ids)
        for n, annotation_id in enumerate(ids):
            input_id = input_ids[n] if input_ids else ""
            row = rows.get(annotation_id)
            if row is None or (input_id and row.input_id != input_id):
                raise _not_found(f"ids[{n}]", annotation_id, input_id)
            doomed.append((f"ids[{n}]", row))
    else:
        await _inputs(call, [(f"input_ids[{n}]", i) for n, i in enumerate(input_ids)])
        index = {input_id: n for n, input_id in reversed(list(enumerate(input_ids)))}
        rows_of_inputs = await call.store.annotations.of_inputs(input_ids)
        doomed = [(f"input_ids[{index[r.input_id]}]", r) for r in rows_of_inputs]
    for field, row in doomed:
        _check_deletable(call, row, field)
    await call.store.annotations.delete_([row.pk for _, row in doomed])
    return status_pb2.BaseResponse()
