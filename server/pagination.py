"""Page/per_page, as every List call takes them: page is 1-based (default 1),
per_page defaults to 128 and may not exceed 1000. Past the last page a list
is simply empty."""

from __future__ import annotations

from google.protobuf.message import Message

from server.status import ApiError, Code
from storage.listing import Page

DEFAULT_PER_PAGE = 128
MAX_PER_PAGE = 1000


def page_of(request: Message, default_per_page: int = DEFAULT_PER_PAGE) -> Page:
    page = getattr(request, "page", 0) or 1
    per_page = getattr(request, "per_page", 0) or default_per_page
    if per_page > MAX_PER_PAGE:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"per_page {per_page} is above the maximum of {MAX_PER_PAGE}",
        )
    return Page(limit=per_page, offset=(page - 1) * per_page)
