"""GetResourceCounts: the app's datasets, models, workflows and inputs, over
gRPC and REST (both routes: the app's, and /v2/resource_counts with an app
key); pipelines are always 0 here."""

from __future__ import annotations

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import add_model, app_of
from tests.integration.test_indexing import text_input


async def counts(transport, account, md=None, app_id: str = ""):
    req = s.GetResourceCountsRequest(user_app_id=app_of(account, app_id) if md is None else None)
    res = await transport.call("GetResourceCounts", req, md or account.md())
    assert res.status.code == sc.SUCCESS, res.status
    return (res.datasets, res.models, res.workflows, res.inputs, res.pipelines)


async def test_counts_follow_the_app(server, transport, account, stub):
    assert await counts(transport, account) == (0, 0, 0, 0, 0)
    at = app_of(account)
    res = await stub.PostInputs(
        s.PostInputsRequest(
            user_app_id=at, inputs=[text_input(f"t{n}", f"text {n}") for n in range(3)]
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    res = await stub.PostDatasets(
        s.PostDatasetsRequest(user_app_id=at, datasets=[r.Dataset(id="a"), r.Dataset(id="b")]),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    version = await add_model(server, account, "gate", "concept-thresholder")
    node = r.WorkflowNode(
        id="n", model=r.Model(id="gate", model_version=r.ModelVersion(id=version))
    )
    res = await stub.PostWorkflows(
        s.PostWorkflowsRequest(user_app_id=at, workflows=[r.Workflow(id="wf", nodes=[node])]),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert await counts(transport, account) == (2, 1, 1, 3, 0)
    # The app key's route names no app: the key's app is counted.
    assert await counts(transport, account, md=account.key_md) == (2, 1, 1, 3, 0)
    res = await stub.DeleteInputs(
        s.DeleteInputsRequest(user_app_id=at, ids=["t0"]), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert (await counts(transport, account))[3] == 2


async def test_another_app_counts_nothing_of_this_one(transport, account, stub):
    res = await stub.PostApps(
        s.PostAppsRequest(
            user_app_id=r.UserAppIDSet(user_id=account.user_id), apps=[r.App(id="empty")]
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    res = await stub.PostInputs(
        s.PostInputsRequest(user_app_id=app_of(account), inputs=[text_input("x", "x")]),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert await counts(transport, account, app_id="empty") == (0, 0, 0, 0, 0)
