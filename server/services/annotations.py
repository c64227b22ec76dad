"""PostAnnotations, GetAnnotation, ListAnnotations, PatchAnnotations,
PatchAnnotationsStatus, DeleteAnnotation, DeleteAnnotations.

Annotations are attributed to one human worker (the caller unless the app
owner names another user) and optionally to a task. The app owner may change
anyone's annotations; a collaborator only their own. An input's input-level
annotation goes only with the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import patch
from server.checks import Checks
from server.convert import from_struct, request_json
from server.dispatch import Call
from server.domain import regions
from server.ids import new_id
from server.pagination import fits_budget, page_of
from server.services import rpc
from server.status import ApiError, Code, not_found
from server.wire import annotations as wire
from storage import annotations as store

INVALID = Code.ANNOTATION_INVALID_ARGUMENT
check = Checks(INVALID)
# The request as a whole (batch sizes, the ids a call acts on, how lists pair
# up) fails with CONN_INVALID_REQUEST, as the reference answers.
request_check = Checks()
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
_STATUS_NAMES = sorted(Code.Name(c) for c in STATUSES)
# Data and annotation_info are JSON trees; task_id and status are set by merge
# and overwrite (only when sent) and left alone by remove.
SPEC = patch.Spec("annotations", patch.ACTIONS, trees=frozenset({"data", "annotation_info"}))
STATUS_SPEC = patch.Spec("annotation statuses", (patch.OVERWRITE,))


# ---- checks shared by post and patch ----


def data_json(data: resources_pb2.Data, field: str) -> dict[str, Any]:
    """Data as stored: the JSON the REST port writes, so show-if-empty fields
    (concept values, box and point coordinates, span offsets) are present
    even when 0, and a 0 sent in a merge overwrites the stored value."""
    return request_json(data, field, INVALID)


def _status(code: int, field: str) -> int:
    name = Code.Name(code) if code in Code.values() else str(code)
    what = f"an annotation status; use one of {', '.join(_STATUS_NAMES)}"
    check.one_of(name, _STATUS_NAMES, field, what)
    return code


def _sent_worker(call: Call, sent: resources_pb2.Annotation, field: str) -> str:
    """The user the annotation is attributed to (user_id or worker.user.id;
    'me' is the caller), or '' when neither is given. A model worker is
    the base workflow's alone (server/indexing.py): never sent."""
    if sent.worker.HasField("model"):
        raise check.invalid(f"{field}.worker.model: annotations sent are users' annotations")
    named = {call.user_id if u == "me" else u for u in (sent.user_id, sent.worker.user.id) if u}
    if len(named) > 1:
        raise check.invalid(f"{field}.user_id and {field}.worker.user.id name different users")
    return named.pop() if named else ""


def _sent_task(sent: resources_pb2.Annotation, field: str) -> str:
    """Annotation.task_id, or the deprecated annotation_info.task_id."""
    info_task = sent.annotation_info.fields.get("task_id")
    legacy = info_task.string_value if info_task is not None else ""
    if sent.task_id and legacy and sent.task_id != legacy:
        raise check.invalid(
            f"{field}.task_id '{sent.task_id}' differs from "
            f"{field}.annotation_info.task_id '{legacy}'"
        )
    task_id = sent.task_id or legacy
    if task_id:
        check.id(task_id, f"{field}.task_id")
    return task_id


def _with_region_ids(data: dict[str, Any], field: str) -> dict[str, Any]:
    """`data` with each region's id checked, or made when missing (patches
    address regions by id). `field` names the annotation."""
    for n, region in enumerate(data.get("regions", [])):
        if region.get("id"):
            check.id(region["id"], f"{field}.data.regions[{n}].id")
        else:
            region["id"] = new_id()
    return data


async def _inputs(
    call: Call, input_ids: list[tuple[str, str]], *, hold: bool = False
) -> dict[str, str | None]:
    """The raw text of each named input (None if it has none); an input
    missing from the app is an error naming its field. `hold` keeps the
    inputs from being deleted until the transaction ends."""
    found = await call.store.inputs.raw_texts([i for _, i in input_ids], hold=hold)
    for field, input_id in input_ids:
        if input_id not in found:
            raise not_found("input", input_id, field)
    return found


def _check_editable(call: Call, row: store.Row, field: str) -> None:
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
            raise check.invalid(
                f"{field} '{user_id}' is neither the app owner nor a collaborator of the app"
            )


def _check_pairs(ids: Sequence[str], input_ids: Sequence[str]) -> None:
    """ids and input_ids, when both are given, name (annotation, input) pairs."""
    if ids and input_ids and len(ids) != len(input_ids):
        raise request_check.invalid(
            f"ids ({len(ids)}) and input_ids ({len(input_ids)}) must pair up one to one"
        )


def _not_found(field: str, annotation_id: str, input_id: str = "") -> ApiError:
    where = f" on input '{input_id}'" if input_id else ""
    return ApiError(
        Code.CONN_DOES_NOT_EXIST, f"{field}: annotation '{annotation_id}'{where} not found"
    )


# ---- PostAnnotations ----


def _new_annotation(
    call: Call, n: int, sent: resources_pb2.Annotation, annotation_id: str
) -> dict[str, Any]:
    """The columns of one posted annotation."""
    field = f"annotations[{n}]"
    check.required(sent.input_id, f"{field}.input_id")
    if sent.model_version_id:
        raise check.invalid(f"{field}.model_version_id: posted annotations belong to users")
    if sent.input_level:
        raise check.invalid(f"{field}.input_level: the input-level annotation comes with the input")
    user_id = _sent_worker(call, sent, field) or call.user_id
    return {
        "id": annotation_id,
        "input_id": sent.input_id,
        "data": _with_region_ids(data_json(sent.data, f"{field}.data"), field),
        "annotation_info": from_struct(sent.annotation_info, f"{field}.annotation_info", INVALID),
        "user_id": user_id,
        "task_id": _sent_task(sent, field),
        "model_version_id": "",
        "input_level": False,
        "status_code": _status(sent.status.code, f"{field}.status.code")
        if sent.status.code
        else Code.ANNOTATION_SUCCESS,
        "status_details": "",
    }


@rpc
async def PostAnnotations(call: Call, request: service_pb2.PostAnnotationsRequest):
    request_check.batch(request.annotations, "annotations")
    ids = check.new_ids((a.id for a in request.annotations), "annotations")
    values = [_new_annotation(call, n, a, ids[n]) for n, a in enumerate(request.annotations)]
    fields = [f"annotations[{n}]" for n in range(len(values))]
    # The inputs stay until this call ends (a concurrent DeleteInputs waits).
    refs = [(f"{f}.input_id", v["input_id"]) for f, v in zip(fields, values, strict=True)]
    texts = await _inputs(call, refs, hold=True)
    for f, v in zip(fields, values, strict=True):
        regions.check_data(v["data"], f"{f}.data", texts[v["input_id"]])
    await _check_workers(
        call, [(f"{f}.user_id", v["user_id"]) for f, v in zip(fields, values, strict=True)]
    )
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
    return wire.annotations_response([added[i] for i in ids])


# ---- reads ----


@rpc
async def GetAnnotation(call: Call, request: service_pb2.GetAnnotationRequest):
    request_check.required(request.annotation_id, "annotation_id")
    row = await call.store.annotations.get(request.annotation_id, request.input_id)
    if row is None:
        raise _not_found("annotation_id", request.annotation_id, request.input_id)
    return service_pb2.SingleAnnotationResponse(annotation=wire.annotation_proto(row))


@rpc
async def ListAnnotations(call: Call, request: service_pb2.ListAnnotationsRequest):
    page = page_of(request)
    ids, input_ids = list(request.ids), list(request.input_ids)
    filters = store.Filters(
        user_ids=[call.user_id if u == "me" else u for u in request.user_ids],
        model_version_ids=list(request.model_version_ids),
        status_codes=[s.code for s in request.statuses],
        task_id=request.task_id,
        # Only trusted annotations unless list_all_annotations, or a filter
        # the reference says lists them all: ids; input_ids ("all the
        # annotations for 'input_ids' are returned", input-level ones
        # included); user_ids and model_version_ids ("does also set
        # list_all_annotations=True").
        trusted_only=not (
            request.list_all_annotations
            or ids
            or input_ids
            or request.user_ids
            or request.model_version_ids
        ),
    )
    _check_pairs(ids, input_ids)
    if ids and input_ids:
        filters.pairs = list(zip(ids, input_ids, strict=True))
    else:
        filters.ids, filters.input_ids = ids, input_ids
    rows = await call.store.annotations.page(filters, page)
    budget = call.settings.response_max_bytes
    return fits_budget(wire.annotations_response(rows), "annotations", budget)


# ---- PatchAnnotations ----


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


def _sent_data(action: str, sent: resources_pb2.Annotation, field: str) -> dict[str, Any]:
    """The data PatchAnnotations sent, as SPEC's field (regions merged or
    written get their ids checked or made)."""
    if not sent.HasField("data"):
        return {}
    data = data_json(sent.data, f"{field}.data")
    return {"data": data if action == patch.REMOVE else _with_region_ids(data, field)}


def _sent_rest(action: str, sent: resources_pb2.Annotation, field: str) -> dict[str, Any]:
    """The rest of what PatchAnnotations sent, as SPEC's fields:
    annotation_info, and for merge and overwrite the task and status when
    given (remove leaves them alone without reading them)."""
    out: dict[str, Any] = {}
    if sent.HasField("annotation_info"):
        out["annotation_info"] = from_struct(
            sent.annotation_info, f"{field}.annotation_info", INVALID
        )
    if action == patch.REMOVE:
        return out
    if task_id := _sent_task(sent, field):
        out["task_id"] = task_id
    if sent.status.code:
        out["status_code"] = _status(sent.status.code, f"{field}.status.code")
        out["status_details"] = ""
    return out


def _patched(
    call: Call,
    action: str,
    row: store.Row,
    sent: resources_pb2.Annotation,
    field: str,
    text: str | None,
) -> dict[str, Any]:
    """The annotation's values after the patch (`text`: its input's raw
    text, for spans). Its data is checked as patched before the rest is read."""
    worker = _sent_worker(call, sent, field)
    if worker and worker != row.user_id:
        raise check.invalid(f"{field}.user_id: an annotation's worker cannot change")
    stored = {
        "data": row.data,
        "annotation_info": row.annotation_info,
        "task_id": row.task_id,
        "status_code": row.status_code,
        "status_details": row.status_details,
    }
    new = {**stored, **patch.apply(action, stored, _sent_data(action, sent, field), SPEC)}
    if sent.HasField("data"):
        new["data"] = _pruned(new["data"])
    regions.check_data(new["data"], f"{field}.data", text)
    return {**new, **patch.apply(action, stored, _sent_rest(action, sent, field), SPEC)}


def _editable(
    call: Call, rows: dict[str, store.Row], sent: resources_pb2.Annotation, field: str
) -> store.Row:
    """The stored annotation `sent` names (on its input, when given), which
    the caller may change."""
    row = rows.get(sent.id)
    if row is None or (sent.input_id and sent.input_id != row.input_id):
        raise _not_found(f"{field}.id", sent.id, sent.input_id)
    _check_editable(call, row, field)
    return row


@rpc
async def PatchAnnotations(call: Call, request: service_pb2.PatchAnnotationsRequest):
    action = SPEC.check(request.action)
    request_check.batch(request.annotations, "annotations")
    ids = check.ids([a.id for a in request.annotations], "annotations[{n}].id")
    rows = await call.store.annotations.get_many(ids, lock=True)
    texts = await call.store.inputs.raw_texts([r.input_id for r in rows.values()])
    changes: dict[int, dict[str, Any]] = {}
    emptied: set[str] = set()
    named: list[tuple[str, str]] = []
    for n, sent in enumerate(request.annotations):
        row = _editable(call, rows, sent, f"annotations[{n}]")
        new = _patched(call, action, row, sent, f"annotations[{n}]", texts.get(row.input_id))
        # Emptied by a remove: deleted on request, except input-level ones.
        if (
            action == patch.REMOVE
            and request.delete_if_empty_data
            and regions.is_empty(new["data"])
            and not row.input_level
        ):
            emptied.add(row.id)
            continue
        named += regions.concept_refs(new["data"])
        changes[row.pk] = {k: v for k, v in new.items() if v != getattr(row, k)}
    await call.store.concepts.ensure(named)
    await call.store.annotations.update(changes)
    await call.store.annotations.delete([rows[i].pk for i in emptied])
    kept = await call.store.annotations.in_order([i for i in ids if i not in emptied])
    return wire.annotations_response(kept)


@rpc
async def PatchAnnotationsStatus(call: Call, request: service_pb2.PatchAnnotationsStatusRequest):
    if request.action:
        STATUS_SPEC.check(request.action)
    request_check.required(request.task_id, "task_id")
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


# ---- deletes ----


def _check_deletable(call: Call, row: store.Row, field: str) -> None:
    # A model's input-level annotation (predicted concepts) may go: the
    # next reindex writes it again.
    if row.input_level and not row.model_version_id:
        raise check.invalid(
            f"{field}: annotation '{row.id}' is the input-level annotation of input "
            f"'{row.input_id}'; it goes only when the input is deleted"
        )
    _check_editable(call, row, field)


@rpc
async def DeleteAnnotation(call: Call, request: service_pb2.DeleteAnnotationRequest):
    for name in ("input_id", "annotation_id"):
        request_check.required(getattr(request, name), name)
    row = await call.store.annotations.get(request.annotation_id, request.input_id)
    if row is None:
        raise _not_found("annotation_id", request.annotation_id, request.input_id)
    _check_deletable(call, row, "annotation_id")
    await call.store.annotations.delete([row.pk])
    return status_pb2.BaseResponse()


async def _by_ids(call: Call, ids: list[str], input_ids: list[str]) -> list[tuple[str, store.Row]]:
    """The annotations of `ids` (on the paired input, when input_ids are
    given), each with the field that named it."""
    rows = await call.store.annotations.get_many(ids)
    named: list[tuple[str, store.Row]] = []
    for n, annotation_id in enumerate(ids):
        input_id = input_ids[n] if input_ids else ""
        row = rows.get(annotation_id)
        if row is None or (input_id and row.input_id != input_id):
            raise _not_found(f"ids[{n}]", annotation_id, input_id)
        named.append((f"ids[{n}]", row))
    return named


async def _of_inputs(call: Call, input_ids: list[str]) -> list[tuple[str, store.Row]]:
    """Every annotation of the inputs but their input-level ones, each with
    the field that named its input (the first, if named twice)."""
    await _inputs(call, [(f"input_ids[{n}]", i) for n, i in enumerate(input_ids)])
    index = {input_id: n for n, input_id in reversed(list(enumerate(input_ids)))}
    rows = await call.store.annotations.of_inputs(input_ids)
    return [(f"input_ids[{index[r.input_id]}]", r) for r in rows]


@rpc
async def DeleteAnnotations(call: Call, request: service_pb2.DeleteAnnotationsRequest):
    ids, input_ids = list(request.ids), list(request.input_ids)
    if not ids and not input_ids:
        raise request_check.invalid("ids or input_ids: give at least one")
    _check_pairs(ids, input_ids)
    doomed = await _by_ids(call, ids, input_ids) if ids else await _of_inputs(call, input_ids)
    for field, row in doomed:
        _check_deletable(call, row, field)
    await call.store.annotations.delete([row.pk for _, row in doomed])
    return status_pb2.BaseResponse()
