"""A search's filters as SQL conditions.

server/searching.py reads a Search's filters into the plain terms below;
this module turns them into WHERE conditions over `inputs` (an input
search: one row per input) or over `annotations` joined to their input (an
annotation search). Filters are ANDed; inside one filter every kind of term
is ANDed too, while the values of one kind (concepts, media kinds, dataset
ids, shapes) are ORed. A negated filter keeps exactly the rows the filter
would drop (where the filter is false, or unknown: NULL for an input
without metadata or a point).

In an input search a filter's annotation terms hold when one annotation of
the input satisfies all of them at once ("annotated dog by alice" is one
annotation); in an annotation search they hold of the annotation itself.
Input terms (media, status, datasets, metadata, geo) are about the input in
both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB, JSONPATH

from storage import annotations as annotation_store
from storage.annotations import Annotation
from storage.dataset_inputs import DatasetInput
from storage.datasets import Dataset
from storage.inputs import METADATA, Input
from storage.prepared import Fill


@dataclass(frozen=True)
class Concepts:
    """One concept of a filter: by `ids`, or by a name (`names`, resolved to
    the app's concepts of that name before the query is built). `positive`:
    labelled as present (value > 0), else as absent (value 0)."""

    ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    positive: bool = True


@dataclass(frozen=True)
class Radius:
    """Within `radians` of arc (great circle) of a point."""

    longitude: float
    latitude: float
    radians: float


@dataclass(frozen=True)
class Box:
    """Between two corners, edges included."""

    west: float
    east: float
    south: float
    north: float


@dataclass(frozen=True)
class AnnotationTerms:
    """What one annotation must be (all of it)."""

    ids: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()
    model_version_ids: tuple[str, ...] = ()
    task_id: str = ""
    status_codes: tuple[int, ...] = ()
    input_level: bool = False
    trusted: bool = False
    # Any of these concepts, on the annotation or in one of its regions.
    concepts: tuple[Concepts, ...] = ()
    # Any of these region shapes (region_info keys: bounding_box, polygon, ...).
    shapes: tuple[str, ...] = ()
    frames: bool = False
    # annotation_info containing each of these (jsonb @>).
    info: tuple[Mapping[str, Any], ...] = ()
    updated_from: datetime | None = None
    updated_to: datetime | None = None

    def __bool__(self) -> bool:
        return self != AnnotationTerms()


@dataclass(frozen=True)
class InputTerms:
    """What the input must be (all of it)."""

    ids: tuple[str, ...] = ()
    # Any of these media kinds (image, video, audio, text).
    kinds: tuple[str, ...] = ()
    # Any of these source URLs.
    urls: tuple[str, ...] = ()
    status_codes: tuple[int, ...] = ()
    # In any of these datasets.
    dataset_ids: tuple[str, ...] = ()
    # Metadata containing each of these (jsonb @>: nested keys, list subsets).
    metadata: tuple[Mapping[str, Any], ...] = ()
    geo: tuple[Radius | Box, ...] = ()
    # Any of these concepts among the input's own (its input-level annotation).
    concepts: tuple[Concepts, ...] = ()
    # Any of these inputs by pk (the ones ranks scored).
    pks: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return self != InputTerms()


@dataclass(frozen=True)
class Filter:
    """One filter: its annotation terms, and its input terms (each from
    one part of the request: all must hold)."""

    annotation: AnnotationTerms = field(default_factory=AnnotationTerms)
    inputs: tuple[InputTerms, ...] = ()
    negate: bool = False

    def __bool__(self) -> bool:
        return bool(self.annotation) or any(self.inputs)


@dataclass(frozen=True)
class Selection:
    """What a search selects: the inputs (or annotations) passing all its
    filters, made by `as_of` (any time when None); concept names are the
    app's in `language` (any when empty)."""

    filters: tuple[Filter, ...] = ()
    as_of: datetime | None = None
    language: str = ""


# A search's page statement is kept per shape (storage/searches.py): the
# concept ids and metadata of its filters stand in it as placeholders,
# replaced by the values at each run (an id by NUL, its place, NUL: no id
# holds NUL, refused where requests come in). The SQLAlchemy expression of
# a filter costs milliseconds to build; a kept one serves every concept.
CONCEPT_PATH = "concept_path"
METADATA_VALUE = "metadata_value"
_PLACED = re.compile(r'"\\u0000(\d+)\\u0000"')  # a placeholder as a path holds it
_PLACE = "\0"  # a metadata placeholder's one key, its value the place


def shaped(filters: Sequence[Filter]) -> tuple[tuple[Filter, ...], Fill]:
    """The filters with their concept ids and metadata replaced by
    placeholders, and what fills those in (storage/prepared.py built_rows)."""
    ids: list[str] = []
    metadata: list[Mapping[str, Any]] = []

    def place(c: Concepts) -> Concepts:
        ids.extend(c.ids)
        first = len(ids) - len(c.ids)
        return replace(c, ids=tuple(f"\0{first + n}\0" for n in range(len(c.ids))))

    def place_metadata(t: InputTerms) -> InputTerms:
        places = tuple({_PLACE: len(metadata) + n} for n in range(len(t.metadata)))
        metadata.extend(t.metadata)
        return replace(t, metadata=places) if places else t

    def fill(name: str, value: Any) -> Any:
        if name.startswith(CONCEPT_PATH):
            return _PLACED.sub(lambda m: json.dumps(ids[int(m.group(1))]), value)
        if name.startswith(METADATA_VALUE):
            return dict(metadata[value[_PLACE]])
        return value

    return with_concepts(filters, place, place_metadata), fill


def with_concepts(
    filters: Sequence[Filter],
    change: Callable[[Concepts], Concepts],
    inputs: Callable[[InputTerms], InputTerms] = lambda t: t,
) -> tuple[Filter, ...]:
    """The filters with each of their concepts changed (in order: each
    filter's annotation part, then its input parts), and `inputs` applied
    to each input part after."""

    def changed(terms: Any) -> Any:
        return (
            replace(terms, concepts=tuple(map(change, terms.concepts))) if terms.concepts else terms
        )

    return tuple(
        replace(
            f,
            annotation=changed(f.annotation),
            inputs=tuple(inputs(changed(t)) for t in f.inputs),
        )
        for f in filters
    )


def names(filters: Sequence[Filter]) -> set[str]:
    """The concept names the filters name (to resolve to ids)."""
    found: set[str] = set()
    for f in filters:
        for c in (*f.annotation.concepts, *(c for t in f.inputs for c in t.concepts)):
            found.update(c.names)
    return found


# ---- input searches ----


def input_conditions(filters: Sequence[Filter], as_of: datetime | None) -> list[Any]:
    """Conditions on `Input` (its app already chosen) for an input search
    as of `as_of` (annotations made after it do not count)."""
    return [_of_input(f, as_of) for f in filters]


def _of_input(f: Filter, as_of: datetime | None) -> ColumnElement[bool]:
    conditions = [c for t in f.inputs for c in _input(t, as_of)]
    if f.annotation:
        found = _annotation_exists(_annotation(f.annotation), as_of)
        if f.negate and not conditions:
            # EXISTS is never unknown: NOT EXISTS, which the planner runs
            # as an anti-join.
            return ~found
        conditions.append(found)
    return _negated(f, and_(true(), *conditions))


def _annotation_exists(where: list[Any], as_of: datetime | None) -> ColumnElement[bool]:
    """An annotation of the Input in the query meets `where`. (Correlated
    on Input alone: in an annotation search the query's own Annotation is
    another row.)"""
    q = (
        select(Annotation.pk)
        .where(Annotation.app_pk == Input.app_pk, Annotation.input_id == Input.id, *where)
        .correlate(Input)
    )
    if as_of is not None:
        q = q.where(Annotation.created_at <= as_of)
    return exists(q)


# ---- annotation searches ----


def annotation_conditions(filters: Sequence[Filter], as_of: datetime | None) -> list[Any]:
    """Conditions on `Annotation` joined to its `Input`, for an annotation
    search as of `as_of`."""
    return [
        _negated(
            f,
            and_(
                true(), *_annotation(f.annotation), *(c for t in f.inputs for c in _input(t, as_of))
            ),
        )
        for f in filters
    ]


def _negated(f: Filter, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """A negated filter holds where the filter is false or unknown (NULL: an
    input without metadata or a point). Plain conditions stay as they are,
    so the indexes serve them."""
    return condition.is_not(true()) if f.negate else condition


# ---- the terms ----


def _annotation(t: AnnotationTerms) -> list[Any]:
    """Conditions on the Annotation row itself."""
    where: list[Any] = []
    if t.ids:
        where.append(Annotation.id.in_(t.ids))
    # Users, model versions, statuses, task and trusted as ListAnnotations
    # reads them (a user's annotations are those no model wrote).
    where += annotation_store.conditions(
        annotation_store.Filters(
            user_ids=list(t.user_ids),
            model_version_ids=list(t.model_version_ids),
            status_codes=list(t.status_codes),
            task_id=t.task_id,
            trusted_only=t.trusted,
        )
    )
    if t.input_level:
        where.append(Annotation.input_level.is_(True))
    if t.concepts:
        where.append(_concepts(t.concepts))
        if not t.model_version_ids:
            # Concepts filter labels unless a model is named: the base
            # workflow's predictions (annotations a model wrote) are for
            # ranks, as the reference searches them.
            where.append(Annotation.model_version_id == "")
    if t.shapes:
        shapes = " || ".join(f"exists(@.{s})" for s in t.shapes)
        where.append(_path(f"$.regions[*].region_info ? ({shapes})"))
    if t.frames:
        where.append(_path("$.frames[*]"))
    where += [Annotation.annotation_info.contains(dict(info)) for info in t.info]
    if t.updated_from is not None:
        where.append(Annotation.modified_at >= t.updated_from)
    if t.updated_to is not None:
        where.append(Annotation.modified_at <= t.updated_to)
    return where


def _path(path: str, within: Any = Annotation.data, key: str | None = None) -> ColumnElement[bool]:
    """The JSON path finds something in `within` (the annotation's data, or
    its concepts as their GIN indexes hold them); bound under `key` when
    given."""
    return within.op("@?")(bindparam(key, path, JSONPATH, unique=True))


def _concepts(concepts: Sequence[Concepts]) -> ColumnElement[bool]:
    """Any of the concepts on the annotation or in one of its regions.
    Stored values are 0 for absent (json_format may leave a 0 out) and above
    0 for present."""
    alternatives = []
    for c in concepts:
        ids = " || ".join(f"@.id == {json.dumps(i)}" for i in c.ids)
        value = "@.value > 0" if c.positive else "(@.value == 0 || !(exists(@.value)))"
        if ids:
            alternatives.append(f"({ids}) && {value}")
    if not alternatives:
        return false()  # only names no concept of the app has
    path = "$[*] ? (" + " || ".join(f"({a})" for a in alternatives) + ")"
    own, in_regions = annotation_store.concepts, annotation_store.region_concepts
    return or_(
        _path(path, own, CONCEPT_PATH),
        and_(annotation_store.has_regions, _path(path, in_regions, CONCEPT_PATH)),
    )


def _input(t: InputTerms, as_of: datetime | None) -> list[Any]:
    """Conditions on the Input row (and what hangs off it)."""
    where: list[Any] = []
    if t.ids:
        where.append(Input.id.in_(t.ids))
    if t.pks:
        where.append(Input.pk.in_(t.pks))
    if t.kinds:
        where.append(Input.media_kind.in_(t.kinds))
    if t.urls:
        where.append(Input.source_url.in_(t.urls))
    if t.status_codes:
        where.append(Input.status_code.in_(t.status_codes))
    if t.dataset_ids:
        where.append(_in_datasets(t.dataset_ids))
    where += [
        METADATA.op("@>")(bindparam(METADATA_VALUE, dict(m), JSONB, unique=True))
        for m in t.metadata
    ]
    where += [_geo(g) for g in t.geo]
    if t.concepts:
        where.append(
            _annotation_exists([Annotation.input_level.is_(True), _concepts(t.concepts)], as_of)
        )
    return where


def _in_datasets(dataset_ids: Sequence[str]) -> ColumnElement[bool]:
    return exists(
        select(DatasetInput.pk)
        .join(Dataset, Dataset.pk == DatasetInput.dataset_pk)
        .where(
            DatasetInput.app_pk == Input.app_pk,
            DatasetInput.input_id == Input.id,
            Dataset.id.in_(dataset_ids),
        )
    )


def _geo(g: Radius | Box) -> ColumnElement[bool]:
    """The input's point in the radius or box (NULL for an input without
    a point: in neither)."""
    point = Input.data["geo"]["geo_point"]
    lon, lat = point["longitude"].as_float(), point["latitude"].as_float()
    if isinstance(g, Box):
        inside = and_(lon.between(g.west, g.east), lat.between(g.south, g.north))
    else:
        # The haversine central angle between the two points.
        half = func.power(func.sin(func.radians(lat - g.latitude) / 2), 2) + func.cos(
            func.radians(g.latitude)
        ) * func.cos(func.radians(lat)) * func.power(
            func.sin(func.radians(lon - g.longitude) / 2), 2
        )
        inside = 2 * func.asin(func.sqrt(func.least(1.0, half))) <= g.radians
    return inside
