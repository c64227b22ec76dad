"""What a dataset version holds, computed from its frozen inputs.

A frozen input is the input's Data (stored JSON, snake_case field names) and
its finished annotations (annotation rows as JSON). From these come the
version's metrics, the Data each exported input carries (its media and
metadata, the concepts of its input-level labels, and the regions of its
other annotations), and the COCO document of the version's regions.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

ROOT = "/"  # the metrics key of the whole version

METRICS = (
    "inputs_count",
    "unlabeled_inputs_count",
    "inputs_with_metadata_count",
    "inputs_with_geo_count",
    "regions_count",
    "bounding_boxes_count",
    "polygons_count",
    "points_count",
    "masks_count",
    "region_inputs_count",
    "positive_input_tags_count",
    "positive_region_tags_count",
)


def _positive(concept: dict[str, Any]) -> bool:
    return float(concept.get("value", 0.0)) > 0.0


def export_data(data: dict[str, Any], annotations: list[dict[str, Any]]) -> dict[str, Any]:
    """The Data of an exported input: the input's own data with the concepts
    of its input-level labels and the regions of its other annotations (in
    the order they were made). A concept labelled twice is listed once."""
    out = copy.deepcopy(data)
    concepts: list[dict[str, Any]] = list(out.get("concepts", []))
    seen = {c.get("id") for c in concepts}
    regions: list[dict[str, Any]] = list(out.get("regions", []))
    for annotation in annotations:
        adata = annotation.get("data") or {}
        for concept in adata.get("concepts", []):
            if concept.get("id") not in seen:
                seen.add(concept.get("id"))
                concepts.append(copy.deepcopy(concept))
        regions.extend(copy.deepcopy(adata.get("regions", [])))
        if annotation.get("input_level") and adata.get("metadata") and not out.get("metadata"):
            out["metadata"] = copy.deepcopy(adata["metadata"])
    if concepts:
        out["concepts"] = concepts
    if regions:
        out["regions"] = regions
    return out


@dataclass
class Metrics:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))

    def add(self, data: dict[str, Any]) -> None:
        """Count one input, given its export_data."""
        c = self.counts
        c["inputs_count"] += 1
        if data.get("metadata"):
            c["inputs_with_metadata_count"] += 1
        if (data.get("geo") or {}).get("geo_point") is not None:
            c["inputs_with_geo_count"] += 1
        input_tags = sum(1 for concept in data.get("concepts", []) if _positive(concept))
        c["positive_input_tags_count"] += input_tags
        region_tags = 0
        regions = data.get("regions", [])
        for region in regions:
            c["regions_count"] += 1
            info = region.get("region_info") or {}
            for key, metric in (
                ("bounding_box", "bounding_boxes_count"),
                ("polygon", "polygons_count"),
                ("point", "points_count"),
                ("mask", "masks_count"),
            ):
                if key in info:
                    c[metric] += 1
            concepts = (region.get("data") or {}).get("concepts", [])
            region_tags += sum(1 for concept in concepts if _positive(concept))
        c["positive_region_tags_count"] += region_tags
        if regions:
            c["region_inputs_count"] += 1
        if not input_tags and not region_tags:
            c["unlabeled_inputs_count"] += 1


# ---- metrics groups (ListDatasetVersionMetricsGroups) ----

TOTAL = "total"  # the value of the group of every input
MEDIA = ("image", "video", "audio", "text")  # an input's type: its first medium
# Annotation counts an input is grouped by: (group type, region_info key).
SHAPE_COUNTS = (
    ("BOUNDING_BOXES_COUNT", "bounding_box"),
    ("POLYGONS_COUNT", "polygon"),
    ("POINTS_COUNT", "point"),
    ("MASKS_COUNT", "mask"),
)
PIXELS_BIN = 400  # pixels per PIXELS_COUNT bin, the reference's example
ASPECT_BIN = 0.1  # width / height per ASPECT_RATIO bin, likewise
# The order groups are listed in, by type.
GROUP_ORDER = (
    "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET",
    "INPUT_TYPE",
    "CONCEPT_ID",
    "CONCEPTS_COUNT",
    *(t for t, _ in SHAPE_COUNTS),
    "PIXELS_COUNT",
    "ASPECT_RATIO",
)


def _only_concept(data: dict[str, Any], concept_id: str) -> dict[str, Any]:
    """An input's export data narrowed to one concept: its positive label of
    it, and the regions labelled with it (carrying only that label)."""
    out = {k: v for k, v in data.items() if k not in ("concepts", "regions")}
    out["concepts"] = [
        c for c in data.get("concepts", []) if c.get("id") == concept_id and _positive(c)
    ]
    regions = []
    for region in data.get("regions", []):
        concepts = [
            c
            for c in (region.get("data") or {}).get("concepts", [])
            if c.get("id") == concept_id and _positive(c)
        ]
        if concepts:
            regions.append({**region, "data": {**(region.get("data") or {}), "concepts": concepts}})
    out["regions"] = regions
    return out


def _concept_ids(data: dict[str, Any]) -> list[str]:
    """The concepts an input is labelled with, positively, at input level or
    on a region, each once."""
    found = [c.get("id", "") for c in data.get("concepts", []) if _positive(c)]
    for region in data.get("regions", []):
        found += [
            c.get("id", "") for c in (region.get("data") or {}).get("concepts", []) if _positive(c)
        ]
    return list(dict.fromkeys(found))


def _size_groups(data: dict[str, Any]) -> list[tuple[str, float]]:
    """An image's pixel-count and aspect-ratio bins (their lower bounds)."""
    info = (data.get("image") or {}).get("image_info") or {}
    width, height = int(info.get("width", 0)), int(info.get("height", 0))
    if not width or not height:
        return []
    pixels = width * height
    # Rounded to the bin's decimals: 0.7000000001 is bin 0.7.
    aspect = round(math.floor(round(width / height / ASPECT_BIN, 9)) * ASPECT_BIN, 6)
    return [("PIXELS_COUNT", float(pixels - pixels % PIXELS_BIN)), ("ASPECT_RATIO", aspect)]


@dataclass
class Groups:
    """A version's inputs grouped as ListDatasetVersionMetricsGroups lists
    them, with the metrics of each group: all inputs (value "total"), by
    input type, by concept (counting that concept's labels and regions
    only, so the groups' counts add up to the version's), by count of
    input-level concepts and of each region shape, by pixel count and by
    aspect ratio (images whose size is known)."""

    # "total" is listed for an empty version too.
    groups: dict[tuple[str, str | float], Metrics] = field(
        default_factory=lambda: {(GROUP_ORDER[0], TOTAL): Metrics()}
    )

    def _add(self, key: tuple[str, str | float], data: dict[str, Any]) -> None:
        self.groups.setdefault(key, Metrics()).add(data)

    def add(self, data: dict[str, Any]) -> None:
        """Count one input, given its export_data."""
        self._add((GROUP_ORDER[0], TOTAL), data)
        medium = next((m for m in MEDIA if data.get(m)), None)
        if medium is not None:
            self._add(("INPUT_TYPE", medium), data)
        for concept_id in _concept_ids(data):
            self._add(("CONCEPT_ID", concept_id), _only_concept(data, concept_id))
        tags = sum(1 for c in data.get("concepts", []) if _positive(c))
        self._add(("CONCEPTS_COUNT", float(tags)), data)
        infos = [r.get("region_info") or {} for r in data.get("regions", [])]
        for kind, key in SHAPE_COUNTS:
            self._add((kind, float(sum(1 for info in infos if key in info))), data)
        for kind, value in _size_groups(data):
            self._add((kind, value), data)

    def listed(self) -> list[tuple[str, str | float, dict[str, int]]]:
        """(type, value, counts) of every group, in the order they are
        listed: by type, then by value."""
        rank = {kind: n for n, kind in enumerate(GROUP_ORDER)}
        keys = sorted(self.groups, key=lambda k: (rank[k[0]], k[1]))
        return [(kind, value, self.groups[kind, value].counts) for kind, value in keys]


# ---- COCO (https://cocodataset.org/#format-data) ----


@dataclass
class Coco:
    """Builds a COCO detection document: one image per input, one category
    per concept, one annotation per positive concept of each box or polygon
    region. Coordinates are in pixels when the input's image size is known
    (image.image_info), otherwise in fractions of the image."""

    images: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)

    def _category(self, concept: dict[str, Any]) -> int:
        cid = concept.get("id", "")
        if cid not in self.categories:
            self.categories[cid] = {
                "id": len(self.categories) + 1,
                "name": concept.get("name") or cid,
                "supercategory": "",
            }
        return self.categories[cid]["id"]

    def add(self, input_id: str, data: dict[str, Any]) -> None:
        image = data.get("image") or {}
        info = image.get("image_info") or {}
        width, height = int(info.get("width", 0)), int(info.get("height", 0))
        sx, sy = (width, height) if width and height else (1, 1)
        image_id = len(self.images) + 1
        self.images.append(
            {
                "id": image_id,
                "file_name": input_id,
                "width": width,
                "height": height,
                "clarifai_input_id": input_id,
                **({"coco_url": image["url"]} if image.get("url") else {}),
            }
        )
        for region in data.get("regions", []):
            shape = _shape(region.get("region_info") or {}, sx, sy)
            if shape is None:
                continue
            bbox, segmentation, area = shape
            for concept in (region.get("data") or {}).get("concepts", []):
                if not _positive(concept):
                    continue
                self.annotations.append(
                    {
                        "id": len(self.annotations) + 1,
                        "image_id": image_id,
                        "category_id": self._category(concept),
                        "bbox": bbox,
                        "area": area,
                        "segmentation": segmentation,
                        "iscrowd": 0,
                        "clarifai_region_id": region.get("id", ""),
                    }
                )

    def document(self, description: str) -> dict[str, Any]:
        return {
            "info": {"description": description},
            "images": self.images,
            "annotations": self.annotations,
            "categories": list(self.categories.values()),
        }


def _shape(
    info: dict[str, Any], sx: float, sy: float
) -> tuple[list[float], list[list[float]], float] | None:
    """([x, y, width, height], segmentation, area) of a box or polygon
    region; a polygon's area is its own (shoelace formula), as COCO's
    evaluation expects, not its bounding box's."""
    if box := info.get("bounding_box"):
        x0, y0 = box.get("left_col", 0.0) * sx, box.get("top_row", 0.0) * sy
        x1, y1 = box.get("right_col", 0.0) * sx, box.get("bottom_row", 0.0) * sy
        return [x0, y0, x1 - x0, y1 - y0], [], (x1 - x0) * (y1 - y0)
    if points := (info.get("polygon") or {}).get("points"):
        xs = [p.get("col", 0.0) * sx for p in points]
        ys = [p.get("row", 0.0) * sy for p in points]
        flat = [v for x, y in zip(xs, ys, strict=True) for v in (x, y)]
        area = abs(sum(xs[i - 1] * ys[i] - xs[i] * ys[i - 1] for i in range(len(xs)))) / 2
        return [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)], [flat], area
    return None
