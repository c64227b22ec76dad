"""The REST API's JSON dialect, read off the contract's field options:
cl_default_float fills absent floats on the way in (a concept sent without
a value is a positive label). On the way out the REST API writes JSON as
it is stored (`server.convert.to_json`: cl_show_if_empty fields written
when empty, enums and status codes as numbers)."""

from __future__ import annotations

from functools import cache
from typing import Any

from clarifai.api.utils import extensions_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from server.convert import reaches


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
