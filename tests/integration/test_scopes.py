"""MyScopes, MyScopesUser, MyScopesRoot, ListScopes over gRPC."""

from __future__ import annotations

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from server import contract
from tests.helpers import app_key, app_of, make_key, me, pat

V2 = "/clarifai.api.V2/"


class TestMyScopes:
    async def test_app_key_shape_of_the_seed(self, stub, account):
        res = await stub.MyScopes(s.MyScopesRequest(), metadata=account.key_md)
        assert res.status.code == sc.SUCCESS, res.status
        # The seed's response: status, scopes, app, endpoints.
        body = json_format.MessageToDict(res)
        assert {"status", "scopes", "app", "endpoints"} <= set(body)
        assert body["app"]["id"] == "main" and body["app"]["userId"] == account.user_id
        assert res.scopes[0] == "All" and "Inputs_Add" in res.scopes
        assert V2 + "MyScopes" in res.endpoints and V2 + "GetApp" in res.endpoints
        # PAT-only methods are out of an app key's reach.
        assert V2 + "ListApps" not in res.endpoints and V2 + "PostKeys" not in res.endpoints
        # Open methods need no permission.
        assert V2 + "ListStatusCodes" not in res.endpoints

    async def test_pat_naming_an_app(self, stub, account):
        res = await stub.MyScopes(s.MyScopesRequest(user_app_id=me("main")), metadata=account.md())
        assert res.status.code == sc.SUCCESS
        assert res.app.id == "main" and res.app.user_id == account.user_id
        assert V2 + "ListApps" in res.endpoints

    async def test_pat_without_app(self, stub, account):
        res = await stub.MyScopes(s.MyScopesRequest(), metadata=account.md())
        assert res.status.code == sc.SUCCESS and not res.HasField("app")
        assert "All" in res.scopes

    async def test_limited_key_with_implied_scopes(self, stub, account):
        token = await make_key(stub, account, app_key(scopes=["Inputs_Delete"]))
        res = await stub.MyScopes(s.MyScopesRequest(), metadata=account.md(token))
        assert sorted(res.scopes) == ["Inputs_Add", "Inputs_Delete", "Inputs_Get"]
        allowed = {
            m.path
            for m in contract.methods().values()
            if m.auth_type == contract.AuthType.KeyAuth
            and set(m.scopes) <= {"Inputs_Add", "Inputs_Delete", "Inputs_Get"}
        }
        assert set(res.endpoints) == allowed
        assert V2 + "MyScopes" in res.endpoints and V2 + "GetApp" not in res.endpoints

    async def test_endpoint_grant(self, stub, account):
        token = await make_key(
            stub, account, app_key(scopes=(), endpoints=[V2 + "ListCollaborators"])
        )
        res = await stub.MyScopes(s.MyScopesRequest(), metadata=account.md(token))
        assert list(res.scopes) == []
        assert V2 + "ListCollaborators" in res.endpoints
        listed = await stub.ListCollaborators(
            s.ListCollaboratorsRequest(), metadata=account.md(token)
        )
        assert listed.status.code == sc.SUCCESS, listed.status

    async def test_other_users_app(self, stub, account, new_account):
        other = await new_account()
        res = await stub.MyScopes(
            s.MyScopesRequest(user_app_id=app_of(other)), metadata=account.md()
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert not res.scopes and not res.endpoints and not res.HasField("app")

    async def test_app_key_naming_another_app(self, stub, account):
        await stub.PostApps(s.PostAppsRequest(apps=[r.App(id="second")]), metadata=account.md())
        res = await stub.MyScopes(
            s.MyScopesRequest(user_app_id=me("second")), metadata=account.key_md
        )
        assert res.status.code == sc.CONN_KEY_INVALID
        assert res.status.description == "Invalid API key or Invalid API key/application pair"


class TestMyScopesUser:
    async def test_pat(self, stub, account):
        token = await make_key(stub, account, pat(["Apps_Get"]))
        res = await stub.MyScopesUser(
            s.MyScopesUserRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            metadata=account.md(token),
        )
        assert res.status.code == sc.SUCCESS
        assert list(res.scopes) == ["Apps_Get"]
        assert V2 + "MyScopes" in res.endpoints and V2 + "GetUser" in res.endpoints

    async def test_app_key_refused(self, stub, account):
        res = await stub.MyScopesUser(s.MyScopesUserRequest(), metadata=account.key_md)
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES and not res.scopes

    async def test_other_user(self, stub, account, new_account):
        other = await new_account()
        res = await stub.MyScopesUser(
            s.MyScopesUserRequest(user_app_id=r.UserAppIDSet(user_id=other.user_id)),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and not res.scopes


class TestMyScopesRoot:
    async def test_pat(self, stub, account):
        res = await stub.MyScopesRoot(s.MyScopesRootRequest(), metadata=account.md())
        assert res.status.code == sc.SUCCESS and res.scopes[0] == "All"
        assert V2 + "ListApps" in res.endpoints

    async def test_app_key_refused(self, stub, account):
        res = await stub.MyScopesRoot(s.MyScopesRootRequest(), metadata=account.key_md)
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES and not res.scopes


class TestListScopes:
    async def test_app_specific_key_by_default(self, stub, account):
        res = await stub.ListScopes(s.ListScopesRequest(), metadata=account.md())
        assert res.status.code == sc.SUCCESS
        deps = {d.scope: list(d.depending_scopes) for d in res.scope_deps}
        assert deps["Inputs_Delete"] == ["Inputs_Add", "Inputs_Get"]
        assert deps["Inputs_Add"] == ["Inputs_Get"] and deps["Inputs_Get"] == []
        assert set(deps) == set(contract.scope_names())
        endpoints = {e.endpoint: list(e.depending_scopes) for e in res.endpoint_deps}
        assert endpoints[V2 + "GetApp"] == ["Apps_Get", "Workflows_Get"]
        assert V2 + "ListApps" not in endpoints and V2 + "ListStatusCodes" not in endpoints

    async def test_personal_access_token(self, stub, account):
        res = await stub.ListScopes(
            s.ListScopesRequest(key_type="personal_access_token"), metadata=account.md()
        )
        endpoints = {e.endpoint for e in res.endpoint_deps}
        assert V2 + "ListApps" in endpoints and V2 + "GetApp" in endpoints

    async def test_unknown_key_type(self, stub, account):
        res = await stub.ListScopes(s.ListScopesRequest(key_type="root"), metadata=account.md())
        assert res.status.code == sc.CONN_INVALID_REQUEST and "key_type" in res.status.details
        assert not res.scope_deps

    async def test_app_key_refused(self, stub, account):
        res = await stub.ListScopes(s.ListScopesRequest(), metadata=account.key_md)
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES and not res.scope_deps

    async def test_key_type_names(self, transport, account):
        """The reference's key types ("app_specific_key", the default, and
        "personal_access_token") and "api_key", the guides' name for an
        app-specific key, over both transports."""

        async def endpoints(key_type: str) -> list[str]:
            res = await transport.call(
                "ListScopes", s.ListScopesRequest(key_type=key_type), account.md()
            )
            assert res.status.code == sc.SUCCESS, (key_type, res.status)
            return [e.endpoint for e in res.endpoint_deps]

        app_key = await endpoints("")
        assert await endpoints("app_specific_key") == app_key
        assert await endpoints("api_key") == app_key
        pat = await endpoints("personal_access_token")
        assert V2 + "ListApps" in pat and V2 + "ListApps" not in app_key
        res = await transport.call(
            "ListScopes", s.ListScopesRequest(key_type="API_KEY"), account.md(), http_status=400
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "key_type API_KEY is not one of" in res.status.details
