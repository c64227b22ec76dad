"""The REST API's JSON dialect, read off the contract's field options:
cl_default_float fills absent floats on the way in (a concept sent without
a value is a positive label) and cl_show_if_empty writes empty fields on
the way out (`"apps": []`). Enums and status codes are written as numbers,
as the reference's REST samples show them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from clarifai.api.utils import extensions_pb2
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server.convert import from_struct

FLOATS = {FieldDescriptor.CPPTYPE_FLOAT, FieldDescriptor.CPPTYPE_DOUBLE}
_WKT = "google.protobuf."


@cache
def _reaches(desc: Descriptor, marked: Callable[[FieldDescriptor], bool]) -> bool:
    """Whether `desc` or a message type below it has a field `marked` accepts."""
    stack, seen = [desc], {desc.full_name}
    while stack:
        for f in stack.pop().fields:
            if marked(f):
                return True
            child = f.message_type
            # Well-known types carry no Clarifai options.
            if child is None or child.full_name in seen or child.full_name.startswith(_WKT):
                continue
            seen.add(child.full_name)
            stack.append(child)
    return False


def _default_float(f: FieldDescriptor) -> float:
    return f.GetOptions().Extensions[extensions_pb2.cl_default_float]


def _show_if_empty(f: FieldDescriptor) -> bool:
    return f.GetOptions().Extensions[extensions_pb2.cl_show_if_empty]


@cache
def _default_plan(desc: Descriptor) -> tuple[tuple[FieldDescriptor, float | None], ...]:
    """Fields with a default (float), and message fields that lead to one (None)."""
    plan: list[tuple[FieldDescriptor, float | None]] = []
    for f in desc.fields:
        if default := _default_float(f):
            plan.append((f, default))
        elif f.message_type is not None and _reaches(f.message_type, _default_float):
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


def _empty_json(f: FieldDescriptor) -> Any:
    """What MessageToDict writes for the field's zero value."""
    if f.message_type is not None and f.message_type.GetOptions().map_entry:
        return {}
    if f.is_repeated:
        return []
    if f.cpp_type in (FieldDescriptor.CPPTYPE_INT64, FieldDescriptor.CPPTYPE_UINT64):
        return "0"
    if f.cpp_type in FLOATS:
        return 0.0
    return {
        FieldDescriptor.CPPTYPE_BOOL: False,
        FieldDescriptor.CPPTYPE_STRING: "",
    }.get(f.cpp_type, 0)


@dataclass(frozen=True)
class _ShowPlan:
    show: tuple[FieldDescriptor, ...]  # written as empty when absent
    children: tuple[FieldDescriptor, ...]  # message fields to walk into


@cache
def _show_plan(desc: Descriptor) -> _ShowPlan:
    show, children = [], []
    for f in desc.fields:
        singular_message = f.message_type is not None and not f.is_repeated
        # As the reference prints: singular messages and oneof members are
        # left out even when marked.
        if _show_if_empty(f) and not singular_message and f.containing_oneof is None:
            show.append(f)
        target = f.message_type
        if target is not None and target.GetOptions().map_entry:
            target = target.fields_by_name["value"].message_type
        if target is not None and _reaches(target, _show_if_empty):
            children.append(f)
    return _ShowPlan(tuple(show), tuple(children))


def _map_key(key: Any) -> str:
    return ("true" if key else "false") if isinstance(key, bool) else str(key)


def _show_empty(message: Message, js: dict[str, Any]) -> None:
    plan = _show_plan(message.DESCRIPTOR)
    for f in plan.children:
        if f.name not in js:
            continue
        value = getattr(message, f.name)
        if f.message_type.GetOptions().map_entry:
            for key, item in value.items():
                _show_empty(item, js[f.name][_map_key(key)])
        elif f.is_repeated:
            for item, item_js in zip(value, js[f.name], strict=True):
                _show_empty(item, item_js)
        else:
            _show_empty(value, js[f.name])
    for f in plan.show:
        js.setdefault(f.name, _empty_json(f))


def to_json(message: Message) -> dict[str, Any]:
    js = json_format.MessageToDict(
        message, preserving_proto_field_name=True, use_integers_for_enums=True
    )
    _show_empty(message, js)
    return js


def request_json(message: Message, field: str, code: int) -> dict[str, Any]:
    """to_json of a message a client sent, to be stored: a Struct number JSON
    cannot hold (NaN, an infinity; gRPC clients can send them) fails with
    `code`, naming where it is below `field`."""
    try:
        return to_json(message)
    except (ValueError, json_format.SerializeToJsonError):
        _refuse_non_json(message, field, code)
        raise


def _refuse_non_json(message: Message, path: str, code: int) -> None:
    for f, value in message.ListFields():
        if f.message_type is None:
            continue
        where = f"{path}.{f.name}"
        if f.message_type.GetOptions().map_entry:
            items = [(f"{where}.{k}", v) for k, v in value.items()]
        elif f.is_repeated:
            items = [(f"{where}[{n}]", v) for n, v in enumerate(value)]
        else:
            items = [(where, value)]
        for here, item in items:
            if isinstance(item, Message):
                if item.DESCRIPTOR.full_name == "google.protobuf.Struct":
                    from_struct(item, here, code)  # type: ignore[arg-type]
                else:
                    _refuse_non_json(item, here, code)
