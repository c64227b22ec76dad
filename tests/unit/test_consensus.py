"""When labelers agree (server/domain/consensus.py)."""

from __future__ import annotations

from server.domain import consensus


def tags(*concepts: str, negative: tuple[str, ...] = ()) -> list[dict]:
    return [
        {
            "concepts": [{"id": c, "value": 1.0} for c in concepts]
            + [{"id": c, "value": 0.0} for c in negative]
        }
    ]


def box(top: float, left: float, bottom: float, right: float, concept: str = "cat") -> dict:
    return {
        "region_info": {
            "bounding_box": {
                "top_row": top,
                "left_col": left,
                "bottom_row": bottom,
                "right_col": right,
            }
        },
        "data": {"concepts": [{"id": concept, "value": 1.0}]},
    }


def polygon(points: list[tuple[float, float]], concept: str = "cat") -> dict:
    return {
        "region_info": {"polygon": {"points": [{"row": r, "col": c} for r, c in points]}},
        "data": {"concepts": [{"id": concept, "value": 1.0}]},
    }


def label(*annotations: list[dict] | dict) -> consensus.Label:
    flat: list[dict] = []
    for a in annotations:
        flat += a if isinstance(a, list) else [{"regions": [a]}]
    return consensus.label_of(flat)


def test_same_positive_concepts_agree_whatever_the_negatives():
    assert consensus.agree(label(tags("cat", "dog")), label(tags("dog", "cat", negative=("x",))))
    assert not consensus.agree(label(tags("cat")), label(tags("cat", "dog")))
    assert consensus.agree(label(tags()), label(tags(negative=("cat",))))


def test_boxes_match_by_iou_and_concept():
    a = label(box(0.1, 0.1, 0.5, 0.5))
    assert consensus.agree(a, label(box(0.12, 0.1, 0.52, 0.5)))  # IoU ~0.9
    assert not consensus.agree(a, label(box(0.3, 0.3, 0.7, 0.7)))  # IoU ~0.14
    assert not consensus.agree(a, label(box(0.1, 0.1, 0.5, 0.5, concept="dog")))
    assert not consensus.agree(a, label(box(0.1, 0.1, 0.5, 0.5), box(0.6, 0.6, 0.9, 0.9)))


def test_polygons_match_on_a_raster():
    square = [(0.1, 0.1), (0.1, 0.5), (0.5, 0.5), (0.5, 0.1)]
    shifted = [(0.12, 0.1), (0.12, 0.5), (0.52, 0.5), (0.52, 0.1)]
    far = [(0.6, 0.6), (0.6, 0.9), (0.9, 0.9), (0.9, 0.6)]
    assert consensus.agree(label(polygon(square)), label(polygon(shifted)))
    assert not consensus.agree(label(polygon(square)), label(polygon(far)))
    assert (
        consensus.iou(
            consensus._region(polygon(square)), consensus._region(box(0.1, 0.1, 0.5, 0.5))
        )
        > 0.9
    )


def test_the_largest_group_decides_first_formed_on_a_tie():
    labels = {
        "a": label(tags("cat")),
        "b": label(tags("dog")),
        "c": label(tags("cat")),
        "d": label(tags("dog")),
        "e": label(tags("cat")),
    }
    assert consensus.largest_group(labels) == ["a", "c", "e"]
    assert consensus.largest_group({"x": label(tags("a")), "y": label(tags("b"))}) == ["x"]
    assert consensus.largest_group({}) == []
