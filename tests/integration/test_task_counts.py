"""GetTaskInputCount, GetTaskAnnotationCount, ListTasks' additional_fields
(users and metrics) and worker_ids, and ListAnnotationWorkers, over gRPC
and REST, at each step of a task's labeling loop."""

from __future__ import annotations

from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import app_of, assert_status, struct
from tests.labeling_team import Action, Team, make_team, users

Worker = r.TaskWorker
Review = r.TaskReview
FIELDS = ("pending", "awaiting_review", "success", "review_denied", "awaiting_consensus_review")


@pytest.fixture
async def team(stub, transport, new_account) -> Team:
    return await make_team(stub, transport, new_account)


def shown(res: Any) -> dict[str, dict[str, int]]:
    """Each count's worker (a user id, or model:<version id>) and its
    non-zero counts."""
    out = {}
    for c in res.counts:
        who = c.worker.user.id or f"model:{c.worker.model.model_version.id}"
        assert c.user_id == c.worker.user.id  # the deprecated name too
        out[who] = {f: getattr(c, f) for f in FIELDS if getattr(c, f)}
    return out


async def counts(team: Team, rpc: str, who: Any = None, **filters: Any):
    request = s.GetTaskCountRequest(user_app_id=team.app, task_id=team.task_id, **filters)
    res = await team.transport.call(rpc, request, (who or team.owner).md())
    assert res.status.code == sc.SUCCESS, res.status
    assert res.task_id == team.task_id and res.app_id == team.app.app_id
    return shown(res)


async def inputs(team: Team, who: Any = None, **filters: Any):
    return await counts(team, "GetTaskInputCount", who, **filters)


async def annotations(team: Team, **filters: Any):
    return await counts(team, "GetTaskAnnotationCount", **filters)


async def listed_task(team: Team, *fields: str) -> r.Task:
    request = s.ListTasksRequest(
        user_app_id=team.app, ids=[team.task_id], additional_fields=list(fields)
    )
    res = await team.transport.call("ListTasks", request, team.owner.md())
    assert res.status.code == sc.SUCCESS, res.status
    [task] = res.tasks
    return task


def metrics(task: r.Task) -> tuple:
    m = task.metrics
    return (
        m.input_source.inputs_count_estimated,
        (m.work.inputs_count_estimated, m.work.inputs_percent_estimated),
        (m.review.inputs_count_estimated, m.review.inputs_percent_estimated),
        list(m.review.inputs_count_estimated_per_reviewer),
        list(m.review.inputs_reviewable_count_estimated_per_reviewer),
        list(m.review.inputs_percent_estimated_per_reviewer),
    )


async def review(team: Team, who: Any, action: int, config: str, assignments: list) -> None:
    ids = [r.TaskAssignment(id=x.id) for x in assignments]
    kind = {
        "review_approve_config": s.ReviewApproveConfig,
        "review_reject_config": s.ReviewRejectConfig,
        "review_request_changes_config": s.ReviewRequestChangesConfig,
    }[config]
    res = await team.put(who, action, **{config: kind(task_assignments=ids)})
    assert res.status.code == sc.SUCCESS, res.status


async def one_worker_reviewed(team: Team) -> tuple[Any, Any]:
    """A FULL task of one worker, with MANUAL review by one reviewer."""
    a, rv = team.workers[0], team.reviewers[0]
    await team.make_task(
        Worker(strategy=Worker.FULL, workers=users(a)),
        Review(strategy=Review.MANUAL, users=[r.User(id=rv.user_id)]),
    )
    return a, rv


class TestFullManual:
    async def test_counts_and_metrics_at_each_step(self, team):
        await team.add_inputs(4)
        a, b = team.workers[:2]
        rv = team.reviewers[0]
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(a, b)),
            Review(strategy=Review.MANUAL, users=[r.User(id=rv.user_id)]),
        )
        # Right after creation, every input is pending for every worker.
        assert await inputs(team) == {a.user_id: {"pending": 4}, b.user_id: {"pending": 4}}
        assert await annotations(team) == {}
        task = await listed_task(team, "all")
        assert metrics(task) == (4, (0, 0), (0, 0), [0], [0], [0])
        # Starting changes no count; submitting moves them.
        started = await team.start(a)
        assert await inputs(team, user_ids=[a.user_id]) == {a.user_id: {"pending": 4}}
        for x in started:
            await team.label(a, x.input.id, True)
        assert await annotations(team) == {a.user_id: {"success": 4}}
        await team.submit(a, started)
        assert await inputs(team) == {
            a.user_id: {"awaiting_review": 4},
            b.user_id: {"pending": 4},
        }
        assert await annotations(team) == {a.user_id: {"awaiting_review": 4}}
        # Each input needs both labelers: no input is labeled yet.
        assert metrics(await listed_task(team, "all")) == (4, (0, 0), (0, 0), [0], [4], [0])
        await team.work(b)
        assert metrics(await listed_task(team, "all")) == (4, (4, 100), (0, 0), [0], [8], [0])
        # The reviewer approves a's, rejects one of b's, sends one back.
        taken = (await team.put(rv, Action.REVIEW_START)).task_assignments
        of_a = [x for x in taken if x.worker.user.id == a.user_id]
        of_b = [x for x in taken if x.worker.user.id == b.user_id]
        await review(team, rv, Action.REVIEW_APPROVE, "review_approve_config", of_a)
        await review(team, rv, Action.REVIEW_REJECT, "review_reject_config", of_b[:1])
        await review(
            team, rv, Action.REVIEW_REQUEST_CHANGES, "review_request_changes_config", of_b[1:2]
        )
        assert await inputs(team) == {
            a.user_id: {"success": 4},
            b.user_id: {"pending": 1, "awaiting_review": 2, "review_denied": 1},
        }
        assert await annotations(team) == {
            a.user_id: {"success": 4},
            b.user_id: {"pending": 1, "awaiting_review": 2, "review_denied": 1},
        }
        # 3 inputs labeled by both; 1 approved for a and rejected for b;
        # the reviewer decided 5 assignments and holds 2 more.
        assert metrics(await listed_task(team, "all")) == (
            4,
            (3, 75),
            (1, 25),
            [5],
            [7],
            [71],
        )
        await team.work(b)
        res = await team.put(
            rv,
            Action.REVIEW_APPROVE,
            review_approve_config=s.ReviewApproveConfig(workers=users(b)),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await inputs(team) == {
            a.user_id: {"success": 4},
            b.user_id: {"success": 3, "review_denied": 1},
        }
        assert metrics(await listed_task(team, "all")) == (
            4,
            (4, 100),
            (4, 100),
            [8],
            [8],
            [100],
        )
        assert await team.task_status() == sc.TASK_DONE

    async def test_only_the_metrics_asked_for(self, team):
        await team.add_inputs(3)
        await one_worker_reviewed(team)
        plain = await listed_task(team)
        assert not plain.HasField("metrics")
        task = await listed_task(
            team,
            "metrics.input_source.inputs_count_estimated",
            "metrics.review.inputs_reviewable_count_estimated_per_reviewer",
        )
        assert task.metrics.input_source.inputs_count_estimated == 3
        assert not task.metrics.HasField("work")
        assert list(task.metrics.review.inputs_reviewable_count_estimated_per_reviewer) == [0]
        assert not task.metrics.review.inputs_count_estimated_per_reviewer

    async def test_users_filled_in(self, team):
        a, rv = await one_worker_reviewed(team)
        plain = await listed_task(team)
        assert not plain.worker.workers[0].user.HasField("created_at")
        task = await listed_task(team, "worker.users", "review.users")
        assert task.worker.workers[0].user.id == a.user_id
        assert task.worker.workers[0].user.HasField("created_at")
        assert task.worker.users[0].HasField("created_at")
        assert task.review.users[0].id == rv.user_id
        assert task.review.users[0].HasField("created_at")
        only_workers = await listed_task(team, "worker.users")
        assert not only_workers.review.users[0].HasField("created_at")


class TestPartitioned:
    async def test_pending_follows_the_partition(self, team):
        await team.add_inputs(20)
        a, b = team.workers[:2]
        info = r.TaskWorkerPartitionedStrategyInfo(
            type=r.TaskWorkerPartitionedStrategyInfo.EVENLY, workers_per_input=1
        )
        await team.make_task(
            Worker(
                strategy=Worker.PARTITIONED, workers=users(a, b), partitioned_strategy_info=info
            ),
            Review(strategy=Review.NONE),
        )
        first = await inputs(team)
        share_a, share_b = first[a.user_id]["pending"], first[b.user_id]["pending"]
        assert share_a + share_b == 20 and abs(share_a - share_b) <= 2
        started = await team.start(a)
        assert len(started) == min(10, share_a)
        assert await inputs(team) == first
        done = await team.work(a)
        assert len(done) == share_a
        assert await inputs(team) == {
            a.user_id: {"success": share_a},
            b.user_id: {"pending": share_b},
        }
        task = await listed_task(team, "all")
        assert metrics(task)[:3] == (20, (share_a, share_a * 5), (share_a, share_a * 5))
        # Inputs added later are split the same way, and pending at once.
        await team.add_inputs(10)
        later = await inputs(team)
        assert later[a.user_id]["pending"] + later[b.user_id]["pending"] == 10 + share_b
        assert len(await team.work(a)) == later[a.user_id]["pending"]

    async def test_dynamic_counts_only_what_was_taken(self, team):
        await team.add_inputs(3)
        a, b = team.workers[:2]
        await team.make_task(
            Worker(strategy=Worker.DYNAMIC, workers=users(a, b)), Review(strategy=Review.NONE)
        )
        assert await inputs(team) == {a.user_id: {}, b.user_id: {}}
        await team.start(a)
        assert await inputs(team) == {a.user_id: {"pending": 3}, b.user_id: {}}


async def labeled_by_a(team: Team) -> tuple[Any, Any]:
    """Two inputs, a FULL task of workers a and b without review; a labels
    both."""
    await team.add_inputs(2)
    a, b = team.workers[:2]
    await team.make_task(
        Worker(strategy=Worker.FULL, workers=users(a, b)), Review(strategy=Review.NONE)
    )
    await team.work(a)
    return a, b


class TestFilters:
    async def test_user_and_model_filters(self, team, stub):
        a, b = await labeled_by_a(team)
        # "me" is the caller; filters narrow the workers counted.
        assert await inputs(team, a, user_ids=["me"]) == {a.user_id: {"success": 2}}
        assert await inputs(team, user_ids=[b.user_id, "nobody"]) == {b.user_id: {"pending": 2}}
        assert await inputs(team, model_version_ids=["mv"]) == {}
        # A model writing the task's annotations is a worker of them.
        version = await writer(stub, team)
        assert await annotations(team) == {
            a.user_id: {"success": 2},
            f"model:{version}": {"awaiting_review": 1},
        }
        assert await annotations(team, model_version_ids=[version]) == {
            f"model:{version}": {"awaiting_review": 1}
        }
        both = await annotations(team, user_ids=[a.user_id], model_version_ids=[version])
        assert set(both) == {a.user_id, f"model:{version}"}
        assert await annotations(team, user_ids=[b.user_id]) == {}
        assert await annotations(team, workflow_version_ids=["wf"]) == {}
        res = await team.transport.call(
            "GetTaskAnnotationCount",
            s.GetTaskCountRequest(
                user_app_id=team.app, task_id=team.task_id, model_version_ids=[version]
            ),
            team.owner.md(),
        )
        model = res.counts[0].worker.model
        assert (model.id, model.app_id, model.user_id) == (
            "writer",
            team.app.app_id,
            team.owner.user_id,
        )

    async def test_list_tasks_by_worker_ids(self, team, stub):
        a, b = team.workers[:2]
        mine = await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(a)), Review(strategy=Review.NONE)
        )
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(b)), Review(strategy=Review.NONE)
        )
        res = await stub.ListTasks(
            s.ListTasksRequest(user_app_id=team.app, worker_ids=[r.WorkerIDSet(user_id=a.user_id)]),
            metadata=team.owner.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [t.id for t in res.tasks] == [mine]
        res = await stub.ListTasks(
            s.ListTasksRequest(user_app_id=team.app, worker_ids=[r.WorkerIDSet(model_id="m")]),
            metadata=team.owner.md(),
        )
        assert_status(res, sc.CONN_INVALID_REQUEST, "worker_ids[0].user_id")


async def writer(stub, team: Team) -> str:
    """An annotation-writer model writing the task's annotations awaiting
    review; it annotates the team's first input once. Its version id."""
    params = struct(task_id=team.task_id, annotation_status=sc.ANNOTATION_AWAITING_REVIEW)
    res = await stub.PostModels(
        s.PostModelsRequest(
            user_app_id=team.app,
            models=[
                r.Model(
                    id="writer",
                    model_type_id="annotation-writer",
                    output_info=r.OutputInfo(params=params),
                )
            ],
        ),
        metadata=team.owner.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    app_input = r.Input(id=team.inputs[0], data=r.Data(concepts=[r.Concept(id="cat", value=1)]))
    out = await stub.PostModelOutputs(
        s.PostModelOutputsRequest(user_app_id=team.app, model_id="writer", inputs=[app_input]),
        metadata=team.owner.md(),
    )
    assert out.status.code == sc.SUCCESS, out.status
    return res.model.model_version.id


class TestRefusals:
    async def test_bad_requests(self, team):
        await team.make_task(
            Worker(strategy=Worker.FULL, workers=users(team.workers[0])),
            Review(strategy=Review.NONE),
        )
        for rpc in ("GetTaskInputCount", "GetTaskAnnotationCount"):
            res = await team.transport.call(
                rpc, s.GetTaskCountRequest(user_app_id=team.app, task_id="ghost"), team.owner.md()
            )
            assert_status(res, sc.TASK_MISSING, "ghost", "task_id")
            res = await team.transport.call(
                rpc,
                s.GetTaskCountRequest(user_app_id=team.app, task_id=team.task_id, user_ids=[""]),
                team.owner.md(),
            )
            assert_status(res, sc.CONN_INVALID_REQUEST, "user_ids[0]")
        res = await team.transport.call(
            "ListTasks",
            s.ListTasksRequest(user_app_id=team.app, additional_fields=["metrics", "all"]),
            team.owner.md(),
        )
        assert_status(res, sc.CONN_INVALID_REQUEST, "additional_fields[0]", "worker.users")
        res = await team.transport.call(
            "ListAnnotationWorkers",
            s.ListAnnotationWorkersRequest(user_app_id=team.app, additional_fields=["ids"]),
            team.owner.md(),
        )
        assert_status(res, sc.CONN_INVALID_REQUEST, "additional_fields[0]", "names")


class TestAnnotationWorkers:
    async def test_users_then_models_paged(self, team, stub):
        a, b = await labeled_by_a(team)
        await team.work(b)
        version = await writer(stub, team)

        async def listed(**kw: Any) -> list[str]:
            res = await team.transport.call(
                "ListAnnotationWorkers",
                s.ListAnnotationWorkersRequest(user_app_id=team.app, **kw),
                team.owner.md(),
            )
            assert res.status.code == sc.SUCCESS, res.status
            return [
                w.user.id
                if w.HasField("user")
                else f"model:{w.model.id}:{w.model.model_version.id}"
                for w in res.workers
            ]

        people = sorted([a.user_id, b.user_id])
        everyone = await listed()
        assert [w for w in everyone if not w.startswith("model:")] == sorted(
            w for w in everyone if not w.startswith("model:")
        )
        assert set(people) <= set(everyone)
        assert everyone[-1] == f"model:writer:{version}"
        assert await listed(page=2, per_page=1) == everyone[1:2]
        assert await listed(page=len(everyone) + 1, per_page=1) == []
        # trusted_only: the app's members, no model.
        trusted = await listed(trusted_only=True)
        assert set(people) <= set(trusted) and not any(w.startswith("model:") for w in trusted)
        assert await listed(additional_fields=["names"]) == everyone

    async def test_an_app_without_annotations(self, stub, transport, account):
        res = await transport.call(
            "ListAnnotationWorkers",
            s.ListAnnotationWorkersRequest(user_app_id=app_of(account)),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert list(res.workers) == []
