"""PostInputsSearches, PostAnnotationsSearches and the legacy PostSearches
over gRPC and REST: each filter kind, AND across filters, OR inside one,
negation, hits, pages, counts, ranks' plumbing, search ids and bad input.

The searched app is tests/search_world.py's (its tables give every
expected set below, computed by hand)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from sqlalchemy import func, select

from server import bootstrap, prediction
from server.jobs import JobContext
from storage import searches as search_store
from tests import search_world as w
from tests.conftest import Account
from tests.helpers import DESCRIPTIONS, app_pk

BAD = sc.SEARCH_INVALID_REQUEST
POINT = {"geo_point": {"longitude": 1, "latitude": 2}}


@pytest.fixture(scope="module")
async def world(server, stub) -> w.World:
    owner = Account(**await bootstrap.create(server.db))
    guest = Account(**await bootstrap.create(server.db))
    return await w.build(stub, owner, guest)


async def records(server, account) -> int:
    """How many searches (run or saved) the account's app has recorded."""
    pk = await app_pk(server, account)
    async with server.db.transaction() as session:
        q = select(func.count()).where(search_store.SearchRecord.app_pk == pk)
        return int(await session.scalar(q) or 0)


async def ids_of(transport, world, *filters: dict[str, Any], **search: Any) -> list[str]:
    return await w.input_ids(transport, world.owner, *filters, **search)


class TestFilters:
    async def test_no_filter_finds_every_input_newest_first(self, transport, world):
        assert await ids_of(transport, world) == w.NEWEST_FIRST

    async def test_empty_parts_are_no_ops(self, transport, world):
        # What the clarifai SDK sends for query() without arguments.
        sdk = {"annotation": {}, "input": {}}
        body = w.query(sdk, {"negate": True}, ranks=[{}, {"annotation": {}}])
        res = await w.search_inputs(transport, world.owner, body)
        assert [h.input.id for h in res.hits] == w.NEWEST_FIRST

    async def test_concepts_by_id_positive_and_negative(self, transport, world):
        assert await ids_of(transport, world, w.concepts(("dog", 1))) == ["a"]
        assert await ids_of(transport, world, w.concepts(("dog", 0))) == ["b"]
        # c's cat is its own and the guest's: one hit.
        assert await ids_of(transport, world, w.concepts(("cat", 1))) == ["c", "b"]
        assert await ids_of(transport, world, w.concepts(("cat", 0))) == []

    async def test_concepts_by_name_ignore_case(self, transport, world):
        assert await ids_of(transport, world, w.concepts(("DOGGO", 1), by="name")) == ["a"]
        assert await ids_of(transport, world, w.concepts(("doggo", 0), by="name")) == ["b"]
        assert await ids_of(transport, world, w.concepts(("nobody", 1), by="name")) == []

    async def test_region_concepts_count(self, transport, world):
        assert await ids_of(transport, world, w.concepts(("bird", 1))) == ["d"]
        assert await ids_of(transport, world, w.concepts(("bird", 0))) == ["a"]

    async def test_concepts_of_one_filter_are_ored(self, transport, world):
        found = await ids_of(transport, world, w.concepts(("dog", 1), ("fish", 1)))
        assert found == ["e", "a"]

    async def test_filters_are_anded(self, transport, world):
        assert await ids_of(transport, world, w.concepts(("cat", 1)), w.metadata(color="red")) == [
            "c"
        ]
        assert await ids_of(transport, world, w.concepts(("dog", 1)), w.input_types("image")) == []

    async def test_searches_of_one_shape_find_each_its_own_concepts(self, transport, world):
        # The server keeps one statement per shape and binds the concepts
        # and metadata at each run: the roles swapped, the answers swap too.
        def with_but_not(present: str, absent: str) -> list[dict[str, Any]]:
            return [w.concepts((present, 1)), {"negate": True, **w.concepts((absent, 1))}]

        for _ in range(2):
            assert await ids_of(transport, world, *with_but_not("cat", "dog")) == ["c", "b"]
            assert await ids_of(transport, world, *with_but_not("dog", "cat")) == ["a"]
        either = w.concepts(("dog", 1), ("cat", 1))
        assert await ids_of(transport, world, either) == ["c", "b", "a"]
        assert await ids_of(transport, world, w.concepts(("cat", 1), ("dog", 0))) == ["c", "b"]
        # Metadata likewise (red: c and a; tags 3 and 1: a).
        red, tags = w.metadata(color="red"), w.metadata(tags=[3, 1])
        for _ in range(2):
            assert await ids_of(transport, world, red, {"negate": True, **tags}) == ["c"]
            assert await ids_of(transport, world, tags, {"negate": True, **red}) == []

    async def test_negate(self, transport, world):
        no_cat = {"negate": True, **w.concepts(("cat", 1))}
        assert await ids_of(transport, world, no_cat) == ["e", "d", "a"]
        not_red = {"negate": True, **w.metadata(color="red")}
        assert await ids_of(transport, world, no_cat, not_red) == ["e", "d"]
        # Inputs without a point are outside any radius: negated, they are in.
        near = {"geo": {"geo_point": {"longitude": -29, "latitude": 40}}}
        near["geo"]["geo_limit"] = {"type": "withinKilometers", "value": 100}
        far = {"negate": True, "annotation": {"data": near}}
        assert await ids_of(transport, world, far) == ["e", "d", "c", "b"]

    @pytest.mark.parametrize(
        ("sent", "expected"),
        [
            ({"color": "red"}, ["c", "a"]),
            ({"tags": [2]}, ["c", "a"]),
            ({"tags": [3, 1]}, ["a"]),
            ({"nested": {"list": [5]}}, ["a"]),
            ({"nested": {"k": "v"}}, ["a"]),
            # Every key given must hold (containment).
            ({"color": "red", "tags": [3]}, ["a"]),
            ({"color": "blue", "tags": [2]}, []),
            ({"color": "green"}, []),
            ({}, w.NEWEST_FIRST),
        ],
    )
    async def test_metadata_by_containment(self, transport, world, sent, expected):
        assert await ids_of(transport, world, w.metadata(**sent)) == expected

    async def test_metadata_sent_in_the_input_part_too(self, transport, world):
        sent = {"input": {"data": {"metadata": {"color": "blue"}}}}
        assert await ids_of(transport, world, sent) == ["b"]

    @pytest.mark.parametrize(
        ("geo", "expected"),
        [
            # (-29, 40) is about 85 km from a's (-30, 40), as the SDK's test has it.
            ({"geo_limit": {"type": "withinKilometers", "value": 100}}, ["a"]),
            ({"geo_limit": {"type": "withinKilometers", "value": 80}}, []),
            ({"geo_limit": {"type": "withinMiles", "value": 60}}, ["a"]),
            ({"geo_limit": {"type": "withinMiles", "value": 50}}, []),
            ({"geo_limit": {"type": "withinDegrees", "value": 1}}, ["a"]),
            ({"geo_limit": {"type": "withinRadians", "value": 0.01}}, []),
            ({"geo_limit": {"type": "withinRadians", "value": 0.5}}, ["a"]),
            # b's (10, 10) is 45.75 degrees (0.80 radians) of arc away.
            ({"geo_limit": {"type": "withinDegrees", "value": 45}}, ["a"]),
            ({"geo_limit": {"type": "withinRadians", "value": 0.81}}, ["b", "a"]),
        ],
    )
    async def test_geo_radius(self, transport, world, geo, expected):
        point = {"geo_point": {"longitude": -29, "latitude": 40}}
        sent = {"annotation": {"data": {"geo": {**point, **geo}}}}
        assert await ids_of(transport, world, sent) == expected

    async def test_geo_box(self, transport, world):
        def box(a: tuple[float, float], b: tuple[float, float]) -> dict[str, Any]:
            corners = [{"geo_point": {"longitude": x, "latitude": y}} for x, y in (a, b)]
            return {"annotation": {"data": {"geo": {"geo_box": corners}}}}

        assert await ids_of(transport, world, box((-29, 41), (-31, 39))) == ["a"]
        assert await ids_of(transport, world, box((-40, 0), (20, 50))) == ["b", "a"]
        assert await ids_of(transport, world, box((0, 0), (5, 5))) == []

    async def test_input_types_are_ored_and_status_anded(self, transport, world):
        assert await ids_of(transport, world, w.input_types("image")) == ["d", "c"]
        assert await ids_of(transport, world, w.input_types("image", "text")) == w.NEWEST_FIRST
        assert await ids_of(transport, world, w.input_types("video", "audio")) == []
        success = {"input": {"data": {"text": {}}, "status": {"code": sc.INPUT_SUCCESS}}}
        assert await ids_of(transport, world, success) == ["e", "b", "a"]
        failed = {"input": {"data": {"text": {}}, "status": {"code": sc.INPUT_FAILED}}}
        assert await ids_of(transport, world, failed) == []

    async def test_datasets_are_ored(self, transport, world):
        assert await ids_of(transport, world, {"input": {"dataset_ids": ["d1"]}}) == ["c", "a"]
        both = {"input": {"dataset_ids": ["d1", "d2"]}}
        assert await ids_of(transport, world, both) == ["c", "b", "a"]
        assert await ids_of(transport, world, {"input": {"dataset_ids": ["d9"]}}) == []

    async def test_annotation_status_task_and_info(self, transport, world):
        pending = {"annotation": {"status": {"code": sc.ANNOTATION_PENDING}}}
        assert await ids_of(transport, world, pending) == ["e"]
        assert await ids_of(transport, world, {"annotation": {"task_id": "t1"}}) == ["e"]
        assert await ids_of(transport, world, {"annotation": {"task_id": "t2"}}) == []
        info = {"annotation": {"annotation_info": {"source": "tool"}}}
        assert await ids_of(transport, world, info) == ["e"]

    async def test_user(self, transport, world):
        guest = world.guest.user_id
        assert await ids_of(transport, world, {"annotation": {"user_id": guest}}) == ["c"]
        by_worker = {"annotation": {"worker": {"user": {"id": guest}}}}
        assert await ids_of(transport, world, by_worker) == ["c"]
        # The owner posted every input: each input-level annotation is theirs.
        owner = {"annotation": {"user_id": world.owner.user_id}}
        assert await ids_of(transport, world, owner) == w.NEWEST_FIRST

    async def test_input_level_and_trusted(self, transport, world):
        bird = w.concepts(("bird", 1))
        bird["annotation"]["input_level"] = True
        assert await ids_of(transport, world, bird) == []
        cat = w.concepts(("cat", 1))
        cat["annotation"]["input_level"] = True
        assert await ids_of(transport, world, cat) == ["c", "b"]
        # Trusted: by a user, not input-level, finished (e's is pending).
        assert await ids_of(transport, world, {"annotation": {"trusted": True}}) == ["d", "c", "a"]

    @pytest.mark.parametrize(
        ("shapes", "expected"),
        [
            (["bounding_box"], ["d"]),
            (["polygon"], ["e"]),
            (["point"], ["a"]),
            (["mask"], ["c"]),
            (["span"], []),
            (["bounding_box", "polygon"], ["e", "d"]),
        ],
    )
    async def test_region_shapes(self, transport, world, shapes, expected):
        regions = [{"region_info": {shape: {}}} for shape in shapes]
        sent = {"annotation": {"data": {"regions": regions}}}
        assert await ids_of(transport, world, sent) == expected

    async def test_text(self, transport, world):
        sent = {"annotation": {"data": {"text": {}}}}
        assert await ids_of(transport, world, sent) == ["e", "b", "a"]

    async def test_ids(self, transport, world):
        assert await ids_of(transport, world, {"input": {"id": "c"}}) == ["c"]
        assert await ids_of(transport, world, {"annotation": {"input_id": "c"}}) == ["c"]
        bbox = {"annotation": {"id": world.annotations["d", "owner"]}}
        assert await ids_of(transport, world, bbox) == ["d"]
        # Two parts naming different inputs: both must hold.
        both = {"annotation": {"input_id": "c"}, "input": {"id": "d"}}
        assert await ids_of(transport, world, both) == []

    async def test_last_updated_time_range(self, transport, world):
        def updated(**range_: str) -> dict[str, Any]:
            return {"last_updated_time_range": range_}

        assert await ids_of(transport, world, updated(start_time="2999-01-01T00:00:00Z")) == []
        assert await ids_of(transport, world, updated(end_time="2000-01-01T00:00:00Z")) == []
        all_time = updated(start_time="2000-01-01T00:00:00Z", end_time="2999-01-01T00:00:00Z")
        assert await ids_of(transport, world, all_time) == w.NEWEST_FIRST

    async def test_another_apps_inputs_never_appear(self, transport, world, server, stub):
        other = Account(**await bootstrap.create(server.db))
        await w.empty_workflow(stub, other)
        await w.post_inputs(stub, other, {**w.INPUTS[0], "dataset_ids": []}, w.INPUTS[3])
        res = await w.search_inputs(transport, world.owner, w.query(w.concepts(("dog", 1))))
        assert [(h.input.id, h.app_id, h.user_id) for h in res.hits] == [
            ("a", world.owner.app_id, world.owner.user_id)
        ]
        assert await w.input_ids(transport, other) == ["d", "a"]


class TestHits:
    async def test_hits_show_the_input_with_score_one(self, transport, world):
        res = await w.search_inputs(transport, world.owner, w.query(w.concepts(("dog", 1))))
        [hit] = res.hits
        assert hit.score == 1.0
        assert hit.input.data.text.raw == "alpha"
        assert [(c.id, c.name, c.value) for c in hit.input.data.concepts] == [("dog", "Doggo", 1.0)]
        assert hit.input.data.metadata["color"] == "red"
        assert not hit.HasField("annotation")
        assert len(res.id) == 32 and res.searches[0].id == res.id
        assert res.searches[0].query.filters[0].annotation.data.concepts[0].id == "dog"

    async def test_pages(self, transport, world):
        pages = []
        for page in (1, 2, 3, 4):
            body = {**w.query(), "pagination": {"page": page, "per_page": 2}}
            res = await w.search_inputs(transport, world.owner, body)
            pages.append([h.input.id for h in res.hits])
        assert pages == [["e", "d"], ["c", "b"], ["a"], []]

    async def test_per_page_above_the_most(self, transport, world):
        body = {**w.query(), "pagination": {"per_page": 1001}}
        request = w.request_of("PostInputsSearches", body, world.owner)
        res = await transport.call("PostInputsSearches", request, world.owner.key_md)
        w.refused(res, sc.CONN_INVALID_REQUEST, "per_page")

    async def test_only_count(self, transport, world):
        for filters, total in [((), 5), ((w.concepts(("cat", 1)),), 2), ((w.metadata(x=1),), 0)]:
            body = {**w.query(*filters), "only_count": True}
            res = await w.search_inputs(transport, world.owner, body)
            assert list(res.hits) == []
            assert [c.estimated_total for c in res.hit_counts] == [total]
            assert res.id

    async def test_each_search_has_its_own_id(self, transport, world):
        first = await w.search_inputs(transport, world.owner, w.query())
        second = await w.search_inputs(transport, world.owner, w.query())
        assert first.id != second.id


class TestAnnotationSearches:
    async def search(self, transport, world, *filters, **search) -> list[Any]:
        body = {**w.query(*filters, **search), "pagination": {"per_page": 100}}
        request = w.request_of("PostAnnotationsSearches", body, world.owner)
        res = await transport.call("PostAnnotationsSearches", request, world.owner.key_md)
        assert res.status.code == sc.SUCCESS, res.status
        assert all(h.input.id == h.annotation.input_id for h in res.hits)
        return list(res.hits)

    async def test_hits_are_annotations_newest_first(self, transport, world):
        hits = await self.search(transport, world, w.input_types("image"))
        assert [(h.annotation.input_id, h.annotation.input_level) for h in hits] == [
            ("d", False),
            ("c", False),
            ("d", True),
            ("c", True),
        ]
        assert hits[0].annotation.id == world.annotations["d", "owner"]
        assert {h.score for h in hits} == {1.0}
        assert hits[0].input.data.HasField("image")

    async def test_filters_apply_to_the_annotation(self, transport, world):
        [hit] = await self.search(transport, world, w.concepts(("bird", 1)))
        assert hit.annotation.id == world.annotations["d", "owner"]
        guest = {"annotation": {"user_id": world.guest.user_id}}
        [hit] = await self.search(transport, world, guest)
        assert hit.annotation.id == world.annotations["c", "guest"]

    async def test_input_parts_apply_to_the_input(self, transport, world):
        # The input's own labels: every annotation of b and c is a hit.
        cats = {"input": {"data": {"concepts": [{"id": "cat", "value": 1}]}}}
        hits = await self.search(transport, world, cats)
        assert [(h.annotation.input_id, h.annotation.input_level) for h in hits] == [
            ("c", False),
            ("c", True),
            ("b", True),
        ]
        red = await self.search(transport, world, w.metadata(color="red"), w.input_types("text"))
        assert [(h.annotation.input_id, h.annotation.input_level) for h in red] == [
            ("a", False),
            ("a", True),
        ]

    async def test_negate(self, transport, world):
        hits = await self.search(
            transport, world, {"negate": True, "annotation": {"input_level": True}}
        )
        assert [h.annotation.id for h in hits] == [
            world.annotations[i, who]
            for i, who in [("e", "owner"), ("d", "owner"), ("c", "guest"), ("a", "owner")]
        ]


class TestRanks:
    """The plumbing around ranks (server/ranks.py orders; here by the
    world's concept labels: an input labelled with the concept scores 1,
    the others 0; test_ranks.py has the rest)."""

    async def test_a_rank_orders_within_the_filters(self, transport, world):
        body = w.query(w.input_types("image"), ranks=[w.ranked("cat")])
        res = await w.search_inputs(transport, world.owner, body)
        assert [(h.input.id, h.score) for h in res.hits] == [("c", 1.0), ("d", 0.0)]
        body = w.query(w.concepts(("dog", 1)), ranks=[w.ranked("cat")])
        res = await w.search_inputs(transport, world.owner, body)
        assert [(h.input.id, h.score) for h in res.hits] == [("a", 0.0)]

    async def test_min_value_and_count(self, transport, world):
        body = {**w.query(w.input_types("text"), ranks=[w.ranked("cat")]), "only_count": True}
        res = await w.search_inputs(transport, world.owner, body)
        assert [c.estimated_total for c in res.hit_counts] == [3]  # a, b, e
        body["searches"][0]["min_value"] = 0.5
        res = await w.search_inputs(transport, world.owner, body)
        assert [c.estimated_total for c in res.hit_counts] == [1]  # b

    async def test_annotation_search_ranks_inputs(self, transport, world):
        body = {**w.query(ranks=[w.ranked("bird")]), "pagination": {"per_page": 2}}
        request = w.request_of("PostAnnotationsSearches", body, world.owner)
        res = await transport.call("PostAnnotationsSearches", request, world.owner.key_md)
        # d alone has bird (a's bird is a negative label): its annotations first.
        assert [(h.annotation.input_id, h.annotation.input_level, h.score) for h in res.hits] == [
            ("d", False, 1.0),
            ("d", True, 1.0),
        ]

    async def test_deep_ranked_pages_are_refused(self, transport, world):
        body = {**w.query(ranks=[w.ranked("cat")]), "pagination": {"page": 11, "per_page": 1000}}
        request = w.request_of("PostInputsSearches", body, world.owner)
        res = await transport.call("PostInputsSearches", request, world.owner.key_md)
        w.refused(res, BAD, "page * perPage cannot exceed 10000")


class TestLegacyPostSearches:
    async def post(self, transport, world, body: dict[str, Any]):
        request = w.request_of("PostSearches", body, world.owner)
        return await transport.call("PostSearches", request, world.owner.key_md)

    async def test_ands_of_inputs_and_annotations(self, transport, world):
        cat = {"input": {"data": {"concepts": [{"id": "cat", "value": 1}]}}}
        query = {
            "ands": [cat, {"annotation": {"data": {"metadata": {"color": "red"}}}, "negate": True}]
        }
        res = await self.post(transport, world, {"query": query})
        assert res.status.code == sc.SUCCESS, res.status
        assert [h.input.id for h in res.hits] == ["b"]
        assert res.query.ands[1].negate and res.id

    async def test_an_output_is_a_rank(self, transport, world):
        query = {"ands": [{"output": {"data": {"concepts": [{"id": "cat", "value": 1}]}}}]}
        res = await self.post(transport, world, {"query": query})
        # b and c have cat, then the rest; ties newest first.
        assert [h.input.id for h in res.hits] == ["c", "b", "e", "d", "a"]

    async def test_searches_as_well(self, transport, world):
        res = await self.post(transport, world, w.query(w.concepts(("dog", 1))))
        assert [h.input.id for h in res.hits] == ["a"]

    @pytest.mark.parametrize(
        ("body", "words"),
        [
            ({"query": {}, **w.query()}, ["query and searches"]),
            ({}, ["query or searches is required"]),
            (
                {"query": {"ands": [{}, {"input": {}, "annotation": {}}]}},
                ["query.ands[1]", "one of input, output or annotation"],
            ),
            (
                {"query": {"ands": [{"input": {"data": {"geo": POINT}}}]}},
                ["query.ands[0].input.data.geo.geo_limit"],
            ),
        ],
    )
    async def test_bad_queries(self, transport, world, server, body, words):
        before = await records(server, world.owner)
        res = await self.post(transport, world, body)
        w.refused(res, BAD, *words)
        assert await records(server, world.owner) == before


def _geo(**geo: Any) -> dict[str, Any]:
    return {"annotation": {"data": {"geo": geo}}}


FILTER = "searches[0].query.filters[1]"


@pytest.mark.parametrize(
    ("rpc", "field"),
    [
        ("PostInputsSearches", "searches[0].as_of"),
        ("PostAnnotationsSearches", "searches[0].as_of"),
        ("PostInputsSearches", f"{FILTER}.last_updated_time_range.start_time"),
        ("PostInputsSearches", f"{FILTER}.last_updated_time_range.end_time"),
    ],
)
async def test_a_time_past_year_9999_is_refused(stub, world, server, rpc, field):
    # Only gRPC carries one: JSON has no text for it.
    request = w.request_of(rpc, w.query({}, {}), world.owner)
    search = request.searches[0]
    time_range = search.query.filters[1].last_updated_time_range
    sent = {"as_of": search.as_of}
    sent.update(start_time=time_range.start_time, end_time=time_range.end_time)
    sent[field.rpartition(".")[2]].seconds = 10**12
    before = await records(server, world.owner)
    res = await getattr(stub, rpc)(request, metadata=world.owner.key_md)
    w.refused(res, BAD, field, "not a valid time")
    assert await records(server, world.owner) == before


@pytest.mark.parametrize(
    ("search", "words"),
    [
        ({"algorithm": "fastest"}, ["searches[0].algorithm", "nearest_neighbor"]),
        ({"metric": 9}, ["searches[0].metric"]),
        ({"min_value": 1.5}, ["searches[0].min_value"]),
        ({"min_value": -0.1}, ["searches[0].min_value"]),
        (
            {"filter": _geo(**POINT, geo_limit={"type": "withinFeet", "value": 1})},
            [f"{FILTER}.annotation.data.geo.geo_limit.type", "withinKilometers"],
        ),
        (
            {"filter": _geo(**POINT, geo_limit={"type": "withinMiles", "value": 0})},
            [f"{FILTER}.annotation.data.geo.geo_limit.value"],
        ),
        ({"filter": _geo(**POINT)}, [f"{FILTER}.annotation.data.geo.geo_limit is required"]),
        (
            {"filter": _geo(geo_box=[POINT, POINT, POINT])},
            [f"{FILTER}.annotation.data.geo.geo_box", "at most 2"],
        ),
        (
            {"filter": _geo(geo_box=[POINT])},
            [f"{FILTER}.annotation.data.geo.geo_box", "two corners"],
        ),
        (
            {"filter": _geo(geo_box=[POINT, POINT], geo_limit={"type": "withinMiles", "value": 1})},
            [f"{FILTER}.annotation.data.geo", "not both"],
        ),
        (
            {
                "filter": _geo(
                    geo_point={"longitude": 1, "latitude": 91},
                    geo_limit={"type": "withinMiles", "value": 1},
                )
            },
            [f"{FILTER}.annotation.data.geo.geo_point.latitude"],
        ),
        (
            {"filter": {"annotation": {"data": {"concepts": [{"value": 1}]}}}},
            [f"{FILTER}.annotation.data.concepts[0]", "id or name"],
        ),
        (
            {"filter": {"input": {"data": {"concepts": [{"id": "x", "value": 2}]}}}},
            [f"{FILTER}.input.data.concepts[0].value"],
        ),
        (
            {"filter": {"annotation": {"status": {"code": sc.INPUT_SUCCESS}}}},
            [f"{FILTER}.annotation.status.code", "annotation status"],
        ),
        (
            {"filter": {"input": {"status": {"code": sc.ANNOTATION_SUCCESS}}}},
            [f"{FILTER}.input.status.code", "input status"],
        ),
        (
            {"filter": {"annotation": {"data": {"image": {"base64": "AAAA"}}}}},
            [f"{FILTER}.annotation.data.image.base64", "query.ranks"],
        ),
        (
            {"filter": {"annotation": {"data": {"text": {"raw": "a dog"}}}}},
            [f"{FILTER}.annotation.data.text.raw", "query.ranks"],
        ),
        (
            {"filter": {"annotation": {"data": {"embeddings": [{"vector": [1, 2]}]}}}},
            [f"{FILTER}.annotation.data.embeddings"],
        ),
        (
            {"filter": {"annotation": {"data": {"regions": [{"id": "r1"}]}}}},
            [f"{FILTER}.annotation.data.regions[0]", "by shape only"],
        ),
        (
            {"filter": {"input": {"data": {"regions": [{"region_info": {"point": {}}}]}}}},
            [f"{FILTER}.input.data.regions[0]"],
        ),
        (
            {
                "filter": {
                    "last_updated_time_range": {
                        "start_time": "2024-01-02T00:00:00Z",
                        "end_time": "2024-01-01T00:00:00Z",
                    }
                }
            },
            [f"{FILTER}.last_updated_time_range", "start_time is after end_time"],
        ),
        (
            {"filter": {"annotation": {"created_at": "2024-01-01T00:00:00Z"}}},
            [f"{FILTER}.annotation.created_at", "last_updated_time_range"],
        ),
        (
            {"filter": {"annotation": {"user_id": "x", "worker": {"user": {"id": "y"}}}}},
            [f"{FILTER}.annotation.user_id", "different users"],
        ),
    ],
)
async def test_bad_searches_name_the_field_and_write_nothing(
    transport, world, server, search, words
):
    sent = dict(search)
    extra = sent.pop("filter", None)
    filters = [{}] if extra is None else [{}, extra]
    body = w.query(*filters, **sent)
    before = await records(server, world.owner)
    request = w.request_of("PostInputsSearches", body, world.owner)
    res = await transport.call("PostInputsSearches", request, world.owner.key_md)
    w.refused(res, BAD, *words)
    assert res.status.description == DESCRIPTIONS[BAD]
    assert await records(server, world.owner) == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"searches": []}, ["searches: at least one"]),
        ({"searches": [{}, {}]}, ["searches: at most 1"]),
    ],
)
async def test_one_search_per_request(transport, world, body, words):
    for rpc in ("PostInputsSearches", "PostAnnotationsSearches"):
        request = w.request_of(rpc, body, world.owner)
        res = await transport.call(rpc, request, world.owner.key_md)
        w.refused(res, BAD, *words)


class TestRecordedIds:
    async def test_feedback_names_a_search_run(self, transport, world, stub):
        res = await w.search_inputs(transport, world.owner, w.query(w.concepts(("dog", 1))))
        feedback = s.PostSearchFeedbackRequest()
        feedback.input.id = res.hits[0].input.id
        feedback.input.feedback_info.event_type = 1  # search_click
        feedback.input.feedback_info.search_id = res.id
        sent = await stub.PostSearchFeedback(feedback, metadata=world.owner.key_md)
        assert sent.status.code == sc.SUCCESS, sent.status

    async def test_runs_are_forgotten_after_the_retention(
        self, transport, world, server, settings, stub
    ):
        """The periodic sweep of output ids forgets search runs older than
        CLARIFAI_LOCAL_MODEL_OUTPUT_DAYS too; saved searches stay."""
        ran = await w.search_inputs(transport, world.owner, w.query())
        saved = await w.search_inputs(transport, world.owner, w.query(save=True))
        keep = JobContext(server.db, replace(settings, model_output_days=1), None)
        await prediction.expire(keep, {})
        assert await self.feedback(stub, world, ran.id) == sc.SUCCESS
        forget = JobContext(server.db, replace(settings, model_output_days=-1), None)
        await prediction.expire(forget, {})
        assert await self.feedback(stub, world, ran.id) == sc.CONN_DOES_NOT_EXIST
        assert await self.feedback(stub, world, saved.id) == sc.SUCCESS

    async def feedback(self, stub, world, search_id: str) -> int:
        request = s.PostSearchFeedbackRequest()
        request.input.id = "a"
        request.input.feedback_info.event_type = 1  # search_click
        request.input.feedback_info.search_id = search_id
        res = await stub.PostSearchFeedback(request, metadata=world.owner.key_md)
        if res.status.code != sc.SUCCESS:
            assert "input.feedback_info.search_id" in res.status.details
        return res.status.code


class TestWrittenByOthers:
    """Filters on what happens after the world is built: their own app."""

    async def test_model_version(self, transport, server, stub):
        from tests.helpers import add_model

        account = Account(**await bootstrap.create(server.db))
        await w.empty_workflow(stub, account)
        await w.post_inputs(stub, account, w.INPUTS[3], w.INPUTS[4])
        version = await add_model(server, account, "writer", "annotation-writer")
        request = s.PostModelOutputsRequest(model_id="writer")
        request.inputs.add(id="d")
        res = await stub.PostModelOutputs(request, metadata=account.key_md)
        assert res.status.code == sc.SUCCESS, res.status
        by_model = {"annotation": {"model_version_id": version}}
        assert await w.input_ids(transport, account, by_model) == ["d"]
        other = {"annotation": {"model_version_id": "v0"}}
        assert await w.input_ids(transport, account, other) == []

    async def test_a_search_asked_again_tells_1_from_true(self, transport, server, stub):
        # A page's statement is kept for the same search asked again; 1,
        # 1.0 and True are equal in Python but not in JSON: each search
        # finds its own input, whichever ran first.
        account = Account(**await bootstrap.create(server.db))
        await w.empty_workflow(stub, account)
        one = {"id": "one", "data": {"text": {"raw": "1"}, "metadata": {"n": 1}}}
        true = {"id": "true", "data": {"text": {"raw": "t"}, "metadata": {"n": True}}}
        await w.post_inputs(stub, account, one, true)
        for _ in range(2):
            assert await w.input_ids(transport, account, w.metadata(n=1)) == ["one"]
            assert await w.input_ids(transport, account, w.metadata(n=True)) == ["true"]
            assert await w.input_ids(transport, account, w.metadata(n=1.0)) == ["one"]

    async def test_time_range_finds_what_changed_after(self, transport, server, stub):
        account = Account(**await bootstrap.create(server.db))
        await w.empty_workflow(stub, account)
        await w.post_inputs(stub, account, w.INPUTS[3], w.INPUTS[4])
        made = await w.call(
            stub,
            "PostAnnotations",
            s.PostAnnotationsRequest,
            {"annotations": [{"input_id": "d", "data": {"concepts": [{"id": "x", "value": 1}]}}]},
            account.md(),
            account,
        )
        since = made.annotations[0].modified_at.ToJsonString()
        after = {"last_updated_time_range": {"start_time": since}}
        assert await w.input_ids(transport, account, after) == ["d"]

    async def test_concept_names_in_a_language(self, transport, server, stub):
        account = Account(**await bootstrap.create(server.db))
        await w.empty_workflow(stub, account)
        await w.call(
            stub,
            "PostConcepts",
            s.PostConceptsRequest,
            {"concepts": [{"id": "dog", "name": "Doggo"}]},
            account.key_md,
        )
        labelled = {
            "id": "x",
            "data": {"text": {"raw": "x"}, "concepts": [{"id": "dog", "value": 1}]},
        }
        await w.post_inputs(stub, account, labelled, w.INPUTS[4])
        await w.call(
            stub,
            "PostConceptLanguages",
            s.PostConceptLanguagesRequest,
            {"concept_id": "dog", "concept_languages": [{"id": "fr", "name": "Chien"}]},
            account.key_md,
        )

        async def named(name: str, language: str = "") -> list[str]:
            body = w.query(w.concepts((name, 1), by="name"))
            body["searches"][0]["query"]["language"] = language
            res = await w.search_inputs(transport, account, body)
            return [h.input.id for h in res.hits]

        assert await named("chien") == ["x"]  # any language
        assert await named("chien", "fr") == ["x"]
        assert await named("chien", "en") == []
        assert await named("doggo", "en") == ["x"]
        assert await named("doggo", "fr") == []

    async def test_frames(self, transport, server, stub):
        account = Account(**await bootstrap.create(server.db))
        await w.empty_workflow(stub, account)
        await w.post_inputs(stub, account, w.INPUTS[3], w.INPUTS[4])
        frame = {"frame_info": {"time": 1000}, "data": {"concepts": [{"id": "x", "value": 1}]}}
        await w.annotate(stub, account, "d", data={"frames": [frame]})
        framed = {"annotation": {"data": {"frames": [{"frame_info": {}}]}}}
        assert await w.input_ids(transport, account, framed) == ["d"]


async def test_undeclared_fields_are_refused_over_grpc(stub, world, server):
    """A client of the whole reference may filter on what this server lacks
    (Data.clusters is field 15): refused, never dropped."""
    body = w.query({}, w.concepts(("dog", 1)))
    request = w.request_of("PostInputsSearches", body, world.owner)
    request.searches[0].query.filters[1].annotation.data.MergeFromString(b"\x7a\x00")
    before = await records(server, world.owner)
    res = await stub.PostInputsSearches(request, metadata=world.owner.key_md)
    w.refused(res, BAD, "searches[0].query.filters[1].annotation.data carries field number 15")
    legacy = s.PostSearchesRequest()
    legacy.query.ands.add().input.data.MergeFromString(b"\x7a\x00")
    res = await stub.PostSearches(legacy, metadata=world.owner.key_md)
    w.refused(res, BAD, "query.ands[0].input.data carries field number 15")
    assert await records(server, world.owner) == before
