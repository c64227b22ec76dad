"""What a dataset version's frozen inputs become: export data and COCO."""

from __future__ import annotations

import pytest

from server.domain.datasets import Coco, export_data


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
