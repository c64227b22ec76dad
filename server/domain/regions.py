"""What an annotation's data may hold: concepts, and regions located by a
bounding box, polygon, point, mask, text span or token.

The checks read the Data message in its stored JSON form (json_format,
snake_case field names), so an annotation is checked the same way whether
it was just posted or is the outcome of a merge, overwrite or remove.
Coordinates are fractions of the image: rows from the top, columns from the
left, both in [0, 1]. Failures name the offending field.
"""

from __future__ import annotations

import math
from typing import Any

from server.ids import check_id
from server.status import ApiError, Code

# Fields of Data that belong to inputs, not to annotations.
MEDIA = ("image", "video", "audio", "text")
MIN_POLYGON_POINTS = 3


INVALID = Code.ANNOTATION_INVALID_ARGUMENT


def invalid(details: str, code: int = INVALID) -> ApiError:
    return ApiError(code, details)


def _number(value: Any, field: str, code: int = INVALID) -> float:
    # json_format writes NaN and infinities as strings.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(f"{field} must be a finite number, not {value!r}", code)
    return float(value)


def _fraction(value: Any, field: str, code: int = INVALID) -> float:
    number = _number(value, field, code)
    if not 0.0 <= number <= 1.0:
        raise invalid(f"{field} {number:g} is outside [0, 1]", code)
    return number


def check_bounding_box(box: dict[str, Any], field: str) -> None:
    """0 <= left_col < right_col <= 1 and 0 <= top_row < bottom_row <= 1."""
    top = _fraction(box.get("top_row", 0.0), f"{field}.top_row")
    left = _fraction(box.get("left_col", 0.0), f"{field}.left_col")
    bottom = _fraction(box.get("bottom_row", 0.0), f"{field}.bottom_row")
    right = _fraction(box.get("right_col", 0.0), f"{field}.right_col")
    if not left < right:
        raise invalid(f"{field}: left_col {left:g} must be less than right_col {right:g}")
    if not top < bottom:
        raise invalid(f"{field}: top_row {top:g} must be less than bottom_row {bottom:g}")


# Point.Visibility's numbers: NOT_SET, VISIBLE, NOT_VISIBLE, NOT_PRESENT.
POINT_VISIBILITIES = (0, 1, 2, 3)


def check_point(point: dict[str, Any], field: str) -> None:
    _fraction(point.get("row", 0.0), f"{field}.row")
    _fraction(point.get("col", 0.0), f"{field}.col")
    if "z" in point:
        _number(point["z"], f"{field}.z")
    if point.get("visibility", 0) not in POINT_VISIBILITIES:
        raise invalid(f"{field}.visibility {point['visibility']} is not a point visibility")


def check_polygon(polygon: dict[str, Any], field: str) -> None:
    points = polygon.get("points", [])
    if len(points) < MIN_POLYGON_POINTS:
        raise invalid(
            f"{field}.points: a polygon needs at least {MIN_POLYGON_POINTS} points, "
            f"got {len(points)}"
        )
    for n, point in enumerate(points):
        check_point(point, f"{field}.points[{n}]")


def check_mask(mask: dict[str, Any], field: str) -> None:
    image = mask.get("image", {})
    if not image.get("url") and not image.get("base64"):
        raise invalid(f"{field}.image: give the mask image's url or base64 bytes")


def check_span(span: dict[str, Any], field: str, text: str | None) -> None:
    """char_start < char_end, within the input's text when it has one."""
    start, end = span.get("char_start", 0), span.get("char_end", 0)
    if not start < end:
        raise invalid(f"{field}: char_start {start} must be less than char_end {end}")
    if text is not None and end > len(text):
        raise invalid(f"{field}.char_end {end} is past the end of the input's text ({len(text)})")


def check_region_info(info: dict[str, Any], field: str, text: str | None) -> None:
    if "bounding_box" in info:
        check_bounding_box(info["bounding_box"], f"{field}.bounding_box")
    if "polygon" in info:
        check_polygon(info["polygon"], f"{field}.polygon")
    if "point" in info:
        check_point(info["point"], f"{field}.point")
    if "mask" in info:
        check_mask(info["mask"], f"{field}.mask")
    for kind in ("span", "token"):
        if kind in info:
            check_span(info[kind], f"{field}.{kind}", text)


def check_concepts(concepts: list[dict[str, Any]], field: str, code: int = INVALID) -> None:
    """Each concept of a label list (an annotation's, a region's, an input's)
    has a valid id (missing ones are created with it), appears once, and has
    a value in [0, 1] (1 = present, 0 = absent). Failures carry `code`."""
    seen: set[str] = set()
    for n, concept in enumerate(concepts):
        here = f"{field}[{n}]"
        concept_id = check_id(concept.get("id", ""), f"{here}.id", code)
        if concept_id in seen:
            raise invalid(f"{here}.id '{concept_id}' is repeated", code)
        seen.add(concept_id)
        _fraction(concept.get("value", 0.0), f"{here}.value", code)


def check_data(data: dict[str, Any], field: str, text: str | None = None) -> None:
    """An annotation's data: concepts, metadata and regions (each with its
    own concepts), no media. `text` is the input's raw text, if any."""
    for kind in MEDIA:
        if kind in data:
            raise invalid(f"{field}.{kind}: media belongs to the input, not to an annotation")
    check_concepts(data.get("concepts", []), f"{field}.concepts")
    seen: set[str] = set()
    for n, region in enumerate(data.get("regions", [])):
        here = f"{field}.regions[{n}]"
        region_id = region.get("id", "")
        if region_id and region_id in seen:
            raise invalid(f"{here}.id '{region_id}' is repeated")
        seen.add(region_id)
        if "value" in region:
            _number(region["value"], f"{here}.value")
        check_region_info(region.get("region_info", {}), f"{here}.region_info", text)
        region_data = region.get("data", {})
        for kind in (*MEDIA, "regions"):
            if kind in region_data:
                raise invalid(f"{here}.data.{kind} is not allowed in a region")
        check_concepts(region_data.get("concepts", []), f"{here}.data.concepts")


def concept_refs(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, name) of every concept the data names, its regions' included."""
    found = list(data.get("concepts", []))
    for region in data.get("regions", []):
        found += region.get("data", {}).get("concepts", [])
    return [(c["id"], c.get("name") or c["id"]) for c in found]


def is_empty(data: dict[str, Any]) -> bool:
    """No labels left: what `delete_if_empty_data` looks for after a remove."""
    return not any(data.values())
