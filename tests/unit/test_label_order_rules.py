"""A label order's status flow on its own: PENDING -> IN_PROGRESS ->
SUCCESS, CANCELED from either of the first two, the last two final."""

from __future__ import annotations

import pytest
from clarifai.api.status import status_code_pb2 as sc

from server.domain import label_order_rules as rules
from server.status import ApiError

PENDING, IN_PROGRESS = sc.LABEL_ORDER_PENDING, sc.LABEL_ORDER_IN_PROGRESS
SUCCESS, CANCELED = sc.LABEL_ORDER_SUCCESS, sc.LABEL_ORDER_CANCELED

ALLOWED = [
    (PENDING, IN_PROGRESS),
    (PENDING, CANCELED),
    (IN_PROGRESS, SUCCESS),
    (IN_PROGRESS, CANCELED),
]


def test_codes_are_the_references() -> None:
    assert (PENDING, IN_PROGRESS, SUCCESS, CANCELED) == (55001, 55002, 55003, 55004)


@pytest.mark.parametrize(("stored", "wanted"), ALLOWED)
def test_allowed_moves(stored: int, wanted: int) -> None:
    assert rules.check_move(stored, wanted, "label_orders[0].status.code") == wanted


@pytest.mark.parametrize("status", rules.STATUSES)
def test_the_same_status_is_no_move(status: int) -> None:
    assert rules.check_move(status, status, "x") == status


def _refused(stored: int, wanted: int) -> str:
    with pytest.raises(ApiError) as caught:
        rules.check_move(stored, wanted, "label_orders[1].status.code")
    assert caught.value.code == sc.CONN_INVALID_REQUEST
    assert caught.value.details.startswith("label_orders[1].status.code")
    return caught.value.details


@pytest.mark.parametrize(
    ("stored", "wanted"),
    [(s, w) for s in rules.STATUSES for w in rules.STATUSES if s != w and (s, w) not in ALLOWED],
)
def test_every_other_move_is_refused(stored: int, wanted: int) -> None:
    details = _refused(stored, wanted)
    if stored in (SUCCESS, CANCELED):
        assert "it is final" in details
    else:
        assert " or ".join(sc.StatusCode.Name(c) for c in rules.NEXT[stored]) in details


def test_pending_names_its_next_statuses() -> None:
    details = _refused(PENDING, SUCCESS)
    assert "from LABEL_ORDER_PENDING to LABEL_ORDER_SUCCESS" in details
    assert "LABEL_ORDER_IN_PROGRESS or LABEL_ORDER_CANCELED" in details


def test_a_code_that_is_no_order_status() -> None:
    details = _refused(PENDING, sc.TASK_DONE)
    assert "is not a label order status" in details


def test_new_orders_are_pending() -> None:
    assert rules.check_new_status(0, "x") == PENDING
    assert rules.check_new_status(PENDING, "x") == PENDING
    with pytest.raises(ApiError) as caught:
        rules.check_new_status(IN_PROGRESS, "label_orders[0].status.code")
    assert "label_orders[0].status.code" in caught.value.details
