"""One test body over either edge of the server.

`await transport.call("GetApp", request, md)` sends the request message over
the gRPC stub, or over the REST port as a client of the REST API would, and
returns the RPC's response message either way, so the same assertions hold
on both. Over REST the URL and verb come from the server's own route table
(server.rest_app.compile_routes over the contract's google.api.http rules):
path variables are filled from the request, the remaining fields go in the
JSON body (rules with body "*") or the query string (rules without one).
The JSON is the message's (proto field names), with the zeros of
cl_default_float fields written out so it means what the message does.
The answer is parsed strictly into the response type, its request id header
must match its status; `http_status=` checks the HTTP status too (and is
ignored over gRPC).
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from clarifai.api import service_pb2_grpc
from clarifai.api.utils import extensions_pb2
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server import contract
from server.rest_app import Route, compile_routes
from tests.helpers import Metadata


class Transport(Protocol):
    name: str

    async def call(
        self, rpc: str, request: Message, md: Metadata | None = None, *, http_status: int = 0
    ) -> Any: ...


@dataclass
class GrpcTransport:
    stub: service_pb2_grpc.V2Stub
    name: str = "grpc"

    async def call(
        self, rpc: str, request: Message, md: Metadata | None = None, *, http_status: int = 0
    ) -> Any:
        return await getattr(self.stub, rpc)(request, metadata=md)


@dataclass
class RestTransport:
    base: str
    http: aiohttp.ClientSession
    name: str = "rest"

    async def call(
        self, rpc: str, request: Message, md: Metadata | None = None, *, http_status: int = 0
    ) -> Any:
        method = contract.methods()[rpc]
        route = route_for(rpc, request)
        bound = {path for _, path in route.variables}
        kw: dict[str, Any] = {}
        if route.body == "*":
            kw["json"] = without(request_json(request), bound)
        elif route.body == "":
            kw["params"] = query(request, bound)
        else:
            raise NotImplementedError(f"{rpc}: body {route.body!r} (a single field)")
        headers = dict(md or ())
        async with self.http.request(
            route.verb, self.base + path_of(route, request), headers=headers, **kw
        ) as res:
            assert res.content_type == "application/json", await res.text()
            body = await res.json()
        if http_status:
            assert res.status == http_status, (res.status, body)
        assert res.headers["X-Clarifai-Request-ID"] == body["status"]["req_id"], body
        return json_format.ParseDict(body, method.response_type())


# ---- routes ----


@cache
def _routes() -> dict[str, list[Route]]:
    out: dict[str, list[Route]] = defaultdict(list)
    for route in compile_routes(contract.methods()):
        out[route.method.name].append(route)
    return out


def _value(message: Message, path: str) -> Any:
    for name in path.split("."):
        message = getattr(message, name)
    return message


def route_for(rpc: str, request: Message) -> Route:
    """The binding that carries the request best: the fewest path variables
    left empty (an empty segment the server reads as unset, as the API
    reference writes them; never the last, which would end the path), then
    the most filled (/users/{user_id}/apps/{app_id}/... over /inputs), then
    the first declared."""
    best: tuple[tuple[int, int], Route] | None = None
    for route in _routes()[rpc]:
        empty = [i for i, path in route.variables if str(_value(request, path)) == ""]
        if len(route.parts) - 1 in empty:
            continue
        rank = (-len(empty), len(route.variables) - len(empty))
        if best is None or rank > best[0]:
            best = (rank, route)
    if best is None:
        raise LookupError(f"{rpc}: every REST route would end in an empty path variable")
    return best[1]


def path_of(route: Route, request: Message) -> str:
    values = dict(route.variables)
    segments = [
        part if part is not None else quote(str(_value(request, values[i])), safe="")
        for i, part in enumerate(route.parts)
    ]
    return "/" + "/".join(segments)


# ---- the request as JSON ----


def _default_float(f: FieldDescriptor) -> bool:
    return bool(f.GetOptions().Extensions[extensions_pb2.cl_default_float])


@cache
def _zeros_plan(desc: Descriptor) -> tuple[list[str], list[FieldDescriptor]]:
    """The singular cl_default_float fields of a message type, and the
    message fields to look into (per type once: a request of 10 000 items
    walks the same few types 10 000 times)."""
    floats, nested = [], []
    for f in desc.fields:
        if f.message_type is None:
            if _default_float(f) and not f.is_repeated:
                floats.append(f.name)
        elif not f.message_type.full_name.startswith("google.protobuf."):
            nested.append(f)
    return floats, nested


def _zero_defaults(message: Message, js: dict[str, Any]) -> None:
    """A float with a cl_default_float reads as its default when absent from
    the JSON (a concept's value is 1), but as 0 from a proto: write such
    zeros out, so the JSON means what the message does."""
    floats, nested = _zeros_plan(message.DESCRIPTOR)
    for name in floats:
        js.setdefault(name, 0.0)
    for f in nested:
        if f.name not in js:
            continue
        value = getattr(message, f.name)
        if f.message_type.GetOptions().map_entry:
            child = f.message_type.fields_by_name["value"]
            if child.message_type is not None:
                for key, item in value.items():
                    _zero_defaults(item, js[f.name][_map_key(key)])
        elif f.is_repeated:
            for item, item_js in zip(value, js[f.name], strict=True):
                _zero_defaults(item, item_js)
        else:
            _zero_defaults(value, js[f.name])


def _map_key(key: Any) -> str:
    return ("true" if key else "false") if isinstance(key, bool) else str(key)


def request_json(request: Message) -> dict[str, Any]:
    js = json_format.MessageToDict(request, preserving_proto_field_name=True)
    _zero_defaults(request, js)
    return js


def without(js: dict[str, Any], paths: set[str]) -> dict[str, Any]:
    """The JSON less the fields the URL path carries (and parents they empty)."""
    for path in paths:
        *parents, last = path.split(".")
        chain = [js]
        for name in parents:
            chain.append(chain[-1].get(name, {}))
        chain[-1].pop(last, None)
        for name, parent in zip(reversed(parents), reversed(chain[:-1]), strict=True):
            if parent.get(name) == {}:
                del parent[name]
    return js


def _text(f: FieldDescriptor, value: Any) -> str:
    if f.cpp_type == FieldDescriptor.CPPTYPE_BOOL:
        return "true" if value else "false"
    if f.cpp_type == FieldDescriptor.CPPTYPE_ENUM:
        known = f.enum_type.values_by_number
        return known[value].name if value in known else str(value)
    if f.type == FieldDescriptor.TYPE_BYTES:
        return base64.b64encode(value).decode()
    return str(value)


def query(message: Message, bound: set[str], prefix: str = "") -> list[tuple[str, str]]:
    """The set fields not in the path, as query parameters: nested ones as
    dotted keys, lists as repeated keys."""
    out: list[tuple[str, str]] = []
    for f, value in message.ListFields():
        name = prefix + f.name
        if name in bound:
            continue
        if f.message_type is None:
            values = value if f.is_repeated else [value]
            out.extend((name, _text(f, v)) for v in values)
        elif f.message_type.full_name == "google.protobuf.Value":
            values = value if f.is_repeated else [value]
            out.extend((name, json_format.MessageToJson(v, indent=None)) for v in values)
        elif f.is_repeated or f.message_type.full_name.startswith("google.protobuf."):
            raise NotImplementedError(f"{name}: not sent in a query string by this transport")
        else:
            out.extend(query(value, bound, name + "."))
    return out
