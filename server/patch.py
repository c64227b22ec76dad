"""The patch actions of the docs' "Patching" page, written once.

Every Patch* call takes one `action` for a list of objects matched by id.
Each resource allows only the actions the reference allows it; the JSON
semantics of merge and remove below apply to Struct fields (metadata) and to
lists of objects with ids.
"""

from __future__ import annotations

import copy
from typing import Any

from server.status import ApiError, Code

MERGE, OVERWRITE, REMOVE = "merge", "overwrite", "remove"
ACTIONS = (MERGE, OVERWRITE, REMOVE)


def check_action(action: str, allowed: tuple[str, ...], resource: str) -> str:
    if not action:
        raise ApiError(
            Code.CONN_INVALID_REQUEST, f"action is required; use one of {', '.join(allowed)}"
        )
    if action not in ACTIONS:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"action '{action}' is unknown; use one of {', '.join(allowed)}",
        )
    if action not in allowed:
        raise ApiError(
            Code.CONN_INVALID_REQUEST,
            f"action '{action}' is not allowed for {resource}; use {' or '.join(allowed)}",
        )
    return action


def _has_ids(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and "id" in i for i in items)


def merge(stored: Any, sent: Any) -> Any:
    """merge: scalars overwrite; objects merge recursively ({} replaces with an
    empty object); lists of objects with ids merge by id (new ids appended);
    other lists append; [] replaces; null does nothing."""
    if sent is None:
        return copy.deepcopy(stored)
    if isinstance(sent, dict) and isinstance(stored, dict):
        if not sent:
            return {}
        out = copy.deepcopy(stored)
        for key, value in sent.items():
            out[key] = merge(stored.get(key), value) if key in stored else copy.deepcopy(value)
        return out
    if isinstance(sent, list) and isinstance(stored, list):
        if not sent:
            return []
        if _has_ids(sent) and _has_ids(stored):
            out = copy.deepcopy(stored)
            index = {item["id"]: n for n, item in enumerate(out)}
            for item in sent:
                if item["id"] in index:
                    out[index[item["id"]]] = merge(out[index[item["id"]]], item)
                else:
                    out.append(copy.deepcopy(item))
            return out
        return copy.deepcopy(stored) + copy.deepcopy(sent)
    return copy.deepcopy(sent)


def remove(stored: Any, sent: Any) -> Any:
    """remove: a key given a non-false value is deleted (false overwrites it
    with false); objects recurse; items of id-lists with a matching id are
    deleted; {} and null do nothing."""
    if not isinstance(stored, dict) or not isinstance(sent, dict):
        return copy.deepcopy(stored)
    out = copy.deepcopy(stored)
    for key, value in sent.items():
        if key not in out or value is None:
            continue
        if isinstance(value, dict):
            if value:
                out[key] = remove(out[key], value)
        elif isinstance(value, list) and isinstance(out[key], list):
            if _has_ids(value):
                drop = {item["id"] for item in value}
                out[key] = [i for i in out[key] if not (isinstance(i, dict) and i.get("id") in drop)]
            else:
                out[key] = out[key] + copy.deepcopy(value)
        elif value is False:
            out[key] = False
        else:
            del out[key]
    return out
