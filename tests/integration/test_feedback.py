"""Feedback, as seed 003 (the Feedback guide) shows it, over gRPC."""

from __future__ import annotations

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from tests.helpers import add_model, output_id

CONCEPTS = {
    "input": {
        "id": "in-1",
        "data": {
            "image": {"url": "https://samples.clarifai.com/dog.tiff"},
            "concepts": [
                {"id": "ai_8S2Vq3cR", "value": True},
                {"id": "ai_mFqxrph2", "value": False},
            ],
        },
        "feedback_info": {
            "event_type": "annotation",
            "output_id": "out-1",
            "end_user_id": "end-user-1",
            "session_id": "session-1",
        },
    }
}

REGIONS = {
    "input": {
        "id": "in-2",
        "data": {
            "image": {"url": "https://clarifai.com/images/model-samples/logo-002.jpg"},
            "regions": [
                {
                    "region_info": {
                        "bounding_box": {
                            "top_row": 0.3,
                            "left_col": 0.2,
                            "bottom_row": 0.7,
                            "right_col": 0.8,
                        },
                        "feedback": "accurate",
                    },
                    "data": {"concepts": [{"id": "ai_TG4GHlnf", "value": True}]},
                }
            ],
        },
        "feedback_info": {
            "event_type": "annotation",
            "output_id": "out-2",
            "end_user_id": "end-user-2",
            "session_id": "session-2",
        },
    }
}

SEARCH = {
    "input": {
        "id": "hit-1",
        "feedback_info": {
            "event_type": "search_click",
            "search_id": "search-1",
            "end_user_id": "end-user-1",
            "session_id": "session-1",
        },
    }
}

GENERAL = "aaa03c23b3724a16a56b629203edc62c"
LOGO = "c443119bf2ed4da98487520d01a0b1e3"


@pytest.fixture
async def models(server, account):
    """GENERAL and LOGO as models of the account's app (sampling operators
    that pass their input's data on), so they produce outputs to name."""
    await add_model(server, account, GENERAL, "random-sample")
    await add_model(server, account, LOGO, "random-sample", version_id="v1")


async def model_feedback(stub, account, body: dict, model_id: str = GENERAL, version: str = ""):
    """Feedback on an output the model produced for the account just before."""
    request = json_format.ParseDict(body, s.PostModelFeedbackRequest())
    request.model_id, request.version_id = model_id, version
    if request.input.feedback_info.output_id:
        produced = await output_id(stub, account, model_id, version)
        request.input.feedback_info.output_id = produced
    return await stub.PostModelFeedback(request, metadata=account.key_md)


async def search_feedback(stub, account, body: dict = SEARCH, search_id: str = ""):
    """Feedback on a hit of a search the account just ran (or `search_id`)."""
    request = json_format.ParseDict(body, s.PostSearchFeedbackRequest())
    if search_id:
        request.input.feedback_info.search_id = search_id
    elif request.input.feedback_info.search_id:
        ran = await stub.PostInputsSearches(
            s.PostInputsSearchesRequest(searches=[r.Search()]), metadata=account.key_md
        )
        assert ran.status.code == sc.SUCCESS, ran.status
        request.input.feedback_info.search_id = ran.id
    return await stub.PostSearchFeedback(request, metadata=account.key_md)


async def stored(stub, account, **filters) -> list[r.FeedbackEntry]:
    res = await stub.ListFeedback(
        s.ListFeedbackRequest(filter=s.FeedbackFilter(**filters)), metadata=account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.feedback)


@pytest.mark.usefixtures("models")
class TestPostModelFeedback:
    async def test_seed_concepts(self, stub, account):
        res = await model_feedback(stub, account, CONCEPTS)
        assert res.status.code == sc.SUCCESS and res.status.description == "Ok"
        [entry] = await stored(stub, account)
        assert entry.model_id == GENERAL and entry.user_id == account.user_id
        expected = json_format.ParseDict(CONCEPTS["input"], r.Input())
        expected.feedback_info.output_id = entry.input.feedback_info.output_id
        assert entry.input == expected

    async def test_seed_regions(self, stub, account):
        res = await model_feedback(stub, account, REGIONS, LOGO, "v1")
        assert res.status.code == sc.SUCCESS
        [entry] = await stored(stub, account)
        assert entry.model_version_id == "v1"
        expected = json_format.ParseDict(REGIONS["input"], r.Input())
        expected.feedback_info.output_id = entry.input.feedback_info.output_id
        assert entry.input == expected
        assert entry.input.data.regions[0].region_info.feedback == r.accurate

    async def test_event_type_required(self, stub, account):
        body = {"input": dict(CONCEPTS["input"], feedback_info={"output_id": "o"})}
        res = await model_feedback(stub, account, body)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "input.feedback_info.event_type is required" in res.status.details
        assert await stored(stub, account) == []

    async def test_search_click_is_wrong_here(self, stub, account):
        info = dict(CONCEPTS["input"]["feedback_info"], event_type="search_click")
        res = await model_feedback(
            stub, account, {"input": dict(CONCEPTS["input"], feedback_info=info)}
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "event_type 'search_click'" in res.status.details

    async def test_output_id_required(self, stub, account):
        info = {"event_type": "annotation"}
        res = await model_feedback(
            stub, account, {"input": dict(CONCEPTS["input"], feedback_info=info)}
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "input.feedback_info.output_id" in res.status.details
        assert await stored(stub, account) == []

    async def test_bad_box(self, stub, account):
        body = json_format.ParseDict(REGIONS, s.PostModelFeedbackRequest())
        body.input.data.regions[0].region_info.bounding_box.right_col = 0.1
        body.model_id = LOGO
        res = await stub.PostModelFeedback(body, metadata=account.key_md)
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT
        assert "input.data.regions[0].region_info.bounding_box" in res.status.details
        assert await stored(stub, account) == []

    async def test_unknown_enum_value(self, stub, account):
        body = json_format.ParseDict(REGIONS, s.PostModelFeedbackRequest())
        body.input.data.regions[0].region_info.feedback = 9
        body.model_id = LOGO
        res = await stub.PostModelFeedback(body, metadata=account.key_md)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "region_info.feedback 9" in res.status.details

    async def test_non_json_number_in_metadata(self, stub, account):
        body = json_format.ParseDict(REGIONS, s.PostModelFeedbackRequest())
        body.input.data.regions[0].data.metadata["score"] = float("nan")
        body.model_id = LOGO
        res = await stub.PostModelFeedback(body, metadata=account.key_md)
        assert res.status.code == sc.CONN_INVALID_REQUEST, res.status
        assert "input.data.regions[0].data.metadata.score" in res.status.details
        assert await stored(stub, account) == []

    async def test_output_never_produced(self, stub, account):
        request = json_format.ParseDict(CONCEPTS, s.PostModelFeedbackRequest())
        request.model_id = GENERAL
        res = await stub.PostModelFeedback(request, metadata=account.key_md)
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert (
            "input.feedback_info.output_id" in res.status.details and "out-1" in res.status.details
        )
        assert await stored(stub, account) == []

    async def test_output_of_another_model(self, stub, account):
        request = json_format.ParseDict(CONCEPTS, s.PostModelFeedbackRequest())
        request.model_id = GENERAL
        request.input.feedback_info.output_id = await output_id(stub, account, LOGO)
        res = await stub.PostModelFeedback(request, metadata=account.key_md)
        assert res.status.code == sc.CONN_DOES_NOT_EXIST, res.status
        assert await stored(stub, account) == []

    async def test_bad_model_id(self, stub, account):
        request = json_format.ParseDict(CONCEPTS, s.PostModelFeedbackRequest())
        request.model_id = "no spaces"
        res = await stub.PostModelFeedback(request, metadata=account.key_md)
        assert res.status.code == sc.CONN_INVALID_REQUEST and "model_id" in res.status.details


class TestPostSearchFeedback:
    async def test_seed_search(self, stub, account):
        res = await search_feedback(stub, account)
        assert res.status.code == sc.SUCCESS
        [entry] = await stored(stub, account, event_type=r.search_click)
        assert entry.input.id == "hit-1" and len(entry.input.feedback_info.search_id) == 32
        assert entry.input.feedback_info.end_user_id == "end-user-1"
        assert entry.model_id == ""

    async def test_search_never_issued(self, stub, account, new_account):
        res = await search_feedback(stub, account, search_id="search-1")
        assert res.status.code == sc.CONN_DOES_NOT_EXIST, res.status
        assert "input.feedback_info.search_id" in res.status.details
        assert "search-1" in res.status.details
        # Another app's search is not this app's.
        other = await new_account()
        ran = await stub.PostInputsSearches(
            s.PostInputsSearchesRequest(searches=[r.Search()]), metadata=other.key_md
        )
        res = await search_feedback(stub, account, search_id=ran.id)
        assert res.status.code == sc.CONN_DOES_NOT_EXIST, res.status
        assert await stored(stub, account) == []

    async def test_non_json_number_in_metadata(self, stub, account):
        body = {"input": {**SEARCH["input"], "data": {"metadata": {"rank": 1}}}}
        request = json_format.ParseDict(body, s.PostSearchFeedbackRequest())
        request.input.data.metadata["rank"] = float("inf")
        res = await stub.PostSearchFeedback(request, metadata=account.key_md)
        assert res.status.code == sc.CONN_INVALID_REQUEST, res.status
        assert "input.data.metadata.rank" in res.status.details
        assert await stored(stub, account) == []

    async def test_search_id_required(self, stub, account):
        body = {"input": {"id": "hit-1", "feedback_info": {"event_type": "search_click"}}}
        res = await stub.PostSearchFeedback(
            json_format.ParseDict(body, s.PostSearchFeedbackRequest()), metadata=account.key_md
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "input.feedback_info.search_id" in res.status.details
        assert await stored(stub, account) == []

    async def test_hit_required(self, stub, account):
        body = {"input": {"feedback_info": SEARCH["input"]["feedback_info"]}}
        res = await stub.PostSearchFeedback(
            json_format.ParseDict(body, s.PostSearchFeedbackRequest()), metadata=account.key_md
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "input.id" in res.status.details


@pytest.mark.usefixtures("models")
class TestReadingFeedback:
    async def test_filters_and_summary(self, stub, account):
        await model_feedback(stub, account, CONCEPTS)
        await model_feedback(stub, account, CONCEPTS)
        await model_feedback(stub, account, REGIONS, LOGO)
        await search_feedback(stub, account)
        assert len(await stored(stub, account)) == 4
        assert len(await stored(stub, account, model_id=LOGO)) == 1
        assert len(await stored(stub, account, concept_id="ai_mFqxrph2")) == 2
        assert len(await stored(stub, account, end_user_id="end-user-1")) == 3
        res = await stub.GetFeedbackSummary(s.GetFeedbackSummaryRequest(), metadata=account.key_md)
        summary = res.summary
        assert summary.total == 4
        assert {c.key: c.total for c in summary.by_model} == {GENERAL: 2, LOGO: 1}
        assert {c.key: c.total for c in summary.by_event_type} == {
            "annotation": 3,
            "search_click": 1,
        }
        by_concept = {c.key: (c.positive, c.negative) for c in summary.by_concept}
        assert by_concept == {"ai_8S2Vq3cR": (2, 0), "ai_mFqxrph2": (0, 2), "ai_TG4GHlnf": (1, 0)}
        assert {c.key: c.total for c in summary.by_region_feedback} == {"accurate": 1}
        assert {c.key: c.total for c in summary.by_end_user} == {"end-user-1": 3, "end-user-2": 1}

    async def test_other_apps_feedback_invisible(self, stub, account, new_account):
        await model_feedback(stub, account, CONCEPTS)
        other = await new_account()
        assert await stored(stub, other) == []
