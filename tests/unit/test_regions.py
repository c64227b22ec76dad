"""The region and concept rules of annotation data (server/domain/regions.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from server.domain import regions
from server.status import ApiError, Code


def box(top=0.1, left=0.2, bottom=0.5, right=0.6) -> dict:
    return {"top_row": top, "left_col": left, "bottom_row": bottom, "right_col": right}


@contextmanager
def fails(details: str) -> Iterator[None]:
    """Expects ANNOTATION_INVALID_ARGUMENT with `details` in its details."""
    with pytest.raises(ApiError) as caught:
        yield
    assert caught.value.code == Code.ANNOTATION_INVALID_ARGUMENT
    assert details in caught.value.details, caught.value.details


class TestBoundingBox:
    def test_valid_boxes(self):
        regions.check_bounding_box(box(), "b")
        regions.check_bounding_box(box(0, 0, 1, 1), "b")

    @pytest.mark.parametrize(
        ("kw", "details"),
        [
            ({"left": 0.6, "right": 0.6}, "b: left_col 0.6 must be less than right_col 0.6"),
            ({"left": 0.7, "right": 0.6}, "left_col 0.7 must be less than right_col"),
            ({"top": 0.5, "bottom": 0.5}, "top_row 0.5 must be less than bottom_row"),
            ({"top": -0.1}, "b.top_row -0.1 is outside [0, 1]"),
            ({"right": 1.5}, "b.right_col 1.5 is outside [0, 1]"),
            ({"bottom": float("inf")}, "b.bottom_row must be a finite number"),
        ],
    )
    def test_invalid_boxes(self, kw, details):
        with fails(details):
            regions.check_bounding_box(box(**kw), "b")

    def test_nan_as_written_by_json_format(self):
        with fails("b.left_col must be a finite number"):
            regions.check_bounding_box({**box(), "left_col": "NaN"}, "b")


class TestPolygonAndPoint:
    def test_triangle(self):
        pts = [{"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 0.9}, {"row": 0.9, "col": 0.5}]
        regions.check_polygon({"points": pts}, "p")

    def test_needs_three_points(self):
        with fails("p.points: a polygon needs at least 3 points, got 2"):
            regions.check_polygon({"points": [{"row": 0, "col": 0}, {"row": 1, "col": 1}]}, "p")

    def test_polygon_point_outside(self):
        pts = [{"row": 0.1, "col": 0.1}, {"row": 0.1, "col": 1.2}, {"row": 0.9, "col": 0.5}]
        with fails("p.points[1].col 1.2 is outside [0, 1]"):
            regions.check_polygon({"points": pts}, "p")

    def test_point(self):
        regions.check_point({"row": 0.0, "col": 1.0, "z": -3.5}, "pt")
        with fails("pt.row -0.5 is outside"):
            regions.check_point({"row": -0.5, "col": 0.5}, "pt")


class TestMaskAndSpan:
    def test_mask_needs_an_image(self):
        regions.check_mask({"image": {"url": "https://x/m.png"}}, "m")
        regions.check_mask({"image": {"base64": "iVBORw0K"}}, "m")
        with fails("m.image: give the mask image's url or base64 bytes"):
            regions.check_mask({}, "m")

    def test_span(self):
        regions.check_span({"char_start": 0, "char_end": 5}, "s", "hello world")
        regions.check_span({"char_start": 3, "char_end": 400}, "s", None)
        with fails("s: char_start 5 must be less than char_end 5"):
            regions.check_span({"char_start": 5, "char_end": 5}, "s", None)
        with fails("s.char_end 12 is past the end of the input's text (11)"):
            regions.check_span({"char_start": 6, "char_end": 12}, "s", "hello world")


class TestData:
    def test_full_data(self):
        data = {
            "concepts": [{"id": "cat", "value": 1.0}, {"id": "dog", "value": 0.0}],
            "metadata": {"k": "v"},
            "regions": [
                {"id": "r1", "region_info": {"bounding_box": box()}, "data": {"concepts": []}},
                {"id": "r2", "region_info": {"span": {"char_start": 0, "char_end": 2}}},
                {"id": "r3", "region_info": {"token": {"char_start": 1, "char_end": 2}}},
            ],
        }
        regions.check_data(data, "d", "abc")
        assert regions.concept_refs(data) == [("cat", "cat"), ("dog", "dog")]

    def test_region_errors_name_the_region(self):
        data = {"regions": [{"id": "r1"}, {"id": "r2", "region_info": {"bounding_box": box(0.9)}}]}
        with fails("d.regions[1].region_info.bounding_box: top_row 0.9"):
            regions.check_data(data, "d")

    def test_repeated_region_id(self):
        with fails("d.regions[1].id 'r' is repeated"):
            regions.check_data({"regions": [{"id": "r"}, {"id": "r"}]}, "d")

    def test_concepts(self):
        with fails("d.concepts[1].id is required"):
            regions.check_data({"concepts": [{"id": "a"}, {"value": 1.0}]}, "d")
        with fails("d.concepts[0].id 'a b' is invalid"):
            regions.check_data({"concepts": [{"id": "a b"}]}, "d")
        with fails("d.concepts[1].id 'a' is repeated"):
            regions.check_data({"concepts": [{"id": "a"}, {"id": "a"}]}, "d")
        with fails("d.regions[0].data.concepts[0].value 2 is outside [0, 1]"):
            regions.check_data(
                {"regions": [{"id": "r", "data": {"concepts": [{"id": "a", "value": 2}]}}]}, "d"
            )

    def test_media_belongs_to_inputs(self):
        with fails("d.image: media belongs to the input"):
            regions.check_data({"image": {"url": "https://x"}}, "d")

    def test_emptiness(self):
        assert regions.is_empty({})
        assert regions.is_empty({"concepts": [], "regions": [], "metadata": {}})
        assert not regions.is_empty({"concepts": [{"id": "a"}]})

    def test_named_concepts_keep_their_names(self):
        data = {"regions": [{"data": {"concepts": [{"id": "a", "name": "Apple"}]}}]}
        assert regions.concept_refs(data) == [("a", "Apple")]

    def test_input_concepts_fail_with_the_inputs_code(self):
        with pytest.raises(ApiError) as caught:
            regions.check_concepts([{"id": "a", "value": 1.5}], "c", Code.INPUT_INVALID_REQUEST)
        assert caught.value.code == Code.INPUT_INVALID_REQUEST
        assert caught.value.details == "c[0].value 1.5 is outside [0, 1]"
