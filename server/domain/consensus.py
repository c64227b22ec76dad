"""When labelers of an input agree (CONSENSUS review).

Two labelers agree when they give the input the same set of positive
concepts and the same regions: each region of one matched one to one with a
region of the other that has the same positive concepts and overlaps it
with an intersection over union of at least IOU_THRESHOLD (bounding boxes
exactly; polygons rasterized on a GRID x GRID raster of the image). Points,
masks and spans are not compared (a task labels concepts, boxes or
polygons). Labelers fall into groups of those agreeing with the group's
first member; the largest group decides.

Annotations arrive in their stored JSON form (the Data message,
json_format, snake_case)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

IOU_THRESHOLD = 0.5
GRID = 256


@dataclass(frozen=True)
class Region:
    concepts: frozenset[str]
    box: tuple[float, float, float, float] | None = None  # top, left, bottom, right
    polygon: tuple[tuple[float, float], ...] | None = None  # (row, col) points


@dataclass(frozen=True)
class Label:
    """What one labeler said about one input."""

    concepts: frozenset[str]
    regions: tuple[Region, ...]


def _positive(concepts: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(str(c.get("id", "")) for c in concepts if c.get("value", 1.0) > 0)


def _region(r: Mapping[str, Any]) -> Region | None:
    info = r.get("region_info", {})
    concepts = _positive(r.get("data", {}).get("concepts", []))
    if box := info.get("bounding_box"):
        edges = (box.get(k, 0.0) for k in ("top_row", "left_col", "bottom_row", "right_col"))
        return Region(concepts, box=tuple(float(v) for v in edges))  # type: ignore[arg-type]
    if polygon := info.get("polygon"):
        points = tuple(
            (float(p.get("row", 0.0)), float(p.get("col", 0.0))) for p in polygon.get("points", [])
        )
        return Region(concepts, polygon=points)
    return None


def label_of(annotations: Sequence[Mapping[str, Any]]) -> Label:
    """One labeler's label of an input from the data of their annotations."""
    concepts: set[str] = set()
    regions: list[Region] = []
    for data in annotations:
        concepts |= _positive(data.get("concepts", []))
        regions += [r for raw in data.get("regions", []) if (r := _region(raw)) is not None]
    return Label(frozenset(concepts), tuple(regions))


def _box_iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    top, left = max(a[0], b[0]), max(a[1], b[1])
    bottom, right = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, bottom - top) * max(0.0, right - left)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _mask(r: Region) -> np.ndarray:
    mask = np.zeros((GRID, GRID), dtype=np.uint8)
    if r.box is not None:
        top, left, bottom, right = r.box
        points = [(top, left), (top, right), (bottom, right), (bottom, left)]
    else:
        points = list(r.polygon or ())
    if points:
        import cv2  # noqa: PLC0415  (OpenCV: loaded with the first polygon compared)

        pixels = np.array([[c * GRID, row * GRID] for row, c in points], dtype=np.int32)
        cv2.fillPoly(mask, [pixels], 1)
    return mask


def iou(a: Region, b: Region) -> float:
    if a.box is not None and b.box is not None:
        return _box_iou(a.box, b.box)
    ma, mb = _mask(a), _mask(b)
    union = int(np.count_nonzero(ma | mb))
    return int(np.count_nonzero(ma & mb)) / union if union else 0.0


def _regions_match(a: Sequence[Region], b: Sequence[Region]) -> bool:
    if len(a) != len(b):
        return False
    free = list(b)
    for region in a:
        match = next(
            (
                other
                for other in free
                if other.concepts == region.concepts and iou(region, other) >= IOU_THRESHOLD
            ),
            None,
        )
        if match is None:
            return False
        free.remove(match)
    return True


def agree(a: Label, b: Label) -> bool:
    return a.concepts == b.concepts and _regions_match(a.regions, b.regions)


def largest_group(labels: Mapping[str, Label]) -> list[str]:
    """The labelers (keys, in order) of the largest group of agreeing
    labels; on a tie, the group formed first."""
    groups: list[list[str]] = []
    for who, label in labels.items():
        home = next((g for g in groups if agree(labels[g[0]], label)), None)
        if home is None:
            groups.append([who])
        else:
            home.append(who)
    return max(groups, key=len, default=[])
