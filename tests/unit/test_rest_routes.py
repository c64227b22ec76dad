"""The REST edge's route table, request binding and JSON writing, without a server."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_code_pb2 as sc
from google.api import http_pb2
from google.protobuf import descriptor_pb2, struct_pb2

from server import contract
from server.rest_app import (
    BindError,
    Route,
    Router,
    bind,
    compile_routes,
    fill_default_floats,
    parse_template,
    response_json,
    split_path,
)

ROUTES = compile_routes(contract.methods())


def struct_of(values: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(values)
    return out


def fake_method(request_type, http: http_pb2.HttpRule | None = None) -> contract.Method:
    return contract.Method(
        name="Fake",
        descriptor=contract.SERVICE.methods[0],
        request_type=request_type,
        response_type=service_pb2.MultiAppResponse,
        auth_type=0,
        scopes=(),
        http=http or http_pb2.HttpRule(),
        path="/clarifai.api.V2/Fake",
        names_app="user_app_id" in request_type.DESCRIPTOR.fields_by_name,
    )


def route(verb: str, template: str, request_type=service_pb2.ListAppsRequest, body="") -> Route:
    parts, variables = parse_template(template)
    return Route(verb, template, parts, variables, body, fake_method(request_type))


def witness(a: Route, b: Route) -> list[str]:
    """A path both templates match, if they can share one: each segment is
    a literal of either template, or a value neither spells."""
    return [
        x if x is not None else y if y is not None else "v0"
        for x, y in zip(a.parts, b.parts, strict=True)
    ]


class TestContractRoutes:
    def test_every_binding_of_every_unary_rpc(self):
        expected = {
            (rule.WhichOneof("pattern").upper(), getattr(rule, rule.WhichOneof("pattern")), name)
            for name, m in contract.methods().items()
            if not (m.descriptor.client_streaming or m.descriptor.server_streaming)
            for rule in (m.http, *m.http.additional_bindings)
        }
        assert {(r.verb, r.template, r.method.name) for r in ROUTES} == expected
        print(f"{len(ROUTES)} REST routes for {len(contract.methods())} RPCs")

    def test_every_route_reaches_its_rpc(self):
        router = Router(ROUTES)
        for r in ROUTES:
            sample = ["x" if p is None else p for p in r.parts]
            found = router.resolve(r.verb, sample)
            assert not isinstance(found, list) and found[0] is r, (r.template, found)

    def test_no_path_matches_two_routes_with_equal_rank(self):
        router = Router(ROUTES)
        for a, b in itertools.combinations(ROUTES, 2):
            if a.verb != b.verb or len(a.parts) != len(b.parts):
                continue
            path = witness(a, b)
            if a.match(path) is None or b.match(path) is None:
                continue  # a literal of one differs from a literal of the other
            same_verb = [r for r, _ in router.candidates(path) if r.verb == a.verb]
            top = [r for r in same_verb if r.rank == same_verb[0].rank]
            assert len(top) == 1, f"{a.verb} {'/'.join(path)}: {[r.template for r in top]}"

    def test_variables_fill_nested_fields(self):
        router = Router(ROUTES)
        found = router.resolve("GET", split_path("/v2/users/me/apps/main/myscopes"))
        assert not isinstance(found, list)
        r, values = found
        assert r.method.name == "MyScopes"
        request = bind(r, values, [], b"")
        assert request.user_app_id.user_id == "me" and request.user_app_id.app_id == "main"


class TestRanking:
    def test_literal_beats_variable(self):
        by_id = route("GET", "/v2/inputs/{input_id}")
        status = route("GET", "/v2/inputs/status")
        router = Router([by_id, status])
        assert router.resolve("GET", ["v2", "inputs", "status"])[0] is status
        assert router.resolve("GET", ["v2", "inputs", "abc"])[0] is by_id

    def test_earlier_literal_wins_on_equal_count(self):
        early = route("GET", "/v2/{user_app_id.user_id}/x/{user_app_id.app_id}")
        late = route("GET", "/v2/{user_app_id.user_id}/{user_app_id.app_id}/y")
        router = Router([late, early])
        assert router.resolve("GET", ["v2", "u", "x", "y"])[0] is early

    def test_same_shape_twice_refused(self):
        with pytest.raises(ValueError, match="match the same paths"):
            Router([route("GET", "/v2/a/{page}"), route("GET", "/v2/a/{per_page}")])

    def test_verbs_for_a_known_path(self):
        router = Router([route("GET", "/v2/a"), route("POST", "/v2/a")])
        assert router.resolve("DELETE", ["v2", "a"]) == ["GET", "POST"]
        assert router.resolve("GET", ["v2", "b"]) == []


class TestTemplates:
    @pytest.mark.parametrize("template", ["/v2/{name=**}", "/v2/x:run", "/v2/a{b}", "v2/a"])
    def test_unsupported_templates_refused(self, template):
        with pytest.raises(ValueError):
            parse_template(template)

    def test_variable_must_name_a_field(self):
        method = fake_method(service_pb2.ListAppsRequest, http_pb2.HttpRule(get="/v2/{nope}"))
        with pytest.raises(ValueError, match="nope"):
            compile_routes({"Fake": method})

    def test_split_path(self):
        assert split_path("/v2/inputs/a%2Fb/") == ["v2", "inputs", "a/b"]
        assert split_path("/v2/users//apps") == ["v2", "users", "", "apps"]


class TestBinding:
    def test_query_dotted_repeated_enum_bool(self):
        r = route("GET", "/v2/fields/{name}", descriptor_pb2.FieldDescriptorProto)
        query = [
            ("type", "TYPE_STRING"),  # enum by name
            ("label", "3"),  # enum by number
            ("options.deprecated", "True"),  # as the JSON channel writes Python bools
            ("options.targets", "TARGET_TYPE_FILE"),
            ("options.targets", "2"),
            ("number", "7"),
            ("unknown.key", "ignored"),
        ]
        got = bind(r, {"name": "n"}, query, b"")
        assert got.name == "n" and got.number == 7
        assert got.type == descriptor_pb2.FieldDescriptorProto.TYPE_STRING
        assert got.label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
        assert got.options.deprecated is True
        assert list(got.options.targets) == [1, 2]

    def test_query_json_names_and_timestamps(self):
        r = route("GET", "/v2/apps/{id}", resources_pb2.App)
        got = bind(
            r, {"id": "a"}, [("defaultLanguage", "fr"), ("created_at", "2024-01-02T03:04:05Z")], b""
        )
        assert got.default_language == "fr" and got.created_at.seconds == 1704164645

    @pytest.mark.parametrize(
        ("key", "text", "says"),
        [("page", "two", "not an integer"), ("sort_ascending", "yes", "not true or false")],
    )
    def test_bad_query_values(self, key, text, says):
        with pytest.raises(BindError, match=says) as err:
            bind(route("GET", "/v2/apps"), {}, [(key, text)], b"")
        assert err.value.code == sc.CONN_INVALID_REQUEST and key in err.value.details

    def test_body_overrides_query_and_path_overrides_body(self):
        r = route(
            "DELETE", "/v2/users/{user_app_id.user_id}/x", service_pb2.DeleteCollaboratorsRequest
        )
        got = bind(
            r,
            {"user_app_id.user_id": "path"},
            [("collaborator_ids", "q1"), ("collaborator_ids", "q2")],
            b'{"collaborator_ids": ["b"], "user_app_id": {"user_id": "body", "app_id": "a"}}',
        )
        assert list(got.collaborator_ids) == ["b"]
        assert got.user_app_id.user_id == "path" and got.user_app_id.app_id == "a"

    def test_delete_without_body_reads_repeated_query_keys(self):
        r = route("DELETE", "/v2/x", service_pb2.DeleteCollaboratorsRequest)
        got = bind(r, {}, [("collaborator_ids", "a"), ("collaborator_ids", "b")], b"  ")
        assert list(got.collaborator_ids) == ["a", "b"]

    def test_get_ignores_a_body(self):
        got = bind(route("GET", "/v2/apps"), {}, [], b"not json")
        assert got == service_pb2.ListAppsRequest()

    @pytest.mark.parametrize(
        ("body", "code", "says"),
        [
            (b'{"apps": [', sc.CONN_BAD_REQUEST_FORMAT, "not valid JSON"),
            (b"\xff", sc.CONN_BAD_REQUEST_FORMAT, "not valid JSON"),
            (b"[" * 100_000, sc.CONN_BAD_REQUEST_FORMAT, "not valid JSON"),
            (b"[1]", sc.CONN_BAD_REQUEST_FORMAT, "JSON object, not list"),
            (b'{"apps": [{"id": 5}]}', sc.CONN_INVALID_REQUEST, "apps"),
        ],
    )
    def test_bad_bodies(self, body, code, says):
        with pytest.raises(BindError, match=says) as err:
            bind(route("POST", "/v2/apps", service_pb2.PostAppsRequest, "*"), {}, [], body)
        assert err.value.code == code

    def test_enum_in_body_by_name_or_number(self):
        r = route("POST", "/v2/f", descriptor_pb2.FieldDescriptorProto, "*")
        assert bind(r, {}, [], b'{"type": "TYPE_BOOL"}').type == 8
        assert bind(r, {}, [], b'{"type": 8}').type == 8

    def test_default_float_only_when_absent(self):
        js = {"concepts": [{"id": "a"}, {"id": "b", "value": 0}], "id": "x"}
        fill_default_floats(resources_pb2.Data.DESCRIPTOR, js)
        assert js["concepts"] == [{"id": "a", "value": 1.0}, {"id": "b", "value": 0}]


class TestJson:
    def test_status_code_and_enums_are_numbers(self):
        res = service_pb2.MultiAppResponse()
        res.status.code = sc.CONN_KEY_INVALID
        assert response_json(res) == {"status": {"code": 11008}, "apps": []}

    def test_show_if_empty_below_lists(self):
        data = resources_pb2.Data(concepts=[resources_pb2.Concept(id="a")])
        assert response_json(data)["concepts"] == [{"id": "a", "value": 0.0}]

    def test_timestamps_and_bytes(self):
        app = resources_pb2.App(id="a")
        app.created_at.FromSeconds(1704164645)
        assert response_json(app)["created_at"] == "2024-01-02T03:04:05Z"
        image = resources_pb2.Image(base64=b"\x00\x01")
        assert response_json(image)["base64"] == "AAE="

    def test_integral_struct_numbers_have_no_fraction(self):
        """Metadata and other Struct/Value numbers print as the reference's
        Go encoder prints them (`100`, not `100.0`), at any depth, in lists
        and in repeated messages; other float fields are left as they are."""
        meta = {"n": 100, "half": 0.5, "neg": -3, "big": 1e21, "list": [1, 2.5, {"k": 7}]}
        inputs = service_pb2.MultiInputResponse(
            inputs=[
                resources_pb2.Input(
                    id=f"i{n}",
                    data=resources_pb2.Data(
                        metadata=struct_of(meta),
                        concepts=[resources_pb2.Concept(id="c", value=1.0)],
                    ),
                )
                for n in range(2)
            ]
        )
        out = response_json(inputs)
        for item in out["inputs"]:
            got = item["data"]["metadata"]
            assert got == meta
            kinds = [type(got[k]) for k in ("n", "half", "neg", "big")]
            assert kinds == [int, float, int, float]
            assert [type(v) for v in got["list"]] == [int, float, dict]
            assert type(got["list"][2]["k"]) is int
            assert type(item["data"]["concepts"][0]["value"]) is float
        assert "100.0" not in json.dumps(out)
        app = service_pb2.SingleAppResponse(app=resources_pb2.App(metadata=struct_of({"x": 2})))
        assert json.dumps(response_json(app)["app"]["metadata"]) == '{"x": 2}'
