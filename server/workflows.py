"""A workflow's graph: made from a request's nodes (checked, each model
found and pinned to a version, the nodes put in run order) and read back
from a stored version with each node's model as it is now.

A node's model is one of the workflow's app, or of clarifai/main (model
user_id "clarifai", app_id "main"). Without model_version.id a node runs
the model's newest trained version when the workflow is made, pinned from
then on (a new model version changes no workflow). A node whose model
version was deleted since leaves its workflow version deprecated: shown
with the ids it had, refused when run.

The workflow a call names (`find`) is the app's own, else clarifai/main's
of that id (its built-in workflows, readable by every caller); no id names
the app's base workflow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server import main_app, model_types
from server.checks import Checks
from server.convert import request_json
from server.domain import workflow_graph as graph_rules
from server.status import ApiError, Code
from server.wire import models as models_wire
from storage import workflows as workflow_store
from storage.apps import App, AppScope
from storage.models import Model, ModelVersion
from storage.workflows import Workflow, WorkflowVersion

if TYPE_CHECKING:
    from storage.store import Store

check = Checks(Code.WORKFLOW_INVALID_REQUEST, Code.WORKFLOW_DOES_NOT_EXIST)
MAIN = (main_app.USER_ID, main_app.APP_ID)
MEDIA = frozenset({"image", "video", "text"})


@dataclass(frozen=True)
class NodeModel:
    """A node's model version, with the app it belongs to."""

    model: Model
    version: ModelVersion
    app: AppScope

    @property
    def spec(self) -> model_types.ModelTypeSpec | None:
        return model_types.get(self.model.model_type_id)

    def rule_node(self, node_id: str, inputs: tuple[str, ...]) -> graph_rules.Node:
        spec = self.spec
        takes = spec.input_fields if spec else (graph_rules.ANY,)
        return graph_rules.Node(
            id=node_id,
            inputs=inputs,
            takes=takes,
            gives=spec.output_fields if spec else (graph_rules.ANY,),
            follows_embedder=bool(spec and spec.embedder),
        )

    def media(self) -> frozenset[str]:
        """The media kinds the model reads (an image model reads videos'
        frames too); empty for models of data (operators)."""
        takes = MEDIA.intersection(self.spec.input_fields if self.spec else ())
        return frozenset(takes | ({"video"} if "image" in takes else set()))

    def proto(self) -> resources_pb2.Model:
        return models_wire.model(self.model, self.version, self.app)


@dataclass(frozen=True)
class Node:
    """One node of a stored version: `found` is None once its model version
    is deleted."""

    id: str
    inputs: tuple[str, ...]
    suppress: bool
    override: resources_pb2.OutputInfo
    found: NodeModel | None
    stored: dict[str, Any] = field(repr=False)

    def model_proto(self) -> resources_pb2.Model:
        if self.found is not None:
            return self.found.proto()
        made = self.stored["model"]
        return resources_pb2.Model(
            id=made["id"],
            user_id=made["user_id"],
            app_id=made["app_id"],
            model_version=resources_pb2.ModelVersion(id=made["version_id"]),
        )

    def proto(self) -> resources_pb2.WorkflowNode:
        out = resources_pb2.WorkflowNode(
            id=self.id,
            model=self.model_proto(),
            node_inputs=[resources_pb2.NodeInput(node_id=i) for i in self.inputs],
            suppress_output=self.suppress,
        )
        if self.stored.get("output_info_override"):
            out.output_info_override.CopyFrom(self.override)
        return out

    def sent_form(self) -> dict[str, Any]:
        """The node as a request would send it (JSON), for PatchWorkflows' merges."""
        return json_format.MessageToDict(
            resources_pb2.WorkflowNode(
                id=self.id,
                model=_reference(self.model_proto()),
                node_inputs=[resources_pb2.NodeInput(node_id=i) for i in self.inputs],
                suppress_output=self.suppress,
                output_info_override=self.override,
            ),
            preserving_proto_field_name=True,
        )


def _reference(model: resources_pb2.Model) -> resources_pb2.Model:
    return resources_pb2.Model(
        id=model.id,
        user_id=model.user_id,
        app_id=model.app_id,
        model_version=resources_pb2.ModelVersion(id=model.model_version.id),
    )


@dataclass(frozen=True)
class Graph:
    """A workflow version's nodes, in run order."""

    workflow: Workflow
    version: WorkflowVersion
    app: AppScope
    nodes: tuple[Node, ...]

    @property
    def deprecated(self) -> bool:
        return any(n.found is None for n in self.nodes)

    def node_protos(self) -> list[resources_pb2.WorkflowNode]:
        return [n.proto() for n in self.nodes]


# ---- reading stored versions ----


async def graphs(
    store: Store, workflows: dict[int, Workflow], versions: Sequence[WorkflowVersion]
) -> list[Graph]:
    """Stored versions (of `workflows`, by pk) as graphs; node models read
    in two statements whatever the number of nodes."""
    pks = {n["version_pk"] for v in versions for n in v.nodes}
    found = await _node_models(store, pks)
    return [
        Graph(
            workflow=workflows[v.workflow_pk],
            version=v,
            app=store.workflows.app,
            nodes=tuple(_node(n, found.get(n["version_pk"])) for n in v.nodes),
        )
        for v in versions
    ]


async def _node_models(store: Store, pks: set[int]) -> dict[int, NodeModel]:
    own = await store.model_versions.with_models(sorted(pks))
    found = {pk: NodeModel(m, v, store.model_versions.app) for pk, (m, v) in own.items()}
    if rest := pks - found.keys():
        main = await store.main()
        theirs = await main.model_versions.with_models(sorted(rest))
        found.update(
            {pk: NodeModel(m, v, main.model_versions.app) for pk, (m, v) in theirs.items()}
        )
    return found


def _node(stored: dict[str, Any], found: NodeModel | None) -> Node:
    override = resources_pb2.OutputInfo()
    json_format.ParseDict(
        stored.get("output_info_override") or {}, override, ignore_unknown_fields=True
    )
    return Node(
        id=stored["id"],
        inputs=tuple(stored.get("node_inputs") or ()),
        suppress=bool(stored.get("suppress_output")),
        override=override,
        found=found,
        stored=stored,
    )


async def find(store: Store, app: App, workflow_id: str, field: str = "workflow_id") -> Workflow:
    """The workflow a call names: the app's, else clarifai/main's of that
    id; no id names the app's base workflow."""
    wanted = workflow_id or base_workflow_id(app)
    found = await store.workflows.get(wanted)
    if found is None and (app.user_id, app.id) != MAIN:
        found = await (await store.main()).workflows.get(wanted)
    if found is None:
        where = f"{app.user_id}/{app.id}"
        raise ApiError(
            Code.WORKFLOW_DOES_NOT_EXIST,
            f"{field}: workflow '{wanted}' not found in {where} nor in clarifai/main",
        )
    return found


def base_workflow_id(app: App) -> str:
    """The workflow an app names as its base (PostApps' default_workflow,
    else the older default_workflow_id; Universal for none)."""
    sent = (app.default_workflow or {}).get("id") or app.default_workflow_id
    return sent or main_app.DEFAULT_WORKFLOW


async def owner(store: Store, workflow: Workflow) -> Store:
    """The storage of the workflow's own app (the call's, or clarifai/main's)."""
    return store if workflow.app_pk == store.workflows.app.pk else await store.main()


async def latest(
    store: Store, workflow: Workflow, version_id: str = "", field: str = "version_id"
) -> Graph:
    """The workflow's version `version_id` (its newest without one) as a graph."""
    mine = await owner(store, workflow)
    if version_id:
        found = (await mine.workflow_versions.of(workflow, [version_id])).get(version_id)
        if found is None:
            raise ApiError(
                Code.WORKFLOW_DOES_NOT_EXIST,
                f"{field}: workflow '{workflow.id}' has no version '{version_id}'",
            )
    else:
        found = (await mine.workflow_versions.latest([workflow]))[workflow.pk]
    [graph] = await graphs(mine, {workflow.pk: workflow}, [found])
    return graph


# ---- making a graph from a request ----


async def from_request(
    store: Store, sent: Sequence[resources_pb2.WorkflowNode], field: str
) -> list[dict[str, Any]]:
    """The nodes a request sent, checked, as a version stores them: in run
    order, each model pinned to a trained version."""
    ids = [check.id(n.id, f"{field}[{k}].id") for k, n in enumerate(sent)]
    inputs = [tuple(i.node_id for i in n.node_inputs) for n in sent]
    shape = [graph_rules.Node(i, ins, (), ()) for i, ins in zip(ids, inputs, strict=True)]
    graph_rules.check_shape(shape, field)
    order = graph_rules.run_order(shape, field)
    models = [await model_of(store, n.model, f"{field}[{k}].model") for k, n in enumerate(sent)]
    rules = [m.rule_node(i, ins) for m, i, ins in zip(models, ids, inputs, strict=True)]
    graph_rules.check_types(rules, order, field)
    return [_stored(sent[k], models[k], f"{field}[{k}]") for k in order]


async def model_of(
    store: Store,
    sent: resources_pb2.Model,
    field: str,
    untrained: int = Code.WORKFLOW_REQUIRE_TRAINED_MODEL,
) -> NodeModel:
    """The model a node (or an auto-annotating task's worker) names: of the
    app, else (its user_id and app_id left empty, as the docs' examples do,
    or naming it) clarifai/main's; its version `model_version.id`, else its
    newest trained one. A version that is not trained is refused with
    `untrained`."""
    model_id = check.required(sent.id, f"{field}.id")
    for source in await _sources(store, sent.user_id, sent.app_id):
        model = await source.models.get(model_id)
        if model is not None:
            version = await _version(source, model, sent.model_version.id, field, untrained)
            return NodeModel(model, version, source.models.app)
    here = store.models.app
    raise ApiError(
        Code.MODEL_DOES_NOT_EXIST,
        f"{field}.id: model '{model_id}' is not a model of {here.user_id}/{here.id} "
        "nor of clarifai/main",
    )


async def _sources(store: Store, user_id: str, app_id: str) -> list[Store]:
    here = store.models.app
    found = []
    if user_id in ("", here.user_id) and app_id in ("", here.id):
        found.append(store)
    if user_id in ("", MAIN[0]) and app_id in ("", MAIN[1]) and (here.user_id, here.id) != MAIN:
        found.append(await store.main())
    return found


async def _version(
    store: Store, model: Model, version_id: str, field: str, untrained: int
) -> ModelVersion:
    if version_id:
        version = await store.model_versions.of(model, version_id)
        if version is None:
            raise ApiError(
                Code.MODEL_DOES_NOT_EXIST,
                f"{field}.model_version.id: model '{model.id}' has no version '{version_id}'",
            )
    else:
        version = (await store.models.latest_versions([model], trained=True)).get(model.pk)
        if version is None:
            raise ApiError(
                untrained,
                f"{field}: model '{model.id}' has no trained version",
            )
    if version.status_code != Code.MODEL_TRAINED:
        raise ApiError(
            untrained,
            f"{field}.model_version.id: model '{model.id}' version '{version.id}' is not trained",
        )
    return version


def _stored(sent: resources_pb2.WorkflowNode, found: NodeModel, field: str) -> dict[str, Any]:
    # Only data and params of an override mean anything (the reference
    # ignores fields_map, message and output_config there).
    override = resources_pb2.OutputInfo(
        data=sent.output_info_override.data, params=sent.output_info_override.params
    )
    return workflow_store.node(
        sent.id,
        found.model,
        found.version,
        found.app,
        [i.node_id for i in sent.node_inputs],
        suppress_output=sent.suppress_output,
        output_info_override=(
            request_json(override, f"{field}.output_info_override", check.invalid_code)
            if override.ByteSize()
            else {}
        ),
    )


def parse_nodes(nodes: Sequence[dict[str, Any]]) -> list[resources_pb2.WorkflowNode]:
    """Nodes in their sent form (JSON) as messages."""
    return [
        json_format.ParseDict(n, resources_pb2.WorkflowNode(), ignore_unknown_fields=True)
        for n in nodes
    ]
