"""PostApps, GetApp, ListApps, PatchApps, DeleteApp.

An app's base workflow (default_workflow, or the deprecated
default_workflow_id) names a workflow of the app or of clarifai/main: one
naming neither is refused (WORKFLOW_DOES_NOT_EXIST). A new app has no
workflows yet, so PostApps takes clarifai/main's; PatchApps may name the
app's own too, and a change of it reindexes the app's inputs."""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import ids, indexing, patch, workflows
from server.auth import ME
from server.checks import Checks
from server.convert import from_struct, request_json
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, not_found
from server.wire.apps import app_proto
from storage.apps import scope_of

check = Checks(Code.CONN_INVALID_REQUEST)

# Overwrite sets the fields sent (metadata replaced whole); remove removes
# from metadata and clears description and notes when they are sent.
SPEC = patch.Spec(
    "apps",
    (patch.OVERWRITE, patch.REMOVE),
    trees=frozenset({"metadata_"}),
    clearable=frozenset({"description", "notes"}),
)
_PLAIN_FIELDS = ("name", "description", "notes", "default_language", "sample_ms")
_SORTS = {
    "sort_by_name": "name",
    "sort_by_modified_at": "modified_at",
    "sort_by_created_at": "created_at",
    "sort_by_id": "id",
}


def _new_app(call: Call, sent: resources_pb2.App, app_id: str, n: int) -> dict[str, Any]:
    # check.new_ids checks the characters; app ids are also shorter than others.
    ids.check_app_length(app_id, f"apps[{n}].id", check.invalid_code)
    if sent.user_id not in ("", ME, call.user_id):
        # Apps are made for the caller; other users are as invisible here as
        # they are to the user_app_id the dispatcher checks.
        raise not_found("user", sent.user_id, f"apps[{n}].user_id")
    return {
        "id": app_id,
        "name": sent.name or app_id,
        "description": sent.description,
        "notes": sent.notes,
        "default_language": sent.default_language or "en",
        "sample_ms": sent.sample_ms,
        "visibility": check.visibility(sent.visibility.gettable, f"apps[{n}].visibility"),
        "metadata_": from_struct(sent.metadata, f"apps[{n}].metadata"),
        # Kept as sent; server/indexing.py runs the base workflow it names.
        "default_workflow_id": sent.default_workflow_id,
        "default_workflow": request_json(
            sent.default_workflow, f"apps[{n}].default_workflow", check.invalid_code
        )
        if sent.HasField("default_workflow")
        else None,
    }


async def _check_base(call: Call, app: Any, sent: resources_pb2.App, n: int) -> None:
    """The base workflow the app names exists (in it, or in clarifai/main)."""
    if sent.HasField("default_workflow") or sent.default_workflow_id:
        field = (
            "default_workflow.id" if sent.HasField("default_workflow") else "default_workflow_id"
        )
        await workflows.find(call.store.of(scope_of(app)), app, "", f"apps[{n}].{field}")


@rpc
async def PostApps(call: Call, request: service_pb2.PostAppsRequest):
    check.batch(request.apps, "apps")
    app_ids = check.new_ids((a.id for a in request.apps), "apps")
    sent = zip(request.apps, app_ids, strict=True)
    values = [_new_app(call, app, app_id, n) for n, (app, app_id) in enumerate(sent)]
    made = await call.store.apps.create(values)
    check.none_taken(app_ids, made, "app", "apps[{n}].id")
    for n, app in enumerate(made.values()):
        await _check_base(call, app, request.apps[n], n)
    return service_pb2.MultiAppResponse(apps=[app_proto(a) for a in made.values()])


@rpc
async def GetApp(call: Call, request: service_pb2.GetAppRequest):
    return service_pb2.SingleAppResponse(app=app_proto(call.app_row))


@rpc
async def ListApps(call: Call, request: service_pb2.ListAppsRequest):
    rows = await call.store.apps.page(
        page_of(request),
        sort=_SORTS.get(request.WhichOneof("sort_by") or "", "modified_at"),
        descending=not request.sort_ascending,
        name=request.name,
        app_id=request.id,
    )
    return service_pb2.MultiAppResponse(apps=[app_proto(a) for a in rows])


def _sent(sent: resources_pb2.App, n: int) -> dict[str, Any]:
    """The fields a patch sends: plain ones when not empty, visibility and
    metadata when present."""
    out: dict[str, Any] = {f: getattr(sent, f) for f in _PLAIN_FIELDS if getattr(sent, f)}
    if sent.HasField("visibility"):
        out["visibility"] = sent.visibility.gettable
    if sent.HasField("metadata"):
        out["metadata_"] = from_struct(sent.metadata, f"apps[{n}].metadata")
    # The base workflow, by either field: the one sent replaces both.
    if sent.default_workflow_id:
        out.update(default_workflow_id=sent.default_workflow_id, default_workflow=None)
    if sent.HasField("default_workflow"):
        out["default_workflow"] = request_json(
            sent.default_workflow, f"apps[{n}].default_workflow", check.invalid_code
        )
        out["default_workflow_id"] = sent.default_workflow.id
    return out


@rpc
async def PatchApps(call: Call, request: service_pb2.PatchAppsRequest):
    SPEC.check(request.action)
    check.batch(request.apps, "apps")
    stored = await call.store.apps.get_many(a.id for a in request.apps)
    patched = []
    for n, sent in enumerate(request.apps):
        app = stored.get(check.required(sent.id, f"apps[{n}].id"))
        if app is None:
            raise not_found("app", f"{call.user_id}/{sent.id}")
        changes = patch.apply(request.action, {"metadata_": app.metadata_}, _sent(sent, n), SPEC)
        if "visibility" in changes:
            # Checked only when it is set: remove leaves visibility alone.
            changes["visibility"] = check.visibility(changes["visibility"], f"apps[{n}].visibility")
        before = workflows.base_workflow_id(app)
        patched.append(await call.store.apps.update(app, changes))
        if workflows.base_workflow_id(patched[-1]) != before:  # its inputs are indexed anew
            await _check_base(call, patched[-1], sent, n)
            await call.enqueue(indexing.REINDEX, [{}], app=scope_of(patched[-1]))
    return service_pb2.MultiAppResponse(apps=[app_proto(a) for a in patched])


@rpc
async def DeleteApp(call: Call, request: service_pb2.DeleteAppRequest):
    if not call.access.is_owner:
        raise ApiError(Code.CONN_INSUFFICIENT_SCOPES, "only the app's owner may delete it")
    app_pk = call.app.pk
    await call.store.apps.delete(call.app)
    call.after_commit(lambda: call.blobs.delete_app(app_pk))
    return status_pb2.BaseResponse()
