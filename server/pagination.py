"""Page/per_page, as every List call takes them: page is 1-based (default 1),
per_page defaults to 128 and may not exceed 1000. Past the last page a list
is simply empty. A page holds at most Settings.response_max_bytes: a cursor
page stops early (`within_budget`), an offset page that would pass it is
refused (`fits_budget`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from google.protobuf.message import Message

from server.status import ApiError, Code
from storage.listing import Page

DEFAULT_PER_PAGE = 128
MAX_PER_PAGE = 1000

M = TypeVar("M", bound=Message)
# An item's field tag and length prefix in its list (at most).
_ITEM_OVERHEAD = 6


def page_of(request: Message, default_per_page: int = DEFAULT_PER_PAGE) -> Page:
    page = getattr(request, "page", 0) or 1
    per_page = getattr(request, "per_page", 0) or default_per_page
    if per_page > MAX_PER_PAGE:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"per_page {per_page} is above the maximum of {MAX_PER_PAGE}",
        )
    return Page(limit=per_page, offset=(page - 1) * per_page)


def _sizes(items: Sequence[Message]) -> Iterator[int]:
    return (i.ByteSize() + _ITEM_OVERHEAD for i in items)


def within_budget(response: M, field: str, budget: int) -> M:
    """A cursor page cut to what `budget` encoded bytes hold: the items of
    `response.<field>` from the first up to the one that would pass it (at
    least one). The page is then simply shorter; the client continues after
    its last item, as after any page."""
    items = getattr(response, field)
    total = 0
    for n, size in enumerate(_sizes(items)):
        total += size
        if total > budget and n:
            del items[n:]
            break
    return response


def fits_budget(response: M, field: str, budget: int) -> M:
    """An offset page (page/per_page) whose items `response.<field>` pass
    `budget` encoded bytes is refused, asking for fewer per page: cut short,
    it would make every later page skip what it left out. A page of one item
    is answered whatever its size (it cannot be made smaller)."""
    items = getattr(response, field)
    if response.ByteSize() <= budget:  # one native call, at least the items' sum
        return response
    size = sum(_sizes(items))
    if size > budget and len(items) > 1:
        raise ApiError(
            Code.RPC_MAX_MESSAGE_SIZE_EXCEEDED,
            f"this page of {len(items)} {field} takes {size} bytes, more than the "
            f"{budget} a response may hold; ask for fewer per_page",
        )
    return response
