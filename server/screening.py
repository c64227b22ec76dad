"""One walk over a request, before anything else reads it: whether it is
clean, holding no NUL character (U+0000) in any string and every list and
string within its limit (server/limits.py).

Nearly every request is clean, and then this walk is all the dispatcher
does for either rule. It builds no field paths and looks only where a
string or a list can be: each message type's plan (made once) names its
fields that hold one at any depth, and the others are passed over. A
request that is not clean is walked again by the exact checks
(convert.nul_at before authentication, limits.check_request after it),
which name where the problem is. The walk may call a request unclean that
they accept (a map's string values, which only the NUL rule reads, are
held to no length here either): it never calls clean one they refuse."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from google.protobuf import struct_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server import limits

# What the walk does with one field's value: True while clean.
_Step = Callable[[Any], bool]
_Plan = dict[FieldDescriptor, _Step]
_LIST_VALUES = limits.most_items("google.protobuf.ListValue", "values")


def clean(request: Message) -> bool:
    """Whether `request` holds no NUL and breaks no limit, at any depth."""
    return _clean(request)


def _clean(message: Message) -> bool:
    plan = _plan(message.DESCRIPTOR)
    for field, value in message.ListFields():
        step = plan.get(field)
        if step is not None and not step(value):
            return False
    return True


@cache
def _plan(descriptor: Descriptor) -> _Plan:
    """The steps of `descriptor`'s fields that can hold a string or a list
    (the message types below them planned on first use)."""
    plan: _Plan = {}
    for field in descriptor.fields:
        step = _step(descriptor.full_name, field)
        if step is not None:
            plan[field] = step
    return plan


def _step(owner: str, field: FieldDescriptor) -> _Step | None:
    repeated = field.is_repeated
    child = field.message_type
    if child is not None and child.GetOptions().map_entry:
        return _map_step(child)
    most = limits.most_items(owner, field.name) if repeated else 0
    if field.type == FieldDescriptor.TYPE_STRING:
        chars = limits.most_characters(owner, field.name)
        return _strings_step(most, chars) if repeated else _string_step(chars)
    if child is None:
        # Numbers, enums, bytes: only a list's length can break a limit.
        return (lambda values: len(values) <= most) if repeated else None
    if not _holds_text_or_lists(child):
        return (lambda values: len(values) <= most) if repeated else None
    walk = _walker(child)
    if repeated:
        return lambda items: len(items) <= most and all(map(walk, items))
    return walk


def _string_step(chars: int | None) -> _Step:
    if chars is None:
        return lambda text: "\0" not in text
    return lambda text: len(text) <= chars and "\0" not in text


def _strings_step(most: int, chars: int | None) -> _Step:
    def step(texts: Any) -> bool:
        if len(texts) > most or "\0" in "".join(texts):
            return False
        return chars is None or max(map(len, texts)) <= chars

    return step


def _map_step(entry: Descriptor) -> _Step:
    """A map: string keys within their limit (convert reads a key's NUL,
    limits its length), string values without NUL, message values walked."""
    key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
    key_chars = limits.most_characters(entry.full_name, "key")
    string_keys = key.type == FieldDescriptor.TYPE_STRING
    string_values = value.type == FieldDescriptor.TYPE_STRING
    walk = _walker(value.message_type) if value.message_type is not None else None

    def step(mapping: Any) -> bool:
        if string_keys:
            keys = list(mapping)
            if "\0" in "".join(keys):
                return False
            if key_chars is not None and max(map(len, keys)) > key_chars:
                return False
        if string_values:
            return "\0" not in "".join(mapping.values())
        return walk is None or all(map(walk, mapping.values()))

    return step


def _walker(descriptor: Descriptor) -> Callable[[Any], bool]:
    """The walk of one message of this type (metadata's types walked as
    the JSON they hold)."""
    return _STRUCTS.get(descriptor.full_name, _clean)


@cache
def _holds_text_or_lists(descriptor: Descriptor) -> bool:
    stack, seen = [descriptor], {descriptor.full_name}
    while stack:
        for field in stack.pop().fields:
            if field.is_repeated or field.type == FieldDescriptor.TYPE_STRING:
                return True
            child = field.message_type
            if child is not None and child.full_name not in seen:
                seen.add(child.full_name)
                stack.append(child)
    return False


# ---- metadata (Struct, Value, ListValue): no limit but a list's length ----

# A Struct encoded in fewer bytes holds no list over its limit: a list's
# item takes at least two (its tag and its length).
_SHORT_STRUCT = 2 * (_LIST_VALUES + 1)


def _struct(value: struct_pb2.Struct) -> bool:
    """Read in C where it can be: protobuf's text form of a short Struct,
    holding neither a NUL nor a backslash (which starts every escape, such
    as a NUL's), has no NUL in any key or string. Walked otherwise (a
    string with quotes, non-ASCII or control characters)."""
    if value.ByteSize() < _SHORT_STRUCT:
        text = str(value)
        if "\\" not in text and "\0" not in text:
            return True
    return _struct_walked(value)


def _struct_walked(value: struct_pb2.Struct) -> bool:
    fields = value.fields
    return "\0" not in "".join(fields) and all(map(_value, fields.values()))


def _value(value: struct_pb2.Value) -> bool:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return "\0" not in value.string_value
    if kind == "struct_value":
        return _struct_walked(value.struct_value)
    if kind == "list_value":
        return _list(value.list_value)
    return True


def _list(value: struct_pb2.ListValue) -> bool:
    values = value.values
    return len(values) <= _LIST_VALUES and all(map(_value, values))


_STRUCTS: dict[str, Callable[[Any], bool]] = {
    "google.protobuf.Struct": _struct,
    "google.protobuf.Value": _value,
    "google.protobuf.ListValue": _list,
}
