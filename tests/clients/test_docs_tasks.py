"""The labeling Tasks guide's Python examples (docs.clarifai.com, Clarifai/docs
code_snippets/api-guide/annotate/tasks/task_consensus_review.py and
update_task.py, which differ in the status) run with the unchanged official client, clarifai-grpc
12.2.11, over its gRPC channel and its JSON channel (our REST port). They
name workers by the deprecated TaskWorker.users and the consensus threshold
by the deprecated approval_threshold: both must take effect."""

from __future__ import annotations

import asyncio
import json

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import share
from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

# Runs in the reference environment; prints what the client read, as JSON.
SCRIPT = r"""
import json, sys
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_pb2
from google.protobuf.struct_pb2 import Struct

mode, target, PAT, USER_ID, APP_ID, USER_ID_1, USER_ID_2, USER_ID_3, USER_ID_4 = sys.argv[1:]
CONCEPT_ID = "water"
if mode == "grpc":
    host, port = target.rsplit(":", 1)
    channel = ClarifaiChannel.get_insecure_grpc_channel(base=host, port=int(port))
else:
    channel = ClarifaiChannel.get_json_channel(base_url=target)
stub = service_pb2_grpc.V2Stub(channel)
metadata = (("authorization", "Key " + PAT),)
userDataObject = resources_pb2.UserAppIDSet(user_id=USER_ID, app_id=APP_ID)


def seen(res, task):
    return {
        "code": res.status.code,
        "details": res.status.details,
        "workers": [w.user.id for w in task.worker.workers],
        "users": [u.id for u in task.worker.users],
        "user_ids": list(task.worker.user_ids),
        "reviewers": [u.id for u in task.review.users],
        "labelers": task.review.consensus_strategy_info.approval_threshold_labelers,
        "threshold": task.review.consensus_strategy_info.approval_threshold,
        "status": task.status.code,
    }


out = {}
# task_consensus_review.py, as the guide writes it.
params = Struct()
params.update({USER_ID_1: 1, USER_ID_2: 1, USER_ID_3: 1})
post_tasks_response = stub.PostTasks(
    service_pb2.PostTasksRequest(
        user_app_id=userDataObject,
        tasks=[
            resources_pb2.Task(
                type="CONCEPTS_CLASSIFICATION",
                name="Annotate " + CONCEPT_ID,
                worker=resources_pb2.TaskWorker(
                    strategy="PARTITIONED",
                    users=[
                        resources_pb2.User(id=USER_ID_1),
                        resources_pb2.User(id=USER_ID_2),
                        resources_pb2.User(id=USER_ID_3),
                    ],
                    partitioned_strategy_info=resources_pb2.TaskWorkerPartitionedStrategyInfo(
                        type="WEIGHTED", workers_per_input=3, weights=params
                    ),
                ),
                concepts=[resources_pb2.TaskConcept(concept=resources_pb2.Concept(id=CONCEPT_ID))],
                input_source=resources_pb2.TaskInputSource(type="ALL_INPUTS"),
                sample_ms=1000,
                review=resources_pb2.TaskReview(
                    strategy="CONSENSUS",
                    consensus_strategy_info=resources_pb2.TaskReviewConsensusStrategyInfo(
                        approval_threshold=2
                    ),
                    users=[resources_pb2.User(id=USER_ID_4)],
                ),
            )
        ],
    ),
    metadata=metadata,
)
tasks = post_tasks_response.tasks
out["post"] = seen(post_tasks_response, tasks[0] if tasks else resources_pb2.Task())
TASK_ID = tasks[0].id if tasks else "missing"

# update_task.py, as the guide writes it.
patch_tasks_response = stub.PatchTasks(
    service_pb2.PatchTasksRequest(
        user_app_id=userDataObject,
        action="overwrite",
        tasks=[
            resources_pb2.Task(
                id=TASK_ID,
                type="CONCEPTS_CLASSIFICATION",
                name="Annotate " + CONCEPT_ID,
                worker=resources_pb2.TaskWorker(
                    strategy="PARTITIONED",
                    users=[
                        resources_pb2.User(id=USER_ID_1),
                        resources_pb2.User(id=USER_ID_2),
                        resources_pb2.User(id=USER_ID_3),
                    ],
                    partitioned_strategy_info=resources_pb2.TaskWorkerPartitionedStrategyInfo(
                        type="WEIGHTED", workers_per_input=3, weights=params
                    ),
                ),
                concepts=[resources_pb2.TaskConcept(concept=resources_pb2.Concept(id=CONCEPT_ID))],
                input_source=resources_pb2.TaskInputSource(type="ALL_INPUTS"),
                sample_ms=1000,
                review=resources_pb2.TaskReview(
                    strategy="CONSENSUS",
                    consensus_strategy_info=resources_pb2.TaskReviewConsensusStrategyInfo(
                        approval_threshold=2
                    ),
                    users=[resources_pb2.User(id=USER_ID_4)],
                ),
                status=status_pb2.Status(code="TASK_DONE"),
            )
        ],
    ),
    metadata=metadata,
)
got = stub.GetTask(service_pb2.GetTaskRequest(user_app_id=userDataObject, task_id=TASK_ID),
                   metadata=metadata)
patched = patch_tasks_response.status
out["patch"] = {"code": patched.code, "details": patched.details}
out["get"] = seen(got, got.task)
listed = stub.ListTasks(
    service_pb2.ListTasksRequest(user_app_id=userDataObject, worker_user_ids=[USER_ID_3]),
    metadata=metadata,
)
out["listed_3"] = [t.id for t in listed.tasks]
out["task_id"] = TASK_ID
print(json.dumps(out))
"""


@pytest.fixture
async def team(stub, account, new_account) -> list[str]:
    guests = [await new_account() for _ in range(4)]
    for guest in guests:
        await share(stub, account, guest)
    res = await stub.PostConcepts(
        s.PostConceptsRequest(concepts=[r.Concept(id="water")]), metadata=account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [guest.user_id for guest in guests]


@pytest.mark.parametrize("mode", ["grpc", "json"])
async def test_consensus_and_update_examples(server, rest, account, team, reference, mode):
    target = f"127.0.0.1:{server.grpc_port}" if mode == "grpc" else rest
    proc = await asyncio.to_thread(
        run_reference, SCRIPT, mode, target, account.pat, account.user_id, "main", *team
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    u1, u2, u3, u4 = team
    assert out["post"] == {
        "code": sc.SUCCESS,
        "details": "",
        "workers": [u1, u2, u3],
        "users": [u1, u2, u3],
        "user_ids": [u1, u2, u3],
        "reviewers": [u4],
        "labelers": 2,
        "threshold": 2,
        "status": sc.TASK_IN_PROGRESS,
    }
    assert out["patch"] == {"code": sc.SUCCESS, "details": ""}
    assert out["get"] == {**out["post"], "status": sc.TASK_DONE}
    assert out["listed_3"] == [out["task_id"]]
