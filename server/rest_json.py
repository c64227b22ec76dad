"""The REST API's JSON dialect, read off the contract's field options:
cl_default_float fills absent floats on the way in (a concept sent without
a value is a positive label). On the way out (`response_json`) the REST API
writes JSON as it is stored (`server.convert.to_json`: cl_show_if_empty
fields written when empty, enums and status codes as numbers), with the
numbers of Struct and Value fields (metadata, ...) as the reference prints
them: integral ones without a fraction (`100`, not `100.0`).

Besides the contract, the dialect has the keys of RETIRED: names older
versions of the API used for fields it has since dropped, which the docs'
JSON examples still send (`retired_key` finds them)."""

from __future__ import annotations

from functools import cache
from typing import Any

from clarifai.api.utils import extensions_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server.convert import reaches, to_json

_FILTERS_GONE = (
    "dataset filters are gone from the API: annotation filters replaced them ({successor}), "
    "and this server does not implement annotation filters"
)
# Per message: JSON keys of dropped fields, each with what to do instead.
# Only JSON carries them (no stub of the reference has them); the REST edge
# otherwise ignores keys naming no field, but a client sending one of these
# means it to take effect, so the request is refused instead. Sources: the
# dataset pages of docs.clarifai.com (api-guide/data/datasets: dataset-basics,
# dataset-filters, dataset-versions) send them; clarifai-grpc 12.2.11 reserves
# Dataset 6 and 10 and DatasetVersion 7, 9 and 11 (dataset_filter_config
# was 7 in the releases that had dataset filters).
RETIRED: dict[str, dict[str, str]] = {
    "clarifai.api.Dataset": {
        "name": "Dataset has no name field any more (a dataset is named by its id); "
        "put a display name in description or metadata",
        "default_filter_id": _FILTERS_GONE.format(successor="default_annotation_filter"),
    },
    "clarifai.api.DatasetVersion": {
        "name": "DatasetVersion has no name field any more; use description or metadata",
        "dataset_filter": _FILTERS_GONE.format(successor="annotation_filter_config")
        + "; without one a version holds all the dataset's inputs",
        "dataset_filter_config": _FILTERS_GONE.format(successor="annotation_filter_config")
        + "; without one a version holds all the dataset's inputs",
    },
}


def _default_float(f: FieldDescriptor) -> float:
    return f.GetOptions().Extensions[extensions_pb2.cl_default_float]


@cache
def _default_plan(desc: Descriptor) -> tuple[tuple[FieldDescriptor, float | None], ...]:
    """Fields with a default (float), and message fields that lead to one (None)."""
    plan: list[tuple[FieldDescriptor, float | None]] = []
    for f in desc.fields:
        if default := _default_float(f):
            plan.append((f, default))
        elif f.message_type is not None and reaches(f.message_type, _default_float):
            plan.append((f, None))
    return tuple(plan)


def fill_default_floats(desc: Descriptor, js: Any) -> None:
    """Give an absent cl_default_float field its default (Concept.value is 1
    unless sent), as the reference reads JSON."""
    if not isinstance(js, dict):
        return
    for f, default in _default_plan(desc):
        present = f.name if f.name in js else f.json_name if f.json_name in js else None
        if default is not None:
            if present is None:
                js[f.name] = default
            continue
        if present is None:
            continue
        value = js[present]
        if f.message_type.GetOptions().map_entry:
            values = value.values() if isinstance(value, dict) else ()
            child = f.message_type.fields_by_name["value"].message_type
        else:
            values = value if isinstance(value, list) else (value,)
            child = f.message_type
        if child is not None:
            for item in values:
                fill_default_floats(child, item)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _leads_to_retired(f: FieldDescriptor) -> bool:
    return f.message_type is not None and f.message_type.full_name in RETIRED


@cache
def _retired_plan(desc: Descriptor) -> tuple[FieldDescriptor, ...]:
    """The message fields under which a message with RETIRED keys can be."""
    return tuple(
        f
        for f in desc.fields
        if f.message_type is not None
        and (_leads_to_retired(f) or reaches(f.message_type, _leads_to_retired))
    )


def retired_key(desc: Descriptor, js: Any, path: str = "") -> tuple[str, str] | None:
    """The first RETIRED key in a request's JSON (`js`, of message `desc`):
    where it was sent (e.g. "datasets[0].name") and what to do instead."""
    if not isinstance(js, dict):
        return None
    for key, hint in RETIRED.get(desc.full_name, {}).items():
        for sent in (key, _camel(key)):
            if sent in js:
                return (f"{path}.{sent}" if path else sent), hint
    for f in _retired_plan(desc):
        present = f.name if f.name in js else f.json_name if f.json_name in js else None
        if present is None or f.message_type.GetOptions().map_entry:
            continue
        where = f"{path}.{present}" if path else present
        value = js[present]
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for n, item in items:
            found = retired_key(f.message_type, item, where if n is None else f"{where}[{n}]")
            if found:
                return found
    return None


# ---- on the way out ----

_JSON_VALUES = frozenset(
    {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"}
)
# Go's JSON encoders (the reference's REST gateway) print a double in plain
# notation from 1e-6 to 1e21, so an integral one there has no fraction.
_PLAIN_BELOW = 1e21


def _json_value(f: FieldDescriptor) -> bool:
    return f.message_type is not None and f.message_type.full_name in _JSON_VALUES


def _map_value(f: FieldDescriptor) -> FieldDescriptor | None:
    """A map field's value field (None for other fields)."""
    if f.message_type is None or not f.message_type.GetOptions().map_entry:
        return None
    return f.message_type.fields_by_name["value"]


@cache
def _values_plan(desc: Descriptor) -> tuple[tuple[FieldDescriptor, bool], ...]:
    """Fields that hold JSON values (True), and message fields that lead to
    one (False)."""
    plan: list[tuple[FieldDescriptor, bool]] = []
    for f in desc.fields:
        target = _map_value(f) or f
        if _json_value(target):
            plan.append((f, True))
        elif target.message_type is not None and reaches(target.message_type, _json_value):
            plan.append((f, False))
    return tuple(plan)


def _integral(value: Any) -> Any:
    """A JSON value with its integral numbers as integers."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < _PLAIN_BELOW else value
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def _integral_values(desc: Descriptor, js: dict[str, Any]) -> None:
    for f, holds in _values_plan(desc):
        if f.name not in js:
            continue
        if holds:
            js[f.name] = _integral(js[f.name])
            continue
        value = js[f.name]
        child = (_map_value(f) or f).message_type
        items = value.values() if _map_value(f) else value if f.is_repeated else (value,)
        for item in items:
            _integral_values(child, item)


def response_json(message: Message) -> dict[str, Any]:
    """A response as the REST API writes it."""
    js = to_json(message)
    _integral_values(message.DESCRIPTOR, js)
    return js
