"""Saved searches over gRPC and REST: save without running, run again as of
the saving (PostSearchesByID), GetSearch, ListSearches, the Patch calls
(overwrite), DeleteSearch; their ids for feedback; other apps' invisible."""

from __future__ import annotations

from typing import Any

import pytest
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from server import bootstrap
from tests import search_world as w
from tests.conftest import Account
from tests.helpers import app_of

BAD = sc.SEARCH_INVALID_REQUEST
DOG = w.concepts(("dog", 1))


def dog(input_id: str) -> dict[str, Any]:
    return {
        "id": input_id,
        "data": {"text": {"raw": input_id}, "concepts": [{"id": "dog", "value": 1}]},
    }


@pytest.fixture
async def app(server, stub) -> Account:
    """An app (base workflow Empty) with dog inputs d1, d2 and a cat c1."""
    account = Account(**await bootstrap.create(server.db))
    await w.empty_workflow(stub, account)
    cat = {"id": "c1", "data": {"text": {"raw": "c1"}, "concepts": [{"id": "cat", "value": 1}]}}
    await w.post_inputs(stub, account, dog("d1"), cat, dog("d2"))
    return account


async def call(transport, account, rpc: str, body: dict[str, Any], code: int = sc.SUCCESS):
    res = await transport.call(rpc, w.request_of(rpc, body, account), account.key_md)
    assert res.status.code == code, res.status
    return res


async def save(transport, account, *filters, rpc: str = "PostInputsSearches", **search) -> Any:
    body = w.query(*filters, save=True, **search)
    return await call(transport, account, rpc, body)


async def by_id(transport, account, search_id: str, **pagination: int) -> list[str]:
    body = {"id": search_id, "pagination": pagination}
    res = await call(transport, account, "PostSearchesByID", body)
    assert res.id == search_id
    return [h.input.id for h in res.hits]


async def listed(transport, account) -> list[str]:
    res = await call(transport, account, "ListSearches", {})
    return [x.id for x in res.searches]


class TestSave:
    async def test_saving_stores_without_running(self, transport, app):
        res = await save(transport, app, DOG, id="dogs", name="Dogs")
        assert res.id == "dogs" and list(res.hits) == [] and list(res.hit_counts) == []
        [saved] = res.searches
        assert (saved.id, saved.name, saved.application_id) == ("dogs", "Dogs", app.app_id)
        assert saved.as_of == saved.created_at
        assert saved.query.filters[0].annotation.data.concepts[0].id == "dog"
        got = await call(transport, app, "GetSearch", {"id": "dogs"})
        assert got.search == saved

    async def test_run_again_as_of_the_saving(self, transport, app, stub):
        await save(transport, app, DOG, id="dogs")
        assert await by_id(transport, app, "dogs") == ["d2", "d1"]
        await w.post_inputs(stub, app, dog("d3"))
        # Stable membership: d3 came after the saving; a new search finds it.
        assert await by_id(transport, app, "dogs") == ["d2", "d1"]
        assert await w.input_ids(transport, app, DOG) == ["d3", "d2", "d1"]

    async def test_pages(self, transport, app):
        await save(transport, app, id="all")
        pages = [await by_id(transport, app, "all", page=n, per_page=2) for n in (1, 2, 3)]
        assert pages == [["d2", "c1"], ["d1"], []]

    async def test_as_of_given(self, transport, app):
        await save(transport, app, id="past", as_of="2000-01-01T00:00:00Z")
        assert await by_id(transport, app, "past") == []
        got = await call(transport, app, "GetSearch", {"id": "past"})
        assert got.search.as_of.ToJsonString() == "2000-01-01T00:00:00Z"

    async def test_a_new_id_when_none_is_sent(self, transport, app):
        res = await save(transport, app, DOG)
        assert len(res.id) == 32
        assert await by_id(transport, app, res.id) == ["d2", "d1"]

    async def test_annotation_searches_run_as_such(self, transport, app):
        res = await save(transport, app, DOG, rpc="PostAnnotationsSearches", id="labels")
        found = await call(transport, app, "PostSearchesByID", {"id": res.id})
        assert [(h.annotation.input_id, h.annotation.input_level) for h in found.hits] == [
            ("d2", True),
            ("d1", True),
        ]

    async def test_legacy_searches_save_too(self, transport, app):
        query = {"ands": [{"input": {"data": {"concepts": [{"id": "cat", "value": 1}]}}}]}
        body = {"searches": [{"query": query, "save": True, "id": "cats"}]}
        await call(transport, app, "PostSearches", body)
        assert await by_id(transport, app, "cats") == ["c1"]

    async def test_a_taken_id(self, transport, app):
        await save(transport, app, DOG, id="dogs")
        body = w.query(save=True, id="dogs")
        res = await call(transport, app, "PostInputsSearches", body, sc.DATABASE_DUPLICATE_KEY)
        assert "searches[0].id 'dogs'" in res.status.details
        assert await listed(transport, app) == ["dogs"]
        assert await by_id(transport, app, "dogs") == ["d2", "d1"]

    @pytest.mark.parametrize(
        ("search", "words"),
        [
            ({"id": "no spaces"}, ["searches[0].id"]),
            ({"id": "x", "algorithm": "psychic"}, ["searches[0].algorithm"]),
            ({"id": "x", "query": {"filters": [{"input": {"status": {"code": 1}}}]}}, ["status"]),
        ],
    )
    async def test_bad_searches_are_not_saved(self, transport, app, search, words):
        res = await call(
            transport, app, "PostInputsSearches", {"searches": [{**search, "save": True}]}, BAD
        )
        for word in words:
            assert word in res.status.details
        assert await listed(transport, app) == []


class TestListGetDelete:
    async def test_list_holds_saved_searches_newest_first(self, transport, app):
        await save(transport, app, id="first")
        await w.search_inputs(transport, app, w.query(DOG))  # run, not saved
        await save(transport, app, DOG, id="second")
        assert await listed(transport, app) == ["second", "first"]
        res = await call(transport, app, "ListSearches", {"page": 2, "per_page": 1})
        assert [x.id for x in res.searches] == ["first"]

    async def test_runs_are_not_saved_searches(self, transport, app):
        run = await w.search_inputs(transport, app, w.query(DOG))
        for rpc in ("GetSearch", "PostSearchesByID", "DeleteSearch"):
            res = await call(transport, app, rpc, {"id": run.id}, sc.CONN_DOES_NOT_EXIST)
            assert run.id in res.status.details

    async def test_delete(self, transport, app):
        await save(transport, app, id="gone")
        await call(transport, app, "DeleteSearch", {"id": "gone"})
        await call(transport, app, "GetSearch", {"id": "gone"}, sc.CONN_DOES_NOT_EXIST)
        await call(transport, app, "DeleteSearch", {"id": "gone"}, sc.CONN_DOES_NOT_EXIST)
        assert await listed(transport, app) == []

    async def test_another_app_cannot_reach_them(self, transport, app, server, stub):
        await save(transport, app, DOG, id="dogs")
        other = Account(**await bootstrap.create(server.db))
        for rpc in ("GetSearch", "PostSearchesByID", "DeleteSearch"):
            await call(transport, other, rpc, {"id": "dogs"}, sc.CONN_DOES_NOT_EXIST)
        assert await listed(transport, other) == []
        assert await by_id(transport, app, "dogs") == ["d2", "d1"]


class TestPatch:
    async def test_overwrite(self, transport, app):
        await save(transport, app, DOG, id="s1", name="Dogs")
        cats = w.query(w.concepts(("cat", 1)), id="s1", name="Cats")["searches"]
        res = await call(transport, app, "PatchSearches", {"action": "overwrite", "searches": cats})
        [patched] = res.searches
        assert (patched.id, patched.name) == ("s1", "Cats")
        assert patched.modified_at.ToDatetime() >= patched.created_at.ToDatetime()
        assert await by_id(transport, app, "s1") == ["c1"]
        got = await call(transport, app, "GetSearch", {"id": "s1"})
        assert got.search == patched

    async def test_kind_follows_the_call(self, transport, app):
        await save(transport, app, DOG, id="s1")
        body = {"action": "overwrite", "searches": w.query(DOG, id="s1")["searches"]}
        await call(transport, app, "PatchAnnotationsSearches", body)
        res = await call(transport, app, "PostSearchesByID", {"id": "s1"})
        assert all(h.HasField("annotation") for h in res.hits) and len(res.hits) == 2
        await call(transport, app, "PatchSearches", body)  # keeps the kind
        res = await call(transport, app, "PostSearchesByID", {"id": "s1"})
        assert all(h.HasField("annotation") for h in res.hits)
        await call(transport, app, "PatchInputsSearches", body)
        assert await by_id(transport, app, "s1") == ["d2", "d1"]

    @pytest.mark.parametrize(
        ("body", "code", "words"),
        [
            ({"action": "merge"}, sc.CONN_INVALID_REQUEST, ["action 'merge'", "overwrite"]),
            ({"action": ""}, sc.CONN_INVALID_REQUEST, ["action is required"]),
            (
                {"searches": [{"id": "s1"}, {"id": "nope"}]},
                sc.CONN_DOES_NOT_EXIST,
                ["searches[1].id", "nope"],
            ),
            ({"searches": [{"id": "s1"}, {}]}, BAD, ["searches[1].id is required"]),
            (
                {"searches": [{"id": "s1"}, {"id": "s1"}]},
                BAD,
                ["searches[1].id 's1' is repeated"],
            ),
            (
                {"searches": [{"id": "s1", "min_value": 2}]},
                BAD,
                ["searches[0].min_value"],
            ),
        ],
    )
    async def test_refused_patches_change_nothing(self, transport, app, body, code, words):
        await save(transport, app, DOG, id="s1", name="Dogs")
        before = await call(transport, app, "GetSearch", {"id": "s1"})
        sent = {"action": "overwrite", "searches": [{"id": "s1"}], **body}
        for rpc in ("PatchSearches", "PatchInputsSearches", "PatchAnnotationsSearches"):
            res = await call(transport, app, rpc, sent, code)
            for word in words:
                assert word in res.status.details
        after = await call(transport, app, "GetSearch", {"id": "s1"})
        assert after.search == before.search


async def test_saved_ids_name_searches_for_feedback(transport, app, stub):
    await save(transport, app, DOG, id="dogs")
    for search_id, code in [("dogs", sc.SUCCESS), ("never-issued", sc.CONN_DOES_NOT_EXIST)]:
        request = s.PostSearchFeedbackRequest(user_app_id=app_of(app))
        request.input.id = "d1"
        request.input.feedback_info.event_type = 1  # search_click
        request.input.feedback_info.search_id = search_id
        res = await transport.call("PostSearchFeedback", request, app.key_md)
        assert res.status.code == code, res.status
