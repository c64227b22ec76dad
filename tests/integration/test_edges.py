"""The edges against malformed and hostile traffic: request bytes that are
not the RPC's message, NUL characters, responses that cannot be written,
compressed bombs, and REST connections that stall. Each ends in a Clarifai
status (or a closed connection), never a traceback in the log."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import os
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
import grpc
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2

from server.main import Running, start
from tests.helpers import app_of, assert_status, auth_header, rest_call, struct

V2 = "/clarifai.api.V2/"


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """The test's log records, from INFO up (`logged.records`)."""
    caplog.set_level(logging.INFO)
    return caplog


def assert_no_traceback(records: list[logging.LogRecord]) -> None:
    bad = [r for r in records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


@pytest.fixture
async def channel(server: Running) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.grpc_port}") as ch:
        yield ch


async def raw_call(channel, rpc: str, body: bytes, response_type, md=(), **kw):
    """An RPC sent as the given bytes, its answer decoded as `response_type`."""
    call = channel.unary_unary(V2 + rpc, response_deserializer=response_type.FromString)
    return await call(body, metadata=md, **kw)


def nested(depth: int) -> struct_pb2.Value:
    """A Struct value `depth` levels deep."""
    value = struct_pb2.Value()
    here = value
    for _ in range(depth):
        here = here.struct_value.fields["a"]
    here.string_value = "deep"
    return value


# ---- 1. bytes that are not the request message ----


def _bad_utf8(account) -> bytes:
    good = s.PostInputsRequest(user_app_id=app_of(account), inputs=[r.Input(id="abcdef")])
    return good.SerializeToString().replace(b"abcdef", b"ab\xff\xfe\xfdf")


def _too_deep(account) -> bytes:
    request = s.PostInputsRequest(user_app_id=app_of(account))
    request.inputs.add().data.metadata.fields["k"].CopyFrom(nested(120))
    return request.SerializeToString()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda account: b"\x0b\xff" + os.urandom(64), ""),
        (_bad_utf8, "UTF-8"),
        (_too_deep, "nest deeper than protobuf's limit of 100"),
    ],
    ids=["random", "utf8", "deep"],
)
async def test_undecodable_grpc_request_is_a_bad_request_format(
    channel, account, logged, make, reason
):
    res = await raw_call(channel, "PostInputs", make(account), s.MultiInputResponse, account.md())
    assert_status(res, sc.CONN_BAD_REQUEST_FORMAT, "clarifai.api.PostInputsRequest", reason)
    assert res.status.req_id
    assert_no_traceback(logged.records)
    refused = [r.getMessage() for r in logged.records if "undecodable" in r.getMessage()]
    assert len(refused) == 1, refused
    # Nothing was written.
    listed = await raw_call(
        channel,
        "ListInputs",
        s.ListInputsRequest(user_app_id=app_of(account)).SerializeToString(),
        s.MultiInputResponse,
        account.md(),
    )
    assert listed.status.code == sc.SUCCESS and not listed.inputs


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"concepts": [{"id": "\xff\xfe"}]}', ["not valid JSON"]),
        (b"[" * 100_000 + b"]" * 100_000, ["not valid JSON"]),
        (b'{"concepts": [{"id": "a"}]', ["not valid JSON"]),
        # Large and invalid: refused at once, not read slowly as JSON5.
        (b'{"concepts": [{"id": "' + b"a" * (8 << 20) + b'"},]}', ["not valid JSON"]),
    ],
    ids=["utf8", "deep-json", "truncated", "large"],
)
async def test_unparsable_rest_body_is_a_bad_request_format(rest, account, logged, body, words):
    started = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        code, js = await rest_call(
            http,
            "POST",
            f"{rest}/v2/concepts",
            account.pat,
            data=body,
            headers={"Content-Type": "application/json"},
        )
    assert code == 400, js
    assert js["status"]["code"] == sc.CONN_BAD_REQUEST_FORMAT, js
    for word in words:
        assert word in js["status"]["details"], js
    assert time.perf_counter() - started < 5
    assert_no_traceback(logged.records)


async def test_deep_struct_in_rest_body_is_refused(rest, account, logged):
    metadata: dict = {}
    here = metadata
    for _ in range(150):
        here = here.setdefault("a", {})
    async with aiohttp.ClientSession() as http:
        code, js = await rest_call(
            http,
            "POST",
            f"{rest}/v2/inputs",
            account.pat,
            json={"inputs": [{"data": {"text": {"raw": "x"}, "metadata": metadata}}]},
        )
    assert code == 400, js
    assert js["status"]["code"] in (sc.CONN_BAD_REQUEST_FORMAT, sc.CONN_INVALID_REQUEST), js
    assert_no_traceback(logged.records)


# ---- 2. NUL characters ----


def _with_metadata_key(account) -> s.PostInputsRequest:
    return s.PostInputsRequest(
        user_app_id=app_of(account),
        inputs=[
            r.Input(
                id="fine",
                data=r.Data(
                    text=r.Text(raw="x"), metadata=struct(k={"ok": [1, "a", {"bad\0key": 1}]})
                ),
            )
        ],
    )


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (
            lambda a: s.PostInputsRequest(
                user_app_id=app_of(a),
                inputs=[r.Input(id="in\0put", data=r.Data(text=r.Text(raw="x")))],
            ),
            "inputs[0].id",
        ),
        (
            lambda a: s.PostInputsRequest(
                user_app_id=app_of(a), inputs=[r.Input(data=r.Data(text=r.Text(raw="a\0b")))]
            ),
            "inputs[0].data.text.raw",
        ),
        (
            lambda a: s.PostInputsRequest(
                user_app_id=app_of(a),
                inputs=[
                    r.Input(data=r.Data(text=r.Text(raw="x"), metadata=struct(k=["a", "b\0"])))
                ],
            ),
            "inputs[0].data.metadata.k[1]",
        ),
        (_with_metadata_key, "inputs[0].data.metadata.k.ok[2] key"),
        (
            lambda a: s.PostInputsRequest(
                user_app_id=r.UserAppIDSet(user_id=a.user_id, app_id="ma\0in"),
                inputs=[r.Input(data=r.Data(text=r.Text(raw="x")))],
            ),
            "user_app_id.app_id",
        ),
    ],
    ids=["id", "text", "metadata-value", "metadata-key", "app-id"],
)
async def test_nul_is_refused_naming_the_field(transport, account, logged, make, where):
    res = await transport.call("PostInputs", make(account), account.md(), http_status=400)
    assert_status(res, sc.CONN_INVALID_REQUEST, where, "NUL")
    listed = await transport.call(
        "ListInputs", s.ListInputsRequest(user_app_id=app_of(account)), account.md()
    )
    assert listed.status.code == sc.SUCCESS and not listed.inputs
    assert_no_traceback(logged.records)


async def test_nul_in_rest_path_and_query(rest, account, logged):
    async with aiohttp.ClientSession() as http:
        code, js = await rest_call(
            http, "GET", f"{rest}/v2/users/me/apps/ma%00in/inputs/x", account.pat
        )
        assert code == 400, js
        assert "user_app_id.app_id" in js["status"]["details"], js
        code, js = await rest_call(http, "GET", f"{rest}/v2/inputs?ids=a&ids=b%00", account.api_key)
        assert code == 400, js
        assert js["status"]["code"] == sc.CONN_INVALID_REQUEST, js
        assert "ids[1]" in js["status"]["details"], js
    assert_no_traceback(logged.records)


async def test_nul_in_a_download_path(rest, account, logged):
    name = "0" * 32 + ".png"
    async with aiohttp.ClientSession() as http:
        code, js = await rest_call(
            http,
            "GET",
            f"{rest}/media/orig/users/{account.user_id}/apps/ma%00in/inputs/image/{name}",
            account.pat,
        )
    assert code == 400, js
    assert js["status"]["code"] == sc.CONN_INVALID_REQUEST, js
    assert "app_id" in js["status"]["details"], js
    assert_no_traceback(logged.records)


# ---- 3. responses that cannot be written ----


async def test_response_too_deep_for_clients_is_a_status(
    transport, server, account, monkeypatch, logged
):
    """A stored value nesting past what clients decode (protobuf's 100
    levels) or past what JSON can be written from: a status, not a broken
    call."""

    async def deep(call, request):
        res = s.SingleInputResponse(input=r.Input(id="x"))
        res.input.data.metadata.fields["k"].CopyFrom(nested(2000))
        return res

    monkeypatch.setitem(server.dispatcher.handlers, "GetInput", deep)
    res = await transport.call(
        "GetInput", s.GetInputRequest(user_app_id=app_of(account), input_id="x"), account.md()
    )
    assert res.status.code == sc.INTERNAL_UNCATEGORIZED, res.status
    assert "could not be encoded" in res.status.details
    assert not res.HasField("input")
    # One warning line, no traceback.
    assert not [r for r in logged.records if r.exc_info]
    assert any("could not be encoded" in r.getMessage() for r in logged.records)


# ---- a server with small limits ----


@pytest.fixture(scope="module")
async def edge(settings) -> AsyncIterator[Running]:
    """A second server on the session's database with a 64 KiB message limit
    and half-second REST timeouts."""
    small = replace(
        settings,
        grpc_port=0,
        rest_port=0,
        max_message_bytes=64 * 1024,
        rest_idle_timeout_s=0.5,
        rest_body_timeout_s=0.5,
        fetch_urls=False,
    )
    running = await start(small)
    yield running
    await running.stop(0)


async def test_response_over_the_message_limit_is_a_status(edge, account, monkeypatch, logged):
    async def big(call, request):
        return s.SingleInputResponse(
            input=r.Input(id="x", data=r.Data(text=r.Text(raw="y" * 100_000)))
        )

    monkeypatch.setitem(edge.dispatcher.handlers, "GetInput", big)
    request = s.GetInputRequest(user_app_id=app_of(account), input_id="x")
    async with grpc.aio.insecure_channel(f"127.0.0.1:{edge.grpc_port}") as ch:
        res = await raw_call(
            ch, "GetInput", request.SerializeToString(), s.SingleInputResponse, account.md()
        )
    assert res.status.code == sc.RPC_MAX_MESSAGE_SIZE_EXCEEDED, res.status
    assert str(64 * 1024) in res.status.details
    async with aiohttp.ClientSession() as http:
        code, js = await rest_call(
            http, "GET", f"http://127.0.0.1:{edge.rest_port}/v2/inputs/x", account.api_key
        )
    assert js["status"]["code"] == sc.RPC_MAX_MESSAGE_SIZE_EXCEEDED, js
    assert "input" not in js
    assert_no_traceback(logged.records)


# ---- 4. compressed bombs ----


async def test_gzip_grpc_request_is_limited_decompressed(edge, account, logged):
    """gRPC applies the receive limit to the decompressed message and stops
    inflating there: a small compressed request expanding past the limit is
    refused before the handler runs."""

    def request(size: int) -> s.PostConceptsRequest:
        return s.PostConceptsRequest(
            user_app_id=app_of(account), concepts=[r.Concept(id="c", name="n" * size)]
        )

    async with grpc.aio.insecure_channel(f"127.0.0.1:{edge.grpc_port}") as ch:
        post = ch.unary_unary(
            V2 + "PostConcepts",
            request_serializer=s.PostConceptsRequest.SerializeToString,
            response_deserializer=s.MultiConceptResponse.FromString,
        )
        bomb = request(20 * 1024 * 1024)
        assert len(gzip.compress(bomb.SerializeToString())) < 64 * 1024
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await post(bomb, metadata=account.md(), compression=grpc.Compression.Gzip)
        assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        # Under the limit, compressed requests are read as any other.
        res = await post(request(100), metadata=account.md(), compression=grpc.Compression.Gzip)
    assert res.status.code != sc.INTERNAL_UNCATEGORIZED, res.status
    assert_no_traceback(logged.records)


async def test_gzip_rest_body_is_limited_decompressed(edge, account, logged):
    url = f"http://127.0.0.1:{edge.rest_port}/v2/concepts"
    headers = {**auth_header(account.api_key), "Content-Encoding": "gzip"}
    headers["Content-Type"] = "application/json"
    bomb = json.dumps({"concepts": [{"id": "c", "name": " " * 1}], "pad": " " * (20 << 20)})
    small = json.dumps({"concepts": [{"id": "gz", "name": "zipped"}]})
    async with aiohttp.ClientSession() as http:
        code, js = await rest_call(
            http, "POST", url, headers=headers, data=gzip.compress(bomb.encode())
        )
        assert js["status"]["code"] == sc.RPC_MAX_MESSAGE_SIZE_EXCEEDED, js
        code, js = await rest_call(
            http, "POST", url, headers=headers, data=gzip.compress(small.encode())
        )
        assert code == 200, js
        assert js["concepts"][0]["name"] == "zipped"
        code, js = await rest_call(
            http, "POST", url, headers=headers, data=gzip.compress(small.encode())[:-12]
        )
        assert js["status"]["code"] == sc.CONN_BAD_REQUEST_FORMAT, js
        assert "truncated" in js["status"]["details"], js
    assert_no_traceback(logged.records)


# ---- 5. stalled REST connections ----


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """Everything the server sends until it closes the connection, which it
    must do within `seconds`."""
    return await asyncio.wait_for(reader.read(), seconds)


async def _connect(edge):
    return await asyncio.open_connection("127.0.0.1", edge.rest_port)


async def test_idle_connection_is_closed(edge):
    reader, writer = await _connect(edge)
    assert await _closed_within(reader, 3) == b""
    writer.close()


async def test_slow_headers_are_closed(edge):
    reader, writer = await _connect(edge)
    writer.write(b"GET /v2/myscopes HTTP/1.1\r\nHost: x\r\n")

    async def drip():
        for n in range(30):
            writer.write(f"X-Slow-{n}: 1\r\n".encode())
            await asyncio.sleep(0.1)

    dripping = asyncio.create_task(drip())
    try:
        assert await _closed_within(reader, 3) == b""
    finally:
        dripping.cancel()
        writer.close()


async def test_stalled_body_is_answered_and_closed(edge, logged):
    reader, writer = await _connect(edge)
    writer.write(
        b"POST /v2/concepts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"concepts"'
    )
    answer = await _closed_within(reader, 15)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer
    js = json.loads(body)
    assert js["status"]["code"] == sc.RPC_REQUEST_TIMEOUT, js
    assert_no_traceback(logged.records)


async def test_keep_alive_connection_idle_after_a_call_is_closed(edge):
    reader, writer = await _connect(edge)
    writer.write(b"GET /v2/myscopes HTTP/1.1\r\nHost: x\r\n\r\n")
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 3)
    assert head.startswith(b"HTTP/1.1 "), head
    await _closed_within(reader, 3)  # the body, then the close
    writer.close()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_corrupt_compressed_rest_body_is_a_bad_request_format(
    rest, account, logged, encoding
):
    headers = {"Content-Encoding": encoding, "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http:
        code, js = await rest_call(
            http, "POST", f"{rest}/v2/concepts", account.pat, headers=headers, data=b"\x01" * 64
        )
    assert code == 400, js
    assert js["status"]["code"] == sc.CONN_BAD_REQUEST_FORMAT, js
    assert ("not supported" if encoding == "br" else "corrupt") in js["status"]["details"], js
    assert_no_traceback(logged.records)
