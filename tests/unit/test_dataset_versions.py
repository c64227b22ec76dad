"""What a dataset version's frozen inputs become: export data, COCO and
metrics groups."""

from __future__ import annotations

import pytest

from server.domain.datasets import Coco, Groups, export_data


def _polygon(*points: tuple[float, float]) -> dict:
    return {
        "id": "r1",
        "region_info": {"polygon": {"points": [{"col": c, "row": r} for c, r in points]}},
        "data": {"concepts": [{"id": "roof", "value": 1.0}]},
    }


def test_export_data_gathers_labels_once_and_regions_in_order():
    annotations = [
        {"input_level": True, "data": {"concepts": [{"id": "cat", "value": 1.0}]}},
        {"data": {"regions": [_polygon((0, 0), (1, 0), (0, 1))]}},
        {"data": {"concepts": [{"id": "cat", "value": 1.0}]}},
    ]
    data = export_data({"image": {"url": "u"}}, annotations)
    assert data["concepts"] == [{"id": "cat", "value": 1.0}]
    assert [r["id"] for r in data["regions"]] == ["r1"]


def test_coco_polygon_area_is_the_polygon_s_own():
    coco = Coco()
    # A right triangle of 200x100 pixels: half its bounding box.
    image = {"image": {"image_info": {"width": 200, "height": 100}}}
    coco.add("i1", {**image, "regions": [_polygon((0, 0), (1, 0), (0, 1))]})
    [ann] = coco.document("v")["annotations"]
    assert ann["bbox"] == pytest.approx([0, 0, 200, 100])
    assert ann["area"] == pytest.approx(10_000)
    assert ann["segmentation"] == [[0, 0, 200, 0, 0, 100]]


def _box(*concepts: tuple[str, float]) -> dict:
    return {
        "region_info": {"bounding_box": {"top_row": 0.1, "left_col": 0.1}},
        "data": {"concepts": [{"id": c, "value": v} for c, v in concepts]},
    }


def _listed(groups: Groups) -> dict[tuple[str, object], dict[str, int]]:
    return {(kind, value): counts for kind, value, counts in groups.listed()}


def test_an_empty_version_lists_its_total_only():
    [(kind, value, counts)] = Groups().listed()
    assert (kind, value, counts["inputs_count"]) == (
        "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET",
        "total",
        0,
    )


def test_concept_groups_count_their_own_labels_and_add_up():
    groups = Groups()
    groups.add(
        {
            "image": {"image_info": {"width": 30, "height": 20}},
            "concepts": [{"id": "cat", "value": 1.0}, {"id": "dog", "value": 0.0}],
            "regions": [_box(("cat", 1.0), ("toy", 1.0)), _box(("toy", 1.0)), _box(("dog", 0.0))],
        }
    )
    groups.add({"text": {"raw": "a cat"}, "concepts": [{"id": "cat", "value": 1.0}]})
    got = _listed(groups)
    cat, toy = got["CONCEPT_ID", "cat"], got["CONCEPT_ID", "toy"]
    assert (cat["inputs_count"], cat["positive_input_tags_count"]) == (2, 2)
    assert (cat["bounding_boxes_count"], cat["positive_region_tags_count"]) == (1, 1)
    assert (toy["inputs_count"], toy["bounding_boxes_count"], toy["regions_count"]) == (1, 2, 2)
    # A concept only ever negative makes no group.
    assert ("CONCEPT_ID", "dog") not in got
    total = got["DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET", "total"]
    assert total["inputs_count"] == 2 and total["bounding_boxes_count"] == 3
    assert got["INPUT_TYPE", "image"]["inputs_count"] == 1
    assert got["INPUT_TYPE", "text"]["inputs_count"] == 1
    assert got["BOUNDING_BOXES_COUNT", 3.0]["inputs_count"] == 1
    assert got["BOUNDING_BOXES_COUNT", 0.0]["inputs_count"] == 1
    assert got["CONCEPTS_COUNT", 1.0]["inputs_count"] == 2
    # 600 pixels: the bin from 400; 30/20 = 1.5.
    assert got["PIXELS_COUNT", 400.0]["inputs_count"] == 1
    assert got["ASPECT_RATIO", 1.5]["inputs_count"] == 1


def test_groups_are_listed_by_type_then_value():
    groups = Groups()
    for raw, concept in (("b", "zebra"), ("a", "ant")):
        groups.add({"text": {"raw": raw}, "concepts": [{"id": concept, "value": 1.0}]})
    kinds = [(kind, value) for kind, value, _ in groups.listed()]
    assert kinds[:4] == [
        ("DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET", "total"),
        ("INPUT_TYPE", "text"),
        ("CONCEPT_ID", "ant"),
        ("CONCEPT_ID", "zebra"),
    ]


@pytest.mark.parametrize(
    ("width", "height", "aspect"), [(7, 10, 0.7), (10, 3, 3.3), (1, 3, 0.3), (400, 400, 1.0)]
)
def test_aspect_ratio_bins(width, height, aspect):
    groups = Groups()
    groups.add({"image": {"image_info": {"width": width, "height": height}}})
    assert ("ASPECT_RATIO", aspect) in _listed(groups)
