"""Workflows: PostWorkflows, GetWorkflow, ListWorkflows, PatchWorkflows,
PatchWorkflowIds, DeleteWorkflow, DeleteWorkflows.

A workflow is shown with its latest version's nodes, in the order they run
(server/workflows.py makes and reads graphs; server/domain/workflow_graph.py
holds the graph's rules). PostWorkflows makes each workflow's first
version; PatchWorkflows makes a new one when the nodes it leaves differ
from the latest's (the other fields are the workflow's own, patched in
place). Writes are atomic: the first invalid item fails the call.

PatchWorkflows' nodes follow the Patching page's id lists: merge patches
the nodes with the ids sent (a node's model, when sent, replaces its
model) and adds the others, overwrite sends the whole graph, remove drops
the nodes whose ids are sent. GetWorkflow without an id is the app's base
workflow; a workflow id the app lacks is looked up in clarifai/main, whose
built-in workflows every caller reads. ListWorkflows lists one app's
workflows (name `clarifai`/`main` for those); a list without an app is
refused. A workflow that is its app's base workflow is not deleted nor renamed;
a new version of it reindexes the app's inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from google.protobuf import json_format

from server import indexing, patch, renames, workflows
from server.checks import Checks
from server.convert import from_struct
from server.dispatch import Call
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.status import Code
from server.wire import workflows as wire
from storage.workflows import WorkflowFilter

check = Checks(Code.WORKFLOW_INVALID_REQUEST, Code.WORKFLOW_DOES_NOT_EXIST)
SPEC = patch.Spec(
    "workflows",
    patch.ACTIONS,
    trees=frozenset({"metadata"}),
    clearable=frozenset({"description", "notes"}),
)
IDS_SPEC = patch.Spec("workflow ids", (patch.OVERWRITE,))
LISTS = ("use_cases", "check_consents")
SORTS = {"sort_by_id": "id", "sort_by_created_at": "created_at"}


async def _shown(call: Call, rows: Sequence[Any]) -> list[resources_pb2.Workflow]:
    """The workflows, each with its latest version."""
    latest = await call.store.workflow_versions.latest(rows)
    graphs = await workflows.graphs(call.store, {r.pk: r for r in rows}, list(latest.values()))
    by_pk = {g.workflow.pk: g for g in graphs}
    return [wire.workflow(by_pk[r.pk]) for r in rows]


def _settings(sent: resources_pb2.Workflow, field: str) -> dict[str, Any]:
    """The values of a workflow's own fields that were sent."""
    out: dict[str, Any] = {
        n: getattr(sent, n) for n in ("description", "notes") if getattr(sent, n)
    }
    out.update({n: list(dict.fromkeys(getattr(sent, n))) for n in LISTS if getattr(sent, n)})
    if sent.HasField("metadata"):
        out["metadata"] = from_struct(sent.metadata, f"{field}.metadata", check.invalid_code)
    if sent.HasField("visibility"):
        out["visibility"] = check.visibility(sent.visibility.gettable, f"{field}.visibility")
    return out


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    return {("metadata_" if k == "metadata" else k): v for k, v in values.items()}


# ---- PostWorkflows ----


@rpc
async def PostWorkflows(call: Call, request: service_pb2.PostWorkflowsRequest):
    check.batch(request.workflows, "workflows")
    ids = check.new_ids((w.id for w in request.workflows), "workflows")
    graphs = [
        await workflows.from_request(call.store, w.nodes, f"workflows[{n}].nodes")
        for n, w in enumerate(request.workflows)
    ]
    values = [
        {**_columns(_settings(w, f"workflows[{n}]")), "id": i}
        for n, (w, i) in enumerate(zip(request.workflows, ids, strict=True))
    ]
    made = await call.store.workflows.create(values)
    check.none_taken(ids, made, "workflow", "workflows[{n}].id")
    for workflow_id, nodes in zip(ids, graphs, strict=True):
        await _new_version(call, made[workflow_id], nodes)
    return service_pb2.MultiWorkflowResponse(workflows=await _shown(call, list(made.values())))


async def _new_version(call: Call, row: Any, nodes: list[dict[str, Any]]) -> None:
    values = {"id": new_id(), "nodes": nodes, "user_id": call.user_id}
    await call.store.workflow_versions.add(row, values)


# ---- reading ----


@rpc
async def GetWorkflow(call: Call, request: service_pb2.GetWorkflowRequest):
    row = await workflows.find(call.store, call.app_row, request.workflow_id)
    graph = await workflows.latest(call.store, row)
    return service_pb2.SingleWorkflowResponse(workflow=wire.workflow(graph))


@rpc
async def ListWorkflows(call: Call, request: service_pb2.ListWorkflowsRequest):
    sort = SORTS.get(request.WhichOneof("sort_by") or "", "modified_at")
    found = WorkflowFilter(
        visibility=check.visibility(request.visibility.gettable, "visibility.gettable")
        if request.visibility.gettable
        else 0,
        search=request.search or request.query or request.search_term,
        id_pattern=request.id,
    )
    rows = await call.store.workflows.page(
        page_of(request), found, sort, not request.sort_ascending
    )
    return service_pb2.MultiWorkflowResponse(workflows=await _shown(call, rows))


# ---- patching ----


def _patched_nodes(
    action: str, graph: workflows.Graph, sent: Sequence[resources_pb2.WorkflowNode]
) -> list[resources_pb2.WorkflowNode]:
    """The graph's nodes after `action` with the nodes sent (their sent form)."""
    stored = [n.sent_form() for n in graph.nodes]
    given = [json_format.MessageToDict(n, preserving_proto_field_name=True) for n in sent]
    if action == patch.OVERWRITE:
        return list(sent)
    if action == patch.REMOVE:
        return workflows.parse_nodes(patch.remove({"nodes": stored}, {"nodes": given})["nodes"])
    replaced = {g["id"] for g in given if "model" in g and "id" in g}
    for node in stored:
        if node["id"] in replaced:
            del node["model"]
    return workflows.parse_nodes(patch.merge(stored, given))


def _graph_key(nodes: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What makes two versions' graphs the same (not the ids models had)."""
    keys = ("id", "version_pk", "node_inputs", "suppress_output", "output_info_override")
    return [tuple(repr(n.get(k)) for k in keys) for n in nodes]


async def _patch_one(call: Call, action: str, row: Any, sent: resources_pb2.Workflow, n: int):
    field = f"workflows[{n}]"
    values = _settings(sent, field)
    lists = {k: values.pop(k) for k in LISTS if k in values}
    stored = wire.values(row)
    changes = patch.apply(action, stored, values, SPEC)
    changes.update({k: patch.list_values(action, stored[k], v) for k, v in lists.items()})
    if sent.nodes:
        graph = await workflows.latest(call.store, row)
        nodes = _patched_nodes(action, graph, sent.nodes)
        made = await workflows.from_request(call.store, nodes, f"{field}.nodes")
        if _graph_key(made) != _graph_key(graph.version.nodes):
            await _new_version(call, row, made)
            if row.id == workflows.base_workflow_id(call.app_row):  # indexed anew
                await call.enqueue(indexing.REINDEX, [{}])
    return await call.store.workflows.update(row, _columns(changes))


@rpc
async def PatchWorkflows(call: Call, request: service_pb2.PatchWorkflowsRequest):
    action = SPEC.check(request.action)
    check.batch(request.workflows, "workflows")
    ids = check.ids([w.id for w in request.workflows], "workflows[{n}].id")
    stored = await call.store.workflows.get_many(ids, lock=True)
    check.all_known(ids, stored, "workflow", "workflows[{n}].id")
    rows = [
        await _patch_one(call, action, stored[w.id], w, n) for n, w in enumerate(request.workflows)
    ]
    return service_pb2.MultiWorkflowResponse(workflows=await _shown(call, rows))


@rpc
async def PatchWorkflowIds(call: Call, request: service_pb2.PatchWorkflowIdsRequest):
    IDS_SPEC.check(request.action)
    store = call.store.workflows
    olds, news, stored = await renames.checked(check, request.ids, store, "workflow")
    await _refuse_base(call, olds, "ids[{n}].id", "renamed")
    rows = await renames.renamed(store, [stored[o] for o in olds], news)
    return service_pb2.MultiWorkflowResponse(workflows=await _shown(call, rows))


# ---- deleting ----


async def _refuse_base(call: Call, ids: Sequence[str], at: str, what: str) -> None:
    """The app's base workflow stays while the app names it (its inputs are
    indexed by it)."""
    base = workflows.base_workflow_id(call.app_row)
    if base in ids:
        raise check.invalid(
            f"{at.format(n=list(ids).index(base))}: workflow '{base}' is the app's base "
            f"workflow and cannot be {what}; give the app another default_workflow first"
        )


@rpc
async def DeleteWorkflow(call: Call, request: service_pb2.DeleteWorkflowRequest):
    workflow_id = check.required(request.workflow_id, "workflow_id")
    row = check.found(await call.store.workflows.get(workflow_id), "workflow", workflow_id)
    await _refuse_base(call, [row.id], "workflow_id", "deleted")
    await call.store.workflows.delete([row.id])
    return status_pb2.BaseResponse()


@rpc
async def DeleteWorkflows(call: Call, request: service_pb2.DeleteWorkflowsRequest):
    sent = check.ids_or_all(request.ids, request.delete_all)
    if sent is None:
        kept = workflows.base_workflow_id(call.app_row)
        await call.store.workflows.delete(None, keep=kept)
        return status_pb2.BaseResponse()
    ids = check.ids(sent, "ids[{n}]")
    found = await call.store.workflows.existing_ids(ids)
    check.all_known(ids, found, "workflow", "ids[{n}]")
    await _refuse_base(call, ids, "ids[{n}]", "deleted")
    await call.store.workflows.delete(ids)
    return status_pb2.BaseResponse()
