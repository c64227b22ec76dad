"""A Search read into plain filter terms (storage/search_filters.py), checked,
and run: filters select, ranks (server/ranks.py) order, a page of hits.

Reading a search checks everything before anything runs; a failure names
the field, e.g. `searches[0].query.filters[1].annotation.data.geo.geo_limit.type`.
Choices where the reference is silent or contradicts itself (README, Search):
- Parts left empty are no-ops: a Filter or Rank with nothing in it (the SDK
  sends `filters=[{}]`, `ranks=[{}]`, and an empty annotation and input in
  every Filter), `negate` alone, an empty metadata object.
- Concepts match by id, or by name (the app's concepts of that name, their
  own or a translation; case-insensitively); value > 0 asks for a positive
  label, 0 for a negative one. Several concepts in one filter: any of them.
- Metadata and geo are the input's, wherever a filter sends them (the
  annotation or the input part). Metadata matches by JSON containment
  (`jsonb @>`): every key given, at any depth, lists as subsets — the
  docs' Filter page, over the proto comment that ORs keys.
- Media kinds (`{"image": {}}`, ...) are ORed; with `status.code` and the
  rest of the filter they are ANDed ("successful inputs of type image or
  text", as the SDK's docstring reads).
- Pure filter searches score every hit 1.0 and list the newest first;
  ranks score in [0, 1], best first, cut at `min_value`.
- `as_of`: inputs (and annotations) made after it are left out; what was
  changed since counts as it is now.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from clarifai.api import resources_pb2
from google.protobuf.message import Message
from sqlalchemy import Select

from server import input_views, ranks
from server.checks import Checks
from server.convert import from_struct
from server.status import ApiError, Code, not_found
from server.wire import annotations as annotation_wire
from server.wire import searches as wire
from storage import annotations as annotation_store
from storage import inputs as input_store
from storage.listing import Page
from storage.search_filters import (
    AnnotationTerms,
    Box,
    Concepts,
    Filter,
    InputTerms,
    Radius,
    Selection,
)
from storage.searches import ANNOTATIONS, INPUTS, SearchRecord

if TYPE_CHECKING:
    from server.dispatch import Call

check = Checks(Code.SEARCH_INVALID_REQUEST)
Metric = resources_pb2.Search.Metric

Algorithm = Literal["nearest_neighbor", "brute_force", "avg_concept_brute_force"]
ALGORITHMS: tuple[Algorithm, ...] = ("nearest_neighbor", "brute_force", "avg_concept_brute_force")
METRICS: dict[int, Literal["euclidean", "cosine"]] = {
    Metric.METRIC_NOT_SET: "euclidean",
    Metric.EUCLIDEAN_DISTANCE: "euclidean",
    Metric.COSINE_DISTANCE: "cosine",
}
# How deep a ranked search may page (page * per_page): ranks find this many
# best hits to serve the last page. The wording is the reference's, which
# the clarifai SDK looks for.
MAX_RANKED = 10_000
# Radians of great-circle arc per unit of each geo_limit type.
GEO_UNITS = {
    "withinMiles": 1 / 3958.7613,
    "withinKilometers": 1 / 6371.0088,
    "withinDegrees": math.pi / 180,
    "withinRadians": 1.0,
}
SHAPES = ("bounding_box", "polygon", "mask", "point", "span")
MEDIA = ("image", "video", "audio", "text")
_INPUT_STATUSES = frozenset(c for c in Code.values() if Code.Name(c).startswith("INPUT_"))
_ANNOTATION_STATUSES = frozenset(c for c in Code.values() if Code.Name(c).startswith("ANNOTATION_"))


@dataclass(frozen=True)
class Plan:
    """A search, checked: what it selects and how it orders."""

    selection: Selection
    ranks: tuple[resources_pb2.Rank, ...]
    algorithm: Algorithm
    metric: Literal["euclidean", "cosine"]
    min_value: float
    # Where the query was sent (error details of ranks name it).
    query_field: str


def plan(search: resources_pb2.Search, field: str, caller: str, query_field: str = "") -> Plan:
    """The search sent at `field` (its query at `query_field`, by default
    `field`.query), checked; `caller` is the user "me" stands for."""
    query_field = query_field or f"{field}.query"
    query = search.query
    # A gRPC client of the whole reference may set what this server lacks
    # (a cluster filter, say): refused, never dropped (a dropped filter
    # would widen the search).
    if query_field == f"{field}.query":
        check.implemented(search, field)
    else:
        check.implemented(query, query_field)
    filters = [
        _filter(f, f"{query_field}.filters[{n}]", caller) for n, f in enumerate(query.filters)
    ]
    rank_list = [r for r in query.ranks if not _blank(r.annotation)]
    legacy_filters, legacy_ranks = _ands(query.ands, f"{query_field}.ands", caller)
    check.one_of(search.metric, METRICS, f"{field}.metric", "a metric")
    if not 0.0 <= search.min_value <= 1.0:  # NaN fails too
        raise check.invalid(f"{field}.min_value {search.min_value} is outside [0, 1]")
    return Plan(
        selection=Selection(
            filters=tuple(f for f in [*filters, *legacy_filters] if f),
            as_of=check.time(search.as_of, f"{field}.as_of") if search.HasField("as_of") else None,
            language=query.language,
        ),
        ranks=tuple([*rank_list, *legacy_ranks]),
        algorithm=_algorithm(search.algorithm, field),
        metric=METRICS[search.metric],
        min_value=search.min_value,
        query_field=query_field,
    )


def _algorithm(sent: str, field: str) -> Algorithm:
    """nearest_neighbor unless another is named."""
    for known in ALGORITHMS:
        if sent == known:
            return known
    if sent:
        raise check.invalid(f"{field}.algorithm '{sent}' is not one of {', '.join(ALGORITHMS)}")
    return ALGORITHMS[0]


def _blank(message: Message) -> bool:
    """Nothing set in `message` but empty messages."""
    return all(
        f.message_type is not None and not f.is_repeated and _blank(v)
        for f, v in message.ListFields()
    )


# ---- filters ----


def _filter(f: resources_pb2.Filter, at: str, caller: str) -> Filter:
    annotation, from_annotation = _annotation_part(f.annotation, f"{at}.annotation", caller)
    if f.HasField("last_updated_time_range"):
        annotation = _time_range(annotation, f.last_updated_time_range, at)
    return Filter(
        annotation=annotation,
        inputs=(from_annotation, _input_part(f.input, f"{at}.input")),
        negate=f.negate,
    )


def _time_range(terms: AnnotationTerms, sent: resources_pb2.TimeRange, at: str) -> AnnotationTerms:
    at = f"{at}.last_updated_time_range"
    start = check.time(sent.start_time, f"{at}.start_time") if sent.HasField("start_time") else None
    end = check.time(sent.end_time, f"{at}.end_time") if sent.HasField("end_time") else None
    if start is not None and end is not None and start > end:
        raise check.invalid(f"{at}: start_time is after end_time")
    return replace(terms, updated_from=start, updated_to=end)


def _refuse_set(message: Message, names: Sequence[str], at: str, why: str) -> None:
    for name in names:
        if message.HasField(name):
            raise check.invalid(f"{at}.{name}: {why}")


def _annotation_part(
    a: resources_pb2.Annotation, at: str, caller: str
) -> tuple[AnnotationTerms, InputTerms]:
    """A filter's annotation: what the annotation must be, and what its
    input must be (its id, media, metadata and geo)."""
    _refuse_set(a, ("created_at", "modified_at"), at, "filter on last_updated_time_range")
    users = {caller if u == "me" else u for u in (a.user_id, a.worker.user.id) if u}
    if len(users) > 1:
        raise check.invalid(f"{at}.user_id and {at}.worker.user.id name different users")
    status = a.status.code
    if status:
        check.one_of(status, _ANNOTATION_STATUSES, f"{at}.status.code", "an annotation status")
    data = _data(a.data, f"{at}.data", annotation=True)
    terms = AnnotationTerms(
        ids=_some(a.id),
        user_ids=tuple(users),
        model_version_ids=_some(a.model_version_id),
        task_id=a.task_id,
        status_codes=_some(status),
        input_level=a.input_level,
        trusted=a.trusted,
        concepts=data.concepts,
        shapes=data.shapes,
        frames=data.frames,
        info=_some(from_struct(a.annotation_info, f"{at}.annotation_info", check.invalid_code)),
    )
    return terms, replace(data.input, ids=_some(a.input_id), concepts=())


def _input_part(i: resources_pb2.Input, at: str) -> InputTerms:
    """A filter's input: its id, media, status, datasets, metadata, geo and
    own (input-level) concepts."""
    _refuse_set(i, ("created_at", "modified_at"), at, "filter on last_updated_time_range")
    _refuse_set(i, ("feedback_info",), at, "feedback is not a search filter")
    status = i.status.code
    if status:
        check.one_of(status, _INPUT_STATUSES, f"{at}.status.code", "an input status")
    data = _data(i.data, f"{at}.data", annotation=False)
    return replace(
        data.input,
        ids=_some(i.id),
        status_codes=_some(status),
        dataset_ids=tuple(dict.fromkeys(i.dataset_ids)),
        concepts=data.concepts,
    )


def _some(value: Any) -> tuple[Any, ...]:
    return (value,) if value else ()


@dataclass(frozen=True)
class _Data:
    concepts: tuple[Concepts, ...]
    shapes: tuple[str, ...]
    frames: bool
    input: InputTerms


def _data(d: resources_pb2.Data, at: str, *, annotation: bool) -> _Data:
    """What a filter's Data asks for. Media, metadata and geo are the
    input's; concepts, region shapes and frames the annotation's (in an
    input part, concepts are the input's own)."""
    if d.embeddings:
        raise check.invalid(f"{at}.embeddings: embeddings rank hits; send them in query.ranks")
    kinds, urls = _media(d, at)
    metadata = from_struct(d.metadata, f"{at}.metadata", check.invalid_code)
    shapes: list[str] = []
    for n, region in enumerate(d.regions):
        shapes += _shapes(region, f"{at}.regions[{n}]", annotation)
    for n, frame in enumerate(d.frames):
        where = f"{at}.frames[{n}]"
        if not annotation or frame.id or frame.HasField("data"):
            raise check.invalid(f"{where}: frames are selected by an empty frame_info only")
    return _Data(
        concepts=_concepts(d.concepts, f"{at}.concepts"),
        shapes=tuple(dict.fromkeys(shapes)),
        frames=bool(d.frames),
        input=InputTerms(
            kinds=kinds,
            urls=urls,
            metadata=_some(metadata),
            geo=_some(_geo(d.geo, f"{at}.geo") if d.HasField("geo") else None),
        ),
    )


def _media(d: resources_pb2.Data, at: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The media kinds asked for (present, e.g. `{"image": {}}`), and the
    source URLs (`image.url`, ...)."""
    kinds, urls = [], []
    for kind in MEDIA:
        if not d.HasField(kind):
            continue
        sent = getattr(d, kind)
        if kind == "text" and sent.raw:
            raise check.invalid(
                f"{at}.text.raw: a text ranks hits by meaning; send it in query.ranks"
            )
        if kind != "text" and sent.base64:
            raise check.invalid(
                f"{at}.{kind}.base64: an {kind} ranks hits by likeness; send it in query.ranks"
            )
        kinds.append(kind)
        if sent.url:
            urls.append(sent.url)
    return tuple(kinds), tuple(urls)


def _shapes(region: resources_pb2.Region, at: str, annotation: bool) -> list[str]:
    info = region.region_info
    found = [s for s in SHAPES if info.HasField(s)]
    extra = region.id or region.value or region.HasField("data") or info.HasField("token")
    if not annotation or extra or info.feedback or not found:
        raise check.invalid(
            f"{at}: a filter selects an annotation's regions by shape only: region_info with "
            f"an empty {', '.join(SHAPES)}"
        )
    return found


def _concepts(sent: Sequence[resources_pb2.Concept], at: str) -> tuple[Concepts, ...]:
    out = []
    for n, c in enumerate(sent):
        where = f"{at}[{n}]"
        if not c.id and not c.name:
            raise check.invalid(f"{where}: give the concept's id or name")
        if not 0.0 <= c.value <= 1.0:
            raise check.invalid(f"{where}.value {c.value} is outside [0, 1]")
        out.append(Concepts(_some(c.id), () if c.id else (c.name,), c.value > 0))
    return tuple(out)


def _geo(g: resources_pb2.Geo, at: str) -> Radius | Box | None:
    """A radius around geo_point, or a box from two corners."""
    if g.geo_box:
        if g.HasField("geo_limit"):
            raise check.invalid(f"{at}: give geo_limit (a radius) or geo_box, not both")
        if len(g.geo_box) != 2:
            raise check.invalid(f"{at}.geo_box: a box has two corners, got {len(g.geo_box)}")
        a, b = (
            _point(c.geo_point, f"{at}.geo_box[{n}].geo_point") for n, c in enumerate(g.geo_box)
        )
        return Box(min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1]))
    if not g.HasField("geo_limit"):
        if _blank(g):
            return None
        raise check.invalid(f"{at}.geo_limit is required: a point filters with a radius")
    limit = g.geo_limit
    check.one_of(limit.type, GEO_UNITS, f"{at}.geo_limit.type")
    if not (math.isfinite(limit.value) and limit.value > 0):
        raise check.invalid(f"{at}.geo_limit.value {limit.value} must be above 0")
    lon, lat = _point(g.geo_point, f"{at}.geo_point")
    return Radius(lon, lat, limit.value * GEO_UNITS[limit.type])


def _point(p: resources_pb2.GeoPoint, at: str) -> tuple[float, float]:
    if not -180.0 <= p.longitude <= 180.0:
        raise check.invalid(f"{at}.longitude {p.longitude} is outside -180..180")
    if not -90.0 <= p.latitude <= 90.0:
        raise check.invalid(f"{at}.latitude {p.latitude} is outside -90..90")
    return p.longitude, p.latitude


# ---- the legacy query: ands ----


def _ands(
    ands: Sequence[resources_pb2.And], at: str, caller: str
) -> tuple[list[Filter], list[resources_pb2.Rank]]:
    """Each And with an input or an annotation is a filter; with an output,
    a rank (what the reference calls ranking by predicted outputs)."""
    filters, rank_list = [], []
    for n, a in enumerate(ands):
        where = f"{at}[{n}]"
        parts = [p for p in ("input", "output", "annotation") if a.HasField(p)]
        if len(parts) > 1:
            raise check.invalid(f"{where}: set one of input, output or annotation")
        if parts == ["input"]:
            filters.append(
                Filter(inputs=(_input_part(a.input, f"{where}.input"),), negate=a.negate)
            )
        elif parts == ["annotation"]:
            terms, of_input = _annotation_part(a.annotation, f"{where}.annotation", caller)
            filters.append(Filter(annotation=terms, inputs=(of_input,), negate=a.negate))
        elif parts == ["output"]:
            rank = _output_rank(a.output, f"{where}.output")
            if rank is not None:
                rank.negate = a.negate
                rank_list.append(rank)
    return filters, rank_list


def _output_rank(output: resources_pb2.Output, at: str) -> resources_pb2.Rank | None:
    """A legacy output as a Rank: its data (concepts), its input's media and id."""
    _refuse_set(output, ("status", "created_at", "model"), at, "not a rank of this server")
    if output.id:
        raise check.invalid(f"{at}.id: not a rank of this server")
    sent = output.input
    _refuse_set(
        sent, ("created_at", "modified_at", "status", "feedback_info"), f"{at}.input", "not a rank"
    )
    rank = resources_pb2.Rank()
    rank.annotation.data.MergeFrom(output.data)
    rank.annotation.data.MergeFrom(sent.data)
    rank.annotation.input_id = sent.id
    return None if _blank(rank.annotation) else rank


# ---- running ----


def depth(p: Plan, page: Page) -> int:
    """How many best hits a ranked page needs; refused past MAX_RANKED."""
    needed = page.offset + page.limit
    if p.ranks and needed > MAX_RANKED:
        raise ApiError(
            Code.SEARCH_INVALID_REQUEST,
            f"pagination: page * perPage cannot exceed {MAX_RANKED} for a ranked search "
            f"(got {needed})",
        )
    return needed


async def count(call: Call, p: Plan, kind: str) -> int:
    """How many inputs (or annotations) the search finds: those passing its
    filters, and scoring min_value or more when it ranks and sets one."""
    store = call.store.searches
    total = await store.count(kind, p.selection)
    if not p.ranks or not p.min_value or not total:
        return total
    if kind == ANNOTATIONS:
        pks = {pk for pk, _ in await _ranked(call, p, kind, total)}
        return await store.count(kind, _among(p.selection, pks))
    return len(await _ranked(call, p, kind, total))


def _among(sel: Selection, pks: set[int]) -> Selection:
    """The selection narrowed to the inputs of these pks."""
    scored = Filter(inputs=(InputTerms(pks=tuple(sorted(pks))),))
    return replace(sel, filters=(*sel.filters, scored))


async def _ranked(call: Call, p: Plan, kind: str, limit: int) -> list[tuple[int, float]]:
    """The best `limit` inputs passing the filters (with an annotation
    passing them, for annotation searches) scoring min_value or more, best
    first; equal scores newest first."""
    sel = p.selection
    # Unfiltered, an input search's candidates are the app's inputs, which
    # each rank keeps to anyway: its statement then names no other set (a
    # vector search's index scan tests no membership per row).
    everything = kind == INPUTS and not sel.filters and sel.as_of is None
    candidates = None if everything else await call.store.searches.candidates(kind, sel)
    scored = await ranks.ranked(
        call,
        p.ranks,
        candidates=candidates,
        metric=p.metric,
        algorithm=p.algorithm,
        limit=limit,
        field=f"{p.query_field}.ranks",
    )
    kept = [(pk, score) for pk, score in scored if score >= p.min_value]
    return sorted(kept, key=lambda hit: (-hit[1], -hit[0]))


async def hits(call: Call, p: Plan, kind: str, page: Page, into: wire.Hits) -> None:
    """The page of hits, added to `into` (a response's): inputs (or
    annotations), newest first for pure filters (all scoring 1.0), else
    best first."""
    store, inline = call.store.searches, call.settings.inline_text_bytes
    if kind == INPUTS and not p.ranks:
        rows = await store.input_page(p.selection, page, inline)
        await _input_hits(call, [(1.0, r) for r in rows], into)
    elif kind == INPUTS:
        scored = (await _ranked(call, p, kind, depth(p, page)))[page.offset :][: page.limit]
        by_pk = await store.inputs_by_pk([pk for pk, _ in scored], inline)
        await _input_hits(call, [(s, by_pk[pk]) for pk, s in scored if pk in by_pk], into)
    elif not p.ranks:
        rows = await store.annotation_page(p.selection, page)
        await _annotation_hits(call, [(1.0, r) for r in rows], into)
    else:
        score_of = dict(await _ranked(call, p, kind, depth(p, page)))
        found = await store.annotations_of(list(score_of), p.selection)
        found.sort(key=lambda pair: -score_of[pair[0]])  # stable: newest first within a score
        chosen = found[page.offset :][: page.limit]
        await _annotation_hits(call, [(score_of[pk], a) for pk, a in chosen], into)


async def saved(call: Call, search_id: str, at: str = "id") -> SearchRecord:
    """The app's saved search of this id (sent at `at`)."""
    check.required(search_id, at)
    row = (await call.store.searches.saved([search_id])).get(search_id)
    if row is None:
        raise not_found("saved search", search_id, at)
    return row


async def sent_or_saved(
    call: Call, search: resources_pb2.Search, field: str
) -> resources_pb2.Search:
    """The search sent at `field`, or the saved one it names by id alone
    (as of its saving)."""
    if search.id and not search.HasField("query"):
        return wire.search_proto(await saved(call, search.id, f"{field}.id"), call.app)
    return search


async def input_pks(call: Call, p: Plan) -> Select | list[int]:
    """Every input the search finds: the pks a query selects (filters
    alone), or those ranked at min_value or more."""
    store = call.store.searches
    if not p.ranks:
        return await store.candidates(INPUTS, p.selection)
    total = await store.count(INPUTS, p.selection)
    return [pk for pk, _ in await _ranked(call, p, INPUTS, total)] if total else []


async def annotation_pks(call: Call, p: Plan) -> Select | list[int]:
    """Every annotation an annotation search finds: the pks a query
    selects (filters alone), or those of the inputs ranked at min_value or
    more."""
    store = call.store.searches
    if not p.ranks:
        return await store.annotation_candidates(p.selection)
    total = await store.count(ANNOTATIONS, p.selection)
    ranked = [pk for pk, _ in await _ranked(call, p, ANNOTATIONS, total)] if total else []
    return [a.pk for _, a in await store.annotations_of(ranked, p.selection)]


async def input_ids(call: Call, p: Plan, most: int, field: str) -> list[str]:
    """The ids of the inputs the search finds, best first (newest first for
    pure filters); refused naming `field` when they are more than `most`."""
    store, inline = call.store.searches, call.settings.inline_text_bytes
    if p.ranks:
        pks = [pk for pk, _ in await _ranked(call, p, INPUTS, most + 1)]
        by_pk = await store.inputs_by_pk(pks, inline)
        ids = [by_pk[pk].id for pk in pks if pk in by_pk]
    else:
        ids = [r.id for r in await store.input_page(p.selection, Page(most + 1, 0), inline)]
    if len(ids) > most:
        raise check.invalid(f"{field} finds more than {most} inputs: narrow it with filters")
    return ids


async def _input_hits(
    call: Call, found: Sequence[tuple[float, input_store.Row]], into: wire.Hits
) -> None:
    """One hit per input, each input built in its hit."""
    hits = [wire.hit(into, score, call.app) for score, _ in found]
    rows = [r for _, r in found]
    await input_views.shown(call, rows, call.settings.inline_text_bytes, [h.input for h in hits])


async def _annotation_hits(
    call: Call, found: Sequence[tuple[float, annotation_store.Row]], into: wire.Hits
) -> None:
    """One hit per annotation, with its input (copied: an input may have
    several annotations among the hits)."""
    inline = call.settings.inline_text_bytes
    input_ids = list(dict.fromkeys(a.input_id for _, a in found))
    rows = await call.store.inputs.get_many(input_ids, inline_text=inline)
    shown = {i.id: i for i in await input_views.shown(call, list(rows.values()), inline)}
    for score, a in found:
        hit = wire.hit(into, score, call.app)
        hit.input.CopyFrom(shown[a.input_id])
        annotation_wire.annotation_proto(a, into=hit.annotation)
