"""Malformed requests for every RPC of the contract, from a seed.

Walks each method's request descriptor (server.contract.methods(), so an
RPC declared later is covered without being listed) and builds the kinds of
bad input a careless or hostile client sends: an empty request, random
bytes, wrong wire or JSON types, NUL in every string, oversize strings and
repeated fields, a deeply nested Struct, NaN and Infinity in floats and
Struct numbers, unknown enum numbers, times past year 9999. Every case is a gRPC body (bytes) and a
REST request (verb, path, query, body bytes) naming the same user and app,
so it passes authentication and reaches the handler.

Deterministic: the cases of a method depend only on the seed and the
method's name. Used by tests/integration/test_bad_input.py (a fixed sample)
and bench/probe_bad_input.py (a larger set).
"""

from __future__ import annotations

import copy
import json
import math
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import grpc
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server.contract import Method
from tests.transport import _routes, path_of, request_json, route_for, without

F = FieldDescriptor
# Message nesting the walk fills (deeper fields stay unset; recursive types end).
DEPTH = 3
BIG_STRING = 100_000
MANY = 10_000
STRUCT_DEPTH = 200
# A time past the Timestamp range (year 9999), and a valid one standing in
# for it in the REST form (JSON cannot be written from such a Timestamp).
TOO_LATE = 10**12
_STAND_IN = 1_234_567_890
_STAND_IN_TEXT = "2009-02-13T23:31:30Z"
# Well-known types the walk fills as values rather than field by field.
_WKT_FILLED = {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.Timestamp"}


@dataclass(frozen=True)
class Case:
    """One malformed request of one method, in both transports' forms."""

    rpc: str
    name: str
    grpc: bytes
    verb: str
    path: str
    query: list[tuple[str, str]]
    body: bytes | None  # None: no body (GET)

    @property
    def size(self) -> int:
        return len(self.grpc)


Leaf = Callable[[F, random.Random], Any]


def _plain_leaf(f: F, rng: random.Random) -> Any:
    if f.type == F.TYPE_STRING:
        return f"fz{rng.randrange(10**6)}"
    if f.type == F.TYPE_BYTES:
        return b"\x89PNG"
    if f.cpp_type == F.CPPTYPE_BOOL:
        return True
    if f.cpp_type in (F.CPPTYPE_FLOAT, F.CPPTYPE_DOUBLE):
        return 0.5
    if f.cpp_type == F.CPPTYPE_ENUM:
        values = [v.number for v in f.enum_type.values if v.number]
        return values[0] if values else 0
    return 1


def _struct_value(depth: int, number: float = 1.0) -> dict[str, Any]:
    value: Any = {"n": number, "s": "x"}
    for _ in range(depth):
        value = {"k": value}
    return value


def _is_message(f: F) -> bool:
    return f.cpp_type == F.CPPTYPE_MESSAGE


def _is_map(f: F) -> bool:
    return _is_message(f) and f.message_type.GetOptions().map_entry


def fill(message: Message, leaf: Leaf, rng: random.Random, *, struct: Any = None, depth=0):
    """Set every field of `message` (one element of each repeated field, one
    key of each map), scalars from `leaf`, down to DEPTH messages deep."""
    if depth > DEPTH:
        return
    for f in message.DESCRIPTOR.fields:
        if _is_map(f):
            key_f, value_f = (
                f.message_type.fields_by_name["key"],
                f.message_type.fields_by_name["value"],
            )
            key = _map_key(key_f, leaf, rng)
            if _is_message(value_f):
                fill(getattr(message, f.name)[key], leaf, rng, struct=struct, depth=depth + 1)
            else:
                getattr(message, f.name)[key] = leaf(value_f, rng)
        elif _is_message(f):
            _fill_message_field(message, f, leaf, rng, struct, depth)
        elif f.is_repeated:
            getattr(message, f.name).append(leaf(f, rng))
        else:
            setattr(message, f.name, leaf(f, rng))


def _map_key(key_f: F, leaf: Leaf, rng: random.Random) -> Any:
    return leaf(key_f, rng) if key_f.type == F.TYPE_STRING else _plain_leaf(key_f, rng)


def _fill_message_field(message, f: F, leaf, rng, struct, depth) -> None:
    name = f.message_type.full_name
    if name.startswith("google.protobuf.") and name not in _WKT_FILLED:
        return
    child = getattr(message, f.name).add() if f.is_repeated else getattr(message, f.name)
    if name == "google.protobuf.Struct":
        child.update(struct if struct is not None else {"k": "v"})
    elif name == "google.protobuf.Value":
        child.struct_value.update(struct if struct is not None else {"k": "v"})
    elif name == "google.protobuf.Timestamp":
        child.seconds = 1_700_000_000
    else:
        fill(child, leaf, rng, struct=struct, depth=depth + 1)


def _walk(desc: Descriptor, depth: int = 0) -> Iterator[F]:
    """Every field reachable from `desc` (down to DEPTH), maps' entries included."""
    if depth > DEPTH:
        return
    for f in desc.fields:
        yield f
        if _is_message(f) and not f.message_type.full_name.startswith("google.protobuf."):
            yield from _walk(f.message_type, depth + 1)


def reaches(desc: Descriptor, test: Callable[[F], bool]) -> bool:
    return any(test(f) for f in _walk(desc))


def _is_float(f: F) -> bool:
    return f.cpp_type in (F.CPPTYPE_FLOAT, F.CPPTYPE_DOUBLE)


def _is_struct(f: F) -> bool:
    return _is_message(f) and f.message_type.full_name in (
        "google.protobuf.Struct",
        "google.protobuf.Value",
    )


# ---- the request forms ----


def _valid_ids(message: Message, user_id: str, app_id: str) -> None:
    """The caller's user and app, so the request passes authentication."""
    if "user_app_id" in message.DESCRIPTOR.fields_by_name:
        ids = message.user_app_id  # type: ignore[attr-defined]
        ids.Clear()
        ids.user_id, ids.app_id = user_id, app_id


def _rest_form(method: Method, message: Message) -> tuple[str, str, list[tuple[str, str]], Any]:
    """verb, path, query and JSON body of `message`, as tests/transport.py sends it."""
    try:
        route = route_for(method.name, message)
    except LookupError:  # a path variable is empty: fill those of the first route
        message = _with_path_values(method, message)
        route = route_for(method.name, message)
    bound = {p for _, p in route.variables}
    path = path_of(route, message)
    if route.body == "*":
        return route.verb, path, [], without(request_json(message), bound)
    return route.verb, path, _query(request_json(message), bound), None


def _with_path_values(method: Method, message: Message) -> Message:
    message = copy.deepcopy(message)
    for _, path in _routes()[method.name][0].variables:
        *parents, last = path.split(".")
        target = message
        for name in parents:
            target = getattr(target, name)
        f = target.DESCRIPTOR.fields_by_name[last]
        if not getattr(target, last):
            setattr(target, last, "fz" if f.type == F.TYPE_STRING else _plain_leaf(f, None))
    return message


def _query(js: dict[str, Any], bound: set[str], prefix: str = "") -> list[tuple[str, str]]:
    """The JSON's scalars as query parameters (dotted keys, repeated keys);
    lists of objects and Structs have no query form and are left out."""
    out: list[tuple[str, str]] = []
    for key, value in js.items():
        name = prefix + key
        if name in bound:
            continue
        if isinstance(value, dict):
            out.extend(_query(value, bound, name + "."))
        elif isinstance(value, list):
            out.extend((name, _scalar(v)) for v in value if not isinstance(v, dict | list))
        else:
            out.append((name, _scalar(value)))
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return str(value)


def _json_bytes(js: Any) -> bytes:
    # allow_nan: NaN and Infinity as the bare tokens a careless client writes.
    return json.dumps(js, allow_nan=True).encode()


class Maker:
    """The cases of one method for a given user and app."""

    def __init__(self, method: Method, user_id: str, app_id: str, seed: int) -> None:
        self.method = method
        self.user_id, self.app_id = user_id, app_id
        self.rng = random.Random(seed * 1_000_003 + zlib.crc32(method.name.encode()))
        self.desc = method.request_type.DESCRIPTOR

    def base(self) -> Message:
        message = self.method.request_type()
        _valid_ids(message, self.user_id, self.app_id)
        return message

    def from_message(self, name: str, message: Message) -> Case:
        _valid_ids(message, self.user_id, self.app_id)
        verb, path, query, js = _rest_form(self.method, message)
        body = None if js is None else _json_bytes(js)
        return Case(self.method.name, name, message.SerializeToString(), verb, path, query, body)

    def filled(self, name: str, leaf: Leaf, struct: Any = None, shown: str = "") -> Case:
        """Every field filled (scalars from `leaf`, each Struct `struct`).
        `shown`: the JSON text of the Struct in the REST form, when
        MessageToDict cannot write it (NaN, or nesting past Python's
        recursion limit); a placeholder is swapped for it."""
        state = self.rng.getstate()
        message = self.base()
        fill(message, leaf, self.rng, struct=struct)
        if not shown:
            return self.from_message(name, message)
        self.rng.setstate(state)
        stand_in = self.base()
        fill(stand_in, leaf, self.rng, struct={"@": "@"})
        case = self.from_message(name, stand_in)
        placeholder = json.dumps({"@": "@"})
        body = case.body and case.body.replace(placeholder.encode(), shown.encode())
        query = [(k, shown if v == "@" else v) for k, v in case.query]
        return replace(case, grpc=message.SerializeToString(), body=body, query=query)

    def raw(self, name: str, grpc_body: bytes, rest_body: bytes) -> Case:
        verb, path, query, js = _rest_form(self.method, self.base())
        body = rest_body if js is not None else None
        if js is None:  # a GET: the junk goes in the query string
            query = [*query, ("junk", rest_body.decode("latin-1"))]
        return Case(self.method.name, name, grpc_body, verb, path, query, body)

    # ---- the kinds ----

    def empty(self) -> Case:
        return self.raw("empty", b"", b"")

    def random_bytes(self, k: int) -> Case:
        n = self.rng.choice([1, 7, 64, 512])
        junk = bytes(self.rng.randrange(256) for _ in range(n))
        return self.raw(f"random bytes #{k}", junk, junk)

    def wrong_types(self, k: int) -> Case:
        """gRPC: each top-level field under a wire type other than its own,
        after a valid user_app_id. REST: the JSON with each field's value
        replaced by a value of another JSON type."""
        good = self.base().SerializeToString()
        wire = bytearray(good)
        js: dict[str, Any] = {}
        for f in self.desc.fields:
            if f.name == "user_app_id":
                continue
            wire += _wrong_wire(f, self.rng)
            js[f.name] = _wrong_json(f, self.rng)
        verb, path, query, base_js = _rest_form(self.method, self.base())
        if base_js is None:
            query = [*query, *((k2, json.dumps(v)) for k2, v in js.items())]
            return Case(self.method.name, f"wrong types #{k}", bytes(wire), verb, path, query, None)
        body = _json_bytes({**base_js, **js})
        return Case(self.method.name, f"wrong types #{k}", bytes(wire), verb, path, query, body)

    def nul(self) -> Case:
        def leaf(f: F, rng: random.Random) -> Any:
            return f"a\x00{rng.randrange(1000)}" if f.type == F.TYPE_STRING else _plain_leaf(f, rng)

        return self.filled("NUL in strings", leaf, struct={"k\x00": "v\x00"})

    def big_strings(self) -> Case:
        def leaf(f: F, rng: random.Random) -> Any:
            if f.type == F.TYPE_STRING:
                return rng.choice("abcdef") * BIG_STRING
            return _plain_leaf(f, rng)

        return self.filled("100 KB strings", leaf)

    def many(self) -> Case | None:
        """Every top-level repeated field with MANY items (each a filled one)."""
        repeated = [f for f in self.desc.fields if f.is_repeated and not _is_map(f)]
        if not repeated:
            return None
        message = self.base()
        for f in repeated:
            items = getattr(message, f.name)
            if not _is_message(f):
                items.extend([_plain_leaf(f, self.rng)] * MANY)
                continue
            has_id = "id" in f.message_type.fields_by_name
            for i in range(MANY):
                item = items.add()
                if has_id:
                    item.id = f"fz-{i}"  # type: ignore[attr-defined]
        return self.from_message(f"{MANY} items", message)

    def deep_struct(self) -> Case | None:
        if not reaches(self.desc, _is_struct):
            return None
        deep = _struct_value(STRUCT_DEPTH)
        return self.filled(f"Struct {STRUCT_DEPTH} deep", _plain_leaf, deep, json.dumps(deep))

    def not_finite(self) -> Case | None:
        if not reaches(self.desc, lambda f: _is_float(f) or _is_struct(f)):
            return None

        def leaf(f: F, rng: random.Random) -> Any:
            if _is_float(f):
                return rng.choice([math.nan, math.inf, -math.inf])
            return _plain_leaf(f, rng)

        struct = {"nan": math.nan, "inf": math.inf, "ninf": -math.inf}
        return self.filled("NaN/Infinity", leaf, struct, _json_bytes(struct).decode())

    def unknown_enum(self) -> Case | None:
        if not reaches(self.desc, lambda f: f.cpp_type == F.CPPTYPE_ENUM):
            return None

        def leaf(f: F, rng: random.Random) -> Any:
            return 9999 if f.cpp_type == F.CPPTYPE_ENUM else _plain_leaf(f, rng)

        return self.filled("unknown enum", leaf)

    def times_out_of_range(self) -> Case | None:
        """Every Timestamp reachable set past year 9999 (nothing else set):
        gRPC carries it as seconds, REST as the RFC 3339 text of year 10000,
        which the JSON parser itself refuses."""
        message = self.base()
        if not _set_times(message, TOO_LATE):
            return None
        stand_in = self.base()
        _set_times(stand_in, _STAND_IN)
        case = self.from_message("time past 9999", stand_in)
        good, bad = f'"{_STAND_IN_TEXT}"', '"10000-01-01T00:00:00Z"'
        body = case.body and case.body.replace(good.encode(), bad.encode())
        query = [(k, bad.strip('"') if v == _STAND_IN_TEXT else v) for k, v in case.query]
        return replace(case, grpc=message.SerializeToString(), body=body, query=query)


def _is_time(f: F) -> bool:
    return _is_message(f) and f.message_type.full_name == "google.protobuf.Timestamp"


def _set_times(message: Message, seconds: int, depth: int = 0) -> bool:
    """Set each Timestamp under `message` (one element of repeated fields,
    parents made only on the way to one) to `seconds`; whether any was."""
    found = False
    for f in message.DESCRIPTOR.fields:
        if not _is_message(f) or _is_map(f):
            continue
        inner = f.message_type
        if not _is_time(f) and (
            inner.full_name.startswith("google.protobuf.")
            or depth >= DEPTH
            or not reaches(inner, _is_time)
        ):
            continue
        field = getattr(message, f.name)
        child = field.add() if f.is_repeated else field
        if _is_time(f):
            child.seconds = seconds
            found = True
        elif _set_times(child, seconds, depth + 1):
            found = True
        elif f.is_repeated:
            del field[-1]
        else:
            message.ClearField(f.name)
    return found


def _varint(n: int) -> bytes:
    out = bytearray()
    while n > 0x7F:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _wrong_wire(f: F, rng: random.Random) -> bytes:
    """Field `f` encoded under a wire type it does not have."""
    natural = 2 if (f.type in (F.TYPE_STRING, F.TYPE_BYTES) or _is_message(f)) else 0
    if _is_float(f):
        natural = 5 if f.type == F.TYPE_FLOAT else 1
    wire = rng.choice([w for w in (0, 1, 2, 5) if w != natural])
    tag = _varint(f.number << 3 | wire)
    if wire == 0:
        return tag + _varint(rng.randrange(1 << 40))
    if wire == 1:
        return tag + rng.randbytes(8)
    if wire == 5:
        return tag + rng.randbytes(4)
    payload = rng.randbytes(rng.randrange(1, 16))
    return tag + _varint(len(payload)) + payload


def _wrong_json(f: F, rng: random.Random) -> Any:
    if _is_map(f) or (_is_message(f) and not f.is_repeated):
        choices: list[Any] = ["a string", 12, [1, 2], True]
    elif f.is_repeated:
        choices = [{"k": 1}, "a string", 7]
    elif f.type in (F.TYPE_STRING, F.TYPE_BYTES):
        choices = [{"k": 1}, [1], 3.5, True]
    elif f.cpp_type == F.CPPTYPE_BOOL:
        choices = ["yes", {"k": 1}, [True], 2]
    elif f.cpp_type == F.CPPTYPE_ENUM:
        choices = ["NO_SUCH_VALUE", {"k": 1}, 1.5]
    else:
        choices = ["many", {"k": 1}, [1], 1e400, "1e999"]
    return rng.choice(choices)


def cases(method: Method, user_id: str, app_id: str, seed: int, rounds: int = 1) -> list[Case]:
    """The malformed requests of `method`: each kind once (those the request
    type allows), random bytes and wrong types `rounds` times each."""
    make = Maker(method, user_id, app_id, seed)
    out: list[Case | None] = [make.empty()]
    for k in range(rounds):
        out += [make.random_bytes(k), make.wrong_types(k)]
    out += [make.nul(), make.big_strings(), make.many(), make.deep_struct()]
    out += [make.not_finite(), make.unknown_enum(), make.times_out_of_range()]
    return [c for c in out if c is not None]


# ---- sending a case and judging the answer ----


@dataclass(frozen=True)
class Answer:
    """What came back, in one short line, and whether it is a Clarifai
    status (`ok`); `code` is the status code when there is one."""

    ok: bool
    shown: str
    code: int = 0
    grpc_code: str = ""
    http: int = 0


async def send_grpc(channel: grpc.aio.Channel, method: Method, case: Case, token: str) -> Answer:
    call = channel.unary_unary(method.path, request_serializer=None, response_deserializer=None)
    try:
        raw = await call(case.grpc, metadata=(("authorization", f"Key {token}"),))
    except grpc.aio.AioRpcError as err:
        name = err.code().name
        return Answer(False, f"gRPC {name}: {(err.details() or '')[:80]}", grpc_code=name)
    try:
        response = method.response_type.FromString(raw)
    except Exception as exc:  # noqa: BLE001 - any decoding failure is the finding
        return Answer(False, f"undecodable response ({type(exc).__name__})")
    code = response.status.code  # type: ignore[attr-defined]
    if not code:
        return Answer(False, "response without status.code")
    return Answer(True, f"status {code}", code=code)


async def send_rest(
    http: aiohttp.ClientSession, base: str, method: Method, case: Case, token: str
) -> Answer:
    headers = {"Authorization": f"Key {token}"}
    if case.body is not None:
        headers["Content-Type"] = "application/json"
    async with http.request(
        case.verb, base + case.path, params=case.query, data=case.body, headers=headers
    ) as res:
        text = await res.read()
        status = res.status
    try:
        js = json.loads(text)
        code = int(js["status"]["code"])
    except Exception:  # noqa: BLE001 - any non-status answer is the finding
        return Answer(False, f"HTTP {status}, not a status: {text[:38]!r}", http=status)
    if status >= 500:
        return Answer(False, f"HTTP {status}, status {code}", code=code, http=status)
    return Answer(True, f"HTTP {status}, status {code}", code=code, http=status)
