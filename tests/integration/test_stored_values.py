"""Stored client JSON stays servable: values nested past server.convert's
MAX_DEPTH are refused on both transports (nothing written), values at the
limit read back over gRPC from every response that carries them; lists stay
within Settings.response_max_bytes, long texts answered by url."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import grpc
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format, struct_pb2
from sqlalchemy import select

from server import bootstrap
from server.config import Settings
from server.convert import MAX_DEPTH
from server.main import Running, open_database, start
from storage.apps import App
from storage.searches import SearchRecord
from tests.conftest import Account
from tests.transport import GrpcTransport, RestTransport, Transport


def assert_refused(res, code: int, *words: str) -> None:
    assert res.status.code == code, res.status
    for word in words:
        assert word in res.status.details, res.status.details


def nested(depth: int) -> dict[str, Any]:
    """A JSON object nesting `depth` levels (objects and a list)."""
    value: Any = [1, "deepest"]
    for n in range(depth - 1):
        value = {f"k{n}": value, "flat": n}
    return value


def as_struct(value: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(value)
    return out


def text_input(input_id: str, metadata: dict[str, Any]) -> r.Input:
    return r.Input(id=input_id, data=r.Data(text=r.Text(raw="hello"), metadata=as_struct(metadata)))


def annotation(input_id: str, metadata: dict[str, Any]) -> r.Annotation:
    """An annotation whose data holds `metadata`: the data, stored whole, is
    one level deeper than the metadata, and annotation_info as deep."""
    return r.Annotation(
        input_id=input_id,
        data=r.Data(metadata=as_struct(metadata)),
        annotation_info=as_struct(metadata),
    )


async def test_values_at_the_limit_read_back_over_grpc(transport, stub, account):
    deepest = nested(MAX_DEPTH)
    res = await transport.call(
        "PostInputs", s.PostInputsRequest(inputs=[text_input("deep", deepest)]), account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    in_data = nested(MAX_DEPTH - 1)
    res = await transport.call(
        "PostAnnotations",
        s.PostAnnotationsRequest(annotations=[annotation("deep", in_data)]),
        account.key_md,
    )
    assert res.status.code == sc.SUCCESS, res.status

    md = account.key_md
    got = await stub.GetInput(s.GetInputRequest(input_id="deep"), metadata=md)
    listed = await stub.ListInputs(s.ListInputsRequest(), metadata=md)
    streamed = await stub.StreamInputs(s.StreamInputsRequest(), metadata=md)
    for shown in (got.input, *listed.inputs, *streamed.inputs):
        assert json_format.MessageToDict(shown.data.metadata) == deepest
    annotations = await stub.ListAnnotations(
        s.ListAnnotationsRequest(input_ids=["deep"]), metadata=md
    )
    (shown,) = [a for a in annotations.annotations if a.data.HasField("metadata")]
    assert json_format.MessageToDict(shown.data.metadata) == in_data
    assert json_format.MessageToDict(shown.annotation_info) == in_data


async def test_values_past_the_limit_are_refused(transport, stub, account):
    too_deep = nested(MAX_DEPTH + 1)
    res = await transport.call(
        "PostInputs",
        s.PostInputsRequest(inputs=[text_input("ok", {}), text_input("deep", too_deep)]),
        account.key_md,
    )
    assert_refused(
        res, sc.INPUT_INVALID_REQUEST, "inputs[1].data.metadata.k", f"deeper than {MAX_DEPTH}"
    )
    listed = await stub.ListInputs(s.ListInputsRequest(), metadata=account.key_md)
    assert listed.status.code == sc.SUCCESS and not listed.inputs

    res = await transport.call(
        "PostInputs", s.PostInputsRequest(inputs=[text_input("in", {})]), account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    res = await transport.call(
        "PatchInputs",
        s.PatchInputsRequest(action="merge", inputs=[text_input("in", too_deep)]),
        account.key_md,
    )
    assert_refused(res, sc.INPUT_INVALID_REQUEST, "inputs[0].data.metadata.k")

    # Annotation data is stored whole: its metadata one level shallower.
    for sent, field in (
        (annotation("in", nested(MAX_DEPTH)), "annotations[0].data.metadata.k"),
        (
            r.Annotation(input_id="in", annotation_info=as_struct(too_deep)),
            "annotations[0].annotation_info.k",
        ),
    ):
        res = await transport.call(
            "PostAnnotations", s.PostAnnotationsRequest(annotations=[sent]), account.key_md
        )
        assert_refused(res, sc.ANNOTATION_INVALID_ARGUMENT, field)
    listed = await stub.ListAnnotations(
        s.ListAnnotationsRequest(input_ids=["in"]), metadata=account.key_md
    )
    assert all(not a.data.HasField("metadata") for a in listed.annotations)
    got = await stub.GetInput(s.GetInputRequest(input_id="in"), metadata=account.key_md)
    assert not got.input.data.metadata.fields

    res = await transport.call(
        "PostConcepts",
        s.PostConceptsRequest(concepts=[r.Concept(id="c", metadata=as_struct(too_deep))]),
        account.key_md,
    )
    assert_refused(res, sc.CONCEPTS_INVALID_REQUEST, "concepts[0].metadata.k")


# ---- bounded responses ----

INLINE_TEXT = 2_000
BUDGET = 5_000


@pytest.fixture(scope="module")
async def small_server(settings: Settings) -> AsyncIterator[Running]:
    """A server (on the session's database) answering texts above
    INLINE_TEXT bytes by url and lists of at most BUDGET bytes."""
    small = replace(settings, inline_text_bytes=INLINE_TEXT, response_max_bytes=BUDGET)
    running = await start(small, open_database(small))
    yield running
    await running.stop(0)


@pytest.fixture(scope="module")
async def small_stub(small_server: Running) -> AsyncIterator[service_pb2_grpc.V2Stub]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{small_server.grpc_port}") as channel:
        yield service_pb2_grpc.V2Stub(channel)


@pytest.fixture(params=["grpc", "rest"])
async def small(request, small_server, small_stub) -> AsyncIterator[Transport]:
    if request.param == "grpc":
        yield GrpcTransport(small_stub)
    else:
        async with aiohttp.ClientSession() as http:
            yield RestTransport(f"http://127.0.0.1:{small_server.rest_port}", http)


@pytest.fixture
async def small_account(small_server: Running) -> Account:
    user_id = f"u{uuid.uuid4().hex[:10]}"
    return Account(**await bootstrap.create(small_server.db, user_id=user_id, app_id="main"))


def texts(count: int, size: int) -> list[r.Input]:
    return [r.Input(id=f"t{n}", data=r.Data(text=r.Text(raw=f"{n}" * size))) for n in range(count)]


async def test_long_texts_are_answered_by_url(small, small_stub, small_account):
    md = small_account.key_md
    long, short = "é" * (INLINE_TEXT // 2 + 1), "é" * (INLINE_TEXT // 2)
    sent = [
        r.Input(id="long", data=r.Data(text=r.Text(raw=long))),
        r.Input(id="short", data=r.Data(text=r.Text(raw=short))),
    ]
    posted = await small.call("PostInputs", s.PostInputsRequest(inputs=sent), md)
    assert posted.status.code == sc.SUCCESS, posted.status
    listed = await small.call("ListInputs", s.ListInputsRequest(), md)
    streamed = await small.call("StreamInputs", s.StreamInputsRequest(), md)
    for answer in (posted, listed, streamed):
        shown = {i.id: i.data.text for i in answer.inputs}
        assert shown["short"].raw == short
        assert shown["long"].raw == "" and shown["long"].url and shown["long"].hosted.suffix
    async with aiohttp.ClientSession() as http, http.get(shown["long"].url) as res:
        assert res.status == 200 and (await res.read()).decode() == long
    got = await small.call("GetInput", s.GetInputRequest(input_id="long"), md)
    assert got.input.data.text.raw == long


async def test_stream_pages_stop_at_the_budget(small, small_stub, small_account):
    md = small_account.key_md
    # Each input takes a little over 2,000 bytes: two fit in BUDGET.
    res = await small_stub.PostInputs(
        s.PostInputsRequest(inputs=texts(7, INLINE_TEXT - 100)), metadata=md
    )
    assert res.status.code == sc.SUCCESS, res.status
    seen: list[str] = []
    last_id, pages = "", 0
    while True:
        page = await small.call(
            "StreamInputs", s.StreamInputsRequest(per_page=100, last_id=last_id), md
        )
        assert page.status.code == sc.SUCCESS, page.status
        if not page.inputs:
            break
        assert page.ByteSize() <= BUDGET + 100
        assert all(i.data.text.raw for i in page.inputs)
        seen += [i.id for i in page.inputs]
        last_id, pages = page.inputs[-1].id, pages + 1
    assert sorted(seen) == [f"t{n}" for n in range(7)] and len(seen) == 7
    assert pages == 4


async def test_offset_pages_past_the_budget_are_refused(small, small_stub, small_account):
    md = small_account.key_md
    res = await small_stub.PostInputs(
        s.PostInputsRequest(inputs=texts(7, INLINE_TEXT - 100)), metadata=md
    )
    assert res.status.code == sc.SUCCESS, res.status
    res = await small.call("ListInputs", s.ListInputsRequest(per_page=100), md)
    assert_refused(res, sc.RPC_MAX_MESSAGE_SIZE_EXCEEDED, "per_page")
    assert not res.inputs
    seen = []
    for page in (1, 2, 3, 4):
        res = await small.call("ListInputs", s.ListInputsRequest(page=page, per_page=2), md)
        assert res.status.code == sc.SUCCESS, res.status
        seen += [i.id for i in res.inputs]
    assert sorted(seen) == [f"t{n}" for n in range(7)] and len(seen) == 7

    res = await small.call(
        "PostAnnotations",
        s.PostAnnotationsRequest(
            annotations=[
                r.Annotation(input_id=f"t{n}", data=r.Data(metadata=as_struct({"pad": "x" * 2000})))
                for n in range(3)
            ]
        ),
        md,
    )
    assert res.status.code == sc.SUCCESS, res.status
    res = await small.call(
        "ListAnnotations", s.ListAnnotationsRequest(list_all_annotations=True), md
    )
    assert_refused(res, sc.RPC_MAX_MESSAGE_SIZE_EXCEEDED, "per_page")
    res = await small.call(
        "ListAnnotations", s.ListAnnotationsRequest(list_all_annotations=True, per_page=2), md
    )
    assert res.status.code == sc.SUCCESS and len(res.annotations) == 2


async def test_dataset_inputs_within_the_budget(small, small_stub, small_account):
    md = small_account.key_md
    res = await small_stub.PostDatasets(
        s.PostDatasetsRequest(datasets=[r.Dataset(id="ds")]), metadata=md
    )
    assert res.status.code == sc.SUCCESS, res.status
    sent = texts(4, INLINE_TEXT - 100) + [
        r.Input(id="long", data=r.Data(text=r.Text(raw="x" * (INLINE_TEXT + 1))))
    ]
    for i in sent:
        i.dataset_ids.append("ds")
    res = await small_stub.PostInputs(s.PostInputsRequest(inputs=sent), metadata=md)
    assert res.status.code == sc.SUCCESS, res.status
    res = await small.call(
        "ListDatasetInputs", s.ListDatasetInputsRequest(dataset_id="ds", per_page=100), md
    )
    assert_refused(res, sc.RPC_MAX_MESSAGE_SIZE_EXCEEDED, "per_page")
    seen = {}
    for page in (1, 2, 3):
        res = await small.call(
            "ListDatasetInputs",
            s.ListDatasetInputsRequest(dataset_id="ds", page=page, per_page=2),
            md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        seen.update({d.input.id: d.input.data.text for d in res.dataset_inputs})
    assert sorted(seen) == ["long", "t0", "t1", "t2", "t3"]
    assert seen["long"].raw == "" and seen["long"].url and seen["t0"].raw


async def _searches_recorded(server: Running, account: Account) -> set[str]:
    async with server.db.transaction() as session:
        pk = (await session.execute(select(App.pk).where(App.user_id == account.user_id))).scalar()
        q = select(SearchRecord.id).where(SearchRecord.app_pk == pk)
        return set((await session.execute(q)).scalars())


async def test_a_search_past_the_budget_is_refused_and_not_recorded(
    small, small_stub, small_server, small_account
):
    # A search's record is written while it runs: one that fails takes its
    # record back, so that no id is stored that no answer gave.
    md = small_account.key_md
    res = await small_stub.PostInputs(
        s.PostInputsRequest(inputs=texts(7, INLINE_TEXT - 100)), metadata=md
    )
    assert res.status.code == sc.SUCCESS, res.status
    every = r.Search(query=r.Query())
    before = await _searches_recorded(small_server, small_account)
    for _ in range(3):
        res = await small.call(
            "PostInputsSearches",
            s.PostInputsSearchesRequest(searches=[every], pagination=s.Pagination(per_page=100)),
            md,
        )
        assert_refused(res, sc.RPC_MAX_MESSAGE_SIZE_EXCEEDED, "per_page")
        assert not res.id and not res.hits
    assert await _searches_recorded(small_server, small_account) == before
    res = await small.call(
        "PostInputsSearches",
        s.PostInputsSearchesRequest(searches=[every], pagination=s.Pagination(per_page=2)),
        md,
    )
    assert res.status.code == sc.SUCCESS and len(res.hits) == 2, res.status
    assert await _searches_recorded(small_server, small_account) == before | {res.id}
