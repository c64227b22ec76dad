"""The unchanged official Python client (clarifai-grpc 12.2.11, its own
virtual environment) duplicating an app and polling the duplication until
it ends, then reading the copy; and the app's resource counts."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCRIPT = r"""
import json, sys, time
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2 as r, service_pb2 as s, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2 as sc

port, pat, user_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
md = (("authorization", "Key " + pat),)
channel = ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=port)
stub = service_pb2_grpc.V2Stub(channel)
app = r.UserAppIDSet(user_id=user_id, app_id="main")
out = {}

res = stub.PostConcepts(
    s.PostConceptsRequest(user_app_id=app, concepts=[r.Concept(id="cat")]), metadata=md
)
assert res.status.code == sc.SUCCESS, res.status
inputs = [
    r.Input(id=f"t{n}", data=r.Data(text=r.Text(raw=f"text {n}"), concepts=[r.Concept(id="cat")]))
    for n in range(3)
]
res = stub.PostInputs(s.PostInputsRequest(user_app_id=app, inputs=inputs), metadata=md)
assert res.status.code == sc.SUCCESS, res.status

res = stub.PostAppDuplications(
    s.PostAppDuplicationsRequest(
        user_app_id=app,
        app_duplications=[
            r.AppDuplication(
                destination_app=r.App(id="by-client"),
                filter=r.AppDuplicationFilters(copy_inputs=True, copy_concepts=True),
            )
        ],
    ),
    metadata=md,
)
out["post"] = [sc.StatusCode.Name(res.status.code), len(res.app_duplications)]
dup_id = res.app_duplications[0].id
states = []
for _ in range(600):
    got = stub.GetAppDuplication(
        s.GetAppDuplicationRequest(
            user_app_id=r.UserAppIDSet(user_id=user_id), app_duplication_id=dup_id
        ),
        metadata=md,
    )
    name = sc.StatusCode.Name(got.app_duplication.status.code)
    if not states or states[-1] != name:
        states.append(name)
    if name in ("APP_DUPLICATION_SUCCESS", "APP_DUPLICATION_FAILED"):
        break
    time.sleep(0.1)
out["states"] = states
out["progress"] = {p.field: p.value for p in got.app_duplication.progress}
out["destination"] = got.app_duplication.destination_app.id
copy = r.UserAppIDSet(user_id=user_id, app_id="by-client")
listed = stub.ListInputs(s.ListInputsRequest(user_app_id=copy), metadata=md)
out["copied"] = sorted(i.id for i in listed.inputs)
listed = stub.ListAppDuplications(
    s.ListAppDuplicationsRequest(user_app_id=r.UserAppIDSet(user_id=user_id)), metadata=md
)
out["listed"] = [d.id for d in listed.app_duplications]
counts = stub.GetResourceCounts(s.GetResourceCountsRequest(user_app_id=app), metadata=md)
out["counts"] = [
    sc.StatusCode.Name(counts.status.code), counts.inputs, counts.datasets, counts.pipelines
]
print(json.dumps(out))
"""


async def test_duplicate_and_poll(server, account, reference):
    proc = await asyncio.to_thread(
        run_reference, SCRIPT, str(server.grpc_port), account.pat, account.user_id
    )
    out = json.loads(proc.stdout)
    assert out["post"] == ["SUCCESS", 1]
    assert out["states"][-1] == "APP_DUPLICATION_SUCCESS", out["states"]
    assert set(out["states"]) <= {
        "APP_DUPLICATION_PENDING",
        "APP_DUPLICATION_IN_PROGRESS",
        "APP_DUPLICATION_SUCCESS",
    }
    assert out["progress"] == {"inputs": 3, "concepts": 1}
    assert out["destination"] == "by-client"
    assert out["copied"] == ["t0", "t1", "t2"]
    assert len(out["listed"]) == 1
    assert out["counts"] == ["SUCCESS", 3, 0, 0]
