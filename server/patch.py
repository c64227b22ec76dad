"""The patch actions of the docs' "Patching" page, written once.

Every Patch* call takes one `action` for a list of objects matched by id.
A resource declares what its patch may do with a `Spec` (the actions the
reference allows it, which of its fields hold JSON trees, which fields
`remove` clears) and `apply` does the rest. The JSON semantics of merge and
remove below apply to trees: Struct fields (metadata) and lists of objects
with ids.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Spec:
    """What Patch<resource> may do. Fields not in `trees` are plain values:
    merge and overwrite set them, remove clears those in `clearable` (to
    `clear_to[field]`, "" by default) and leaves the others alone."""

    resource: str
    actions: tuple[str, ...]
    trees: frozenset[str] = frozenset()
    clearable: frozenset[str] = frozenset()
    clear_to: Mapping[str, Any] | None = None

    def check(self, action: str) -> str:
        return check_action(action, self.actions, self.resource)


def apply(action: str, stored: Mapping[str, Any], sent: Mapping[str, Any], spec: Spec) -> dict:
    """The new values of the fields in `sent` (the fields the request set,
    as plain values) after `action` on the `stored` ones: merge merges
    trees and sets the rest; overwrite sets everything sent; remove removes
    from trees and clears clearable fields sent."""
    spec.check(action)
    out: dict[str, Any] = {}
    for name, value in sent.items():
        if name in spec.trees:
            out[name] = _tree(action, stored.get(name), value)
        elif action != REMOVE:
            out[name] = copy.deepcopy(value)
        elif name in spec.clearable:
            out[name] = (spec.clear_to or {}).get(name, "")
    return out


def list_values(action: str, stored: Sequence[str], sent: Sequence[str]) -> list[str]:
    """A list of strings patched (a model's or a workflow's use_cases, ...):
    overwrite replaces it, merge adds the sent values it lacks, remove
    drops the sent values."""
    if action == OVERWRITE:
        return list(dict.fromkeys(sent))
    if action == MERGE:
        return list(dict.fromkeys([*stored, *sent]))
    return [v for v in stored if v not in set(sent)]


def _tree(action: str, stored: Any, sent: Any) -> Any:
    if action == MERGE:
        return merge(stored, sent)
    if action == REMOVE:
        return remove(stored, sent)
    return _clone(sent)


def _clone(value: Any) -> Any:
    """A copy of a JSON tree (objects, lists, scalars): what copy.deepcopy
    makes of one, several times faster (bulk operations patch every input
    of an app)."""
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _has_ids(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and "id" in i for i in items)


def _marks_removal(items: list[Any]) -> bool:
    """Id-less objects carrying `true` ask to remove something inside a list,
    which only ids can address: the docs remove the whole key instead."""
    return all(isinstance(i, dict) and "id" not in i for i in items) and any(
        v is True for i in items for v in i.values()
    )


def merge(stored: Any, sent: Any) -> Any:
    """merge: scalars overwrite; objects merge recursively ({} replaces with an
    empty object); lists of objects with ids merge by id (matching items
    merged, new ids appended); other lists append; [] replaces; null does
    nothing."""
    if sent is None:
        return _clone(stored)
    if isinstance(sent, dict) and isinstance(stored, dict):
        return _merge_objects(stored, sent) if sent else {}
    if isinstance(sent, list) and isinstance(stored, list):
        if not sent:
            return []
        if _has_ids(sent) and _has_ids(stored):
            return _merge_by_id(stored, sent)
        return _clone(stored) + _clone(sent)
    return _clone(sent)


def _merge_objects(stored: dict, sent: dict) -> dict:
    # Each stored subtree copied once: merged where sent names it, else cloned.
    out = {
        key: merge(value, sent[key]) if key in sent else _clone(value)
        for key, value in stored.items()
    }
    for key, value in sent.items():
        if key not in stored and value is not None:
            out[key] = _clone(value)
    return out


def _merge_by_id(stored: list, sent: list) -> list:
    out = _clone(stored)
    index = {item["id"]: n for n, item in enumerate(out)}
    for item in sent:
        if item["id"] in index:
            out[index[item["id"]]] = merge(out[index[item["id"]]], item)
        else:
            index[item["id"]] = len(out)
            out.append(_clone(item))
    return out


def remove(stored: Any, sent: Any) -> Any:
    """remove: a key given `true` is deleted; any other value overwrites it
    (`false` included); objects recurse; items of id-lists with a matching id
    are deleted; other lists append, except id-less objects carrying `true`,
    which delete the whole key; {} and null do nothing."""
    if not isinstance(stored, dict) or not isinstance(sent, dict):
        return _clone(stored)
    out = _clone(stored)
    for key, value in sent.items():
        if value is None or value == {} or value == []:
            continue
        if value is True:
            out.pop(key, None)
        elif isinstance(value, dict):
            if isinstance(out.get(key), dict):
                out[key] = remove(out[key], value)
        elif isinstance(value, list):
            _remove_in_list(out, key, value)
        else:
            out[key] = _clone(value)
    return out


def _remove_in_list(out: dict, key: str, value: list) -> None:
    current = out.get(key)
    if _has_ids(value):
        if isinstance(current, list):
            drop = {item["id"] for item in value}
            out[key] = [i for i in current if not (isinstance(i, dict) and i.get("id") in drop)]
    elif _marks_removal(value):
        out.pop(key, None)
    else:
        kept = current if isinstance(current, list) else []
        out[key] = kept + _clone(value)
