"""The task rules on their own: worker and review strategies, input sources,
statuses and enum values."""

from __future__ import annotations

from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from server.domain import task_rules
from server.status import ApiError


def task(**overrides: Any) -> r.Task:
    body: dict[str, Any] = {
        "type": "CONCEPTS_CLASSIFICATION",
        "name": "Annotate cat",
        "worker": {"strategy": "FULL"},
        "concept_ids": ["cat"],
        "input_source": {"type": "ALL_INPUTS"},
        "sample_ms": 1000,
        "review": {"strategy": "NONE"},
    }
    body.update(overrides)
    return json_format.ParseDict(body, r.Task())


def partitioned(users: list[str], **info: Any) -> dict[str, Any]:
    return {"strategy": "PARTITIONED", "user_ids": users, "partitioned_strategy_info": info}


def refused(t: r.Task, *expected: str) -> str:
    with pytest.raises(ApiError) as caught:
        task_rules.check_task(t, "tasks[0]")
    assert caught.value.code == sc.CONN_INVALID_REQUEST
    for text in expected:
        assert text in caught.value.details, caught.value.details
    return caught.value.details


class TestAccepted:
    def test_non_assigned(self):
        refs = task_rules.check_task(task(), "tasks[0]")
        assert refs.workers == [] and refs.reviewers == []
        assert refs.concepts == [("tasks[0].concept_ids[0]", "cat")]
        assert refs.input_source_type == r.TaskInputSource.ALL_INPUTS

    def test_weighted_partition_weights_need_not_sum_to_100(self):
        t = task(
            worker=partitioned(
                ["a", "b"], type="WEIGHTED", workers_per_input=1, weights={"a": 9, "b": 1}
            )
        )
        refs = task_rules.check_task(t, "tasks[0]")
        assert refs.worker_ids == ["a", "b"]

    def test_evenly_partition(self):
        t = task(worker=partitioned(["a", "b", "c"], type="EVENLY", workers_per_input=2))
        task_rules.check_task(t, "tasks[0]")

    def test_consensus_threshold_up_to_the_workers(self):
        # The guide's example: 3 workers, one per input, 2 must agree.
        t = task(
            worker=partitioned(
                ["a", "b", "c"],
                type="WEIGHTED",
                workers_per_input=1,
                weights={"a": 1, "b": 1, "c": 1},
            ),
            review={
                "strategy": "CONSENSUS",
                "consensus_strategy_info": {"approval_threshold": 2},
                "user_ids": ["d"],
            },
        )
        refs = task_rules.check_task(t, "tasks[0]")
        assert refs.reviewer_ids == ["d"]

    def test_consensus_current_fields(self):
        t = task(
            worker={"strategy": "FULL", "user_ids": ["a", "b"]},
            review={
                "strategy": "CONSENSUS",
                "users": [{"id": "d"}, {"id": "e"}],
                "consensus_strategy_info": {
                    "approval_threshold_labelers": 2,
                    "approval_threshold_reviewers": -1,
                },
            },
        )
        assert task_rules.check_task(t, "tasks[0]").reviewer_ids == ["d", "e"]

    def test_workers_by_worker_user(self):
        t = task(worker={"strategy": "DYNAMIC", "workers": [{"user": {"id": "a"}}]})
        refs = task_rules.check_task(t, "tasks[0]")
        assert refs.workers == [("tasks[0].worker.workers[0].user.id", "a")]

    def test_manual_review(self):
        t = task(
            review={
                "strategy": "MANUAL",
                "manual_strategy_info": {"sample_percentage": 1},
                "user_ids": ["r"],
            }
        )
        task_rules.check_task(t, "tasks[0]")

    @pytest.mark.parametrize("kind", ["SAVED_SEARCH", "DATASET", "INPUT"])
    def test_sources_with_id(self, kind):
        refs = task_rules.check_task(task(input_source={"type": kind, "id": "x"}), "tasks[0]")
        assert refs.input_source_id == "x"

    def test_given_status(self):
        task_rules.check_task(task(status={"code": "TASK_DONE"}), "tasks[0]")


class TestWorker:
    def test_strategy_required(self):
        refused(task(worker={}), "tasks[0].worker.strategy is required")

    def test_repeated_worker(self):
        refused(
            task(worker={"strategy": "FULL", "user_ids": ["a", "a"]}),
            "worker.user_ids[1] 'a' is repeated",
        )

    def test_partitioned_needs_info(self):
        refused(
            task(worker={"strategy": "PARTITIONED", "user_ids": ["a"]}),
            "worker.partitioned_strategy_info is required",
        )

    def test_info_only_for_partitioned(self):
        t = task(
            worker={
                "strategy": "FULL",
                "user_ids": ["a"],
                "partitioned_strategy_info": {"type": "EVENLY", "workers_per_input": 1},
            }
        )
        refused(t, "worker.partitioned_strategy_info is only for strategy PARTITIONED")

    def test_partition_type_required(self):
        refused(
            task(worker=partitioned(["a"], workers_per_input=1)),
            "partitioned_strategy_info.type is required",
        )

    @pytest.mark.parametrize("per_input", [0, 3, -1])
    def test_workers_per_input_range(self, per_input):
        refused(
            task(worker=partitioned(["a", "b"], type="EVENLY", workers_per_input=per_input)),
            f"workers_per_input {per_input} must be between 1 and the number of workers (2)",
        )

    def test_weight_for_unlisted_worker(self):
        t = task(
            worker=partitioned(
                ["a"], type="WEIGHTED", workers_per_input=1, weights={"a": 1, "z": 1}
            )
        )
        refused(t, "weights.z: 'z' is not one of the task's workers")

    def test_negative_weight(self):
        t = task(
            worker=partitioned(
                ["a", "b"], type="WEIGHTED", workers_per_input=1, weights={"a": -1, "b": 5}
            )
        )
        refused(t, "weights.a -1 is negative")

    def test_weight_must_be_a_number(self):
        t = task(
            worker=partitioned(["a"], type="WEIGHTED", workers_per_input=1, weights={"a": "lots"})
        )
        refused(t, "weights.a must be a number")

    def test_every_worker_weighted(self):
        t = task(
            worker=partitioned(["a", "b"], type="WEIGHTED", workers_per_input=1, weights={"a": 1})
        )
        refused(t, "weights has no weight for worker 'b'")

    def test_weights_all_zero(self):
        t = task(worker=partitioned(["a"], type="WEIGHTED", workers_per_input=1, weights={"a": 0}))
        refused(t, "at least one weight must be above 0")

    def test_share_above_one_per_input(self):
        # Two workers per input: nobody can take more than half of the inputs.
        t = task(
            worker=partitioned(
                ["a", "b", "c"],
                type="WEIGHTED",
                workers_per_input=2,
                weights={"a": 8, "b": 1, "c": 1},
            )
        )
        refused(t, "weights.a: a share of 80% is above 1/workers_per_input (50%)")

    def test_weights_only_for_weighted(self):
        t = task(worker=partitioned(["a"], type="EVENLY", workers_per_input=1, weights={"a": 1}))
        refused(t, "weights are only for type WEIGHTED")

    def test_worker_without_user(self):
        refused(task(worker={"strategy": "FULL", "workers": [{}]}), "worker.workers[0].user")


class TestReview:
    def test_strategy_required(self):
        refused(task(review={}), "tasks[0].review.strategy is required")

    def test_manual_needs_reviewers(self):
        refused(task(review={"strategy": "MANUAL"}), "at least one reviewer")

    @pytest.mark.parametrize("share", [1.5, -0.2])
    def test_sample_percentage_range(self, share):
        t = task(
            review={
                "strategy": "MANUAL",
                "user_ids": ["r"],
                "manual_strategy_info": {"sample_percentage": share},
            }
        )
        refused(t, "manual_strategy_info.sample_percentage", "above 0 and at most 1")

    def test_manual_info_without_sample_percentage(self):
        # 0 is what proto3 sends when the (deprecated) field is left out.
        t = task(
            review={
                "strategy": "MANUAL",
                "users": [{"id": "r"}, {"id": "s"}],
                "manual_strategy_info": {"approval_threshold": 2},
            }
        )
        assert task_rules.check_task(t, "tasks[0]").reviewer_ids == ["r", "s"]

    @pytest.mark.parametrize("value", [-2, 3])
    def test_manual_approval_threshold_range(self, value):
        t = task(
            review={
                "strategy": "MANUAL",
                "users": [{"id": "r"}, {"id": "s"}],
                "manual_strategy_info": {"approval_threshold": value},
            }
        )
        refused(
            t,
            f"tasks[0].review.manual_strategy_info.approval_threshold {value} must be -1 (all "
            "reviewers) or between 0 and the number of reviewers (2)",
        )

    def test_info_must_match_strategy(self):
        t = task(
            review={
                "strategy": "MANUAL",
                "user_ids": ["r"],
                "consensus_strategy_info": {"approval_threshold": 1},
            }
        )
        refused(t, "review.consensus_strategy_info does not go with strategy MANUAL")

    def test_consensus_needs_info(self):
        t = task(
            worker={"strategy": "FULL", "user_ids": ["a"]},
            review={"strategy": "CONSENSUS", "user_ids": ["r"]},
        )
        refused(t, "consensus_strategy_info is required")

    def test_consensus_threshold_required(self):
        t = task(
            worker={"strategy": "FULL", "user_ids": ["a"]},
            review={"strategy": "CONSENSUS", "user_ids": ["r"], "consensus_strategy_info": {}},
        )
        refused(t, "approval_threshold_labelers is required")

    def test_consensus_threshold_above_workers(self):
        t = task(
            worker={"strategy": "FULL", "user_ids": ["a", "b"]},
            review={
                "strategy": "CONSENSUS",
                "user_ids": ["r"],
                "consensus_strategy_info": {"approval_threshold": 3},
            },
        )
        refused(
            t,
            "consensus_strategy_info.approval_threshold 3 must be between 1 and the "
            "number of workers (2)",
        )

    def test_thresholds_disagree(self):
        t = task(
            worker={"strategy": "FULL", "user_ids": ["a", "b"]},
            review={
                "strategy": "CONSENSUS",
                "user_ids": ["r"],
                "consensus_strategy_info": {
                    "approval_threshold": 1,
                    "approval_threshold_labelers": 2,
                },
            },
        )
        refused(t, "disagree")

    @pytest.mark.parametrize("value", [-2, 2])
    def test_reviewer_threshold_range(self, value):
        t = task(
            worker={"strategy": "FULL", "user_ids": ["a"]},
            review={
                "strategy": "CONSENSUS",
                "user_ids": ["r"],
                "consensus_strategy_info": {
                    "approval_threshold_labelers": 1,
                    "approval_threshold_reviewers": value,
                },
            },
        )
        refused(t, f"approval_threshold_reviewers {value}")


class TestInputSourceAndStatus:
    def test_type_required(self):
        refused(task(input_source={}), "tasks[0].input_source.type is required")

    def test_dataset_needs_id(self):
        refused(
            task(input_source={"type": "DATASET"}), "input_source.id is required for type DATASET"
        )

    def test_all_inputs_takes_no_id(self):
        refused(task(input_source={"type": "ALL_INPUTS", "id": "x"}), "input_source.id is only")

    def test_status_must_be_a_task_status(self):
        refused(task(status={"code": "SUCCESS"}), "tasks[0].status.code 10000 is not a task status")

    def test_concept_id_required(self):
        refused(task(concepts=[{"concept": {"name": "cat"}}]), "concepts[0].concept.id is required")


class TestEnums:
    def test_unknown_numbers_refused(self):
        t = task()
        t.worker.strategy = 1  # reserved in the reference
        refused(t, "tasks[0].worker.strategy 1 is not a TaskWorkerStrategy value")
        t = task()
        t.input_source.type = 42
        refused(t, "tasks[0].input_source.type 42 is not a TaskInputSourceType value")
        t = task()
        t.priority = 9
        refused(t, "tasks[0].priority 9")

    def test_nested_and_repeated(self):
        t = task(concepts=[{"concept": {"id": "cat"}}])
        t.concepts[0].concept.visibility.gettable = 7
        refused(t, "tasks[0].concepts[0].concept.visibility.gettable 7")


class TestStatusChange:
    def test_status_only(self):
        t = r.Task(id="t1")
        t.status.code = sc.TASK_WONT_DO
        assert task_rules.check_status_change(t, "tasks[0]") == sc.TASK_WONT_DO

    def test_other_fields_refused(self):
        t = r.Task(id="t1", name="x", sample_ms=5)
        t.status.code = sc.TASK_DONE
        with pytest.raises(ApiError) as caught:
            task_rules.check_status_change(t, "tasks[0]")
        assert "name, sample_ms need action 'overwrite'" in caught.value.details

    def test_status_required(self):
        with pytest.raises(ApiError) as caught:
            task_rules.check_status_change(r.Task(id="t1"), "tasks[0]")
        assert "tasks[0].status.code is required" in caught.value.details


def users(*ids: str) -> list[dict[str, str]]:
    return [{"id": u} for u in ids]


class TestDeprecatedNames:
    """worker.user_ids and users name workers[].user; review.user_ids names
    users; concept_ids names concepts; consensus approval_threshold names
    approval_threshold_labelers."""

    def test_workers_by_worker_users(self):
        t = task(worker={"strategy": "FULL", "users": users("a", "b")})
        refs = task_rules.check_task(t, "tasks[0]")
        assert refs.workers == [
            ("tasks[0].worker.users[0].id", "a"),
            ("tasks[0].worker.users[1].id", "b"),
        ]

    def test_every_name_alike_is_one_list(self):
        t = task(
            worker={
                "strategy": "FULL",
                "workers": [{"user": {"id": "a"}}, {"user": {"id": "b"}}],
                "users": users("b", "a"),
                "user_ids": ["a", "b"],
            },
            review={"strategy": "MANUAL", "users": users("r"), "user_ids": ["r"]},
            concepts=[{"concept": {"id": "cat"}}],
            concept_ids=["cat"],
        )
        refs = task_rules.check_task(t, "tasks[0]")
        # The current field names the places.
        assert refs.workers[0] == ("tasks[0].worker.workers[0].user.id", "a")
        assert refs.reviewers == [("tasks[0].review.users[0].id", "r")]
        assert refs.concepts == [("tasks[0].concepts[0].concept.id", "cat")]

    @pytest.mark.parametrize(
        ("worker", "expected"),
        [
            (
                {"workers": [{"user": {"id": "a"}}], "user_ids": ["b"]},
                "tasks[0].worker.user_ids and tasks[0].worker.workers name different workers",
            ),
            (
                {"users": users("a", "b"), "user_ids": ["a"]},
                "tasks[0].worker.user_ids and tasks[0].worker.users name different workers",
            ),
        ],
    )
    def test_names_that_disagree(self, worker, expected):
        refused(task(worker={"strategy": "FULL", **worker}), expected, "deprecated name")

    def test_reviewers_that_disagree(self):
        t = task(review={"strategy": "MANUAL", "users": users("r"), "user_ids": ["s"]})
        refused(t, "tasks[0].review.user_ids and tasks[0].review.users name different reviewers")

    def test_concepts_that_disagree(self):
        t = task(concepts=[{"concept": {"id": "dog"}}], concept_ids=["cat"])
        refused(t, "tasks[0].concept_ids and tasks[0].concepts name different concepts")

    def test_repeated_within_users(self):
        t = task(worker={"strategy": "FULL", "users": users("a", "a")})
        refused(t, "tasks[0].worker.users[1].id 'a' is repeated")

    def test_stored_in_current_fields(self):
        t = task(
            worker={"strategy": "FULL", "users": [{"id": "a", "first_name": "Ann"}]},
            review={
                "strategy": "CONSENSUS",
                "user_ids": ["r"],
                "consensus_strategy_info": {"approval_threshold": 1},
            },
        )
        stored = task_rules.stored_form(t, task_rules.check_task(t, "tasks[0]"))
        assert json_format.MessageToDict(stored, preserving_proto_field_name=True) == {
            "type": "CONCEPTS_CLASSIFICATION",
            "name": "Annotate cat",
            "worker": {"strategy": "FULL", "workers": [{"user": {"id": "a"}}]},
            "concepts": [{"concept": {"id": "cat"}}],
            "input_source": {"type": "ALL_INPUTS"},
            "sample_ms": 1000,
            "review": {
                "strategy": "CONSENSUS",
                "users": [{"id": "r"}],
                "consensus_strategy_info": {"approval_threshold_labelers": 1},
            },
        }

    def test_read_under_every_name(self):
        t = task(
            worker={"strategy": "FULL", "workers": [{"user": {"id": "a"}}]},
            review={
                "strategy": "CONSENSUS",
                "users": users("r"),
                "consensus_strategy_info": {"approval_threshold_labelers": 1},
            },
            concept_ids=[],
            concepts=[{"concept": {"id": "cat", "name": "Cat"}}],
        )
        task_rules.fill_every_name(t)
        assert list(t.worker.user_ids) == ["a"]
        assert [u.id for u in t.worker.users] == ["a"]
        assert [w.user.id for w in t.worker.workers] == ["a"]
        assert list(t.review.user_ids) == ["r"] and [u.id for u in t.review.users] == ["r"]
        assert list(t.concept_ids) == ["cat"] and t.concepts[0].concept.name == "Cat"
        info = t.review.consensus_strategy_info
        assert info.approval_threshold == info.approval_threshold_labelers == 1
        # What is read back is accepted when sent back.
        task_rules.check_task(t, "tasks[0]")

    def test_read_from_a_deprecated_name_alone(self):
        # As tasks stored before deprecated names were folded were kept.
        t = task(
            worker={"strategy": "FULL", "user_ids": ["a", "b"]},
            review={"strategy": "MANUAL", "user_ids": ["r"]},
        )
        task_rules.fill_every_name(t)
        assert [w.user.id for w in t.worker.workers] == ["a", "b"]
        assert [u.id for u in t.review.users] == ["r"]
        assert [c.concept.id for c in t.concepts] == ["cat"]
