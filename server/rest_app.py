"""The REST/JSON edge: every RPC on the routes of its google.api.http rule.

The route table is compiled at start from the contract's descriptors, with
additional_bindings, so an RPC declared in protos/ is reachable over REST
without being listed here. Requests are bound as http.proto and grpc-gateway
bind them: path variables fill (nested) fields, query parameters fill the
remaining fields (nested ones as dotted keys, lists as repeated keys), and a
JSON body fills the message. Calls go through the same Dispatcher as gRPC.

Answers are written as the reference's REST API writes them: proto field
names, enums and status codes as numbers (its samples show `"code": 10000`
and `"gettable": 50`), RFC 3339 timestamps, base64 bytes, and fields marked
cl_show_if_empty present even when empty (`"apps": []`). The HTTP status
follows the Clarifai code (server.status.http_status); the body always
carries the status.

Leniencies the reference is silent about, kept because official clients and
hand-written cURL rely on them: a JSON body is read on any non-GET method
whatever its rule's `body` (the JSON channel sends one on DELETE) and whatever
its Content-Type; unknown query keys and body fields are ignored; a trailing
slash is ignored; a path variable may match an empty segment ("me" applies).
Body keys that name fields the API has dropped while its docs still send
them (rest_json.RETIRED) are the exception: refused, naming the key.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import json5
from aiohttp import web
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server import after_answer, contract, http_extra, reference
from server.convert import FLOATS
from server.dispatch import Dispatcher, encode, failure, undecodable
from server.http_extra import DISPATCHER, REQUEST_ID_HEADER, status_response
from server.logs import log_call, new_request_id
from server.rest_json import fill_default_floats, response_json, retired_key
from server.status import Code, http_status, internal_error, make_status

log = logging.getLogger("clarifai_local.rest")

# ---------------------------------------------------------------------------
# Route table

_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?:=\*)?\}")


@dataclass(frozen=True)
class Template:
    """An HTTP verb and a path template, split for matching."""

    verb: str
    template: str
    # A literal segment, or None where a variable matches any one segment.
    parts: tuple[str | None, ...]
    # (segment index, dotted field path) of each variable.
    variables: tuple[tuple[int, str], ...]

    @property
    def rank(self) -> tuple[bool, ...]:
        """Higher is more literal: of two templates matching one path, the
        one with a literal at the first depth where they differ, so a literal
        segment is preferred over a variable at every depth
        (`/v2/inputs/searches` over `/v2/inputs/{input_id}`)."""
        return tuple(p is not None for p in self.parts)

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self.parts):
            return None
        for part, segment in zip(self.parts, segments, strict=True):
            if part is not None and part != segment:
                return None
        return {path: segments[i] for i, path in self.variables}


@dataclass(frozen=True)
class Route(Template):
    """One binding of one RPC we serve: its template and body rule."""

    body: str
    method: contract.Method = field(repr=False)


@dataclass(frozen=True)
class UnservedRoute(Template):
    """One binding of an RPC of the reference that protos/ does not declare:
    answered with a status saying so (server/reference.py)."""

    rpc: reference.Rpc = field(repr=False)


def _field(desc: Descriptor, name: str) -> FieldDescriptor | None:
    """A field by its proto name or its JSON (lowerCamel) name."""
    return desc.fields_by_name.get(name) or desc.fields_by_camelcase_name.get(name)


def _leaf(desc: Descriptor, path: str) -> FieldDescriptor | None:
    """The field a dotted path names, through singular message fields only."""
    *parents, last = path.split(".")
    for name in parents:
        f = _field(desc, name)
        if f is None or f.message_type is None or f.is_repeated:
            return None
        desc = f.message_type
    return _field(desc, last)


def parse_template(template: str) -> tuple[tuple[str | None, ...], tuple[tuple[int, str], ...]]:
    """Split a path template into literal parts and variables. Templates this
    edge cannot route exactly (multi-segment `**`, verbs, partial segments)
    are refused, so the server never serves a route it would bind wrongly."""
    if not template.startswith("/"):
        raise ValueError(f"template {template!r} does not start with '/'")
    parts: list[str | None] = []
    variables: list[tuple[int, str]] = []
    for i, segment in enumerate(template[1:].split("/")):
        if m := _VARIABLE.fullmatch(segment):
            parts.append(None)
            variables.append((i, m.group(1)))
        elif not segment or any(c in segment for c in "{}*:="):
            raise ValueError(f"template {template!r}: unsupported segment {segment!r}")
        else:
            parts.append(segment)
    return tuple(parts), tuple(variables)


def _bindings(method: contract.Method) -> list[tuple[str, str, str]]:
    """(verb, template, body) for the rule and each additional binding."""
    out = []
    for rule in (method.http, *method.http.additional_bindings):
        kind = rule.WhichOneof("pattern")
        if kind is None:
            continue
        if kind == "custom":
            out.append((rule.custom.kind.upper(), rule.custom.path, rule.body))
        else:
            out.append((kind.upper(), getattr(rule, kind), rule.body))
    return out


def compile_routes(methods: dict[str, contract.Method]) -> list[Route]:
    routes = []
    for method in methods.values():
        md = method.descriptor
        if md.client_streaming or md.server_streaming:
            continue  # JSON over plain HTTP carries one request and one response
        for verb, template, body in _bindings(method):
            parts, variables = parse_template(template)
            desc = method.request_type.DESCRIPTOR
            for _, path in variables:
                f = _leaf(desc, path)
                if f is None or f.is_repeated:
                    raise ValueError(f"{method.name} {template}: no singular field {path!r}")
            if body not in ("", "*") and _field(desc, body) is None:
                raise ValueError(f"{method.name} {template}: no body field {body!r}")
            routes.append(Route(verb, template, parts, variables, body, method))
    return routes


# How an RPC's name starts when it is about what the HTTP verb does.
_NAMED_FOR = {
    "GET": ("Get", "List"),
    "POST": ("Post",),
    "PATCH": ("Patch",),
    "PUT": ("Put",),
    "DELETE": ("Delete",),
}


def compile_unserved(rpcs: dict[str, reference.Rpc]) -> list[UnservedRoute]:
    """Every binding of the given reference RPCs, streaming ones included
    (over plain HTTP they get the same one status). The reference gives a
    few shapes to two RPCs (GET /v2/pipelines: PostPipelines and
    ListPipelines); the Router keeps the first, so the RPC named after the
    verb comes first, then the reference's order."""
    routes = []
    for rpc in rpcs.values():
        for verb, template, _body in rpc.routes:
            parts, variables = parse_template(template)
            routes.append(UnservedRoute(verb, template, parts, variables, rpc))
    routes.sort(key=lambda r: not r.rpc.name.startswith(_NAMED_FOR.get(r.verb, ())))
    return routes


class Router:
    """Resolves (verb, path segments) to the most literal matching route."""

    def __init__(self, routes: list[Route], unserved: list[UnservedRoute] | None = None) -> None:
        self.routes = routes
        seen: dict[tuple[str, tuple[str | None, ...]], Template] = {}
        for route in routes:
            # Same verb and same shape: every path one matches, the other
            # matches with the same rank, so neither may be served.
            if (other := seen.setdefault((route.verb, route.parts), route)) is not route:
                assert isinstance(other, Route)
                raise ValueError(
                    f"{route.verb} {route.template} ({route.method.name}) and "
                    f"{other.template} ({other.method.name}) match the same paths"
                )
        # A shape we serve keeps it; of two unserved routes with one shape
        # (the reference has a few), the first given keeps it.
        self.unserved = [
            route
            for route in unserved or ()
            if seen.setdefault((route.verb, route.parts), route) is route
        ]
        self._by_length: dict[int, list[Template]] = {}
        every: list[Template] = [*self.routes, *self.unserved]
        for route in sorted(every, key=lambda r: r.rank, reverse=True):
            self._by_length.setdefault(len(route.parts), []).append(route)

    def candidates(self, segments: list[str]) -> list[tuple[Template, dict[str, str]]]:
        """Every route the path matches, any verb, most literal first."""
        out = []
        for route in self._by_length.get(len(segments), ()):
            if (values := route.match(segments)) is not None:
                out.append((route, values))
        return out

    def resolve(
        self, verb: str, segments: list[str]
    ) -> tuple[Template, dict[str, str]] | list[str]:
        """The route and its variable values, or else the verbs the path
        allows (empty when no route matches the path at all)."""
        found = self.candidates(segments)
        for route, values in found:
            if route.verb == verb:
                return route, values
        return sorted({route.verb for route, _ in found})


def split_path(raw_path: str) -> list[str]:
    """Segments of a still percent-encoded path, each decoded on its own so
    an encoded '/' stays inside its segment."""
    if len(raw_path) > 1 and raw_path.endswith("/"):
        raw_path = raw_path[:-1]
    return [unquote(s) for s in raw_path[1:].split("/")]


# ---------------------------------------------------------------------------
# Binding a request


class BindError(Exception):
    """A request that cannot be read into the RPC's request message."""

    def __init__(self, code: int, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


_INTEGERS = {
    FieldDescriptor.CPPTYPE_INT32,
    FieldDescriptor.CPPTYPE_INT64,
    FieldDescriptor.CPPTYPE_UINT32,
    FieldDescriptor.CPPTYPE_UINT64,
}
# Well-known types whose JSON form is a plain string, and the wrappers whose
# JSON form is their one `value`.
_STRING_WKT = {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"}
_WRAPPERS = {
    f"google.protobuf.{kind}Value"
    for kind in ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")
}


def _text_value(f: FieldDescriptor, key: str, text: str) -> Any:
    """A path or query string as the JSON value ParseDict expects for `f`."""
    ct = f.cpp_type
    if ct == FieldDescriptor.CPPTYPE_BOOL:
        return _bool(key, text)
    if ct in _INTEGERS:
        return _number(int, key, text, "an integer")
    if ct in FLOATS:
        return _number(float, key, text, "a number")
    if ct == FieldDescriptor.CPPTYPE_ENUM:
        # By number, or by a name it has (ParseDict, told to ignore unknown
        # fields, would drop an unknown name silently).
        if text.lstrip("-").isdigit():
            return int(text)
        if text not in f.enum_type.values_by_name:
            raise BindError(
                Code.CONN_INVALID_REQUEST, f"{key} '{text}' names no value of {f.enum_type.name}"
            )
        return text
    if ct == FieldDescriptor.CPPTYPE_MESSAGE:
        return _message_value(f, key, text)
    return text  # string, or bytes in base64


def _bool(key: str, text: str) -> bool:
    low = text.lower()
    if low in ("true", "1"):
        return True
    if low in ("false", "0"):
        return False
    raise BindError(Code.CONN_INVALID_REQUEST, f"{key} '{text}' is not true or false")


def _number(kind: type, key: str, text: str, what: str) -> Any:
    try:
        return kind(text)
    except ValueError:
        raise BindError(Code.CONN_INVALID_REQUEST, f"{key} '{text}' is not {what}") from None


def _message_value(f: FieldDescriptor, key: str, text: str) -> Any:
    name = f.message_type.full_name
    if name in _STRING_WKT:
        return text
    if name == "google.protobuf.Value":
        # JSON (a number, "a quoted string", true), else the text as a string.
        try:
            return json.loads(text)
        except ValueError:
            return text
    if name in _WRAPPERS:
        return _text_value(f.message_type.fields_by_name["value"], key, text)
    raise BindError(
        Code.CONN_INVALID_REQUEST, f"{key} is a message; set its fields as {key}.<field>"
    )


def fields_from_text(desc: Descriptor, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Query parameters (or path variables) as a JSON object for ParseDict:
    dotted keys become nested objects, repeated keys lists. Keys naming no
    field are ignored, as grpc-gateway ignores them."""
    out: dict[str, Any] = {}
    for key, text in pairs:
        f = _leaf(desc, key)
        if f is None or (f.message_type is not None and f.message_type.GetOptions().map_entry):
            continue
        target = out
        node = desc
        for name in key.split(".")[:-1]:
            parent = _field(node, name)
            assert parent is not None  # _leaf walked the same path
            target = target.setdefault(parent.name, {})
            node = parent.message_type
        value = _text_value(f, key, text)
        if f.is_repeated:
            target.setdefault(f.name, []).append(value)
        else:
            target[f.name] = value
    return out


def _parse_into(js: dict[str, Any], message: Message, where: str) -> None:
    try:
        json_format.ParseDict(js, message, ignore_unknown_fields=True)
    except json_format.ParseError as err:
        raise BindError(Code.CONN_INVALID_REQUEST, f"{where}: {err}") from None


# JSON5 is read in pure Python (about 4 s a megabyte, holding the event
# loop): only bodies as small as hand-typed ones get it.
JSON5_MAX_BYTES = 16 * 1024


def _loads(body: bytes) -> Any:
    """Strict JSON first; then JSON5, which forgives what hand-typed bodies
    often carry (the Feedback guide's own example has a trailing comma)."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        problem = f"request body is not valid JSON: {err}"
        if len(body) > JSON5_MAX_BYTES:
            raise BindError(Code.CONN_BAD_REQUEST_FORMAT, problem) from None
        try:
            return json5.loads(body.decode())
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise BindError(Code.CONN_BAD_REQUEST_FORMAT, problem) from None


def bind(
    route: Route, variables: dict[str, str], query: list[tuple[str, str]], body: bytes
) -> Message:
    """The request message: query first, then the JSON body, then path
    variables, each overriding what came before."""
    desc = route.method.request_type.DESCRIPTOR
    message = route.method.request_type()
    if query:
        _parse_into(fields_from_text(desc, query), message, "query string")
    if route.verb != "GET" and body and not body.isspace():
        js = _loads(body)
        if route.body not in ("", "*"):
            js = {route.body: js}
        if not isinstance(js, dict):
            raise BindError(
                Code.CONN_BAD_REQUEST_FORMAT,
                f"request body must be a JSON object, not {type(js).__name__}",
            )
        if retired := retired_key(desc, js):
            where, hint = retired
            raise BindError(Code.CONN_INVALID_REQUEST, f"{where}: {hint}")
        fill_default_floats(desc, js)
        _parse_into(js, message, "request body")
    if variables:
        _parse_into(fields_from_text(desc, list(variables.items())), message, "path")
    return message


# ---------------------------------------------------------------------------
# The aiohttp application

ROUTER = web.AppKey("router", Router)
MAX_BYTES = web.AppKey("max_bytes", int)
BODY_TIMEOUT = web.AppKey("body_timeout", float)
ALLOWED_HEADERS = "Authorization, Content-Type, X-Clarifai-Request-ID-Prefix"


def _json(response: Message) -> bytes:
    return json.dumps(response_json(response), ensure_ascii=False).encode()


def _respond(
    request: web.Request, method: contract.Method, response: Message, req_id: str
) -> tuple[int, web.Response]:
    code, body = encode(method, response, req_id, request.app[MAX_BYTES], _json)
    return code, web.Response(
        status=http_status(code),
        body=body,
        content_type="application/json",
        charset="utf-8",
        headers={REQUEST_ID_HEADER: req_id},
    )


class _BodyTimeoutError(Exception):
    """The client stopped sending the request body."""


# gzip and deflate bodies are inflated here (aiohttp's own inflating is off:
# it would refuse other encodings with a plain-text 400 and a logged
# traceback). wbits 47: a zlib or a gzip header, whichever the body has.
_INFLATED = {"gzip": 47, "x-gzip": 47, "deflate": 47}


async def read_body(request: web.Request) -> bytes:
    """The request body, inflated as its Content-Encoding says, refused once
    it is over the message limit (inflated: a compressed bomb stops there)
    and when no byte of it arrives for the body timeout."""
    limit, timeout = request.app[MAX_BYTES], request.app[BODY_TIMEOUT]
    inflate = _inflater(request.headers.get("Content-Encoding", ""))
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = await asyncio.wait_for(request.content.readany(), timeout)
        except TimeoutError:
            raise _BodyTimeoutError from None
        if not chunk:
            break
        for piece in (chunk,) if inflate is None else _inflated(inflate, chunk):
            size += len(piece)
            if size > limit:
                raise BindError(
                    Code.RPC_MAX_MESSAGE_SIZE_EXCEEDED, f"request body exceeds {limit} bytes"
                )
            chunks.append(piece)
    if inflate is not None and chunks and not inflate.eof:
        raise BindError(Code.CONN_BAD_REQUEST_FORMAT, "the compressed request body is truncated")
    return b"".join(chunks)


def _inflater(encoding: str) -> Any:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding not in _INFLATED:
        raise BindError(
            Code.CONN_BAD_REQUEST_FORMAT,
            f"Content-Encoding {encoding!r} is not supported; send gzip, deflate or identity",
        )
    return zlib.decompressobj(_INFLATED[encoding])


def _inflated(inflate: Any, data: bytes) -> Iterator[bytes]:
    """`data` inflated, a megabyte at a time (so refusing a bomb at the limit
    never holds much more than the limit)."""
    while data:
        try:
            yield inflate.decompress(data, 1 << 20)
        except zlib.error as err:
            raise BindError(
                Code.CONN_BAD_REQUEST_FORMAT, f"the compressed request body is corrupt: {err}"
            ) from None
        data = inflate.unconsumed_tail


async def _call(request: web.Request) -> web.Response:
    req_id = new_request_id()
    started = time.perf_counter()
    found = request.app[ROUTER].resolve(request.method, split_path(request.rel_url.raw_path))
    where = f"{request.method} {request.rel_url.path}"
    if isinstance(found, list):
        # The log names no path of a call no route matched: a path may hold
        # a key's token (GET /v2/users/me/keys/<token>/...).
        unrouted = f"{request.method} (no route)"
        if found:
            log_call(unrouted, Code.CONN_METHOD_NOT_ALLOWED, started, "rest")
            return status_response(
                Code.CONN_METHOD_NOT_ALLOWED,
                f"{request.method} is not allowed on {request.rel_url.path}; "
                f"allowed: {', '.join(found)}",
                req_id,
                {"Allow": ", ".join(found)},
            )
        log_call(unrouted, Code.CONN_DOES_NOT_EXIST, started, "rest")
        return status_response(Code.CONN_DOES_NOT_EXIST, f"no API route for {where}", req_id, {})
    route, variables = found
    if isinstance(route, UnservedRoute):
        status = await request.app[DISPATCHER].unserved(
            route.rpc, request.headers.get("Authorization"), req_id
        )
        log_call(route.rpc.name, status.code, started, "rest")
        return status_response(status.code, status.details, req_id)
    assert isinstance(route, Route)
    return await _served(request, route, variables, req_id, started)


async def _served(
    request: web.Request, route: Route, variables: dict[str, str], req_id: str, started: float
) -> web.Response:
    method = route.method
    after = after_answer.begin()
    try:
        body = await read_body(request)
        message = bind(route, variables, list(request.query.items()), body)
        response = await request.app[DISPATCHER].dispatch(
            method.name, message, request.headers.get("Authorization"), req_id
        )
    except BindError as err:
        log.info("%s refused: %s (req_id %s)", method.name, err.details, req_id)
        response = failure(method, make_status(err.code, err.details, req_id))
    except RecursionError as err:
        response = undecodable(method, err, req_id)
    except _BodyTimeoutError:
        timeout = request.app[BODY_TIMEOUT]
        log.info("%s: no body received for %s s (req_id %s)", method.name, timeout, req_id)
        response = failure(
            method,
            make_status(
                Code.RPC_REQUEST_TIMEOUT,
                f"the request body stopped arriving for {timeout} s",
                req_id,
            ),
        )
    except Exception:
        # Named by its RPC, not its path: paths hold ids and key tokens.
        log.exception("%s failed unexpectedly (req_id %s)", method.name, req_id)
        response = failure(method, internal_error(req_id))
    code, answer = _respond(request, method, response, req_id)
    log_call(method.name, code, started, "rest")
    if code == Code.RPC_REQUEST_TIMEOUT or code == Code.RPC_MAX_MESSAGE_SIZE_EXCEEDED:
        answer.force_close()  # the rest of the body is not read
    # aiohttp writes the answer in this task right after the handler returns,
    # before it next waits (unless the socket is full): runners woken on the
    # loop's next turn start after it.
    asyncio.get_running_loop().call_soon(after.answered)
    return answer


def _cors_headers(response: web.StreamResponse) -> None:
    # The API reads keys from headers only, so any origin may call. The
    # download routes also read cookies (as the reference's secure hosting
    # does); without Access-Control-Allow-Credentials no other origin's
    # script can read what they answer to a cookie.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = REQUEST_ID_HEADER


@web.middleware
async def cors(request: web.Request, handler) -> web.StreamResponse:
    """Answer preflights for every path and mark every answer as readable
    from any origin (errors included, so browser code sees the status)."""
    if request.method == "OPTIONS":
        response: web.StreamResponse = web.Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", ALLOWED_HEADERS
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    else:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            _cors_headers(exc)
            raise
    _cors_headers(response)
    return response


async def _health(request: web.Request) -> web.Response:
    """Unauthenticated: 200 while the database answers, 503 while it does not
    (as gRPC health's SERVING / NOT_SERVING)."""
    serving = request.app[DISPATCHER].db.availability.serving
    body = {
        "status": "SERVING" if serving else "NOT_SERVING",
        "database": "available" if serving else "unavailable",
    }
    return web.json_response(body, status=200 if serving else 503)


def build_app(
    dispatcher: Dispatcher, max_message_bytes: int, body_timeout: float = 60.0
) -> web.Application:
    """The API's routes from the contract plus the plain HTTP routes other
    modules registered in server.http_extra (hosted media, exports)."""
    app = web.Application(middlewares=[cors], client_max_size=max_message_bytes)
    app[ROUTER] = Router(compile_routes(contract.methods()), compile_unserved(reference.unserved()))
    app[DISPATCHER] = dispatcher
    app[MAX_BYTES] = max_message_bytes
    app[BODY_TIMEOUT] = body_timeout
    app.router.add_routes(http_extra.routes)
    app.router.add_get("/health", _health)
    app.router.add_get("/readyz", _health)
    # Registered last: the extra routes resolve first, everything else is
    # matched against the contract's templates here.
    app.router.add_route("*", "/{tail:.*}", _call)
    log.info(
        "REST routes: %d served, %d of the reference answered as not implemented",
        len(app[ROUTER].routes),
        len(app[ROUTER].unserved),
    )
    return app
