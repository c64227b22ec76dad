"""Auto-annotating tasks on their own: what task_rules accepts of them, how
they are stored and read, and which annotations a model's output makes
(server/domain/auto_annotation.py)."""

from __future__ import annotations

from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from server.domain import auto_annotation as auto
from server.domain import task_rules
from server.status import ApiError

MODEL = {"model": {"id": "general", "model_version": {"id": "v1"}}}


def config(kinds: int = 1, **bounds: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"annotation_data_types": kinds}
    if bounds:
        out["threshold_range"] = bounds
    return out


def auto_task(**overrides: Any) -> r.Task:
    body: dict[str, Any] = {
        "worker": {"strategy": "FULL", "workers": [MODEL]},
        "concepts": [{"concept": {"id": "cat"}, "auto_annotation_config": config()}],
        "input_source": {"type": "ALL_INPUTS"},
        "review": {"strategy": "NONE"},
    }
    body.update(overrides)
    return json_format.ParseDict(body, r.Task())


def refused(t: r.Task, *expected: str) -> None:
    with pytest.raises(ApiError) as caught:
        task_rules.check_task(t, "tasks[0]")
    assert caught.value.code == sc.CONN_INVALID_REQUEST
    for text in expected:
        assert text in caught.value.details, caught.value.details


class TestChecks:
    def test_the_docs_example_needs_no_type(self):
        refs = task_rules.check_task(auto_task(), "tasks[0]")
        assert refs.auto == task_rules.AutoWorker(
            "tasks[0].worker.workers[0].model", "model", "general", "v1"
        )
        assert refs.workers == []

    def test_a_workflow_worker(self):
        t = auto_task(worker={"strategy": "FULL", "workers": [{"workflow": {"id": "w"}}]})
        auto_ref = task_rules.check_task(t, "tasks[0]").auto
        assert auto_ref is not None and (auto_ref.kind, auto_ref.id) == ("workflow", "w")

    def test_worker_type_and_kind_must_agree(self):
        human = {"strategy": "FULL", "type": "WORKER_HUMAN", "workers": [MODEL]}
        refused(auto_task(worker=human), "needs tasks[0].worker.type WORKER_AUTO")
        users = {"strategy": "FULL", "type": "WORKER_AUTO", "user_ids": ["u"]}
        refused(auto_task(worker=users), "tasks[0].worker.user_ids", "not users")
        empty = {"strategy": "FULL", "type": "WORKER_AUTO", "workers": [{}]}
        refused(auto_task(worker=empty), "workers[0].model or")

    def test_one_worker_full_and_no_review(self):
        two = {"strategy": "FULL", "workers": [MODEL, MODEL]}
        refused(auto_task(worker=two), "exactly one worker", "(2 given)")
        refused(auto_task(worker={"strategy": "DYNAMIC", "workers": [MODEL]}), "use FULL")
        consensus = {"strategy": "CONSENSUS", "users": [{"id": "u"}]}
        refused(auto_task(review=consensus), "tasks[0].review.strategy")
        no_id = {"strategy": "FULL", "workers": [{"model": {"name": "x"}}]}
        refused(auto_task(worker=no_id), "tasks[0].worker.workers[0].model.id is required")

    @pytest.mark.parametrize(
        ("cfg", "words"),
        [
            (config(0), "annotation_data_types 0"),
            (config(64), "annotation_data_types 64"),
            (config(1, lower=-0.1), "threshold_range.lower -0.1"),
            (config(1, upper=2), "threshold_range.upper 2"),
            (config(1, lower=0.6, upper=0.4), "lower 0.6 is above upper 0.4"),
            ({**config(1), "status_code": sc.ANNOTATION_FAILED}, "status_code 24152"),
        ],
    )
    def test_config_values(self, cfg, words):
        concepts = [{"concept": {"id": "cat"}, "auto_annotation_config": cfg}]
        refused(auto_task(concepts=concepts), "tasks[0].concepts[0].auto_annotation_config", words)

    def test_concepts_and_configs(self):
        refused(auto_task(concepts=[]), "tasks[0].concepts: an auto-annotating task needs")
        refused(auto_task(concepts=[{"concept": {"id": "cat"}}]), "is required")
        human = auto_task(worker={"strategy": "FULL", "workers": [{"user": {"id": "u"}}]})
        refused(human, "auto_annotation_config is only for auto-annotating tasks")


class TestStoredForm:
    def test_the_worker_is_kept_and_the_type_set(self):
        t = auto_task()
        stored = task_rules.stored_form(t, task_rules.check_task(t, "tasks[0]"))
        assert stored.worker.type == r.TaskWorker.WORKER_AUTO
        assert [w.model.id for w in stored.worker.workers] == ["general"]
        task_rules.fill_every_name(stored)
        assert [w.model.id for w in stored.worker.workers] == ["general"]
        assert not stored.worker.users and not stored.worker.user_ids
        assert list(stored.concept_ids) == ["cat"]


def concepts(*pairs: tuple[str, float]) -> list[r.Concept]:
    return [r.Concept(id=i, name=i, value=v) for i, v in pairs]


class TestAnnotations:
    def rules(self, **configs: dict[str, Any]) -> dict[str, auto.ConceptRule]:
        t = auto_task(
            concepts=[
                {"concept": {"id": c}, "auto_annotation_config": v} for c, v in configs.items()
            ]
        )
        return auto.rules_of(t, sc.ANNOTATION_SUCCESS)

    def test_bounds_and_their_flags(self):
        rule = auto.ConceptRule(1, 0, lower=0.5, upper=0.8, lower_inclusive=True)
        assert [rule.takes(v) for v in (0.4, 0.5, 0.6, 0.8, 0.9)] == [
            False,
            True,
            True,
            False,
            False,
        ]
        assert auto.ConceptRule(1, 0).takes(0.0)  # no range: any value

    def test_an_empty_range_takes_any_value(self):
        rules = self.rules(cat={"annotation_data_types": 1, "threshold_range": {}})
        assert rules["cat"].takes(0.01)

    def test_tags_of_the_tasks_concepts_in_range_by_status(self):
        pending = {**config(1, lower=0.5, upper=1, is_upper_inclusive=True), "status_code": 24151}
        rules = self.rules(cat=pending, dog=config(1), box=config(2))
        data = r.Data(concepts=concepts(("cat", 0.9), ("dog", 0.1), ("box", 0.9), ("other", 1)))
        made = auto.annotations([("v1", data)], rules)
        assert [(v, s, [(c.id, c.value) for c in d.concepts]) for v, s, d in made] == [
            ("v1", 24151, [("cat", 1.0)]),
            ("v1", sc.ANNOTATION_SUCCESS, [("dog", 1.0)]),
        ]

    def test_a_concept_is_tagged_once_across_outputs(self):
        rules = self.rules(cat=config(1))
        data = r.Data(concepts=concepts(("cat", 0.9)))
        made = auto.annotations([("v1", data), ("v2", data)], rules)
        assert [v for v, _, _ in made] == ["v1"]

    def test_regions_of_the_kinds_allowed(self):
        rules = self.rules(face=config(2 | 4), cat=config(1))
        region = r.Region(
            id="g1",
            region_info=r.RegionInfo(
                bounding_box=r.BoundingBox(
                    top_row=0.1, left_col=0.1, bottom_row=0.5, right_col=0.5
                ),
                mask=r.Mask(image=r.Image(url="m")),
            ),
            data=r.Data(concepts=concepts(("face", 0.8), ("cat", 0.9))),
        )
        [(version, status, data)] = auto.annotations([("v1", r.Data(regions=[region]))], rules)
        [made] = data.regions
        assert made.id == "g1" and made.region_info.HasField("bounding_box")
        assert not made.region_info.HasField("mask")  # MASK not asked for
        assert [(c.id, c.value) for c in made.data.concepts] == [("face", 1.0)]
        assert (version, status) == ("v1", sc.ANNOTATION_SUCCESS)

    def test_a_region_without_an_allowed_part_makes_nothing(self):
        rules = self.rules(face=config(4))  # POLYGON; the region is a box
        region = r.Region(
            region_info=r.RegionInfo(bounding_box=r.BoundingBox(bottom_row=1, right_col=1)),
            data=r.Data(concepts=concepts(("face", 0.8))),
        )
        assert auto.annotations([("v1", r.Data(regions=[region]))], rules) == []
