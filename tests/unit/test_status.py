"""The status table: reference wording, HTTP statuses, batch outcomes."""

from __future__ import annotations

import pytest

from server.status import (
    ApiError,
    Code,
    batch_status,
    description,
    http_status,
    make_status,
    not_found,
)


def _name(value: object) -> str | None:
    return Code.Name(value) if isinstance(value, int) and value in Code.values() else None


WIRE_CONFIRMED = {
    Code.SUCCESS: "Ok",
    Code.MIXED_STATUS: "Mixed Success",
    Code.FAILURE: "Failure",
    Code.CONN_KEY_INVALID: "Invalid API key or Invalid API key/application pair",
    Code.CONN_KEY_NOT_FOUND: "API key not found",
    Code.CONN_DOES_NOT_EXIST: "Resource does not exist",
    Code.CONN_INVALID_REQUEST: "Invalid request",
    Code.CONCEPTS_INVALID_REQUEST: "Invalid request",
    Code.MODEL_DOES_NOT_EXIST: "Model does not exist",
    Code.INPUT_FAILED: (
        "Download failed or we could not process it. Check URL or bytes you send in the request."
    ),
    Code.INPUT_SUCCESS: "Download complete",
    Code.INPUT_PENDING: "Download pending",
}


@pytest.mark.parametrize(("code", "text"), WIRE_CONFIRMED.items(), ids=_name)
def test_wire_confirmed_descriptions(code: int, text: str) -> None:
    assert description(code) == text


def test_old_table_wording_wins_for_insufficient_scopes() -> None:
    assert description(Code.CONN_INSUFFICIENT_SCOPES) == "API key has insufficient scopes"


def test_codes_without_published_wording_read_as_their_name() -> None:
    assert description(Code.COLLECTOR_MISSING) == "Collector missing"
    assert description(123) == "Unknown"


@pytest.mark.parametrize(
    ("code", "http"),
    [
        (Code.SUCCESS, 200),
        (Code.MIXED_STATUS, 207),
        (Code.ACCEPTED, 202),
        (Code.MOVED, 307),
        (Code.NOT_IMPLEMENTED, 501),
        (Code.CONN_KEY_INVALID, 401),
        (Code.CONN_KEY_NOT_FOUND, 401),
        (Code.CONN_INSUFFICIENT_SCOPES, 403),
        (Code.CONN_INVALID_REQUEST, 400),
        (Code.CONCEPTS_INVALID_REQUEST, 400),
        (Code.CONN_DOES_NOT_EXIST, 404),
        (Code.MODEL_DOES_NOT_EXIST, 404),
        (Code.WORKFLOW_DOES_NOT_EXIST, 404),
        (Code.INPUT_DOES_NOT_EXIST, 404),
        (Code.TASK_MISSING, 404),
        (Code.CONN_THROTTLED, 429),
        (Code.INTERNAL_UNCATEGORIZED, 500),
        (Code.INPUT_PENDING, 200),
        (Code.ANNOTATION_AWAITING_REVIEW, 200),
        (Code.DATASET_INPUT_SUCCESS, 200),
        (Code.DATASET_INPUT_DUPLICATE, 400),
        (Code.INPUT_DUPLICATE, 400),
        (Code.PIPELINE_STEP_NOT_READY, 400),
    ],
    ids=_name,
)
def test_http_status(code: int, http: int) -> None:
    assert http_status(code) == http


def item(code: int) -> object:
    return make_status(code)


def test_batch_of_successes() -> None:
    status = batch_status([item(Code.SUCCESS), item(Code.INPUT_PENDING)], req_id="r1")
    assert (status.code, status.description, status.req_id) == (Code.SUCCESS, "Ok", "r1")


def test_batch_with_some_failures_is_mixed() -> None:
    status = batch_status([item(Code.DATASET_INPUT_SUCCESS), item(Code.DATASET_INPUT_DUPLICATE)])
    assert (status.code, status.description) == (Code.MIXED_STATUS, "Mixed Success")
    assert "1 of 2" in status.details


def test_batch_of_failures_fails() -> None:
    status = batch_status([item(Code.INPUT_DUPLICATE), item(Code.CONN_DOES_NOT_EXIST)])
    assert (status.code, status.description) == (Code.FAILURE, "Failure")


def test_api_error_carries_code_details_and_request_id() -> None:
    err = ApiError(Code.CONN_INVALID_REQUEST, "concepts[2].id 'x' is repeated")
    status = err.to_status("req-7")
    assert status.code == Code.CONN_INVALID_REQUEST
    assert status.description == "Invalid request"
    assert status.details == "concepts[2].id 'x' is repeated"
    assert status.req_id == "req-7"


def test_not_found_names_the_resource() -> None:
    err = not_found("app", "alice/main")
    assert err.code == Code.CONN_DOES_NOT_EXIST
    assert err.details == "app 'alice/main' not found"
