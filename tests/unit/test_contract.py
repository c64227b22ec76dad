"""The contract indexed once (auth types, scopes, routes, message types), and
the dispatcher's refusal to run with handlers that disagree with it."""

from __future__ import annotations

import pytest
from clarifai.api import service_pb2

from server import contract, services
from server.config import Settings
from server.contract import AuthType
from server.dispatch import Dispatcher
from server.services import HANDLERS, rpc


def rules(method: contract.Method) -> list[tuple[str, str]]:
    out = []
    for r in (method.http, *method.http.additional_bindings):
        verb = r.WhichOneof("pattern")
        out.append((verb, getattr(r, verb)))
    return out


def test_every_declared_rpc_is_indexed() -> None:
    methods = contract.methods()
    assert set(methods) == {m.name for m in contract.SERVICE.methods}
    assert contract.SERVICE.full_name == "clarifai.api.V2"


def test_message_types_and_path() -> None:
    m = contract.methods()["PostApps"]
    assert m.request_type is service_pb2.PostAppsRequest
    assert m.response_type is service_pb2.MultiAppResponse
    assert m.path == "/clarifai.api.V2/PostApps"


@pytest.mark.parametrize(
    ("name", "auth", "scopes"),
    [
        ("ListStatusCodes", AuthType.NoAuth, ()),
        ("MyScopes", AuthType.KeyAuth, ()),
        ("GetApp", AuthType.KeyAuth, ("Apps_Get", "Workflows_Get")),
        ("ListApps", AuthType.PATAuth, ("Apps_Get", "Workflows_Get")),
        (
            "PostApps",
            AuthType.PATAuth,
            ("Apps_Add", "Apps_Get", "Models_Get", "Workflows_Get", "Workflows_Add"),
        ),
        ("ListScopes", AuthType.SessionTokenAuth, ()),
    ],
)
def test_auth_type_and_scopes(name: str, auth: int, scopes: tuple[str, ...]) -> None:
    m = contract.methods()[name]
    assert (m.auth_type, m.scopes) == (auth, scopes)


def test_routes_with_additional_bindings() -> None:
    assert rules(contract.methods()["MyScopes"]) == [
        ("get", "/v2/users/{user_app_id.user_id}/apps/{user_app_id.app_id}/myscopes"),
        ("get", "/v2/myscopes"),
        ("get", "/v2/my_scopes"),
    ]
    post = contract.methods()["PostApps"].http
    assert (post.post, post.body) == ("/v2/users/{user_app_id.user_id}/apps", "*")


def test_scope_names_leave_out_undef_and_deprecated_scopes() -> None:
    names = contract.scope_names()
    assert "All" in names and "Apps_Get" in names
    assert "undef" not in names and "Inputs_Patch" not in names


async def _handler(call, request):
    return None


def _handlers() -> dict:
    return {name: _handler for name in contract.methods()}


def test_dispatcher_accepts_one_handler_per_rpc() -> None:
    Dispatcher(None, Settings(), _handlers())  # type: ignore[arg-type]


def test_dispatcher_refuses_a_declared_rpc_without_handler() -> None:
    handlers = _handlers()
    del handlers["GetApp"]
    with pytest.raises(RuntimeError, match=r"no handler for \['GetApp'\]"):
        Dispatcher(None, Settings(), handlers)  # type: ignore[arg-type]


def test_dispatcher_refuses_a_handler_without_rpc() -> None:
    handlers = _handlers() | {"GetBanana": _handler}
    with pytest.raises(RuntimeError, match=r"handler without RPC for \['GetBanana'\]"):
        Dispatcher(None, Settings(), handlers)  # type: ignore[arg-type]


def test_the_server_handlers_match_the_contract() -> None:
    assert set(services.load()) == set(contract.methods())


def test_a_second_handler_for_one_rpc_is_refused() -> None:
    async def UnitTestDuplicate(call, request):
        return None

    rpc(UnitTestDuplicate)
    try:
        with pytest.raises(RuntimeError, match="two handlers for UnitTestDuplicate"):
            rpc(UnitTestDuplicate)
    finally:
        del HANDLERS["UnitTestDuplicate"]


class TestDuplicateKeyWording:
    """A unique violation from a concurrent write is reported in the API's
    terms, without the internal app key."""

    def test_internal_columns_are_left_out(self):
        from server.dispatch import _taken

        assert _taken("Key (app_pk, id)=(3, foo) already exists.") == "id 'foo' already exists"

    def test_every_public_column_is_named(self):
        from server.dispatch import _taken

        detail = "Key (user_id, id)=(u, race) already exists."
        assert _taken(detail) == "user_id 'u', id 'race' already exists"

    def test_unknown_detail(self):
        from server.dispatch import _taken

        assert _taken("") == "an object with the same id already exists"
