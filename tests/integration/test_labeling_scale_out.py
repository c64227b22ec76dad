"""Many workers labeling one task through two `clarifai-local serve`
processes on one database: no input goes to more workers than the task
asks, none is lost, and every label is reviewed as the strategy says.

Eight workers each run the loop (LABEL_START, post their labels, submit),
each call going to either process at random, all at once. The database is
then read directly for what a worker could not see: how many assignments
each input got."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import md
from tests.processes import Serving, accounts, new_database, query, serve

Action = s.PutTaskAssignmentsRequestAction
WORKERS = 8
INPUTS = 750


@dataclass
class Deployment:
    database_url: str
    data_dir: Path
    a: Serving
    b: Serving

    def query(self, sql: str, *params: object) -> list[tuple]:
        return query(self.database_url, sql, *params)


@pytest.fixture(scope="module")
def deployment(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    data_dir = tmp_path_factory.mktemp("labeling")
    with (
        new_database(database_url, "clarifai_labeling") as url,
        serve(url, data_dir, "a") as a,
        serve(url, data_dir, "b") as b,
    ):
        a.wait_serving()
        b.wait_serving()
        yield Deployment(url, data_dir, a, b)
        assert (a.stop(), b.stop()) == (0, 0), a.log.read_text() + b.log.read_text()


@pytest.fixture(scope="module")
async def stubs(deployment: Deployment) -> AsyncIterator[tuple[service_pb2_grpc.V2Stub, ...]]:
    async with (
        grpc.aio.insecure_channel(f"127.0.0.1:{deployment.a.grpc_port}") as a,
        grpc.aio.insecure_channel(f"127.0.0.1:{deployment.b.grpc_port}") as b,
    ):
        yield service_pb2_grpc.V2Stub(a), service_pb2_grpc.V2Stub(b)


@dataclass
class Crew:
    owner: dict[str, str]
    workers: list[dict[str, str]]
    reviewer: dict[str, str]

    @property
    def app(self) -> r.UserAppIDSet:
        return r.UserAppIDSet(user_id=self.owner["user_id"], app_id=self.owner["app_id"])


@pytest.fixture(scope="module")
async def crew(deployment: Deployment, stubs) -> Crew:
    people = await accounts(deployment.database_url, WORKERS + 2)
    owner, reviewer, *workers = people
    crew = Crew(owner, workers, reviewer)
    stub = stubs[0]
    res = await stub.PostCollaborators(
        s.PostCollaboratorsRequest(
            user_app_id=crew.app,
            collaborators=[
                r.Collaborator(user=r.User(id=p["user_id"]), scopes=["All"])
                for p in [reviewer, *workers]
            ],
        ),
        metadata=md(owner["pat"]),
    )
    assert res.status.code == sc.SUCCESS, res.status
    res = await stub.PostConcepts(
        s.PostConceptsRequest(user_app_id=crew.app, concepts=[r.Concept(id="cat")]),
        metadata=md(owner["pat"]),
    )
    assert res.status.code == sc.SUCCESS, res.status
    for start in range(0, INPUTS, 128):
        inputs = [
            r.Input(id=f"in{i:05d}", data=r.Data(text=r.Text(raw=f"text {i}")))
            for i in range(start, min(INPUTS, start + 128))
        ]
        res = await stubs[start % 2].PostInputs(
            s.PostInputsRequest(user_app_id=crew.app, inputs=inputs), metadata=md(owner["pat"])
        )
        assert res.status.code == sc.SUCCESS, res.status
    return crew


async def make_task(stub, crew: Crew, worker: r.TaskWorker, review: r.TaskReview) -> str:
    task = r.Task(
        type=r.Task.CONCEPTS_CLASSIFICATION,
        worker=worker,
        concepts=[r.TaskConcept(concept=r.Concept(id="cat"))],
        input_source=r.TaskInputSource(type=r.TaskInputSource.ALL_INPUTS),
        review=review,
    )
    res = await stub.PostTasks(
        s.PostTasksRequest(user_app_id=crew.app, tasks=[task]), metadata=md(crew.owner["pat"])
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.tasks[0].id


async def label_all(stubs, crew: Crew, task_id: str, who: dict[str, str], seed: int) -> int:
    """One worker's loop until nothing is left; how many inputs it labeled."""
    pick = random.Random(seed)
    labeled = 0
    while True:
        put = s.PutTaskAssignmentsRequest(
            user_app_id=crew.app, task_id=task_id, action=Action.LABEL_START
        )
        res = await pick.choice(stubs).PutTaskAssignments(put, metadata=md(who["pat"]))
        assert res.status.code == sc.SUCCESS, res.status
        batch = list(res.task_assignments)
        if not batch:
            return labeled
        annotations = [
            r.Annotation(
                input_id=a.input.id,
                task_id=task_id,
                data=r.Data(concepts=[r.Concept(id="cat", value=1.0)]),
            )
            for a in batch
        ]
        res = await pick.choice(stubs).PostAnnotations(
            s.PostAnnotationsRequest(user_app_id=crew.app, annotations=annotations),
            metadata=md(who["pat"]),
        )
        assert res.status.code == sc.SUCCESS, res.status
        put = s.PutTaskAssignmentsRequest(
            user_app_id=crew.app,
            task_id=task_id,
            action=Action.LABEL_SUBMIT,
            label_submit_config=s.LabelSubmitConfig(
                task_assignments=[r.TaskAssignment(id=a.id) for a in batch]
            ),
        )
        res = await pick.choice(stubs).PutTaskAssignments(put, metadata=md(who["pat"]))
        assert res.status.code == sc.SUCCESS, res.status
        labeled += len(batch)


async def test_dynamic_consensus_gives_each_input_to_exactly_two_workers(
    deployment: Deployment, stubs, crew: Crew
) -> None:
    review = r.TaskReview(
        strategy=r.TaskReview.CONSENSUS,
        users=[r.User(id=crew.reviewer["user_id"])],
        consensus_strategy_info=r.TaskReviewConsensusStrategyInfo(approval_threshold_labelers=2),
    )
    worker = r.TaskWorker(
        strategy=r.TaskWorker.DYNAMIC,
        workers=[r.Worker(user=r.User(id=w["user_id"])) for w in crew.workers],
    )
    task_id = await make_task(stubs[0], crew, worker, review)
    counts = await asyncio.gather(
        *(label_all(stubs, crew, task_id, w, n) for n, w in enumerate(crew.workers))
    )
    assert sum(counts) == 2 * INPUTS
    assert min(counts) > 0  # every worker got a share
    per_input = deployment.query(
        "SELECT count(*), count(DISTINCT worker_user_id), min(a.status_code), max(a.status_code) "
        "FROM task_assignments a JOIN tasks t ON t.pk = a.task_pk WHERE t.id = %s "
        "GROUP BY a.input_pk",
        task_id,
    )
    assert len(per_input) == INPUTS
    assert set(per_input) == {(2, 2, sc.TASK_ASSIGNMENT_SUCCESS, sc.TASK_ASSIGNMENT_SUCCESS)}
    # The labelers agreed: consensus approved every label, no review needed.
    [(labels, approved)] = deployment.query(
        "SELECT count(*), count(*) FILTER (WHERE status_code = %s) FROM annotations "
        "WHERE task_id = %s",
        sc.ANNOTATION_SUCCESS,
        task_id,
    )
    assert labels == approved == 2 * INPUTS
    [(status,)] = deployment.query("SELECT status_code FROM tasks WHERE id = %s", task_id)
    assert status == sc.TASK_DONE


async def test_partitioned_manual_review_through_both_processes(
    deployment: Deployment, stubs, crew: Crew
) -> None:
    info = r.TaskWorkerPartitionedStrategyInfo(
        type=r.TaskWorkerPartitionedStrategyInfo.EVENLY, workers_per_input=3
    )
    worker = r.TaskWorker(
        strategy=r.TaskWorker.PARTITIONED,
        workers=[r.Worker(user=r.User(id=w["user_id"])) for w in crew.workers],
        partitioned_strategy_info=info,
    )
    review = r.TaskReview(
        strategy=r.TaskReview.MANUAL,
        users=[r.User(id=crew.reviewer["user_id"])],
        manual_strategy_info=r.TaskReviewManualStrategyInfo(sample_percentage=0.2),
    )
    task_id = await make_task(stubs[1], crew, worker, review)
    counts = await asyncio.gather(
        *(label_all(stubs, crew, task_id, w, 100 + n) for n, w in enumerate(crew.workers))
    )
    assert sum(counts) == 3 * INPUTS
    for n in counts:  # an even split: 3/8 of the inputs each
        assert abs(n - 3 * INPUTS / WORKERS) < 0.02 * INPUTS
    per_input = deployment.query(
        "SELECT count(DISTINCT worker_user_id) FROM task_assignments a "
        "JOIN tasks t ON t.pk = a.task_pk WHERE t.id = %s GROUP BY a.input_pk",
        task_id,
    )
    assert len(per_input) == INPUTS and set(per_input) == {(3,)}
    # A fifth of the labels await the reviewer, who approves them all.
    [(awaiting,)] = deployment.query(
        "SELECT count(*) FROM task_assignments a JOIN tasks t ON t.pk = a.task_pk "
        "WHERE t.id = %s AND a.status_code = %s",
        task_id,
        sc.TASK_ASSIGNMENT_AWAITING_REVIEW,
    )
    assert abs(awaiting - 0.2 * 3 * INPUTS) < 0.02 * 3 * INPUTS
    reviewed = 0
    while True:
        start = s.PutTaskAssignmentsRequest(
            user_app_id=crew.app, task_id=task_id, action=Action.REVIEW_START
        )
        res = await stubs[reviewed % 2].PutTaskAssignments(start, metadata=md(crew.reviewer["pat"]))
        assert res.status.code == sc.SUCCESS, res.status
        if not res.task_assignments:
            break
        approve = s.PutTaskAssignmentsRequest(
            user_app_id=crew.app,
            task_id=task_id,
            action=Action.REVIEW_APPROVE,
            review_approve_config=s.ReviewApproveConfig(
                task_assignments=[r.TaskAssignment(id=a.id) for a in res.task_assignments]
            ),
        )
        res = await stubs[(reviewed + 1) % 2].PutTaskAssignments(
            approve, metadata=md(crew.reviewer["pat"])
        )
        assert res.status.code == sc.SUCCESS, res.status
        reviewed += len(res.task_assignments)
    assert reviewed == awaiting
    [(status,)] = deployment.query("SELECT status_code FROM tasks WHERE id = %s", task_id)
    assert status == sc.TASK_DONE
