"""The labeling loop with the unchanged official client, clarifai-grpc
12.2.11, over its gRPC channel and its JSON channel (our REST port): the
guide's consensus task (three workers, each input to all three, two must
agree), each worker with their own key starting, labeling (annotations
with the task's id) and submitting, until the task is done."""

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

# Runs in the reference environment; prints what the clients saw, as JSON.
SCRIPT = r"""
import json, sys
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from google.protobuf.struct_pb2 import Struct

mode, target, USER_ID, APP_ID, OWNER_PAT, *people = sys.argv[1:]
workers = [people[i : i + 2] for i in range(0, 6, 2)]  # (user id, pat)
if mode == "grpc":
    host, port = target.rsplit(":", 1)
    channel = ClarifaiChannel.get_insecure_grpc_channel(base=host, port=int(port))
else:
    channel = ClarifaiChannel.get_json_channel(base_url=target)
stub = service_pb2_grpc.V2Stub(channel)
app = resources_pb2.UserAppIDSet(user_id=USER_ID, app_id=APP_ID)
md = lambda pat: (("authorization", "Key " + pat),)
Action = service_pb2.PutTaskAssignmentsRequestAction

posted = stub.PostInputs(
    service_pb2.PostInputsRequest(
        user_app_id=app,
        inputs=[
            resources_pb2.Input(
                id=f"doc{i}", data=resources_pb2.Data(text=resources_pb2.Text(raw=f"doc {i}"))
            )
            for i in range(4)
        ],
    ),
    metadata=md(OWNER_PAT),
)
weights = Struct()
weights.update({w: 1 for w, _ in workers})
task = stub.PostTasks(
    service_pb2.PostTasksRequest(
        user_app_id=app,
        tasks=[
            resources_pb2.Task(
                type="CONCEPTS_CLASSIFICATION",
                name="Annotate water",
                worker=resources_pb2.TaskWorker(
                    strategy="PARTITIONED",
                    users=[resources_pb2.User(id=w) for w, _ in workers],
                    partitioned_strategy_info=resources_pb2.TaskWorkerPartitionedStrategyInfo(
                        type="WEIGHTED", workers_per_input=3, weights=weights
                    ),
                ),
                concepts=[resources_pb2.TaskConcept(concept=resources_pb2.Concept(id="water"))],
                input_source=resources_pb2.TaskInputSource(type="ALL_INPUTS"),
                sample_ms=1000,
                review=resources_pb2.TaskReview(
                    strategy="CONSENSUS",
                    consensus_strategy_info=resources_pb2.TaskReviewConsensusStrategyInfo(
                        approval_threshold=2
                    ),
                    users=[resources_pb2.User(id=USER_ID)],
                ),
            )
        ],
    ),
    metadata=md(OWNER_PAT),
)
TASK_ID = task.tasks[0].id
out = {"post_inputs": posted.status.code, "post_task": task.status.code, "workers": {}}
for n, (user_id, pat) in enumerate(workers):
    started = stub.PutTaskAssignments(
        service_pb2.PutTaskAssignmentsRequest(
            user_app_id=app, task_id=TASK_ID, action=Action.Value("LABEL_START")
        ),
        metadata=md(pat),
    )
    value = 0.0 if n == 2 else 1.0  # the third worker disagrees
    labeled = stub.PostAnnotations(
        service_pb2.PostAnnotationsRequest(
            user_app_id=app,
            annotations=[
                resources_pb2.Annotation(
                    input_id=a.input.id,
                    task_id=TASK_ID,
                    data=resources_pb2.Data(
                        concepts=[resources_pb2.Concept(id="water", value=value)]
                    ),
                )
                for a in started.task_assignments
            ],
        ),
        metadata=md(pat),
    )
    submitted = stub.PutTaskAssignments(
        service_pb2.PutTaskAssignmentsRequest(
            user_app_id=app,
            task_id=TASK_ID,
            action=Action.Value("LABEL_SUBMIT"),
            label_submit_config=service_pb2.LabelSubmitConfig(
                task_assignments=[
                    resources_pb2.TaskAssignment(id=a.id) for a in started.task_assignments
                ]
            ),
        ),
        metadata=md(pat),
    )
    out["workers"][user_id] = {
        "start": started.status.code,
        "inputs": sorted(a.input.id for a in started.task_assignments),
        "label": labeled.status.code,
        "submit": submitted.status.code,
        "statuses": sorted({a.status.code for a in submitted.task_assignments}),
    }
final = {}
for user_id, pat in workers:
    counts = stub.GetTaskInputCount(
        service_pb2.GetTaskCountRequest(user_app_id=app, task_id=TASK_ID, user_ids=[user_id]),
        metadata=md(OWNER_PAT),
    )
    c = counts.counts[0]
    final[user_id] = [
        c.pending, c.awaiting_review, c.success, c.review_denied, c.awaiting_consensus_review
    ]
out["counts"] = final
got = stub.GetTask(
    service_pb2.GetTaskRequest(user_app_id=app, task_id=TASK_ID), metadata=md(OWNER_PAT)
)
out["task_status"] = got.task.status.code
print(json.dumps(out))
"""


@pytest.fixture
async def workers(stub, account, new_account) -> list:
    guests = [await new_account() for _ in range(3)]
    for guest in guests:
        await share(stub, account, guest)
    res = await stub.PostConcepts(
        s.PostConceptsRequest(concepts=[r.Concept(id="water")]), metadata=account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    return guests


@pytest.mark.parametrize("mode", ["grpc", "json"])
async def test_the_consensus_task_labeled_to_done(server, rest, account, workers, reference, mode):
    target = f"127.0.0.1:{server.grpc_port}" if mode == "grpc" else rest
    people = [v for w in workers for v in (w.user_id, w.pat)]
    proc = await asyncio.to_thread(
        run_reference, SCRIPT, mode, target, account.user_id, "main", account.pat, *people
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["post_inputs"] == out["post_task"] == sc.SUCCESS
    docs = [f"doc{i}" for i in range(4)]
    a, b, c = (w.user_id for w in workers)
    for user_id in (a, b, c):
        seen = out["workers"][user_id]
        assert seen["start"] == seen["label"] == seen["submit"] == sc.SUCCESS
        assert seen["inputs"] == docs  # workers_per_input 3 of 3: everyone labels everything
    # The first waits for consensus; the second agrees with it (approved at
    # once); the third, dissenting after consensus, is denied.
    assert out["workers"][a]["statuses"] == [sc.TASK_ASSIGNMENT_AWAITING_CONSENSUS_REVIEW]
    assert out["workers"][b]["statuses"] == [sc.TASK_ASSIGNMENT_SUCCESS]
    assert out["workers"][c]["statuses"] == [sc.TASK_ASSIGNMENT_REJECTED]
    assert out["counts"] == {a: [0, 0, 4, 0, 0], b: [0, 0, 4, 0, 0], c: [0, 0, 0, 4, 0]}
    assert out["task_status"] == sc.TASK_DONE
