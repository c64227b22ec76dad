"""The labeling loop over gRPC and REST: PutTaskAssignments (every action)
and ListNextTaskAssignments, for each worker and review strategy of the
Tasks guide, from task creation to TASK_DONE.

A team is an owner's app with workers and reviewers who are collaborators;
each calls with their own PAT on the owner's app, as in the reference.
Workers label by posting annotations with the task's id, then submit."""

from __future__ import annotations

from collections import Counter

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from tests.helpers import assert_status, struct
from tests.labeling_team import Action, Team, codes, make_team, users

Worker = r.TaskWorker
Review = r.TaskReview
Partitioned = r.TaskWorkerPartitionedStrategyInfo


@pytest.fixture
async def team(stub, transport, new_account) -> Team:
    return await make_team(stub, transport, new_account)


class TestFullNone:
    async def test_each_worker_labels_every_input_then_the_task_is_done(self, team):
        await team.add_inputs(12)
        a, b = team.workers[:2]
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(a, b)), Review(strategy=Review.NONE)
        )
        assert await team.input_counts() == {
            a.user_id: (12, 0, 0, 0, 0),
            b.user_id: (12, 0, 0, 0, 0),
        }
        first = await team.start(a)
        assert [x.input.id for x in first] == team.inputs[:10]
        assert codes(first) == {sc.TASK_ASSIGNMENT_PENDING: 10}
        assert all(x.worker.user.id == a.user_id for x in first)
        assert first[0].input.data.text.raw == "text in0000"
        # Asking again hands out the same ones.
        assert [x.id for x in await team.start(a)] == [x.id for x in first]
        for x in first:
            await team.label(a, x.input.id, True)
        submitted = await team.submit(a, first)
        assert codes(submitted) == {sc.TASK_ASSIGNMENT_SUCCESS: 10}
        assert (await team.input_counts())[a.user_id] == (2, 0, 10, 0, 0)
        rest = await team.start(a)
        assert [x.input.id for x in rest] == team.inputs[10:]
        await team.work(a)
        assert await team.start(a) == []
        assert await team.task_status() == sc.TASK_IN_PROGRESS
        done_b = await team.work(b, cat=lambda i: False)
        assert len(done_b) == 12
        assert await team.input_counts() == {
            a.user_id: (0, 0, 12, 0, 0),
            b.user_id: (0, 0, 12, 0, 0),
        }
        assert await team.task_status() == sc.TASK_DONE
        annotations = await team.task_annotations()
        assert Counter(x.user_id for x in annotations) == {a.user_id: 12, b.user_id: 12}
        assert {x.status.code for x in annotations} == {sc.ANNOTATION_SUCCESS}

    async def test_inputs_added_later_are_handed_out(self, team):
        await team.add_inputs(3)
        a = team.workers[0]
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(a)), Review(strategy=Review.NONE)
        )
        await team.work(a)
        assert await team.task_status() == sc.TASK_DONE
        later = await team.add_inputs(2)
        assert [x.input.id for x in await team.start(a)] == later


class TestPatchedTeams:
    async def test_a_removed_worker_hands_back_what_it_started(self, team):
        await team.add_inputs(12)
        a, b = team.workers[:2]
        await team.make_task(
            Worker(strategy=Worker.DYNAMIC, workers=users(a, b)), Review(strategy=Review.NONE)
        )
        started = await team.start(a)
        assert len(started) == 10
        got = await team.stub.GetTask(
            s.GetTaskRequest(user_app_id=team.app, task_id=team.task_id), metadata=team.owner.md()
        )
        task = got.task
        task.worker.ClearField("workers")
        task.worker.ClearField("users")
        task.worker.ClearField("user_ids")
        task.worker.workers.extend(users(b))
        for name in ("id", "created_at", "modified_at", "app_id", "user_id", "status"):
            if name != "id":
                task.ClearField(name)
        res = await team.transport.call(
            "PatchTasks",
            s.PatchTasksRequest(user_app_id=team.app, action="overwrite", tasks=[task]),
            team.owner.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        denied = await team.put(a, Action.LABEL_START)
        assert_status(denied, sc.TASK_PERMISSION_DENIED, a.user_id)
        # What a had started is b's to take now: b labels all 12.
        assert len(await team.work(b)) == 12
        assert await team.input_counts() == {b.user_id: (0, 0, 12, 0, 0)}
        assert await team.task_status() == sc.TASK_DONE


class TestPartitioned:
    async def test_weighted_shares_each_input_once(self, team):
        await team.add_inputs(300)
        a, b = team.workers[:2]
        info = Partitioned(
            type=Partitioned.WEIGHTED,
            workers_per_input=1,
            weights=struct(**{a.user_id: 9, b.user_id: 1}),
        )
        await team.make_task(
            Worker(
                strategy=Worker.PARTITIONED, workers=users(a, b), partitioned_strategy_info=info
            ),
            Review(strategy=Review.NONE),
        )
        before = await team.input_counts()
        got_a = {x.input.id for x in await team.work(a)}
        got_b = {x.input.id for x in await team.work(b)}
        # What each was to get is what it got.
        assert before == {a.user_id: (len(got_a), 0, 0, 0, 0), b.user_id: (len(got_b), 0, 0, 0, 0)}
        assert await team.input_counts() == {
            a.user_id: (0, 0, len(got_a), 0, 0),
            b.user_id: (0, 0, len(got_b), 0, 0),
        }
        assert not got_a & got_b
        assert got_a | got_b == set(team.inputs)
        assert abs(len(got_a) / 300 - 0.9) < 0.02
        assert await team.task_status() == sc.TASK_DONE
        # Inputs added later are split the same way; earlier ones stay put.
        later = await team.add_inputs(100)
        again_a = {x.input.id for x in await team.work(a)}
        again_b = {x.input.id for x in await team.work(b)}
        assert again_a | again_b == set(later) and not again_a & again_b

    async def test_two_workers_per_input(self, team):
        await team.add_inputs(60)
        workers = team.workers
        info = Partitioned(type=Partitioned.EVENLY, workers_per_input=2)
        await team.make_task(
            Worker(
                strategy=Worker.PARTITIONED, workers=users(*workers), partitioned_strategy_info=info
            ),
            Review(strategy=Review.NONE),
        )
        per_input: Counter[str] = Counter()
        for w in workers:
            got = [x.input.id for x in await team.work(w)]
            assert len(got) == len(set(got))
            per_input.update(got)
            assert abs(len(got) - 40) <= 3  # 2/3 of 60
        assert set(per_input.values()) == {2} and len(per_input) == 60
        assert await team.task_status() == sc.TASK_DONE


class TestManualReview:
    async def test_a_sample_awaits_review(self, team):
        await team.add_inputs(20)
        a = team.workers[0]
        reviewer = team.reviewers[0]
        review = Review(
            strategy=Review.MANUAL,
            users=[r.User(id=reviewer.user_id)],
            manual_strategy_info=r.TaskReviewManualStrategyInfo(sample_percentage=0.5),
        )
        await team.make_task(Worker(strategy=Worker.FULL, workers=users(a)), review)
        done = await team.work(a)
        awaiting = [x for x in done if x.status.code == sc.TASK_ASSIGNMENT_AWAITING_REVIEW]
        assert 7 <= len(awaiting) <= 13
        assert codes(done)[sc.TASK_ASSIGNMENT_SUCCESS] == 20 - len(awaiting)
        statuses = Counter(x.status.code for x in await team.task_annotations())
        assert statuses[sc.ANNOTATION_AWAITING_REVIEW] == len(awaiting)
        # Only reviewers review; only workers label.
        denied = await team.put(a, Action.REVIEW_START)
        assert_status(denied, sc.TASK_PERMISSION_DENIED, a.user_id, "reviewer")
        denied = await team.put(reviewer, Action.LABEL_START)
        assert_status(denied, sc.TASK_PERMISSION_DENIED, reviewer.user_id, "worker")
        taken = (await team.put(reviewer, Action.REVIEW_START)).task_assignments
        assert sorted(x.id for x in taken) == sorted(x.id for x in awaiting[:10])
        keep, change, drop = taken[:-2], taken[-2], taken[-1]
        ids = lambda xs: [r.TaskAssignment(id=x.id) for x in xs]  # noqa: E731
        res = await team.put(
            reviewer,
            Action.REVIEW_APPROVE,
            review_approve_config=s.ReviewApproveConfig(task_assignments=ids(keep)),
        )
        assert codes(list(res.task_assignments)) == {sc.TASK_ASSIGNMENT_SUCCESS: len(keep)}
        res = await team.put(
            reviewer,
            Action.REVIEW_REJECT,
            review_reject_config=s.ReviewRejectConfig(task_assignments=ids([drop])),
        )
        assert codes(list(res.task_assignments)) == {sc.TASK_ASSIGNMENT_REJECTED: 1}
        res = await team.put(
            reviewer,
            Action.REVIEW_REQUEST_CHANGES,
            review_request_changes_config=s.ReviewRequestChangesConfig(
                task_assignments=ids([change])
            ),
        )
        assert codes(list(res.task_assignments)) == {sc.TASK_ASSIGNMENT_PENDING: 1}
        # Back with the worker, who submits again; it awaits review again.
        again = await team.start(a)
        assert [x.id for x in again] == [change.id]
        await team.submit(a, again)
        # The rest, approved in bulk by worker.
        res = await team.put(
            reviewer,
            Action.REVIEW_APPROVE,
            review_approve_config=s.ReviewApproveConfig(workers=users(a)),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await team.task_status() == sc.TASK_DONE
        statuses = Counter(x.status.code for x in await team.task_annotations())
        assert statuses == {sc.ANNOTATION_SUCCESS: 19, sc.ANNOTATION_REVIEW_DENIED: 1}


class TestConsensus:
    async def test_agreeing_labels_are_approved_and_disagreements_reviewed(self, team):
        await team.add_inputs(10)
        a, b, c = team.workers
        reviewer = team.reviewers[0]
        info = Partitioned(type=Partitioned.EVENLY, workers_per_input=2)
        review = Review(
            strategy=Review.CONSENSUS,
            users=[r.User(id=reviewer.user_id)],
            consensus_strategy_info=r.TaskReviewConsensusStrategyInfo(
                approval_threshold_labelers=2
            ),
        )
        await team.make_task(
            Worker(
                strategy=Worker.PARTITIONED, workers=users(a, b, c), partitioned_strategy_info=info
            ),
            review,
        )
        odd = lambda i: int(i[-1]) % 2 == 1  # noqa: E731
        first = await team.work(a, cat=odd)
        assert codes(first) == {sc.TASK_ASSIGNMENT_AWAITING_CONSENSUS_REVIEW: len(first)}
        assert (await team.input_counts())[a.user_id] == (0, 0, 0, 0, len(first))
        # b agrees with everyone on odd inputs, c disagrees on every input.
        await team.work(b, cat=odd)
        await team.work(c, cat=lambda i: not odd(i))
        taken = (await team.put(reviewer, Action.REVIEW_START)).task_assignments
        # Inputs labeled by a and b agree: approved; the others await review.
        assert taken and all(x.status.code == sc.TASK_ASSIGNMENT_AWAITING_REVIEW for x in taken)
        assert {x.worker.user.id for x in taken} <= {a.user_id, b.user_id, c.user_id}
        while taken:
            await team.put(
                reviewer,
                Action.REVIEW_APPROVE,
                review_approve_config=s.ReviewApproveConfig(
                    task_assignments=[r.TaskAssignment(id=x.id) for x in taken]
                ),
            )
            taken = (await team.put(reviewer, Action.REVIEW_START)).task_assignments
        assert await team.task_status() == sc.TASK_DONE

    async def test_dynamic_hands_each_input_to_enough_labelers(self, team):
        await team.add_inputs(15)
        a, b, c = team.workers
        reviewer = team.reviewers[0]
        review = Review(
            strategy=Review.CONSENSUS,
            users=[r.User(id=reviewer.user_id)],
            consensus_strategy_info=r.TaskReviewConsensusStrategyInfo(
                approval_threshold_labelers=2
            ),
        )
        await team.make_task(Worker(strategy=Worker.DYNAMIC, workers=users(a, b, c)), review)
        got = Counter()
        for w in (a, b, c):
            got.update(x.input.id for x in await team.work(w))
        assert set(got.values()) == {2} and len(got) == 15
        counts = await team.input_counts()
        assert sum(c[2] for c in counts.values()) == 30 and not any(c[0] for c in counts.values())
        assert await team.task_status() == sc.TASK_DONE
        statuses = Counter(x.status.code for x in await team.task_annotations())
        assert statuses == {sc.ANNOTATION_SUCCESS: 30}


class TestRefusals:
    async def test_bad_requests(self, team):
        await team.add_inputs(2)
        a = team.workers[0]
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(a)), Review(strategy=Review.NONE)
        )
        res = await team.put(a, 0)
        assert_status(res, sc.CONN_INVALID_REQUEST, "action")
        res = await team.put(a, Action.LABEL_SUBMIT, label_submit_config=s.LabelSubmitConfig())
        assert_status(res, sc.CONN_INVALID_REQUEST, "label_submit_config.task_assignments")
        res = await team.put(
            a,
            Action.LABEL_SUBMIT,
            label_submit_config=s.LabelSubmitConfig(task_assignments=[r.TaskAssignment(id="nope")]),
        )
        assert_status(res, sc.CONN_DOES_NOT_EXIST, "label_submit_config.task_assignments[0].id")
        res = await team.put(a, Action.LABEL_START, review_start_config=s.ReviewStartConfig())
        assert_status(res, sc.CONN_INVALID_REQUEST, "review_start_config")
        res = await team.transport.call(
            "PutTaskAssignments",
            s.PutTaskAssignmentsRequest(
                user_app_id=team.app, task_id="missing", action=Action.LABEL_START
            ),
            a.md(),
        )
        assert_status(res, sc.TASK_MISSING, "missing")
        # Another worker's assignment cannot be submitted.
        mine = await team.start(a)
        res = await team.put(
            team.owner,
            Action.LABEL_SUBMIT,
            label_submit_config=s.LabelSubmitConfig(
                task_assignments=[r.TaskAssignment(id=mine[0].id)]
            ),
        )
        assert_status(res, sc.TASK_PERMISSION_DENIED)

    async def test_legacy_input_id_submits(self, team):
        await team.add_inputs(1)
        a = team.workers[0]
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(a)), Review(strategy=Review.NONE)
        )
        [x] = await team.start(a)
        res = await team.transport.call(
            "PutTaskAssignments",
            s.PutTaskAssignmentsRequest(
                user_app_id=team.app, task_id=team.task_id, input_id=x.input.id
            ),
            a.md(),
        )
        assert codes(list(res.task_assignments)) == {sc.TASK_ASSIGNMENT_SUCCESS: 1}
        assert await team.task_status() == sc.TASK_DONE

    async def test_list_next_task_assignments_is_label_start(self, team):
        await team.add_inputs(11)
        a = team.workers[0]
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(a)), Review(strategy=Review.NONE)
        )
        res = await team.transport.call(
            "ListNextTaskAssignments",
            s.ListNextTaskAssignmentsRequest(user_app_id=team.app, task_id=team.task_id),
            a.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [i.id for i in res.inputs] == team.inputs[:10]
        assert [x.input.id for x in await team.start(a)] == team.inputs[:10]


class TestTheGuidesConsensusExample:
    async def test_threshold_above_workers_per_input_sends_every_input_to_review(self, team):
        """The guide's consensus task (three workers, workers_per_input 1,
        approval_threshold 2) sent as its JSON: no input can reach two
        agreeing labelers, so each goes to the reviewer, who approves it."""
        await team.add_inputs(6)
        a, b, c = team.workers
        reviewer = team.reviewers[0]
        body = {
            "type": "CONCEPTS_CLASSIFICATION",
            "name": "Annotate cat",
            "worker": {
                "strategy": "PARTITIONED",
                "user_ids": [a.user_id, b.user_id, c.user_id],
                "partitioned_strategy_info": {
                    "type": "WEIGHTED",
                    "workers_per_input": 1,
                    "weights": {a.user_id: 1, b.user_id: 1, c.user_id: 1},
                },
            },
            "concept_ids": ["cat"],
            "input_source": {"type": "ALL_INPUTS"},
            "sample_ms": 1000,
            "review": {
                "strategy": "CONSENSUS",
                "consensus_strategy_info": {"approval_threshold": 2},
                "user_ids": [reviewer.user_id],
            },
        }
        request = json_format.ParseDict({"tasks": [body]}, s.PostTasksRequest())
        request.user_app_id.CopyFrom(team.app)
        res = await team.transport.call("PostTasks", request, team.owner.md())
        assert res.status.code == sc.SUCCESS, res.status
        team.task_id = res.tasks[0].id
        labeled = [x for w in (a, b, c) for x in await team.work(w)]
        assert len(labeled) == 6
        assert codes(labeled) == {sc.TASK_ASSIGNMENT_AWAITING_REVIEW: 6}
        counts = await team.input_counts()
        assert sum(c[1] for c in counts.values()) == 6
        taken = (await team.put(reviewer, Action.REVIEW_START)).task_assignments
        assert len(taken) == 6
        config = s.ReviewApproveConfig(task_assignments=[r.TaskAssignment(id=x.id) for x in taken])
        res = await team.put(reviewer, Action.REVIEW_APPROVE, review_approve_config=config)
        assert codes(list(res.task_assignments)) == {sc.TASK_ASSIGNMENT_SUCCESS: 6}
        counts = await team.input_counts()
        assert sum(c[2] for c in counts.values()) == 6
        assert await team.task_status() == sc.TASK_DONE
