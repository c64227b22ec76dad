"""Workflows: PostWorkflows (graphs checked: ids, inputs, cycles, models and
their versions, chained types, the node limit), GetWorkflow, ListWorkflows,
PatchWorkflows (a new version when the nodes change), PatchWorkflowIds,
DeleteWorkflow(s), and the versions' RPCs; clarifai/main's built-in
workflows as every caller reads them."""

from __future__ import annotations

from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from server import main_app
from tests.helpers import add_model, app_of, struct

GENERAL = ("general-image-recognition", "aa7f35c01e0642fda5cf400f543e7c40")
EMBED = ("general-image-embedding", "bb186755eda04f9cbb6fe32e816be104")


def node(node_id: str, model_id: str, *inputs: str, version: str = "", **kw: Any) -> r.WorkflowNode:
    return r.WorkflowNode(
        id=node_id,
        model=r.Model(id=model_id, model_version=r.ModelVersion(id=version)),
        node_inputs=[r.NodeInput(node_id=i) for i in inputs],
        **kw,
    )


def main_node(node_id: str, builtin: tuple[str, str], *inputs: str) -> r.WorkflowNode:
    """A node running a model of clarifai/main, named as the docs name it."""
    out = node(node_id, builtin[0], *inputs, version=builtin[1])
    out.model.user_id, out.model.app_id = main_app.USER_ID, main_app.APP_ID
    return out


async def post(transport, account, *workflows: r.Workflow):
    return await transport.call(
        "PostWorkflows",
        s.PostWorkflowsRequest(user_app_id=app_of(account), workflows=workflows),
        account.md(),
    )


async def operators(server, account) -> dict[str, str]:
    """A thresholder, a synonym mapper and an annotation writer in the
    account's app; their version ids by model id."""
    made = {}
    for model_id, type_id in (
        ("threshold", "concept-thresholder"),
        ("mapper", "concept-synonym-mapper"),
        ("writer", "annotation-writer"),
        ("crop", "image-crop"),
    ):
        made[model_id] = await add_model(server, account, model_id, type_id)
    return made


def ids_of(nodes) -> list[str]:
    return [n.id for n in nodes]


class TestPostWorkflows:
    async def test_made_in_run_order_with_pinned_versions(self, server, transport, account):
        versions = await operators(server, account)
        workflow = r.Workflow(
            id="auto",
            description="auto annotation",
            metadata=struct(team="a"),
            nodes=[
                node("write", "writer", "keep"),
                node("keep", "threshold", "map"),
                node("map", "mapper", "concepts"),
                main_node("concepts", GENERAL),
                main_node("embed", EMBED),
            ],
        )
        res = await post(transport, account, workflow)
        assert res.status.code == sc.SUCCESS, res.status
        [made] = res.workflows
        assert ids_of(made.nodes) == ["concepts", "map", "keep", "write", "embed"]
        assert made.app_id == account.app_id and made.user_id == account.user_id
        assert made.description == "auto annotation" and made.metadata["team"] == "a"
        by_id = {n.id: n for n in made.nodes}
        assert by_id["keep"].model.model_version.id == versions["threshold"]
        assert by_id["concepts"].model.app_id == "main"
        assert by_id["concepts"].model.model_version.id == GENERAL[1]
        assert [i.node_id for i in by_id["write"].node_inputs] == ["keep"]
        assert made.version.id and made.version.workflow_id == "auto"
        assert ids_of(made.version.nodes) == ids_of(made.nodes)
        got = await transport.call(
            "GetWorkflow",
            s.GetWorkflowRequest(user_app_id=app_of(account), workflow_id="auto"),
            account.md(),
        )
        assert got.workflow == made

    async def test_docs_ids_without_user_and_app(self, server, transport, account):
        """The docs name clarifai/main's models by id alone, in the user's app."""
        sent = node("general", "aaa03c23b3724a16a56b629203edc62c", version=GENERAL[1])
        res = await post(transport, account, r.Workflow(id="w", nodes=[sent]))
        assert res.status.code == sc.SUCCESS, res.status
        assert res.workflows[0].nodes[0].model.user_id == "clarifai"

    async def test_duplicate_workflow_id(self, server, transport, account):
        one = r.Workflow(id="w", nodes=[main_node("a", EMBED)])
        assert (await post(transport, account, one)).status.code == sc.SUCCESS
        res = await post(transport, account, one)
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "workflows[0].id" in res.status.details


def _workflow(*nodes: r.WorkflowNode) -> r.Workflow:
    return r.Workflow(id="w", nodes=nodes)


class TestGraphChecks:
    @pytest.mark.parametrize(
        ("nodes", "code", "words"),
        [
            ([], sc.WORKFLOW_INVALID_ARGUMENT, ["workflows[0].nodes", "needs a node"]),
            (
                [main_node("a", EMBED), main_node("a", GENERAL)],
                sc.WORKFLOW_INVALID_ARGUMENT,
                ["workflows[0].nodes[1].id", "repeated"],
            ),
            (
                [main_node("a", EMBED), node("b", "threshold", "nowhere")],
                sc.WORKFLOW_NO_MATCHING_INPUT,
                ["workflows[0].nodes[1].node_inputs[0].node_id", "'nowhere'"],
            ),
            (
                [node("a", "threshold", "a")],
                sc.WORKFLOW_INVALID_GRAPH,
                ["workflows[0].nodes[0].node_inputs[0].node_id", "its own input"],
            ),
            (
                [
                    main_node("root", GENERAL),
                    node("x", "threshold", "root", "z"),
                    node("y", "mapper", "x"),
                    node("z", "threshold", "y"),
                ],
                sc.WORKFLOW_INVALID_GRAPH,
                ["cycle", "'x' -> 'y' -> 'z' -> 'x'"],
            ),
            (
                [node("a", "no-such-model")],
                sc.MODEL_DOES_NOT_EXIST,
                ["workflows[0].nodes[0].model.id", "'no-such-model'"],
            ),
            (
                [node("a", "general-image-recognition", version="f" * 32)],
                sc.MODEL_DOES_NOT_EXIST,
                ["workflows[0].nodes[0].model.model_version.id", "f" * 32],
            ),
            (
                [main_node("embed", EMBED), node("keep", "threshold", "embed")],
                sc.WORKFLOW_INVALID_GRAPH,
                ["workflows[0].nodes[1]", "takes concepts", "give embeddings"],
            ),
            (
                [main_node("faces", ("face-detection", "")), node("map", "mapper", "faces")],
                sc.WORKFLOW_INVALID_GRAPH,
                ["nodes[1]", "'map' takes concepts", "give regions"],
            ),
            (
                [node("a", "threshold", version="")],
                None,
                [],
            ),
        ],
        ids=[
            "no-nodes",
            "repeated-id",
            "unknown-input",
            "self-input",
            "cycle",
            "unknown-model",
            "unknown-version",
            "embeddings-to-thresholder",
            "regions-to-mapper",
            "an-operator-alone",
        ],
    )
    async def test_refused(self, server, transport, account, nodes, code, words):
        await operators(server, account)
        res = await post(transport, account, _workflow(*nodes))
        if code is None:
            assert res.status.code == sc.SUCCESS, res.status
            return
        assert res.status.code == code, res.status
        for word in words:
            assert word in res.status.details, res.status.details
        listed = await transport.call(
            "ListWorkflows", s.ListWorkflowsRequest(user_app_id=app_of(account)), account.md()
        )
        assert list(listed.workflows) == []

    async def test_twenty_nodes_and_no_more(self, server, transport, account):
        await operators(server, account)
        chain = [main_node("n0", GENERAL)]
        chain += [node(f"n{k}", "threshold", f"n{k - 1}") for k in range(1, 20)]
        res = await post(transport, account, _workflow(*chain))
        assert res.status.code == sc.SUCCESS, res.status
        assert len(res.workflows[0].nodes) == 20
        chain.append(node("n20", "threshold", "n19"))
        res = await post(transport, account, r.Workflow(id="longer", nodes=chain))
        assert res.status.code == sc.WORKFLOW_INVALID_REQUEST, res.status
        assert "workflows[0].nodes: at most 20" in res.status.details

    async def test_untrained_version(self, server, transport, account):
        await add_model(server, account, "pending", "text-classifier", status=sc.MODEL_TRAINING)
        res = await post(transport, account, _workflow(node("a", "pending")))
        assert res.status.code == sc.WORKFLOW_REQUIRE_TRAINED_MODEL, res.status
        assert "'pending'" in res.status.details

    async def test_another_users_model(self, server, transport, account, new_account):
        other = await new_account()
        await add_model(server, other, "theirs", "concept-thresholder")
        sent = node("a", "theirs")
        sent.model.user_id, sent.model.app_id = other.user_id, other.app_id
        res = await post(transport, account, _workflow(sent))
        assert res.status.code == sc.MODEL_DOES_NOT_EXIST, res.status
        assert "nor of clarifai/main" in res.status.details


async def _made(server, transport, account, workflow_id: str = "w") -> r.Workflow:
    """A workflow of two nodes (run `operators` first)."""
    workflow = r.Workflow(
        id=workflow_id,
        nodes=[main_node("concepts", GENERAL), node("keep", "threshold", "concepts")],
    )
    res = await post(transport, account, workflow)
    assert res.status.code == sc.SUCCESS, res.status
    return res.workflows[0]


def _patch(account, action: str, *workflows: r.Workflow) -> s.PatchWorkflowsRequest:
    return s.PatchWorkflowsRequest(user_app_id=app_of(account), workflows=workflows, action=action)


async def _versions(transport, account, workflow_id: str = "w") -> list[r.WorkflowVersion]:
    res = await transport.call(
        "ListWorkflowVersions",
        s.ListWorkflowVersionsRequest(user_app_id=app_of(account), workflow_id=workflow_id),
        account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.workflow_versions)


class TestPatchWorkflows:
    async def test_fields_patched_in_place(self, server, transport, account):
        await operators(server, account)
        made = await _made(server, transport, account)
        sent = r.Workflow(id="w", description="d", notes="n", use_cases=["a"], metadata=struct(k=1))
        res = await transport.call("PatchWorkflows", _patch(account, "merge", sent), account.md())
        assert res.status.code == sc.SUCCESS, res.status
        [patched] = res.workflows
        assert (patched.description, patched.notes, list(patched.use_cases)) == ("d", "n", ["a"])
        assert patched.version.id == made.version.id
        res = await transport.call(
            "PatchWorkflows",
            _patch(account, "remove", r.Workflow(id="w", description="x", metadata=struct(k=True))),
            account.md(),
        )
        assert res.workflows[0].description == "" and "k" not in res.workflows[0].metadata
        assert len(await _versions(transport, account)) == 1

    async def test_merged_nodes_make_a_version(self, server, transport, account):
        await operators(server, account)
        made = await _made(server, transport, account)
        extra = node("write", "writer", "keep")
        changed = node("keep", "threshold", suppress_output=True)
        res = await transport.call(
            "PatchWorkflows",
            _patch(account, "merge", r.Workflow(id="w", nodes=[changed, extra])),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        [patched] = res.workflows
        assert ids_of(patched.nodes) == ["concepts", "keep", "write"]
        keep = patched.nodes[1]
        assert keep.suppress_output and [i.node_id for i in keep.node_inputs] == ["concepts"]
        assert patched.version.id != made.version.id
        versions = await _versions(transport, account)
        assert [v.id for v in versions] == [patched.version.id, made.version.id]
        assert ids_of(versions[1].nodes) == ["concepts", "keep"]

    async def test_same_nodes_make_no_version(self, server, transport, account):
        await operators(server, account)
        made = await _made(server, transport, account)
        res = await transport.call(
            "PatchWorkflows",
            _patch(account, "overwrite", r.Workflow(id="w", nodes=made.nodes)),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.workflows[0].version.id == made.version.id

    async def test_removed_node(self, server, transport, account):
        await operators(server, account)
        await _made(server, transport, account)
        res = await transport.call(
            "PatchWorkflows",
            _patch(account, "remove", r.Workflow(id="w", nodes=[r.WorkflowNode(id="keep")])),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert ids_of(res.workflows[0].nodes) == ["concepts"]
        res = await transport.call(
            "PatchWorkflows",
            _patch(account, "remove", r.Workflow(id="w", nodes=[r.WorkflowNode(id="concepts")])),
            account.md(),
        )
        assert res.status.code == sc.WORKFLOW_INVALID_ARGUMENT, res.status
        assert "needs a node" in res.status.details

    async def test_a_bad_graph_changes_nothing(self, server, transport, account):
        await operators(server, account)
        made = await _made(server, transport, account)
        cyclic = node("concepts", "threshold", "keep")
        res = await transport.call(
            "PatchWorkflows",
            _patch(account, "merge", r.Workflow(id="w", description="new", nodes=[cyclic])),
            account.md(),
        )
        assert res.status.code == sc.WORKFLOW_INVALID_GRAPH, res.status
        got = await transport.call(
            "GetWorkflow",
            s.GetWorkflowRequest(user_app_id=app_of(account), workflow_id="w"),
            account.md(),
        )
        assert got.workflow == made

    async def test_unknown_workflow(self, server, transport, account):
        res = await transport.call(
            "PatchWorkflows", _patch(account, "merge", r.Workflow(id="nope")), account.md()
        )
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST
        assert "workflows[0].id" in res.status.details


class TestIdsAndDeletes:
    async def test_rename_and_delete(self, server, transport, account):
        await operators(server, account)
        made = await _made(server, transport, account, "old")
        res = await transport.call(
            "PatchWorkflowIds",
            s.PatchWorkflowIdsRequest(
                user_app_id=app_of(account),
                ids=[s.IdUpdateSource(id="old", new_id="new")],
                action="overwrite",
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.workflows[0].id == "new" and res.workflows[0].version.id == made.version.id
        res = await transport.call(
            "DeleteWorkflow",
            s.DeleteWorkflowRequest(user_app_id=app_of(account), workflow_id="old"),
            account.md(),
        )
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST
        res = await transport.call(
            "DeleteWorkflows",
            s.DeleteWorkflowsRequest(user_app_id=app_of(account), ids=["new"]),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        res = await transport.call(
            "GetWorkflow",
            s.GetWorkflowRequest(user_app_id=app_of(account), workflow_id="new"),
            account.md(),
        )
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST

    async def test_base_workflow_is_kept(self, server, transport, account, stub):
        await operators(server, account)
        await _made(server, transport, account, "base")
        await _made(server, transport, account, "other")
        res = await stub.PatchApps(
            s.PatchAppsRequest(
                user_app_id=app_of(account),
                apps=[r.App(id=account.app_id, default_workflow=r.Workflow(id="base"))],
                action="overwrite",
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        res = await transport.call(
            "DeleteWorkflow",
            s.DeleteWorkflowRequest(user_app_id=app_of(account), workflow_id="base"),
            account.md(),
        )
        assert res.status.code == sc.WORKFLOW_INVALID_REQUEST
        assert "base workflow" in res.status.details
        res = await transport.call(
            "DeleteWorkflows",
            s.DeleteWorkflowsRequest(user_app_id=app_of(account), delete_all=True),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        listed = await transport.call(
            "ListWorkflows", s.ListWorkflowsRequest(user_app_id=app_of(account)), account.md()
        )
        assert ids_of(listed.workflows) == ["base"]


class TestLists:
    async def test_sorts_and_search(self, server, transport, account):
        await operators(server, account)
        for workflow_id in ("b-one", "a-two", "c-three"):
            await _made(server, transport, account, workflow_id)
        await transport.call(
            "PatchWorkflows",
            _patch(account, "merge", r.Workflow(id="a-two", notes="Special notes")),
            account.md(),
        )

        async def listed(**kw: Any) -> list[str]:
            res = await transport.call(
                "ListWorkflows",
                s.ListWorkflowsRequest(user_app_id=app_of(account), **kw),
                account.md(),
            )
            assert res.status.code == sc.SUCCESS, res.status
            return ids_of(res.workflows)

        assert await listed() == ["a-two", "c-three", "b-one"]
        assert await listed(sort_by_id=True, sort_ascending=True) == ["a-two", "b-one", "c-three"]
        assert await listed(sort_by_created_at=True, per_page=2, page=2) == ["b-one"]
        assert await listed(search="special") == ["a-two"]
        assert await listed(id="*-t*") == ["a-two", "c-three"]


async def test_a_list_names_an_app(transport, account):
    res = await transport.call(
        "ListWorkflows",
        s.ListWorkflowsRequest(user_app_id=r.UserAppIDSet(user_id=account.user_id)),
        account.md(),
    )
    assert res.status.code == sc.CONN_INVALID_REQUEST and "app_id" in res.status.details


class TestClarifaiMain:
    async def test_builtin_workflows_read_by_any_caller(self, transport, account, stub):
        main = r.UserAppIDSet(user_id=main_app.USER_ID, app_id=main_app.APP_ID)
        res = await transport.call(
            "ListWorkflows", s.ListWorkflowsRequest(user_app_id=main, sort_by_id=True), account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert set(ids_of(res.workflows)) == {
            "Empty",
            "General",
            "Language-Understanding",
            "Universal",
        }
        general = next(w for w in res.workflows if w.id == "General")
        assert ids_of(general.nodes) == ["general-image-recognition", "general-image-embedding"]
        assert general.visibility.gettable == r.Visibility.PUBLIC
        # Named from the caller's own app, an id the app lacks is clarifai/main's.
        res = await transport.call(
            "GetWorkflow",
            s.GetWorkflowRequest(user_app_id=app_of(account), workflow_id="General"),
            account.md(),
        )
        assert res.workflow == general
        # No id (gRPC only: a REST path names one): the app's base workflow,
        # Universal by default.
        res = await stub.GetWorkflow(
            s.GetWorkflowRequest(user_app_id=app_of(account)), metadata=account.md()
        )
        assert res.workflow.id == "Universal" and res.workflow.app_id == "main"

    async def test_not_written_by_others(self, transport, account):
        main = r.UserAppIDSet(user_id=main_app.USER_ID, app_id=main_app.APP_ID)
        res = await transport.call(
            "DeleteWorkflow",
            s.DeleteWorkflowRequest(user_app_id=main, workflow_id="General"),
            account.md(),
        )
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES


class TestVersions:
    async def test_get_patch_publish_delete(self, server, transport, account):
        await operators(server, account)
        made = await _made(server, transport, account)
        await transport.call(
            "PatchWorkflows",
            _patch(account, "merge", r.Workflow(id="w", nodes=[node("w2", "writer", "keep")])),
            account.md(),
        )
        newer, first = await _versions(transport, account)
        assert first.id == made.version.id
        res = await transport.call(
            "GetWorkflowVersion",
            s.GetWorkflowVersionRequest(
                user_app_id=app_of(account), workflow_id="w", workflow_version_id=first.id
            ),
            account.md(),
        )
        assert res.workflow_version == first
        res = await transport.call(
            "PatchWorkflowVersions",
            s.PatchWorkflowVersionsRequest(
                user_app_id=app_of(account),
                workflow_id="w",
                workflow_versions=[r.WorkflowVersion(id=first.id, description="v1", license="MIT")],
                action="merge",
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert (res.workflow_versions[0].description, res.workflow_versions[0].license) == (
            "v1",
            "MIT",
        )
        publish = s.PostWorkflowVersionsPublishRequest(
            user_app_id=app_of(account),
            workflow_id="w",
            publications=[r.WorkflowVersionPublishRequest(version_id=first.id)],
        )
        assert (
            await transport.call("PostWorkflowVersionsPublish", publish, account.md())
        ).status.code == sc.SUCCESS
        assert (await _versions(transport, account))[1].visibility.gettable == r.Visibility.PUBLIC
        unpublish = s.PostWorkflowVersionsUnPublishRequest(
            user_app_id=app_of(account),
            workflow_id="w",
            publications=[r.WorkflowVersionUnPublishRequest(version_id=first.id)],
        )
        assert (
            await transport.call("PostWorkflowVersionsUnPublish", unpublish, account.md())
        ).status.code == sc.SUCCESS
        assert (await _versions(transport, account))[1].visibility.gettable == r.Visibility.PRIVATE
        delete = s.DeleteWorkflowVersionsRequest(
            user_app_id=app_of(account), workflow_id="w", workflow_version_ids=[newer.id]
        )
        assert (
            await transport.call("DeleteWorkflowVersions", delete, account.md())
        ).status.code == sc.SUCCESS
        res = await transport.call(
            "GetWorkflow",
            s.GetWorkflowRequest(user_app_id=app_of(account), workflow_id="w"),
            account.md(),
        )
        assert res.workflow.version.id == first.id and ids_of(res.workflow.nodes) == [
            "concepts",
            "keep",
        ]

    async def test_refusals(self, server, transport, account):
        await operators(server, account)
        made = await _made(server, transport, account)
        last = s.DeleteWorkflowVersionsRequest(
            user_app_id=app_of(account), workflow_id="w", workflow_version_ids=[made.version.id]
        )
        res = await transport.call("DeleteWorkflowVersions", last, account.md())
        assert (
            res.status.code == sc.WORKFLOW_INVALID_REQUEST
            and "at least one version" in res.status.details
        )
        unknown = s.GetWorkflowVersionRequest(
            user_app_id=app_of(account), workflow_id="w", workflow_version_id="nope"
        )
        res = await transport.call("GetWorkflowVersion", unknown, account.md())
        assert (
            res.status.code == sc.WORKFLOW_DOES_NOT_EXIST
            and "workflow_version_id" in res.status.details
        )
        nodes = s.PatchWorkflowVersionsRequest(
            user_app_id=app_of(account),
            workflow_id="w",
            workflow_versions=[r.WorkflowVersion(id=made.version.id, nodes=made.nodes)],
            action="merge",
        )
        res = await transport.call("PatchWorkflowVersions", nodes, account.md())
        assert (
            res.status.code == sc.WORKFLOW_INVALID_REQUEST
            and "workflow_versions[0].nodes" in res.status.details
        )

    async def test_deleted_model_deprecates(self, server, transport, account, stub):
        await operators(server, account)
        await _made(server, transport, account)
        res = await stub.DeleteModel(
            s.DeleteModelRequest(user_app_id=app_of(account), model_id="threshold"),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        [version] = await _versions(transport, account)
        assert version.is_deprecated and version.nodes[1].model.id == "threshold"
