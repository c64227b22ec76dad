"""The unchanged official Python client (clarifai-grpc 12.2.11) calling RPCs
of its contract that this server does not serve: over gRPC (each streaming
kind) and the JSON channel, it reads our hand-made answer into its own
response types as a status, where it used to raise UNIMPLEMENTED."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCRIPT = r"""
import json, sys
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2 as r, service_pb2 as s, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

port, base_url, pat = int(sys.argv[1]), sys.argv[2], sys.argv[3]
me = r.UserAppIDSet(user_id="me", app_id="main")
md = (("authorization", "Key " + pat),)
bad = (("authorization", "Key not-a-key"),)


def seen(res):
    return {
        "code": status_code_pb2.StatusCode.Name(res.status.code),
        "description": res.status.description,
        "details": res.status.details,
        "fields": [f.name for f, _ in res.ListFields()],
    }


out = {}
channel = ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=port)
stub = service_pb2_grpc.V2Stub(channel)
out["GetModel"] = seen(
    stub.GetModel(s.GetModelRequest(user_app_id=me, model_id="general"), metadata=md)
)
out["PostModelOutputs"] = seen(stub.PostModelOutputs(
    s.PostModelOutputsRequest(user_app_id=me, model_id="general",
                              inputs=[r.Input(data=r.Data(text=r.Text(raw="hi")))]),
    metadata=md,
))
out["GenerateModelOutputs"] = [seen(x) for x in stub.GenerateModelOutputs(
    s.PostModelOutputsRequest(user_app_id=me, model_id="general"), metadata=md)]
out["StreamModelOutputs"] = [seen(x) for x in stub.StreamModelOutputs(
    iter([s.PostModelOutputsRequest(user_app_id=me, model_id="general")]), metadata=md)]
out["PostModelVersionsUpload"] = [seen(x) for x in stub.PostModelVersionsUpload(
    iter([s.PostModelVersionsUploadRequest()]), metadata=md)]
out["GetModel bad key"] = seen(stub.GetModel(s.GetModelRequest(model_id="general"), metadata=bad))

json_stub = service_pb2_grpc.V2Stub(ClarifaiChannel.get_json_channel(base_url=base_url))
out["json PostInputsSearches"] = seen(json_stub.PostInputsSearches(
    s.PostInputsSearchesRequest(user_app_id=me, searches=[r.Search(query=r.Query())]),
    metadata=md,
))
out["json ListWorkflows"] = seen(
    json_stub.ListWorkflows(s.ListWorkflowsRequest(user_app_id=me), metadata=md)
)
out["json ListModels"] = seen(
    json_stub.ListModels(s.ListModelsRequest(user_app_id=me), metadata=md)
)
out["json ListModels bad key"] = seen(
    json_stub.ListModels(s.ListModelsRequest(user_app_id=me), metadata=bad)
)
print(json.dumps(out))
"""


def unserved(name: str) -> dict:
    return {
        "code": "NOT_IMPLEMENTED",
        "description": "Not implemented",
        "details": f"{name} is not implemented by this server",
        "fields": ["status"],
    }


async def test_unserved_rpcs_answer_a_status(server, rest, account, reference):
    proc = await asyncio.to_thread(run_reference, SCRIPT, str(server.grpc_port), rest, account.pat)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    # Served now: an unknown model answers the model family's status.
    predicted = out.pop("PostModelOutputs")
    assert predicted["code"] == "MODEL_DOES_NOT_EXIST" and predicted["fields"] == ["status"]
    assert predicted["details"].startswith("model 'general' not found")
    # Served now: the client reads the model family's answers alike.
    assert out["GetModel"] == {
        "code": "MODEL_DOES_NOT_EXIST",
        "description": "Model does not exist",
        "details": "model 'general' not found",
        "fields": ["status"],
    }
    for name in ("GenerateModelOutputs", "StreamModelOutputs", "PostModelVersionsUpload"):
        assert out[name] == [unserved(name)]
    assert out["json ListWorkflows"] == unserved("ListWorkflows")
    # Served now: a search of the (empty) app, under its id.
    searched = out["json PostInputsSearches"]
    assert searched["code"] == "SUCCESS" and searched["fields"] == ["status", "id", "searches"]
    assert out["json ListModels"]["code"] == "SUCCESS"
    for case in ("GetModel bad key", "json ListModels bad key"):
        assert out[case]["code"] == "CONN_KEY_INVALID"
        assert out[case]["fields"] == ["status"]
