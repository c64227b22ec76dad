"""What Clarifai's own client tests (clarifai-python-grpc tests/) and the
clarifai SDK rely on, sent by the unchanged reference client (clarifai-grpc
12.2.11) over both of its channels, as their `both_channels` runs a test:
PostApps naming the new app in user_app_id, duplicate input ids, the
input-level annotations listed by input_ids, GetInput after DeleteInputs
answering CONN_DOES_NOT_EXIST, and ListScopes by key type name."""

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

grpc_port, base_url, pat = int(sys.argv[1]), sys.argv[2], sys.argv[3]
md = (("authorization", "Key " + pat),)
out = {}


def run(name, channel):
    stub = service_pb2_grpc.V2Stub(channel)
    seen = out[name] = {}
    app_id = name + "-app"
    app = r.UserAppIDSet(user_id="me", app_id=app_id)
    # clarifai-python-grpc tests/client/test_deep_training.py
    res = stub.PostApps(
        s.PostAppsRequest(
            user_app_id=app, apps=[r.App(id=app_id, default_workflow_id="General", user_id="me")]
        ),
        metadata=md,
    )
    seen["PostApps"] = [res.status.code, [a.id for a in res.apps]]
    got = stub.GetApp(s.GetAppRequest(user_app_id=app), metadata=md)
    seen["GetApp"] = [got.status.code, got.app.default_workflow_id]

    labelled = [
        r.Input(
            id="in%d" % n,
            data=r.Data(text=r.Text(raw="t%d" % n), concepts=[r.Concept(id="cat", value=1)]),
        )
        for n in range(2)
    ]
    res = stub.PostInputs(s.PostInputsRequest(user_app_id=app, inputs=labelled), metadata=md)
    seen["PostInputs"] = res.status.code
    # clarifai SDK clarifai/client/dataset.py: duplicates told apart by details
    res = stub.PostInputs(s.PostInputsRequest(user_app_id=app, inputs=labelled[:1]), metadata=md)
    seen["duplicate"] = [
        res.status.code,
        [[i.id, i.status.code, i.status.details] for i in res.inputs],
    ]
    # clarifai SDK Inputs.list_annotations(batch_input=...)
    res = stub.ListAnnotations(
        s.ListAnnotationsRequest(user_app_id=app, input_ids=["in0", "in1"]), metadata=md
    )
    seen["ListAnnotations"] = [
        res.status.code,
        [[a.input_id, [c.id for c in a.data.concepts]] for a in res.annotations],
    ]
    # clarifai-python-grpc tests/common.py cleanup_inputs, wait_for_inputs_delete
    res = stub.DeleteInputs(s.DeleteInputsRequest(user_app_id=app, ids=["in0", "in1"]), metadata=md)
    seen["DeleteInputs"] = res.status.code
    seen["GetInput"] = [
        stub.GetInput(s.GetInputRequest(user_app_id=app, input_id=i), metadata=md).status.code
        for i in ("in0", "in1")
    ]
    res = stub.ListScopes(s.ListScopesRequest(key_type="api_key"), metadata=md)
    seen["ListScopes"] = [res.status.code, len(res.endpoint_deps) > 0]


run("grpc", ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=grpc_port))
run("json", ClarifaiChannel.get_json_channel(base_url=base_url))
print(json.dumps(out))
"""


async def test_harness_patterns_over_both_channels(server, rest, account, reference):
    proc = await asyncio.to_thread(run_reference, SCRIPT, str(server.grpc_port), rest, account.pat)
    out = json.loads(proc.stdout)
    for channel in ("grpc", "json"):
        seen = out[channel]
        assert seen["PostApps"] == [10000, [f"{channel}-app"]], (channel, seen)
        assert seen["GetApp"] == [10000, "General"], (channel, seen)
        assert seen["PostInputs"] == 10000, (channel, seen)
        assert seen["duplicate"] == [10020, [["in0", 40010, "Input has a duplicate ID."]]], (
            channel,
            seen,
        )
        assert seen["ListAnnotations"] == [10000, [["in0", ["cat"]], ["in1", ["cat"]]]], (
            channel,
            seen,
        )
        assert seen["DeleteInputs"] == 10000, (channel, seen)
        assert seen["GetInput"] == [11101, 11101], (channel, seen)
        assert seen["ListScopes"] == [10000, True], (channel, seen)
