"""The gRPC edge: a handler table built from the contract's descriptors (as
the generated add_V2Servicer_to_server would), a fallback answering the
reference's RPCs that protos/ does not declare (server/reference.py), plus
reflection and health."""

from __future__ import annotations

import time

import grpc
from clarifai.api.status import status_pb2
from google.protobuf import descriptor_pool
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from server import after_answer, contract, reference
from server.convert import reaches
from server.dispatch import Dispatcher, encode, undecodable
from server.logs import log_call, new_request_id
from server.status import http_status


def _unary(dispatcher: Dispatcher, method: contract.Method, limit: int) -> grpc.RpcMethodHandler:
    """Bytes in, bytes out: decoding and encoding happen here, so a request
    that is not the RPC's message, or a response that cannot be written, is
    answered with a Clarifai status rather than gRPC's UNKNOWN."""

    async def behaviour(raw: bytes, context: grpc.aio.ServicerContext) -> bytes:
        req_id = new_request_id()
        started = time.perf_counter()
        context.add_done_callback(after_answer.begin().answered)
        metadata = dict(context.invocation_metadata() or ())
        try:
            request = method.request_type.FromString(raw)
        except (DecodeError, RecursionError) as err:
            response = undecodable(method, err, req_id)
        else:
            response = await dispatcher.dispatch(
                method.name, request, metadata.get("authorization"), req_id
            )
        code, body = encode(method, response, req_id, limit, _serialize)
        log_call(method.name, code, started, "grpc")
        if http_status(code) >= 500:
            context.set_trailing_metadata((("x-clarifai-request-id", req_id),))
        return body

    return grpc.unary_unary_rpc_method_handler(behaviour)


def _serialize(message: Message) -> bytes:
    """The message's bytes, checked to be readable by clients when it can
    hold a Struct: protobuf writes any depth but clients read 100 levels, so
    a stored value nested deeper would fail every client's call after it was
    sent. (Decoding is quick next to building the response.)"""
    body = message.SerializeToString()
    if reaches(message.DESCRIPTOR, _dynamic):
        type(message).FromString(body)  # raises DecodeError past the depth limit
    return body


_DYNAMIC = {f"google.protobuf.{name}" for name in ("Struct", "Value", "ListValue")}


def _dynamic(f: FieldDescriptor) -> bool:
    return f.message_type is not None and f.message_type.full_name in _DYNAMIC


def only_status(status: status_pb2.Status) -> bytes:
    """A response holding only `status`, as field 1 of any reference
    response encodes it (tag 1, length-delimited; then the length)."""
    body = status.SerializeToString()
    length, size = bytearray(), len(body)
    while size > 0x7F:
        length.append(size & 0x7F | 0x80)
        size >>= 7
    length.append(size)
    return b"\x0a" + bytes(length) + body


def _unserved(dispatcher: Dispatcher, rpc: reference.Rpc) -> grpc.RpcMethodHandler:
    """A handler of the RPC's streaming kind that reads nothing of the
    request (raw bytes: we lack its type) and answers one status message."""

    async def answer(context: grpc.aio.ServicerContext) -> bytes:
        req_id = new_request_id()
        started = time.perf_counter()
        metadata = dict(context.invocation_metadata() or ())
        status = await dispatcher.unserved(rpc, metadata.get("authorization"), req_id)
        log_call(rpc.name, status.code, started, "grpc")
        if http_status(status.code) >= 500:
            context.set_trailing_metadata((("x-clarifai-request-id", req_id),))
        return only_status(status)

    async def unary(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return await answer(context)

    async def stream(request, context: grpc.aio.ServicerContext):
        yield await answer(context)

    if rpc.server_streaming:
        make = grpc.stream_stream_rpc_method_handler
        if not rpc.client_streaming:
            make = grpc.unary_stream_rpc_method_handler
        return make(stream)
    if rpc.client_streaming:
        return grpc.stream_unary_rpc_method_handler(unary)
    return grpc.unary_unary_rpc_method_handler(unary)


class _Unserved(grpc.GenericRpcHandler):
    """Consulted after the contract's handlers: the reference's other RPCs.
    A method the reference lacks too gets None: gRPC answers it as an
    unknown method (code 12)."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._handlers = {
            rpc.path: _unserved(dispatcher, rpc) for rpc in reference.unserved().values()
        }

    def service(self, handler_call_details: grpc.HandlerCallDetails):
        return self._handlers.get(handler_call_details.method)  # type: ignore[attr-defined]


def build_server(
    dispatcher: Dispatcher, max_message_bytes: int, reuse_port: bool = False
) -> grpc.aio.Server:
    options = [
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
        # A port another process listens on is taken, unless it is a worker
        # of the same `serve` (server/supervisor.py), which shares it.
        ("grpc.so_reuseport", int(reuse_port)),
    ]
    server = grpc.aio.server(options=options)
    handlers = {
        name: _unary(dispatcher, m, max_message_bytes) for name, m in contract.methods().items()
    }
    server.add_generic_rpc_handlers(
        (
            grpc.method_handlers_generic_handler(contract.SERVICE.full_name, handlers),
            _Unserved(dispatcher),
        )
    )
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (
            contract.SERVICE.full_name,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ),
        server,
        pool=_MethodFindingPool(descriptor_pool.Default()),
    )
    server.health = health_servicer  # type: ignore[attr-defined]
    return server


class _MethodFindingPool:
    """The default descriptor pool, also resolving a method's full name to its
    service's file: the upb pool finds services but not their methods, so
    `grpcurl describe clarifai.api.V2.MyScopes` would fail (grpc/grpc#34743)."""

    def __init__(self, pool: descriptor_pool.DescriptorPool) -> None:
        self._pool = pool

    def __getattr__(self, name: str):
        return getattr(self._pool, name)

    def FindFileContainingSymbol(self, symbol: str):
        try:
            return self._pool.FindFileContainingSymbol(symbol)
        except KeyError:
            service, _, method = symbol.rpartition(".")
            found = self._pool.FindServiceByName(service) if service else None
            if found is None or method not in found.methods_by_name:
                raise
            return found.file


async def mark_serving(server: grpc.aio.Server, serving: bool = True) -> None:
    """SERVING, or NOT_SERVING while the database is unavailable."""
    hs = server.health  # type: ignore[attr-defined]
    answer = health_pb2.HealthCheckResponse
    status = answer.SERVING if serving else answer.NOT_SERVING
    await hs.set("", status)
    await hs.set(contract.SERVICE.full_name, status)
