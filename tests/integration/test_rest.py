"""The REST/JSON port: routes from the contract, binding, JSON, HTTP statuses, CORS."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime

import aiohttp
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2

from server.logs import JsonFormatter
from tests.helpers import auth_header, rest_call


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class TestApps:
    async def test_post_get_list(self, http, rest, account):
        status, body = await rest_call(
            http,
            "POST",
            f"{rest}/v2/users/me/apps",
            account.pat,
            json={"apps": [{"id": "rest-app", "name": "Rest", "description": "d"}]},
        )
        assert status == 200, body
        assert body["status"]["code"] == sc.SUCCESS  # a number, as the reference writes it
        assert body["status"]["description"] == "Ok" and len(body["status"]["req_id"]) == 32
        app = body["apps"][0]
        assert app["id"] == "rest-app" and app["user_id"] == account.user_id
        # RFC 3339 with a Z, proto field names
        assert app["created_at"].endswith("Z")
        datetime.fromisoformat(app["created_at"].replace("Z", "+00:00"))

        status, body = await rest_call(
            http, "GET", f"{rest}/v2/users/{account.user_id}/apps/rest-app", account.pat
        )
        assert status == 200 and body["app"]["name"] == "Rest"

        # The additional binding: the app key implies its app.
        status, body = await rest_call(http, "GET", f"{rest}/v2/app", account.api_key)
        assert status == 200 and body["app"]["id"] == "main"

        for url in (f"{rest}/v2/users/me/apps", f"{rest}/v2/apps"):
            status, body = await rest_call(http, "GET", url, account.pat)
            assert status == 200
            assert sorted(a["id"] for a in body["apps"]) == ["main", "rest-app"]

    async def test_query_string_pagination(self, http, rest, account):
        await rest_call(
            http,
            "POST",
            f"{rest}/v2/users/me/apps",
            account.pat,
            json={"apps": [{"id": f"a{i}"} for i in range(5)]},
        )
        status, body = await rest_call(
            http,
            "GET",
            f"{rest}/v2/users/me/apps",
            account.pat,
            # bools as the JSON channel sends them ("True") and as cURL users write them
            params={"page": "2", "per_page": "2", "sort_by_id": "True", "sort_ascending": "true"},
        )
        assert status == 200, body
        assert [a["id"] for a in body["apps"]] == ["a2", "a3"]

    async def test_error_keeps_empty_list_and_maps_http_status(self, http, rest, account):
        status, body = await rest_call(
            http, "GET", f"{rest}/v2/users/me/apps", account.pat, params={"per_page": "5000"}
        )
        assert status == 400
        assert body["status"]["code"] == sc.CONN_INVALID_REQUEST
        assert "per_page" in body["status"]["details"]
        assert body["apps"] == []  # cl_show_if_empty

    async def test_missing_app_is_404(self, http, rest, account):
        status, body = await rest_call(http, "GET", f"{rest}/v2/users/me/apps/nope", account.pat)
        assert status == 404 and body["status"]["code"] == sc.CONN_DOES_NOT_EXIST

    async def test_bad_query_value_names_the_key(self, http, rest, account):
        status, body = await rest_call(
            http, "GET", f"{rest}/v2/users/me/apps", account.pat, params={"page": "two"}
        )
        assert status == 400 and body["status"]["code"] == sc.CONN_INVALID_REQUEST
        assert "page 'two'" in body["status"]["details"]

    async def test_delete_without_body(self, http, rest, account):
        await rest_call(
            http, "POST", f"{rest}/v2/users/me/apps", account.pat, json={"apps": [{"id": "gone"}]}
        )
        status, body = await rest_call(http, "DELETE", f"{rest}/v2/users/me/apps/gone", account.pat)
        assert status == 200 and body["status"]["code"] == sc.SUCCESS
        status, _ = await rest_call(http, "GET", f"{rest}/v2/users/me/apps/gone", account.pat)
        assert status == 404


class TestJsonNumbers:
    async def test_integral_struct_numbers_have_no_fraction(self, http, rest, stub, account):
        """Metadata numbers read back as the reference's REST API writes
        them: `100`, not `100.0` (a JSON parser then gives an integer),
        whether the input came over REST or gRPC; fractions stay."""
        meta = {"count": 100, "ratio": 0.5, "nested": {"n": -3, "list": [1, 2.5, {"k": 7}]}}
        status, body = await rest_call(
            http,
            "POST",
            f"{rest}/v2/users/me/apps/main/inputs",
            account.pat,
            json={"inputs": [{"id": "numbers", "data": {"text": {"raw": "x"}, "metadata": meta}}]},
        )
        assert status == 200, body
        struct = struct_pb2.Struct()
        struct.update(meta)
        grpc_input = r.Input(id="numbers-grpc", data=r.Data(text=r.Text(raw="y"), metadata=struct))
        res = await stub.PostInputs(
            s.PostInputsRequest(inputs=[grpc_input]), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS
        assert res.inputs[0].data.metadata["count"] == 100.0  # gRPC: protobuf's double
        posted = body["inputs"][0]["data"]["metadata"]
        for input_id in ("numbers", "numbers-grpc"):
            status, got = await rest_call(
                http, "GET", f"{rest}/v2/inputs/{input_id}", account.api_key
            )
            assert status == 200, got
            for seen in (posted, got["input"]["data"]["metadata"]):
                assert seen == meta
                assert type(seen["count"]) is int and type(seen["ratio"]) is float
                assert type(seen["nested"]["n"]) is int
                assert [type(v) for v in seen["nested"]["list"]] == [int, float, dict]
                assert type(seen["nested"]["list"][2]["k"]) is int


class TestAuth:
    async def test_unknown_key_is_401(self, http, rest):
        status, body = await rest_call(http, "GET", f"{rest}/v2/users/me/apps", "not-a-key")
        assert status == 401
        assert body["status"]["code"] == sc.CONN_KEY_INVALID
        assert body["status"]["description"] == (
            "Invalid API key or Invalid API key/application pair"
        )
        assert body["apps"] == []

    async def test_missing_header(self, http, rest):
        status, body = await rest_call(http, "GET", f"{rest}/v2/users/me/apps")
        assert status == 400 and body["status"]["code"] == sc.CONN_INVALID_REQUEST
        assert "authorization header" in body["status"]["details"]

    async def test_app_key_cannot_list_apps(self, http, rest, account):
        status, body = await rest_call(http, "GET", f"{rest}/v2/apps", account.api_key)
        assert status == 403 and body["status"]["code"] == sc.CONN_INSUFFICIENT_SCOPES


class TestMyScopes:
    async def test_all_three_bindings(self, http, rest, account):
        status, body = await rest_call(
            http, "GET", f"{rest}/v2/users/{account.user_id}/apps/main/myscopes", account.pat
        )
        assert status == 200, body
        assert body["app"]["id"] == "main" and "All" in body["scopes"]
        for path in ("/v2/myscopes", "/v2/my_scopes"):
            status, body = await rest_call(http, "GET", rest + path, account.api_key)
            assert status == 200, body
            assert body["app"]["id"] == "main" and body["scopes"]

    async def test_app_key_naming_another_app(self, http, rest, account):
        status, body = await rest_call(
            http, "GET", f"{rest}/v2/users/me/apps/other/myscopes", account.api_key
        )
        assert status == 401 and body["status"]["code"] == sc.CONN_KEY_INVALID


class TestKeys:
    async def test_post_and_list(self, http, rest, account):
        status, body = await rest_call(
            http,
            "POST",
            f"{rest}/v2/users/me/keys",
            account.pat,
            json={"keys": [{"description": "ci", "scopes": ["All"], "apps": [{"id": "main"}]}]},
        )
        assert status == 200, body
        key = body["keys"][0]
        assert key["type"] == "app_specific_key" and key["apps"][0]["id"] == "main"
        status, body = await rest_call(http, "GET", f"{rest}/v2/users/me/keys", account.pat)
        assert status == 200 and "ci" in [k.get("description") for k in body["keys"]]
        # The new key works at once.
        status, body = await rest_call(http, "GET", f"{rest}/v2/myscopes", key["id"])
        assert status == 200 and body["app"]["id"] == "main"


class TestStatusCodes:
    async def test_no_auth_needed(self, http, rest):
        status, body = await rest_call(http, "GET", f"{rest}/v2/status_codes")
        assert status == 200
        assert {"code": sc.SUCCESS, "description": "Ok"}.items() <= body["statuses"][0].items()
        status, body = await rest_call(http, "GET", f"{rest}/v2/status_codes/10000")
        assert status == 200 and body["status"]["description"] == "Ok"
        # The looked-up code is the answer's status, so the HTTP status follows it.
        _, body = await rest_call(http, "GET", f"{rest}/v2/status_codes/CONN_KEY_INVALID")
        assert body["status"]["code"] == sc.CONN_KEY_INVALID


class TestCollaborators:
    async def _invite(self, http, rest, account, friend) -> str:
        status, body = await rest_call(
            http,
            "POST",
            f"{rest}/v2/users/me/apps/main/collaborators",
            account.pat,
            json={"collaborators": [{"user": {"id": friend.user_id}, "scopes": ["Apps_Get"]}]},
        )
        assert status == 200, body
        return body["collaborators"][0]["id"]

    async def test_delete_with_json_body(self, http, rest, account, new_account):
        first = await self._invite(http, rest, account, await new_account())
        second = await self._invite(http, rest, account, await new_account())
        status, body = await rest_call(
            http,
            "DELETE",
            f"{rest}/v2/users/me/apps/main/collaborators",
            account.pat,
            json={"collaborator_ids": [first]},
        )
        assert status == 200, body
        status, body = await rest_call(
            http, "GET", f"{rest}/v2/users/me/apps/main/collaborators", account.pat
        )
        assert [c["id"] for c in body["collaborators"]] == [second]

    async def test_delete_with_repeated_query_keys(self, http, rest, account, new_account):
        ids = [await self._invite(http, rest, account, await new_account()) for _ in range(2)]
        status, body = await rest_call(
            http,
            "DELETE",
            f"{rest}/v2/users/me/apps/main/collaborators",
            account.pat,
            params=[("collaborator_ids", ids[0]), ("collaborator_ids", ids[1])],
        )
        assert status == 200, body
        status, body = await rest_call(
            http,
            "GET",
            f"{rest}/v2/users/me/apps/main/collaborators",
            account.pat,
            params={"list_all_collaborators": "false"},
        )
        assert body["collaborators"] == []


class TestProtocolErrors:
    async def test_unknown_route(self, http, rest, account):
        status, body = await rest_call(http, "GET", f"{rest}/v2/no/such/thing", account.pat)
        assert status == 404
        assert body["status"]["code"] == sc.CONN_DOES_NOT_EXIST
        assert "/v2/no/such/thing" in body["status"]["details"]

    async def test_wrong_method(self, http, rest, account):
        async with http.put(f"{rest}/v2/users/me/apps", headers=auth_header(account.pat)) as res:
            assert res.status == 405
            assert set(res.headers["Allow"].split(", ")) == {"GET", "PATCH", "POST"}
            body = await res.json()
        assert body["status"]["code"] == sc.CONN_METHOD_NOT_ALLOWED
        assert body["status"]["description"] == "Method not allowed"

    async def test_paths_holding_a_token_are_not_logged(self, http, rest, account, caplog):
        token = account.api_key
        calls = [
            ("GET", f"/v2/users/x/keys/{token}/x"),  # no route
            ("PUT", f"/v2/users/me/keys/{token}"),  # a route, not this verb
            ("GET", f"/v2/users/me/keys/{token}"),  # GetKey
            ("GET", f"/v2/users/me/keys/{token}/x/y/z"),
        ]
        with caplog.at_level(logging.DEBUG):
            for method, path in calls:
                async with http.request(
                    method, f"{rest}{path}", headers=auth_header(account.pat)
                ) as res:
                    assert res.status in (200, 404, 405), (path, res.status)
        access = [r for r in caplog.records if r.name == "clarifai_local.access"]
        assert [r.method for r in access] == [
            "GET (no route)",
            "PUT (no route)",
            "GetKey",
            "GET (no route)",
        ]
        assert [r.code for r in access] == [
            sc.CONN_DOES_NOT_EXIST,
            sc.CONN_METHOD_NOT_ALLOWED,
            sc.SUCCESS,
            sc.CONN_DOES_NOT_EXIST,
        ]
        for record in caplog.records:
            assert token not in JsonFormatter().format(record), record

    async def test_malformed_json_writes_nothing(self, http, rest, account):
        status, body = await rest_call(
            http, "POST", f"{rest}/v2/users/me/apps", account.pat, data=b'{"apps": [{"id": "x"'
        )
        assert status == 400
        assert body["status"]["code"] == sc.CONN_BAD_REQUEST_FORMAT
        assert "not valid JSON" in body["status"]["details"]
        assert body["apps"] == []
        _, listed = await rest_call(http, "GET", f"{rest}/v2/users/me/apps", account.pat)
        assert [a["id"] for a in listed["apps"]] == ["main"]

    async def test_body_must_be_an_object(self, http, rest, account):
        status, body = await rest_call(
            http, "POST", f"{rest}/v2/users/me/apps", account.pat, json=[{"id": "x"}]
        )
        assert status == 400 and body["status"]["code"] == sc.CONN_BAD_REQUEST_FORMAT

    async def test_wrong_field_type_names_the_field(self, http, rest, account):
        status, body = await rest_call(
            http, "POST", f"{rest}/v2/users/me/apps", account.pat, json={"apps": "x"}
        )
        assert status == 400 and body["status"]["code"] == sc.CONN_INVALID_REQUEST
        assert "apps" in body["status"]["details"]

    async def test_camel_case_and_unknown_fields_accepted(self, http, rest, account):
        status, body = await rest_call(
            http,
            "POST",
            f"{rest}/v2/users/me/apps",
            account.pat,
            # The Content-Type `curl -d` sends; an unknown field is ignored.
            data=b'{"apps": [{"id": "camel", "defaultLanguage": "fr"}], "extra": 1}',
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 200, body
        assert body["apps"][0]["default_language"] == "fr"


class TestCors:
    async def test_preflight(self, http, rest):
        async with http.options(
            f"{rest}/v2/users/me/apps",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        ) as res:
            assert res.status == 204
            assert res.headers["Access-Control-Allow-Origin"] == "*"
            assert "POST" in res.headers["Access-Control-Allow-Methods"]
            allowed = res.headers["Access-Control-Allow-Headers"].lower()
            assert "authorization" in allowed and "content-type" in allowed

    async def test_every_answer_is_readable_cross_origin(self, http, rest, account):
        for token, url in ((account.pat, "/v2/users/me/apps"), ("bad", "/v2/users/me/apps")):
            async with http.get(
                rest + url, headers={**auth_header(token), "Origin": "https://app.example"}
            ) as res:
                assert res.headers["Access-Control-Allow-Origin"] == "*"
                assert len(res.headers["X-Clarifai-Request-ID"]) == 32
