"""A team labeling a task: an owner's app with workers and reviewers who
are collaborators, each calling with their own PAT on the owner's app, as
in the reference. Workers label by posting annotations with the task's id,
then submit (tests of the labeling loop and of its counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from clarifai.api.status import status_pb2

from tests.helpers import app_of, share

Action = s.PutTaskAssignmentsRequestAction
ANNOTATION_CODES = (
    sc.ANNOTATION_SUCCESS,
    sc.ANNOTATION_PENDING,
    sc.ANNOTATION_AWAITING_REVIEW,
    sc.ANNOTATION_AWAITING_CONSENSUS_REVIEW,
    sc.ANNOTATION_REVIEW_DENIED,
)


@dataclass
class Team:
    stub: Any
    transport: Any
    owner: Any
    workers: list[Any]
    reviewers: list[Any]
    task_id: str = ""
    inputs: list[str] = field(default_factory=list)

    @property
    def app(self) -> r.UserAppIDSet:
        return app_of(self.owner)

    async def add_inputs(self, n: int, prefix: str = "in") -> list[str]:
        start = len(self.inputs)
        ids = [f"{prefix}{i:04d}" for i in range(start, start + n)]
        for chunk in range(0, n, 128):
            res = await self.stub.PostInputs(
                s.PostInputsRequest(
                    user_app_id=self.app,
                    inputs=[
                        r.Input(id=i, data=r.Data(text=r.Text(raw=f"text {i}")))
                        for i in ids[chunk : chunk + 128]
                    ],
                ),
                metadata=self.owner.md(),
            )
            assert res.status.code == sc.SUCCESS, res.status
        self.inputs += ids
        return ids

    async def make_task(self, worker: r.TaskWorker, review: r.TaskReview, **kw: Any) -> str:
        task = r.Task(
            type=r.Task.CONCEPTS_CLASSIFICATION,
            name="label",
            worker=worker,
            concepts=[r.TaskConcept(concept=r.Concept(id="cat"))],
            input_source=r.TaskInputSource(type=r.TaskInputSource.ALL_INPUTS),
            review=review,
            **kw,
        )
        res = await self.transport.call(
            "PostTasks", s.PostTasksRequest(user_app_id=self.app, tasks=[task]), self.owner.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        self.task_id = res.tasks[0].id
        return self.task_id

    async def put(self, who: Any, action: int, **config: Any):
        request = s.PutTaskAssignmentsRequest(
            user_app_id=self.app, task_id=self.task_id, action=action, **config
        )
        return await self.transport.call("PutTaskAssignments", request, who.md())

    async def start(self, who: Any) -> list[r.TaskAssignment]:
        res = await self.put(who, Action.LABEL_START)
        assert res.status.code == sc.SUCCESS, res.status
        return list(res.task_assignments)

    async def label(self, who: Any, input_id: str, cat: bool) -> None:
        res = await self.stub.PostAnnotations(
            s.PostAnnotationsRequest(
                user_app_id=self.app,
                annotations=[
                    r.Annotation(
                        input_id=input_id,
                        task_id=self.task_id,
                        data=r.Data(concepts=[r.Concept(id="cat", value=1.0 if cat else 0.0)]),
                    )
                ],
            ),
            metadata=who.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status

    async def submit(self, who: Any, assignments: list[r.TaskAssignment]):
        config = s.LabelSubmitConfig(
            task_assignments=[r.TaskAssignment(id=a.id) for a in assignments]
        )
        res = await self.put(who, Action.LABEL_SUBMIT, label_submit_config=config)
        assert res.status.code == sc.SUCCESS, res.status
        return list(res.task_assignments)

    async def work(self, who: Any, cat=lambda input_id: True) -> list[r.TaskAssignment]:
        """Label everything the worker is given, 10 at a time."""
        done: list[r.TaskAssignment] = []
        while batch := await self.start(who):
            for a in batch:
                await self.label(who, a.input.id, cat(a.input.id))
            done += await self.submit(who, batch)
        return done

    async def task_status(self) -> int:
        res = await self.stub.GetTask(
            s.GetTaskRequest(user_app_id=self.app, task_id=self.task_id), metadata=self.owner.md()
        )
        return res.task.status.code

    async def input_counts(self) -> dict[str, tuple[int, ...]]:
        """GetTaskInputCount as the owner reads it: per worker, (pending,
        awaiting_review, success, review_denied, awaiting_consensus_review)."""
        res = await self.transport.call(
            "GetTaskInputCount",
            s.GetTaskCountRequest(user_app_id=self.app, task_id=self.task_id),
            self.owner.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        return {
            c.worker.user.id: (
                c.pending,
                c.awaiting_review,
                c.success,
                c.review_denied,
                c.awaiting_consensus_review,
            )
            for c in res.counts
        }

    async def task_annotations(self) -> list[r.Annotation]:
        res = await self.stub.ListAnnotations(
            s.ListAnnotationsRequest(
                user_app_id=self.app,
                task_id=self.task_id,
                per_page=1000,
                statuses=[status_pb2.Status(code=c) for c in ANNOTATION_CODES],
            ),
            metadata=self.owner.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        return list(res.annotations)


def users(*accounts: Any) -> list[r.Worker]:
    return [r.Worker(user=r.User(id=a.user_id)) for a in accounts]


async def make_team(stub, transport, new_account) -> Team:
    """An owner and four collaborators: three workers, one reviewer."""
    owner = await new_account()
    members = [await new_account() for _ in range(4)]
    for m in members:
        await share(stub, owner, m)
    res = await stub.PostConcepts(
        s.PostConceptsRequest(user_app_id=app_of(owner), concepts=[r.Concept(id="cat")]),
        metadata=owner.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return Team(stub, transport, owner, workers=members[:3], reviewers=members[3:])


def codes(assignments: list[r.TaskAssignment]) -> Counter[int]:
    return Counter(a.status.code for a in assignments)
