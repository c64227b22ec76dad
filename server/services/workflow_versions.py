"""Workflow versions: ListWorkflowVersions, GetWorkflowVersion,
PatchWorkflowVersions, DeleteWorkflowVersions, PostWorkflowVersionsPublish,
PostWorkflowVersionsUnPublish.

A version's graph never changes (PatchWorkflows makes a new version);
PatchWorkflowVersions sets its description, license, metadata and
visibility. A workflow keeps at least one version: deleting every one is
refused (DeleteWorkflow deletes the workflow). Publishing makes a version's
visibility PUBLIC, unpublishing PRIVATE; what a caller may read still
follows the app's visibility. Lists and gets read clarifai/main's built-in
workflows too; writes act on the app's own.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import indexing, patch, workflows
from server.checks import Checks
from server.convert import from_struct
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import Code
from server.wire import workflows as wire

check = Checks(Code.WORKFLOW_INVALID_REQUEST, Code.WORKFLOW_DOES_NOT_EXIST)
SPEC = patch.Spec(
    "workflow versions",
    patch.ACTIONS,
    trees=frozenset({"metadata"}),
    clearable=frozenset({"description", "license"}),
)
Visibility = resources_pb2.Visibility


async def _own(call: Call, workflow_id: str) -> Any:
    """A workflow of the app (the versions' writes act on it)."""
    check.required(workflow_id, "workflow_id")
    return check.found(await call.store.workflows.get(workflow_id), "workflow", workflow_id)


async def _readable(call: Call, workflow_id: str) -> Any:
    """A workflow of the app, or of clarifai/main (their versions are read)."""
    return await workflows.find(
        call.store, call.app_row, check.required(workflow_id, "workflow_id")
    )


async def _versions(call: Call, row: Any, ids: list[str], field: str, at: str) -> dict[str, Any]:
    """The workflow's versions with these ids (each given once, the n-th
    `at`), locked."""
    check.batch(ids, field)
    check.ids(ids, at)
    found = await call.store.workflow_versions.of(row, ids, lock=True)
    check.all_known(ids, found, f"version of workflow '{row.id}'", at)
    return found


@rpc
async def ListWorkflowVersions(call: Call, request: service_pb2.ListWorkflowVersionsRequest):
    row = await _readable(call, request.workflow_id)
    owner = await workflows.owner(call.store, row)
    rows = await owner.workflow_versions.page(row, page_of(request))
    graphs = await workflows.graphs(owner, {row.pk: row}, rows)
    return service_pb2.MultiWorkflowVersionResponse(
        workflow_versions=[wire.version(g) for g in graphs]
    )


@rpc
async def GetWorkflowVersion(call: Call, request: service_pb2.GetWorkflowVersionRequest):
    row = await _readable(call, request.workflow_id)
    version_id = check.required(request.workflow_version_id, "workflow_version_id")
    graph = await workflows.latest(call.store, row, version_id, "workflow_version_id")
    return service_pb2.SingleWorkflowVersionResponse(workflow_version=wire.version(graph))


def _sent(action: str, sent: resources_pb2.WorkflowVersion, field: str) -> dict[str, Any]:
    if sent.nodes:
        raise check.invalid(
            f"{field}.nodes: a version's nodes do not change; PatchWorkflows makes a new version"
        )
    out: dict[str, Any] = {
        n: getattr(sent, n) for n in ("description", "license") if getattr(sent, n)
    }
    if sent.HasField("metadata"):
        out["metadata"] = from_struct(sent.metadata, f"{field}.metadata", check.invalid_code)
    if action != patch.REMOVE and sent.HasField("visibility"):
        out["visibility"] = check.visibility(sent.visibility.gettable, f"{field}.visibility")
    return out


@rpc
async def PatchWorkflowVersions(call: Call, request: service_pb2.PatchWorkflowVersionsRequest):
    action = SPEC.check(request.action)
    row = await _own(call, request.workflow_id)
    field = "workflow_versions"
    ids = [v.id for v in request.workflow_versions]
    found = await _versions(call, row, ids, field, field + "[{n}].id")
    changes = [
        patch.apply(
            action, wire.version_values(found[v.id]), _sent(action, v, f"{field}[{n}]"), SPEC
        )
        for n, v in enumerate(request.workflow_versions)
    ]
    patched = [
        await call.store.workflow_versions.update(
            found[i], {("metadata_" if k == "metadata" else k): v for k, v in c.items()}
        )
        for i, c in zip(ids, changes, strict=True)
    ]
    graphs = await workflows.graphs(call.store, {row.pk: row}, patched)
    return service_pb2.MultiWorkflowVersionResponse(
        workflow_versions=[wire.version(g) for g in graphs]
    )


@rpc
async def DeleteWorkflowVersions(call: Call, request: service_pb2.DeleteWorkflowVersionsRequest):
    row = await _own(call, request.workflow_id)
    ids = list(request.workflow_version_ids)
    await _versions(call, row, ids, "workflow_version_ids", "workflow_version_ids[{n}]")
    if len(set(ids)) >= await call.store.workflow_versions.count(row):
        raise check.invalid(
            f"workflow_version_ids: workflow '{row.id}' keeps at least one version "
            "(DeleteWorkflow deletes the workflow)"
        )
    latest = (await call.store.workflow_versions.latest([row]))[row.pk]
    await call.store.workflow_versions.delete(row, ids)
    if latest.id in ids and row.id == workflows.base_workflow_id(call.app_row):
        await call.enqueue(indexing.REINDEX, [{}])  # an older graph indexes the app now
    return status_pb2.BaseResponse()


async def _publish(call: Call, request: Any, gettable: int) -> status_pb2.BaseResponse:
    row = await _own(call, request.workflow_id)
    ids = [p.version_id for p in request.publications]
    await _versions(call, row, ids, "publications", "publications[{n}].version_id")
    await call.store.workflow_versions.set_visibility(row, ids, gettable)
    return status_pb2.BaseResponse()


@rpc
async def PostWorkflowVersionsPublish(
    call: Call, request: service_pb2.PostWorkflowVersionsPublishRequest
):
    return await _publish(call, request, Visibility.PUBLIC)


@rpc
async def PostWorkflowVersionsUnPublish(
    call: Call, request: service_pb2.PostWorkflowVersionsUnPublishRequest
):
    return await _publish(call, request, Visibility.PRIVATE)
