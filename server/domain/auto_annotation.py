"""Which annotations an auto-annotating task writes from a model's output.

Each of the task's concepts carries its auto_annotation_config: the kinds
of annotation it may become (a mask of TAG, BOUNDING_BOX, POLYGON, POINT,
SPAN and MASK), the values that count (threshold_range, each bound
inclusive or not as its flag says; none, or an empty one, takes any
value) and the status the annotations get. From one output:
- TAG: each concept of the output's own concepts in range becomes a label
  of the whole input (value 1);
- the region kinds: each region whose concepts include one in range
  becomes a region annotation holding that concept (value 1) and those of
  its region_info parts the mask allows (a detector's bounding box under
  BOUNDING_BOX, its polygon under POLYGON, ...).
Annotations are grouped by status: one for the input's tags of a status,
one per region and status. Concepts not of the task are never written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clarifai.api import resources_pb2

from server.domain.task_rules import BOUNDING_BOX, MASK, POINT, POLYGON, SPAN, TAG

Data = resources_pb2.Data
# The region_info part each region kind is.
REGION_PARTS = {
    BOUNDING_BOX: "bounding_box",
    POLYGON: "polygon",
    POINT: "point",
    SPAN: "span",
    MASK: "mask",
}


@dataclass(frozen=True)
class ConceptRule:
    """One task concept's auto_annotation_config, read for the run."""

    kinds: int
    status: int
    lower: float | None = None
    upper: float | None = None
    lower_inclusive: bool = False
    upper_inclusive: bool = False

    def takes(self, value: float) -> bool:
        """Whether a prediction of this value counts."""
        above = (
            self.lower is None
            or value > self.lower
            or (value == self.lower and self.lower_inclusive)
        )
        below = (
            self.upper is None
            or value < self.upper
            or (value == self.upper and self.upper_inclusive)
        )
        return above and below


def rules_of(task: resources_pb2.Task, default_status: int) -> dict[str, ConceptRule]:
    """The task's concepts' rules by concept id (a status left unset is
    `default_status`)."""
    out = {}
    for concept in task.concepts:
        config = concept.auto_annotation_config
        bounds = config.threshold_range
        ranged = config.HasField("threshold_range") and bounds.ByteSize() > 0
        out[concept.concept.id] = ConceptRule(
            kinds=config.annotation_data_types,
            status=config.status_code or default_status,
            lower=bounds.lower if ranged else None,
            upper=bounds.upper if ranged else None,
            lower_inclusive=bounds.is_lower_inclusive,
            upper_inclusive=bounds.is_upper_inclusive,
        )
    return out


def _label(concept: resources_pb2.Concept) -> resources_pb2.Concept:
    return resources_pb2.Concept(id=concept.id, name=concept.name, value=1.0)


def tags(data: Data, rules: Mapping[str, ConceptRule], done: set[str]) -> list[tuple[int, Data]]:
    """The input-level labels the output's concepts make, one Data per
    status; concepts in `done` (tagged from another node) are left out and
    those tagged here are added to it."""
    by_status: dict[int, Data] = {}
    for concept in data.concepts:
        rule = rules.get(concept.id)
        if rule is None or not rule.kinds & TAG or concept.id in done:
            continue
        if rule.takes(concept.value):
            done.add(concept.id)
            by_status.setdefault(rule.status, Data()).concepts.append(_label(concept))
    return list(by_status.items())


def _region_info(region: resources_pb2.Region, kinds: int) -> resources_pb2.RegionInfo | None:
    info = resources_pb2.RegionInfo()
    for kind, part in REGION_PARTS.items():
        if kinds & kind and region.region_info.HasField(part):
            getattr(info, part).CopyFrom(getattr(region.region_info, part))
    return info if info.ByteSize() else None


def regions(data: Data, rules: Mapping[str, ConceptRule]) -> list[tuple[int, Data]]:
    """The region annotations the output's regions make, one Data per
    region, status and kinds."""
    out: list[tuple[int, Data]] = []
    for region in data.regions:
        grouped: dict[tuple[int, int], list[resources_pb2.Concept]] = {}
        for concept in region.data.concepts:
            rule = rules.get(concept.id)
            if rule is not None and rule.kinds & ~TAG and rule.takes(concept.value):
                grouped.setdefault((rule.status, rule.kinds), []).append(concept)
        for (status, kinds), concepts in grouped.items():
            info = _region_info(region, kinds)
            if info is None:
                continue
            made = resources_pb2.Region(id=region.id, region_info=info)
            made.data.concepts.extend(_label(c) for c in concepts)
            out.append((status, Data(regions=[made])))
    return out


def annotations(
    outputs: Iterable[tuple[str, Data]], rules: Mapping[str, ConceptRule]
) -> list[tuple[str, int, Data]]:
    """(model version id, status, data) of each annotation the outputs of
    one input make, outputs given as (model version id, data) in run order:
    a concept is tagged once, by the first output that has it in range."""
    done: set[str] = set()
    out = []
    for version_id, data in outputs:
        for status, made in [*tags(data, rules, done), *regions(data, rules)]:
            out.append((version_id, status, made))
    return out
