"""Resource ids: the reference's character rules and its generated form."""

from __future__ import annotations

import re
import uuid

from server.status import ApiError, Code

# Letters and digits, with '-' or '_' between them, 1 to 48 characters (app ids
# follow the portal's 1-32; the API accepts longer ids for other resources).
_ID = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")
MAX_ID_LENGTH = 48
# App ids are shorter (PostApps, and the apps an app duplication makes).
APP_ID_MAX = 32


def check_app_length(value: str, field: str, code: Code = Code.CONN_INVALID_REQUEST) -> str:
    """An app id of at most APP_ID_MAX characters (its form checked apart)."""
    if len(value) > APP_ID_MAX:
        raise ApiError(code, f"{field} '{value}' is longer than {APP_ID_MAX} characters")
    return value


def new_id() -> str:
    """A 32-hex id, the form the reference generates."""
    return uuid.uuid4().hex


def is_valid(value: str) -> bool:
    return len(value) <= MAX_ID_LENGTH and bool(_ID.match(value))


def check_id(value: str, field: str, code: Code = Code.CONN_INVALID_REQUEST) -> str:
    if not value:
        raise ApiError(code, f"{field} is required")
    if not is_valid(value):
        raise ApiError(
            code,
            f"{field} '{value}' is invalid: use 1 to {MAX_ID_LENGTH} letters or digits, "
            "with '-' or '_' only between them",
        )
    return value


def id_or_new(value: str, field: str, code: Code = Code.CONN_INVALID_REQUEST) -> str:
    return check_id(value, field, code) if value else new_id()
