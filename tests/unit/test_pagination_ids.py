"""page_of (page and per_page as every List call takes them) and the id rules."""

from __future__ import annotations

import re

import pytest
from clarifai.api import service_pb2

from server.ids import MAX_ID_LENGTH, check_id, id_or_new, new_id
from server.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE, Page, page_of
from server.status import ApiError, Code


@pytest.mark.parametrize(
    ("page", "per_page", "expected"),
    [
        (0, 0, Page(limit=DEFAULT_PER_PAGE, offset=0)),
        (1, 0, Page(limit=128, offset=0)),
        (3, 10, Page(limit=10, offset=20)),
        (2, MAX_PER_PAGE, Page(limit=1000, offset=1000)),
    ],
)
def test_page_of(page: int, per_page: int, expected: Page) -> None:
    assert page_of(service_pb2.ListAppsRequest(page=page, per_page=per_page)) == expected


def test_a_call_may_have_its_own_default() -> None:
    assert page_of(service_pb2.ListAppsRequest(page=2), default_per_page=20) == Page(20, 20)


def test_requests_without_pagination_get_the_first_page() -> None:
    assert page_of(service_pb2.GetAppRequest()) == Page(limit=128, offset=0)


def test_per_page_above_the_maximum_is_refused() -> None:
    with pytest.raises(ApiError) as err:
        page_of(service_pb2.ListAppsRequest(per_page=5000))
    assert err.value.code == Code.CONN_INVALID_REQUEST
    assert "per_page 5000" in err.value.details and "1000" in err.value.details


def test_new_ids_are_32_hex_and_unique() -> None:
    ids = {new_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


@pytest.mark.parametrize("value", ["main", "my-app", "my_app_2", "A1-b2_c3", "x" * MAX_ID_LENGTH])
def test_valid_ids(value: str) -> None:
    assert check_id(value, "apps[0].id") == value


@pytest.mark.parametrize(
    "value",
    ["my app", "my.app", "-app", "app_", "a--b", "ünï", "a/b", "x" * (MAX_ID_LENGTH + 1)],
)
def test_invalid_ids_name_the_field(value: str) -> None:
    with pytest.raises(ApiError) as err:
        check_id(value, "apps[0].id")
    assert err.value.code == Code.CONN_INVALID_REQUEST
    assert err.value.details.startswith(f"apps[0].id '{value}' is invalid")


def test_missing_id_is_required() -> None:
    with pytest.raises(ApiError) as err:
        check_id("", "concepts[1].id", Code.CONCEPTS_INVALID_REQUEST)
    assert (err.value.code, err.value.details) == (
        Code.CONCEPTS_INVALID_REQUEST,
        "concepts[1].id is required",
    )


def test_id_or_new() -> None:
    assert id_or_new("given", "inputs[0].id") == "given"
    assert re.fullmatch(r"[0-9a-f]{32}", id_or_new("", "inputs[0].id"))
    with pytest.raises(ApiError):
        id_or_new("bad id", "inputs[0].id")


class TestNewIds:
    def test_checks_given_and_generates_missing(self):
        from server.checks import Checks

        ids_for_new = Checks().new_ids

        out = ids_for_new(["a-1", "", "b_2"], "things")
        assert out[0] == "a-1" and out[2] == "b_2"
        assert len(out[1]) == 32 and out[1] not in ("a-1", "b_2")

    def test_repeated_id_names_the_second(self):
        import pytest

        from server.checks import Checks

        ids_for_new = Checks().new_ids
        from server.status import ApiError, Code

        with pytest.raises(ApiError) as err:
            ids_for_new(["x", "y", "x"], "things")
        assert err.value.code == Code.DATABASE_DUPLICATE_KEY
        assert "things[2].id 'x' is repeated" in err.value.details

    def test_bad_id_names_the_field(self):
        import pytest

        from server.checks import Checks

        ids_for_new = Checks().new_ids
        from server.status import ApiError

        with pytest.raises(ApiError) as err:
            ids_for_new(["ok", "not ok"], "things")
        assert "things[1].id" in err.value.details
