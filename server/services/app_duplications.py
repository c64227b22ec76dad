"""PostAppDuplications, GetAppDuplication, ListAppDuplications.

PostAppDuplications (on the source app) checks each duplication, makes the
destination app when a new one is asked, records the duplication
(APP_DUPLICATION_PENDING) and queues its job (server/duplication.py); the
caller polls GetAppDuplication for its status (IN_PROGRESS, then SUCCESS
or FAILED) and per-resource progress. Duplications are the caller's own:
Get and List show only theirs.

The destination, as the reference reads it: `existing_app_id` names an
existing app (refused when missing); else `destination_app.id` names one of
the caller's apps to copy into, or the new app to make (with
destination_app.description); else `new_app_id` (and `new_app_name`) name
a new app, refused when the id is taken; with none of them a new app gets
a generated id. A new app takes the source's settings (language, base
workflow, notes, metadata), private. An existing app of another user is
a destination only when it is shared with the caller.

The filter follows the reference's rules: copy_inputs needs copy_concepts,
copy_annotations needs copy_inputs and copy_concepts, copy_models needs
copy_concepts. Without a filter everything is copied. The caller's key
must hold the scopes to read what is copied in the source and to write it
in the destination (and Apps_Add for a new app). Every refusal names the
field and writes nothing: the batch is atomic.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2

from server import duplication, ids
from server.auth import ME, Grant
from server.checks import Checks
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, not_found
from server.wire.app_duplications import duplication_proto

check = Checks(Code.APP_DUPLICATION_INVALID_REQUEST)

FLAGS = ("copy_inputs", "copy_concepts", "copy_annotations", "copy_models", "copy_workflows")
# Each flag and the flags it needs (the reference's AppDuplicationFilters).
_REQUIRES = {
    "copy_inputs": ("copy_concepts",),
    "copy_annotations": ("copy_inputs", "copy_concepts"),
    "copy_models": ("copy_concepts",),
}
# The scopes reading (in the source) and writing (in the destination) what
# each flag copies.
_READ = {
    "copy_inputs": ("Inputs_Get", "Datasets_Get"),
    "copy_concepts": ("Concepts_Get",),
    "copy_annotations": ("Annotations_Get",),
    "copy_models": ("Models_Get",),
    "copy_workflows": ("Workflows_Get",),
}
_WRITE = {
    "copy_inputs": ("Inputs_Add", "Datasets_Add"),
    "copy_concepts": ("Concepts_Add",),
    "copy_annotations": ("Annotations_Add",),
    "copy_models": ("Models_Add",),
    "copy_workflows": ("Workflows_Add",),
}
# Progress fields per flag (the reference's names).
_PROGRESS = {
    "copy_inputs": "inputs",
    "copy_concepts": "concepts",
    "copy_annotations": "annotations",
    "copy_models": "models",
    "copy_workflows": "workflows",
}


def _flags(sent: resources_pb2.AppDuplication, at: str) -> dict[str, bool]:
    if not sent.HasField("filter"):
        return dict.fromkeys(FLAGS, True)
    flags = {f: getattr(sent.filter, f) for f in FLAGS}
    for flag, needs in _REQUIRES.items():
        for need in needs:
            if flags[flag] and not flags[need]:
                raise check.invalid(f"{at}.filter.{flag} requires {at}.filter.{need}")
    return flags


class _Target:
    """Where one duplication writes: an existing app, or a new one to make."""

    def __init__(self, existing: Any, new_id: str, name: str, description: str) -> None:
        self.existing = existing
        self.new_id = new_id
        self.name = name
        self.description = description


async def _app_of(call: Call, user_id: str, app_id: str) -> Any:
    return await call.store.named_app(user_id, app_id)


def _new_app_id(app_id: str, field: str) -> str:
    return ids.check_app_length(app_id, field, check.invalid_code)


async def _target(call: Call, sent: resources_pb2.AppDuplication, at: str) -> _Target:
    dest = sent.destination_app
    new_fields = bool(sent.new_app_id or sent.new_app_name)
    if sent.existing_app_id and new_fields:
        raise check.invalid(f"{at}: existing_app_id cannot go with new_app_id or new_app_name")
    if sent.existing_app_id and dest.id and dest.id != sent.existing_app_id:
        raise check.invalid(f"{at}: destination_app.id and existing_app_id name different apps")
    if dest.id and new_fields:
        raise check.invalid(f"{at}: destination_app cannot go with new_app_id or new_app_name")
    user_id = call.user_id if dest.user_id in ("", ME) else dest.user_id
    if sent.existing_app_id or dest.id:
        field = f"{at}.existing_app_id" if sent.existing_app_id else f"{at}.destination_app.id"
        app_id = check.id(sent.existing_app_id or dest.id, field)
        found = await _app_of(call, user_id, app_id)
        if found is not None:
            return _Target(found, "", "", "")
        if sent.existing_app_id:
            raise not_found("app", f"{user_id}/{app_id}", field)
        if user_id != call.user_id:
            # A new app is made for the caller only; another user's missing
            # app is as invisible as any of theirs.
            raise not_found("app", f"{user_id}/{app_id}", f"{at}.destination_app.user_id")
        return _Target(None, _new_app_id(app_id, field), app_id, dest.description)
    if user_id != call.user_id:
        raise not_found("user", user_id, f"{at}.destination_app.user_id")
    app_id = _new_app_id(
        ids.id_or_new(sent.new_app_id, f"{at}.new_app_id", check.invalid_code), f"{at}.new_app_id"
    )
    if sent.new_app_id and await _app_of(call, user_id, app_id) is not None:
        raise ApiError(
            Code.APP_DUPLICATION_INVALID_REQUEST,
            f"{at}.new_app_id: app '{user_id}/{app_id}' already exists; "
            "name it in destination_app.id to copy into it",
        )
    return _Target(None, app_id, sent.new_app_name or app_id, dest.description)


async def _dest_grant(call: Call, app: Any, field: str) -> Grant | None:
    """What the caller holds in another user's app: a collaborator's grant
    (None for their own app); such an app is invisible otherwise."""
    if app.user_id == call.user_id:
        return None
    shared = await call.store.app_duplications.shared_grant(app)
    if shared is None:
        raise not_found("app", f"{app.user_id}/{app.id}", field)
    return Grant.of(shared.scopes, shared.endpoints)


def _need(holds: Any, scopes: list[str], where: str) -> None:
    missing = [s for s in scopes if not holds(s)]
    if missing:
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES,
            f"duplicating needs the scopes {', '.join(missing)} {where}",
        )


async def _check_access(call: Call, flags: dict[str, bool], target: _Target, at: str) -> None:
    wanted = [f for f in FLAGS if flags[f]]
    _need(call.access.holds, [s for f in wanted for s in _READ[f]], "in the source app")
    write = [s for f in wanted for s in _WRITE[f]]
    if target.existing is None:
        _need(call.caller.grant.holds, ["Apps_Add", *write], "to make and fill a new app")
        return
    if target.existing.pk == call.app.pk:
        raise check.invalid(f"{at}.destination_app: the destination is the source app itself")
    shared = await _dest_grant(call, target.existing, f"{at}.destination_app.id")
    _need(call.caller.grant.holds, write, "in the destination app")
    if shared is not None:
        _need(shared.holds, write, "in the destination app shared with you")


async def _make_app(call: Call, target: _Target) -> Any:
    source = call.app_row
    values = {
        "id": target.new_id,
        "name": target.name,
        "description": target.description or source.description,
        "notes": source.notes,
        "default_language": source.default_language,
        "sample_ms": source.sample_ms,
        "metadata_": source.metadata_,
        "default_workflow_id": source.default_workflow_id,
        "default_workflow": source.default_workflow,
    }
    made = await call.store.apps.create([values])
    if target.new_id not in made:  # made meanwhile by another call
        raise ApiError(
            Code.APP_DUPLICATION_INVALID_REQUEST,
            f"destination app '{call.user_id}/{target.new_id}' already exists",
        )
    return made[target.new_id]


@rpc
async def PostAppDuplications(call: Call, request: service_pb2.PostAppDuplicationsRequest):
    check.batch(request.app_duplications, "app_duplications")
    dup_ids = check.new_ids((d.id for d in request.app_duplications), "app_duplications")
    planned = []
    for n, sent in enumerate(request.app_duplications):
        at = f"app_duplications[{n}]"
        flags = _flags(sent, at)
        target = await _target(call, sent, at)
        await _check_access(call, flags, target, at)
        planned.append((flags, target))
    new_ids = [t.new_id for _, t in planned if t.new_id]
    check.each_once(new_ids, "app_duplications[{n}] new app id")
    taken = {d.id for d in await call.store.app_duplications.get_many(dup_ids)}
    free = [i for i in dup_ids if i not in taken]
    check.none_taken(dup_ids, free, "duplication", "app_duplications[{n}].id")
    rows: list[Any] = []
    for dup_id, (flags, target) in zip(dup_ids, planned, strict=True):
        dest = target.existing or await _make_app(call, target)
        row = await call.store.app_duplications.add(
            {
                "id": dup_id,
                "source_app_pk": call.app.pk,
                "dest_app_pk": dest.pk,
                "dest_user_id": dest.user_id,
                "dest_app_id": dest.id,
                "new_app": target.existing is None,
                "filter": flags,
                "progress": {_PROGRESS[f]: 0 for f in FLAGS if flags[f]},
                "stage": duplication.first_stage(flags),
            }
        )
        rows.append(row)
        await call.enqueue(duplication.KIND, [{"duplication_pk": row.pk}])
    return service_pb2.MultiAppDuplicationsResponse(app_duplications=await _shown(call, rows))


async def _shown(call: Call, rows: list[Any]) -> list[resources_pb2.AppDuplication]:
    apps = await call.store.app_duplications.apps(rows)
    return [
        duplication_proto(r, apps.get(r.dest_app_pk) if r.dest_app_pk is not None else None)
        for r in rows
    ]


@rpc
async def GetAppDuplication(call: Call, request: service_pb2.GetAppDuplicationRequest):
    check.id(request.app_duplication_id, "app_duplication_id")
    row = await call.store.app_duplications.get(request.app_duplication_id)
    row = check.found(row, "app duplication", request.app_duplication_id)
    (shown,) = await _shown(call, [row])
    return service_pb2.SingleAppDuplicationResponse(app_duplication=shown)


@rpc
async def ListAppDuplications(call: Call, request: service_pb2.ListAppDuplicationsRequest):
    rows = await call.store.app_duplications.page(page_of(request))
    return service_pb2.MultiAppDuplicationsResponse(app_duplications=await _shown(call, rows))
