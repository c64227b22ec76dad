"""Conversions between stored (JSON) values and protobuf values.

A message a client sent is stored as `to_json` writes it: snake_case field
names, enums and status codes as numbers, and the fields the contract marks
cl_show_if_empty written when empty (`"concepts": []`) — the JSON the REST
API answers with, so what is stored reads as what is served."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from struct import pack, unpack
from typing import Any

import orjson
from clarifai.api.utils import extensions_pb2
from google.protobuf import json_format, struct_pb2, timestamp_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server.status import ApiError, Code

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FLOATS = {FieldDescriptor.CPPTYPE_FLOAT, FieldDescriptor.CPPTYPE_DOUBLE}
_WKT = "google.protobuf."


def ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    """A timezone-aware datetime as a Timestamp. (Integer arithmetic on the
    offset from the epoch: four times faster than FromDatetime, and lists
    convert two per object.)"""
    if value is None:
        return None
    out = timestamp_pb2.Timestamp()
    set_ts(out, value)
    return out


def set_ts(target: timestamp_pb2.Timestamp, value: datetime) -> None:
    """`target` (a message's own field) set to `value`, in place: a third
    of ts() and a copy, for the times of every item of a page."""
    since = value - _EPOCH
    target.seconds = since.days * 86400 + since.seconds
    target.nanos = since.microseconds * 1000


def from_ts(value: timestamp_pb2.Timestamp) -> datetime:
    return value.ToDatetime(tzinfo=UTC)


def sent_time(value: timestamp_pb2.Timestamp, field: str, code: int) -> datetime:
    """A Timestamp a client sent, as a datetime; one outside the Timestamp
    range (years 1 to 9999, nanos below a second: gRPC clients can send
    any) fails with `code`, naming `field`."""
    try:
        return from_ts(value)
    except ValueError:
        raise ApiError(
            code, f"{field} (seconds {value.seconds}, nanos {value.nanos}) is not a valid time"
        ) from None


# Integers of at most this magnitude are exact in a 32-bit float (24-bit significand).
_EXACT_INTEGERS = 2**24


def f32(value: float) -> float:
    """A float (32-bit) field's value as the shortest decimal that reads back
    as the same float, as json_format writes float fields: 0.7 is stored as
    0.7, not 0.699999988. (9 significant digits always suffice.)"""
    if value.is_integer() and abs(value) <= _EXACT_INTEGERS:
        return value  # a float holds it exactly: its shortest decimal is itself
    single = _single(value)
    for digits in range(6, 10):
        short = float(f"{single:.{digits}g}")
        if _single(short) == single:
            return short
    return single  # NaN


def _single(value: float) -> float:
    return unpack("f", pack("f", value))[0]


def struct(value: dict[str, Any] | None) -> struct_pb2.Struct | None:
    if not value:
        return None
    out = struct_pb2.Struct()
    fill_struct(out, value)
    return out


# Stored JSON objects up to this size are kept as their message's bytes, by
# their text (jsonb gives a value's keys in one order): setting a Struct
# field by field costs four times parsing its bytes, json_format's walk of an
# annotation's data 15 to 35 times, and the same values are shown over and
# over (a list's first page, a search's newest hits). At most _KEPT_STRUCTS
# Structs and _KEPT_PARSED other messages: ~12 MB a process.
_KEPT_TEXT_BYTES = 1024
_KEPT_STRUCTS = 2048
_KEPT_PARSED = 4096


def kept_text(value: Any, most: int = _KEPT_TEXT_BYTES) -> bytes | None:
    """The value's JSON text when it is at most `most` bytes, to keep what
    is built from it by (None: build it each time)."""
    try:
        text = orjson.dumps(value)
    except orjson.JSONEncodeError:  # an integer past 64 bits: built as it is
        return None
    return text if len(text) <= most else None


def fill_struct(target: struct_pb2.Struct, value: dict[str, Any]) -> None:
    """Fill the empty `target` from a stored JSON object."""
    if (text := kept_text(value)) is not None:
        target.MergeFromString(_struct_bytes(text))
    else:
        target.update(value)


@lru_cache(maxsize=_KEPT_STRUCTS)
def _struct_bytes(text: bytes) -> bytes:
    built = struct_pb2.Struct()
    built.update(orjson.loads(text))
    return built.SerializeToString()


def fill_parsed(target: Message, value: dict[str, Any]) -> None:
    """Fill the empty `target` from a stored JSON object in its message's
    JSON form (json_format's, unknown fields ignored)."""
    if (text := kept_text(value)) is not None:
        target.MergeFromString(_parsed_bytes(text, type(target)))
    else:
        json_format.ParseDict(value, target, ignore_unknown_fields=True)


@lru_cache(maxsize=_KEPT_PARSED)
def _parsed_bytes(text: bytes, kind: type[Message]) -> bytes:
    built = json_format.ParseDict(orjson.loads(text), kind(), ignore_unknown_fields=True)
    return built.SerializeToString()


# How deep a stored JSON value may nest: objects and lists each count a
# level, the value itself being level 1 (metadata `{"a": 1}` has depth 1,
# `{"a": {"b": [1]}}` depth 3). It bounds every value stored from a client's
# Struct (metadata, annotation_info, ...) and every message stored whole
# (annotation data, tasks, workflows, feedback), counted from what is stored.
#
# Why 24: a response must stay decodable by protobuf parsers, which refuse
# messages nested past 100 levels (upb, C++, Java: map entries count as
# messages). In protobuf a JSON level costs at most 3 message levels (Struct ->
# fields map entry -> Value -> Struct; a list costs 2: Value -> ListValue ->
# Value; an ordinary message 1) and the innermost scalar 2 more (entry, Value),
# so a stored value of depth D whose root sits at message level R nests
# R + 3*D - 1 levels. The deepest roots served are at R <= 6 (a concept's
# metadata in MultiInputResponse -> Input -> Data -> Concept -> Struct at 5;
# MultiSearchResponse -> Hit -> Input -> Data -> metadata at 5; annotation
# data at 4): 6 + 72 - 1 = 77 levels, 23 to spare. (Measured: input metadata
# of depth 32 in MultiInputResponse nests 99 levels and decodes, depth 33
# does not.)
MAX_DEPTH = 24


def from_struct(
    value: struct_pb2.Struct, field: str = "", code: int = Code.CONN_INVALID_REQUEST
) -> dict[str, Any]:
    """A Struct as plain JSON values, as json_format gives them but walking
    the Struct directly (twice as fast: the metadata of 128 inputs is read
    per request). A number JSON cannot hold (NaN, an infinity), which gRPC
    clients can send, or a value nesting deeper than MAX_DEPTH fails with
    `code`, naming where it is below `field`."""
    return _fields(value, field, code, 1)


def _at(parent: str, key: str | int) -> str:
    """The path of a container's field or item `key`."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _too_deep(path: str, code: int) -> ApiError:
    return ApiError(code, f"{path} nests deeper than {MAX_DEPTH} levels of objects and lists")


def _fields(value: struct_pb2.Struct, path: str, code: int, depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise _too_deep(path, code)
    fields = value.fields
    return {k: _plain(fields[k], path, k, code, depth) for k in fields}


def _plain(value: struct_pb2.Value, parent: str, key: str | int, code: int, depth: int) -> Any:
    """A Value inside a container at `depth`, as plain JSON; it is the
    container's (at path `parent`) field or item `key`, named only when
    needed (a path per value would cost as much as the walk)."""
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return _fields(value.struct_value, _at(parent, key), code, depth + 1)
    if kind == "list_value":
        path = _at(parent, key)
        if depth + 1 > MAX_DEPTH:
            raise _too_deep(path, code)
        return [_plain(v, path, n, code, depth + 1) for n, v in enumerate(value.list_value.values)]
    if kind == "number_value" and not math.isfinite(value.number_value):
        raise ApiError(code, f"{_at(parent, key)} {value.number_value} is not a JSON number")
    return None if kind in (None, "null_value") else getattr(value, kind)


def check_depth(value: Any, path: str, code: int, depth: int = 1) -> None:
    """Refuse (with `code`, naming where below `path`) a JSON value nesting
    deeper than MAX_DEPTH; `depth` is the level `value` itself sits at."""
    if isinstance(value, dict):
        items: Any = ((f"{path}.{k}", v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{n}]", v) for n, v in enumerate(value))
    else:
        return
    if depth > MAX_DEPTH:
        raise _too_deep(path, code)
    for where, item in items:
        check_depth(item, where, code, depth + 1)


# ---- messages as stored (and served) JSON ----


@cache
def reaches(desc: Descriptor, marked: Callable[[FieldDescriptor], bool]) -> bool:
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


def _show_if_empty(f: FieldDescriptor) -> bool:
    return f.GetOptions().Extensions[extensions_pb2.cl_show_if_empty]


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
        if target is not None and reaches(target, _show_if_empty):
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
    cannot hold (NaN, an infinity; gRPC clients can send them), a time
    outside the Timestamp range, or JSON
    nesting deeper than MAX_DEPTH (counted from the message), fails with
    `code`, naming where it is below `field`."""
    try:
        js = to_json(message)
    except (ValueError, json_format.SerializeToJsonError):
        _refuse_non_json(message, field, code)
        raise
    check_depth(js, field, code)
    return js


def _refuse_non_json(message: Message, path: str, code: int) -> None:
    for here, item in nested_messages(message, path):
        if item.DESCRIPTOR.full_name == "google.protobuf.Struct":
            from_struct(item, here, code)  # type: ignore[arg-type]
        elif item.DESCRIPTOR.full_name == "google.protobuf.Timestamp":
            sent_time(item, here, code)  # type: ignore[arg-type]
        else:
            _refuse_non_json(item, here, code)


def nested_messages(message: Message, path: str) -> Iterator[tuple[str, Message]]:
    """Each message set directly inside `message` (fields, list items, map
    values), with where it is below `path`."""
    for f, value in message.ListFields():
        if f.message_type is None:
            continue
        where = f"{path}.{f.name}"
        if f.message_type.GetOptions().map_entry:
            if f.message_type.fields_by_name["value"].message_type is not None:
                yield from ((f"{where}.{k}", v) for k, v in value.items())
        elif f.is_repeated:
            yield from ((f"{where}[{n}]", v) for n, v in enumerate(value))
        else:
            yield where, value


def nul_at(message: Message, path: str = "") -> str | None:
    """Where the first string of `message` holding U+0000 is (a field, a list
    item, a map or Struct key or value), or None. PostgreSQL text cannot hold
    it, so a request carrying one is refused before it is read further."""
    for f, value in message.ListFields():
        where = f"{path}.{f.name}" if path else f.name
        if f.cpp_type == FieldDescriptor.CPPTYPE_STRING and f.type == FieldDescriptor.TYPE_STRING:
            found = _nul_in_strings(value, where, f.is_repeated)
        elif f.message_type is None:
            continue
        elif f.message_type.GetOptions().map_entry:
            found = _nul_in_map(f.message_type, value, where)
        elif f.is_repeated:
            found = next(
                (hit for n, v in enumerate(value) if (hit := _nul_in(v, f"{where}[{n}]"))), None
            )
        else:
            found = _nul_in(value, where)
        if found:
            return found
    return None


def _nul_in_strings(value: Any, where: str, repeated: bool) -> str | None:
    if not repeated:
        return where if "\0" in value else None
    return next((f"{where}[{n}]" for n, v in enumerate(value) if "\0" in v), None)


def _nul_in_map(entry: Descriptor, value: Any, where: str) -> str | None:
    message_values = entry.fields_by_name["value"].message_type is not None
    for key, item in value.items():
        here = f"{where}.{key}"
        if isinstance(key, str) and "\0" in key:
            return f"{where} key {key!r}"
        found = _nul_in(item, here) if message_values else _nul_in_strings(item, here, False)
        if found:
            return found
    return None


def _nul_in(message: Message, where: str) -> str | None:
    name = message.DESCRIPTOR.full_name
    if name == "google.protobuf.Struct":
        return _nul_in_struct(message, where)  # type: ignore[arg-type]
    if name == "google.protobuf.Value":
        return _nul_in_value(message, where)  # type: ignore[arg-type]
    if name == "google.protobuf.ListValue":
        return _nul_in_list(message, where)  # type: ignore[arg-type]
    return nul_at(message, where)


def _nul_in_struct(value: struct_pb2.Struct, where: str) -> str | None:
    for key, item in value.fields.items():
        if "\0" in key:
            return f"{where} key {key!r}"
        if found := _nul_in_value(item, f"{where}.{key}"):
            return found
    return None


def _nul_in_value(value: struct_pb2.Value, where: str) -> str | None:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return where if "\0" in value.string_value else None
    if kind == "struct_value":
        return _nul_in_struct(value.struct_value, where)
    if kind == "list_value":
        return _nul_in_list(value.list_value, where)
    return None


def _nul_in_list(value: struct_pb2.ListValue, where: str) -> str | None:
    return next(
        (hit for n, v in enumerate(value.values) if (hit := _nul_in_value(v, f"{where}[{n}]"))),
        None,
    )
