"""The app's model and model version rows a request names, or
MODEL_DOES_NOT_EXIST naming them."""

from __future__ import annotations

from typing import Any

from server.checks import Checks
from server.dispatch import Call
from server.status import Code

check = Checks(Code.MODEL_INVALID_REQUEST, Code.MODEL_DOES_NOT_EXIST)


async def model(call: Call, model_id: str, field: str = "model_id") -> Any:
    row = await call.store.models.get(check.required(model_id, field))
    return check.found(row, "model", model_id)


async def version(call: Call, model_row: Any, version_id: str, at: str = "") -> Any:
    """The model's version `version_id`; `at` names the field that sent it."""
    row = await call.store.model_versions.of(model_row, version_id)
    if row is None:
        raise check.missing(f"model '{model_row.id}' version", version_id, at)
    return row
