"""The REST side of the test transport (tests/transport.py): which route a
request takes, and how its fields travel in the path, body and query."""

from __future__ import annotations

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s

from tests.transport import path_of, query, request_json, route_for, without


def sent(rpc: str, request) -> tuple[str, str, object]:
    route = route_for(rpc, request)
    bound = {path for _, path in route.variables}
    rest = without(request_json(request), bound) if route.body else query(request, bound)
    return route.verb, path_of(route, request), rest


def test_the_route_the_request_fills_best():
    ids = r.UserAppIDSet(user_id="u1", app_id="a1")
    assert sent("ListInputs", s.ListInputsRequest(user_app_id=ids, ids=["x", "y"])) == (
        "GET",
        "/v2/users/u1/apps/a1/inputs",
        [("ids", "x"), ("ids", "y")],
    )
    assert sent("ListInputs", s.ListInputsRequest(per_page=2)) == (
        "GET",
        "/v2/inputs",
        [("per_page", "2")],
    )


def test_an_empty_path_variable_inside_the_path():
    verb, path, body = sent("PostApps", s.PostAppsRequest(apps=[r.App(id="x")]))
    assert (verb, path, body) == ("POST", "/v2/users//apps", {"apps": [{"id": "x"}]})


def test_no_route_ends_in_an_empty_variable():
    with pytest.raises(LookupError, match="GetUser"):
        route_for("GetUser", s.GetUserRequest())


def test_path_values_are_one_segment_each():
    request = s.GetConceptRequest(user_app_id=r.UserAppIDSet(user_id="me"), concept_id="a/b c")
    assert sent("GetConcept", request) == (
        "GET",
        "/v2/concepts/a%2Fb%20c",
        [("user_app_id.user_id", "me")],
    )


def test_the_body_leaves_out_the_path_and_keeps_zero_default_floats():
    request = s.PostConceptsRequest(
        user_app_id=r.UserAppIDSet(user_id="me", app_id="main"),
        concepts=[r.Concept(id="no"), r.Concept(id="yes", value=1)],
    )
    # Absent from JSON, a concept's value would read as 1.
    assert sent("PostConcepts", request) == (
        "POST",
        "/v2/users/me/apps/main/concepts",
        {"concepts": [{"id": "no", "value": 0.0}, {"id": "yes", "value": 1.0}]},
    )


def test_query_values():
    request = s.ListAppsRequest(sort_ascending=True, page=2)
    assert sent("ListApps", request) == (
        "GET",
        "/v2/apps",
        [("page", "2"), ("sort_ascending", "true")],
    )
