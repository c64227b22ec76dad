"""A label order's life: LABEL_ORDER_PENDING (55001, in QA review) ->
LABEL_ORDER_IN_PROGRESS (55002) -> LABEL_ORDER_SUCCESS (55003, released);
LABEL_ORDER_CANCELED (55004) from PENDING or IN_PROGRESS. SUCCESS and
CANCELED are final. Setting the status an order already has is no move and
is allowed (sending an order read back unchanged works)."""

from __future__ import annotations

from clarifai.api.status import status_code_pb2

from server.status import ApiError, Code

StatusCode = status_code_pb2.StatusCode

PENDING = StatusCode.LABEL_ORDER_PENDING
IN_PROGRESS = StatusCode.LABEL_ORDER_IN_PROGRESS
SUCCESS = StatusCode.LABEL_ORDER_SUCCESS
CANCELED = StatusCode.LABEL_ORDER_CANCELED

STATUSES = (PENDING, IN_PROGRESS, SUCCESS, CANCELED)
# The statuses each status may move to.
NEXT: dict[int, tuple[int, ...]] = {
    PENDING: (IN_PROGRESS, CANCELED),
    IN_PROGRESS: (SUCCESS, CANCELED),
    SUCCESS: (),
    CANCELED: (),
}


def _names(codes: tuple[int, ...]) -> str:
    return " or ".join(StatusCode.Name(c) for c in codes)


def check_new_status(code: int, where: str) -> int:
    """A new order's status: PENDING, sent or not."""
    if code and code != PENDING:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"{where} {code}: a new label order is LABEL_ORDER_PENDING "
            "(send no status, or that one)",
        )
    return PENDING


def check_move(stored: int, wanted: int, where: str) -> int:
    """The status `wanted` for an order now `stored`: the same one, or one
    it may move to."""
    if wanted not in STATUSES:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"{where} {wanted} is not a label order status; use one of {_names(STATUSES)}",
        )
    if wanted == stored or wanted in NEXT[stored]:
        return wanted
    allowed = NEXT[stored]
    then = f"it may move to {_names(allowed)}" if allowed else "it is final"
    raise ApiError(
        Code.CONN_INVALID_REQUEST,
        f"{where}: a label order cannot move from {StatusCode.Name(stored)} to "
        f"{StatusCode.Name(wanted)}; {then}",
    )
