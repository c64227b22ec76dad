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

from server import contract, reference
from server.rest_app import (
    BindError,
    Route,
    Router,
    Template,
    UnservedRoute,
    bind,
    compile_routes,
    compile_unserved,
    fill_default_floats,
    parse_template,
    response_json,
    split_path,
)

ROUTES = compile_routes(contract.methods())
UNSERVED = compile_unserved(reference.unserved())


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


def witness(a: Template, b: Template) -> list[str]:
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


def rpc_name(route: Template) -> str:
    return route.method.name if isinstance(route, Route) else route.rpc.name  # type: ignore[attr-defined]


# Paths that two or more of the reference's templates match, and the RPC each
# must reach: a literal segment wins over a variable at the first depth where
# the templates differ, whether we serve the RPC or not.
TRICKY = [
    # /v2/inputs/{input_id} (GetInput, DeleteInput) beside literal siblings
    ("POST", "/v2/inputs/searches", "PostInputsSearches"),
    ("POST", "/v2/users/me/apps/main/inputs/searches", "PostInputsSearches"),
    ("PATCH", "/v2/inputs/searches", "PatchInputsSearches"),
    ("POST", "/v2/inputs/data_sources", "PostInputsDataSources"),
    ("POST", "/v2/inputs/uploads", "PostInputsUploads"),
    ("GET", "/v2/inputs/status", "GetInputCount"),
    ("GET", "/v2/inputs/stream", "StreamInputs"),
    ("GET", "/v2/inputs/in1", "GetInput"),
    ("DELETE", "/v2/inputs/annotations", "DeleteAnnotations"),
    ("DELETE", "/v2/users/me/apps/main/inputs/annotations", "DeleteAnnotations"),
    ("DELETE", "/v2/inputs/in1", "DeleteInput"),
    # The verb comes first: a GET on a path whose literal route is a POST
    # reaches the GET route it matches (an input may be called "searches").
    ("GET", "/v2/inputs/searches", "GetInput"),
    # /v2/concepts/{concept_id}
    ("GET", "/v2/concepts/status", "GetConceptCounts"),
    ("GET", "/v2/concepts/knowledge_graphs", "ListKnowledgeGraphs"),
    ("GET", "/v2/users/me/apps/main/concepts/relations", "ListConceptRelations"),
    ("GET", "/v2/users/me/apps/main/concepts/c1/relations", "ListConceptRelations"),
    ("GET", "/v2/concepts/c1", "GetConcept"),
    # /v2/models/{model_id} and deeper: the literal `types` at depth 6 wins
    # over the model id although ListModelConcepts has a literal after it.
    ("GET", "/v2/models/types", "ListModelTypes"),
    ("GET", "/v2/models/m1", "GetModel"),
    ("GET", "/v2/users/me/apps/main/models/types/concepts", "GetModelType"),
    ("GET", "/v2/users/me/apps/main/models/m1/concepts", "ListModelConcepts"),
    ("GET", "/v2/models/types/versions", "GetModelType"),
    ("GET", "/v2/models/m1/versions", "ListModelVersions"),
    ("POST", "/v2/models/outputs/stream", "StreamModelOutputs"),
    ("POST", "/v2/models/m1/outputs", "PostModelOutputs"),
    (
        "GET",
        "/v2/users/me/apps/main/models/m/versions/v/evaluations/logs",
        "GetModelVersionEvaluation",
    ),
    ("GET", "/v2/users/me/apps/main/models/m/versions/v/training/logs", "ListLogEntries"),
    ("GET", "/v2/users/me/compute_clusters/c/nodepools/logs", "GetNodepool"),
    ("GET", "/v2/users/me/compute_clusters/c/builds/logs", "ListLogEntries"),
    # /v2/users/{user_id}/apps/{app_id}
    ("PATCH", "/v2/users/me/apps/ids", "PatchAppsIds"),
    ("PATCH", "/v2/users/me/apps/a1", "PatchApp"),
    # The reference gives these shapes to two RPCs: the one named after the verb.
    ("POST", "/v2/users/me/compute_clusters/c/nodepools/n/runners", "PostRunners"),
    ("GET", "/v2/pipelines", "ListPipelines"),
    ("GET", "/v2/users/me/compute_clusters/c/nodepools/n/runners/r/build/logs", "ListLogEntries"),
]


class TestReferenceRoutes:
    """The route table with the reference's RPCs we do not serve."""

    router = Router(ROUTES, UNSERVED)

    @pytest.mark.parametrize(("verb", "path", "rpc"), TRICKY, ids=lambda v: str(v))
    def test_tricky_paths(self, verb, path, rpc):
        found = self.router.resolve(verb, split_path(path))
        assert not isinstance(found, list), found
        assert rpc_name(found[0]) == rpc
        served = rpc in contract.methods()
        assert isinstance(found[0], Route if served else UnservedRoute)

    def test_other_verbs_on_a_literal_path(self):
        found = self.router.resolve("PUT", split_path("/v2/inputs/searches"))
        assert found == ["DELETE", "GET", "PATCH", "POST"]

    def test_every_reference_route_reaches_its_rpc(self):
        """Each binding of each reference RPC, with its variables filled,
        reaches that RPC, served or not; on the few shapes the reference
        gives two RPCs, the one named after the verb."""
        by_shape: dict[tuple[str, tuple[str | None, ...]], set[str]] = {}
        for rpc in reference.rpcs().values():
            for verb, template, _ in rpc.routes:
                by_shape.setdefault((verb, parse_template(template)[0]), set()).add(rpc.name)
        shared = {k: names for k, names in by_shape.items() if len(names) > 1}
        assert sorted(map(sorted, shared.values())) == [
            ["ListLogEntries", "StreamLogEntries"],
            ["ListLogEntries", "StreamLogEntries"],
            ["ListPipelines", "PostPipelines"],
            ["PatchRunners", "PostRunners"],
        ]
        winners = {"ListLogEntries", "ListPipelines", "PostRunners"}
        assert len(by_shape) > 400
        for (verb, parts), names in by_shape.items():
            sample = ["x" if p is None else p for p in parts]
            found = self.router.resolve(verb, sample)
            assert not isinstance(found, list), (verb, sample, found)
            expected = names.pop() if len(names) == 1 else (names & winners).pop()
            assert rpc_name(found[0]) == expected, (verb, "/".join(sample))

    def test_literal_wins_at_the_first_depth_that_differs(self):
        """For every path two same-verb templates of the reference match, the
        one resolved has a literal where the other has a variable, at the
        first depth where they differ."""
        every = [*ROUTES, *self.router.unserved]
        pairs = 0
        for a, b in itertools.combinations(every, 2):
            if a.verb != b.verb or len(a.parts) != len(b.parts) or a.parts == b.parts:
                continue
            path = witness(a, b)
            if a.match(path) is None or b.match(path) is None:
                continue
            pairs += 1
            depth = next(i for i, (x, y) in enumerate(zip(a.parts, b.parts, strict=True)) if x != y)
            literal = a if a.parts[depth] is not None else b
            found = self.router.resolve(a.verb, path)
            assert not isinstance(found, list) and found[0] is literal, (a.template, b.template)
        assert pairs > 20

    def test_a_served_shape_keeps_its_route(self):
        served = route("GET", "/v2/x/{id}")
        other = reference.Rpc("Other", 2, (("GET", "/v2/x/{other_id}", ""),), False, False)
        router = Router([served], compile_unserved({"Other": other}))
        assert router.unserved == []
        assert router.resolve("GET", ["v2", "x", "1"])[0] is served


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

    def test_earlier_literal_wins_over_more_literals_deeper(self):
        early = route("GET", "/v2/a/{page}/{per_page}")
        deeper = route("GET", "/v2/{name}/b/c")
        router = Router([deeper, early])
        assert router.resolve("GET", ["v2", "a", "b", "c"])[0] is early
        assert router.resolve("GET", ["v2", "z", "b", "c"])[0] is deeper

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
        ("request_type", "key", "text", "says"),
        [
            (service_pb2.ListAppsRequest, "page", "two", "not an integer"),
            (service_pb2.ListAppsRequest, "sort_ascending", "yes", "not true or false"),
            (service_pb2.ListInputsRequest, "status.code", "abc", "names no value of StatusCode"),
        ],
    )
    def test_bad_query_values(self, request_type, key, text, says):
        r = route("GET", "/v2/x", request_type)
        with pytest.raises(BindError, match=says) as err:
            bind(r, {}, [(key, text)], b"")
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

    @pytest.mark.parametrize(
        ("request_type", "body", "where"),
        [
            (
                service_pb2.PostDatasetsRequest,
                {"datasets": [{}, {"name": "x"}]},
                "datasets[1].name",
            ),
            (
                service_pb2.PatchDatasetsRequest,
                {"datasets": [{"id": "d", "defaultFilterId": "f"}], "action": "merge"},
                "datasets[0].defaultFilterId",
            ),
            (
                service_pb2.PostDatasetVersionsRequest,
                {"dataset_versions": [{"dataset_filter": {"id": "f"}}]},
                "dataset_versions[0].dataset_filter",
            ),
            (
                service_pb2.PostDatasetsRequest,
                {"datasets": [{"id": "d", "version": {"name": "v"}}]},
                "datasets[0].version.name",
            ),
        ],
    )
    def test_keys_of_dropped_fields_refused(self, request_type, body, where):
        """Unknown keys are ignored, but not the names of fields the API has
        dropped while its docs still send them (rest_json.RETIRED)."""
        with pytest.raises(BindError) as err:
            bind(route("POST", "/v2/x", request_type, "*"), {}, [], json.dumps(body).encode())
        assert err.value.code == sc.CONN_INVALID_REQUEST
        assert err.value.details.startswith(f"{where}: "), err.value.details

    def test_same_names_elsewhere_are_fields_or_ignored(self):
        # App.name is a field; a key named like a dropped field of another
        # message, where no message has dropped it, is an unknown key.
        r = route("POST", "/v2/apps", service_pb2.PostAppsRequest, "*")
        got = bind(r, {}, [], b'{"apps": [{"id": "a", "name": "A", "dataset_filter": 1}]}')
        assert got.apps[0].name == "A"


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
