"""Inputs over gRPC: posting (URL, bytes, text; metadata, geo, concepts,
datasets), reading, listing, streaming, patching, deleting, counting, the
background downloader and the hosted media route."""

from __future__ import annotations

import asyncio
import re
import zlib
from dataclasses import replace
from struct import pack

import aiohttp
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from clarifai.api.status import status_pb2

from server import fetch, jobs
from server.fetch import AddressGuard, Fetcher, RefusedAddressError
from storage import blobs
from storage import inputs as input_store
from storage import jobs as job_store
from storage.concepts import ConceptStorage
from storage.inputs import InputStorage
from tests.helpers import app_pk, app_scope, md, png, struct

DUPLICATE_URL = "Duplicate URL in your application. Check the documentation to allow duplications."


def png_header(width: int, height: int) -> bytes:
    """A 1-bit PNG that declares its size without holding the pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return pack(">I", len(body)) + kind + body + pack(">I", crc)

    head = pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def image_url(url: str, **data) -> r.Input:
    return r.Input(data=r.Data(image=r.Image(url=url, allow_duplicate_url=True), **data))


def text(raw: str, input_id: str = "", **data) -> r.Input:
    return r.Input(id=input_id, data=r.Data(text=r.Text(raw=raw), **data))


async def post(stub, account, *inputs: r.Input, **kw):
    return await stub.PostInputs(s.PostInputsRequest(inputs=inputs, **kw), metadata=account.key_md)


async def get(stub, account, input_id: str):
    return await stub.GetInput(s.GetInputRequest(input_id=input_id), metadata=account.key_md)


async def counts(stub, account) -> r.InputCount:
    res = await stub.GetInputCount(s.GetInputCountRequest(), metadata=account.key_md)
    assert res.status.code == sc.SUCCESS, res.status
    return res.counts


async def total(stub, account) -> int:
    c = await counts(stub, account)
    return c.processed + c.to_process + c.errors + c.processing


async def settle(stub, account, input_id: str, timeout: float = 15.0) -> r.Input:
    """The input once its download is over (success or failure)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        res = await get(stub, account, input_id)
        assert res.status.code == sc.SUCCESS, res.status
        if res.input.status.code not in (sc.INPUT_PENDING, sc.INPUT_IN_PROGRESS):
            return res.input
        assert asyncio.get_running_loop().time() < deadline, res.input.status
        await asyncio.sleep(0.05)


class TestPostInputs:
    async def test_bytes_text_and_url_with_metadata_geo_concepts(self, stub, account, server):
        res = await post(
            stub,
            account,
            r.Input(
                id="truck",
                data=r.Data(
                    image=r.Image(base64=png(4, 3)),
                    concepts=[r.Concept(id="truck", value=1), r.Concept(id="car", value=0)],
                    metadata=struct(key1=123, key2={"inner": "v"}),
                    geo=r.Geo(geo_point=r.GeoPoint(longitude=55.0, latitude=66.5)),
                ),
            ),
            text("a red truck", concepts=[r.Concept(id="truck", name="Truck!", value=1)]),
            r.Input(data=r.Data(video=r.Video(url="https://example.com/v.mp4"))),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.status.description == "Ok"
        truck, note, video = res.inputs
        assert truck.id == "truck" and truck.status.code == sc.INPUT_SUCCESS
        assert re.fullmatch(r"[0-9a-f]{32}", note.id)
        assert note.status.code == sc.INPUT_SUCCESS
        # URL inputs are downloaded in the background.
        assert video.status.code == sc.INPUT_PENDING
        assert video.status.description == "Download pending"

        got = (await get(stub, account, "truck")).input
        assert got.status.description == "Download complete"
        assert [(c.id, c.name, c.value) for c in got.data.concepts] == [
            ("truck", "truck", 1.0),
            ("car", "car", 0.0),
        ]
        assert got.data.metadata["key1"] == 123
        assert got.data.metadata["key2"]["inner"] == "v"
        assert (got.data.geo.geo_point.longitude, got.data.geo.geo_point.latitude) == (55, 66.5)
        info = got.data.image.image_info
        assert (info.width, info.height, info.format, info.color_mode) == (4, 3, "PNG", "RGB")
        hosted = got.data.image.hosted
        assert hosted.suffix.startswith(f"users/{account.user_id}/apps/main/inputs/image/")
        assert list(hosted.sizes) == ["orig", "tiny", "small", "large"]
        # Sent as bytes: the url is the original's, presigned.
        assert got.data.image.url.startswith(f"{hosted.prefix}/orig/{hosted.suffix}?Expires=")
        assert not got.data.image.base64
        # The bytes are in the blob store, not in the row.
        name = hosted.suffix.rsplit("/", 1)[1]
        store = blobs.store_for(server.dispatcher.settings.data_dir)
        pk = await app_pk(server, account)
        assert (await store.stat(f"{pk}/{name}")).size == len(png(4, 3))

        got_text = (await get(stub, account, note.id)).input
        assert got_text.data.text.raw == "a red truck"
        assert got_text.data.text.hosted.suffix
        assert list(got_text.data.text.hosted.sizes) == ["orig"]
        # An existing concept keeps its name; new ones are created, named by id.
        assert got_text.data.concepts[0].name == "truck"
        app = await app_scope(server, account)
        async with server.db.transaction() as session:
            stored = await ConceptStorage(session, app).get_many(["car"])
        assert stored["car"].name == "car"

    async def test_annotation_is_input_level_by_the_caller(self, stub, account, server):
        await post(stub, account, text("x", "with-concepts", concepts=[r.Concept(id="c1")]))
        from sqlalchemy import select

        from storage.annotations import Annotation

        async with server.db.transaction() as session:
            rows = (
                await session.scalars(
                    select(Annotation).where(Annotation.input_id == "with-concepts")
                )
            ).all()
        assert len(rows) == 1
        (ann,) = rows
        assert ann.input_level and ann.user_id == account.user_id
        assert ann.status_code == sc.ANNOTATION_SUCCESS
        assert ann.data == {"concepts": [{"id": "c1", "value": 0.0, "name": "c1"}]}

    @pytest.mark.parametrize(
        ("inputs", "code", "field"),
        [
            ([], sc.INPUT_INVALID_REQUEST, "inputs"),
            ([text("x")] * 129, sc.INPUT_INVALID_REQUEST, "inputs"),
            ([text("x", "bad id")], sc.INPUT_INVALID_REQUEST, "inputs[0].id"),
            ([r.Input(id="a")], sc.INPUT_INVALID_REQUEST, "inputs[0].data"),
            (
                [
                    r.Input(
                        data=r.Data(image=r.Image(url="https://e.com/a.jpg"), text=r.Text(raw="x"))
                    )
                ],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data",
            ),
            (
                [r.Input(data=r.Data(image=r.Image(url="https://e.com/a.jpg", base64=b"x")))],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data.image",
            ),
            (
                [text("ok"), r.Input(data=r.Data(image=r.Image(url="ftp://e.com/a.jpg")))],
                sc.INPUT_INVALID_URL,
                "inputs[1].data.image.url",
            ),
            (
                [text("x", concepts=[r.Concept(name="no id")])],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data.concepts[0].id",
            ),
            (
                [text("x", concepts=[r.Concept(id="c", value=2)])],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data.concepts[0].value",
            ),
            (
                [text("x", concepts=[r.Concept(id="c"), r.Concept(id="c")])],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data.concepts[1].id",
            ),
            (
                [text("x", geo=r.Geo(geo_point=r.GeoPoint(longitude=1, latitude=91)))],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data.geo.geo_point.latitude",
            ),
            (
                [
                    text(
                        "x",
                        geo=r.Geo(
                            geo_point=r.GeoPoint(longitude=1, latitude=2),
                            geo_limit=r.GeoLimit(type="withinMiles", value=3),
                        ),
                    )
                ],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data.geo.geo_limit",
            ),
            (
                [text("x", regions=[r.Region(id="r")])],
                sc.INPUT_INVALID_REQUEST,
                "inputs[0].data.regions",
            ),
            ([text("x", "same"), text("y", "same")], sc.DATABASE_DUPLICATE_KEY, "inputs[1].id"),
            (
                [r.Input(data=r.Data(text=r.Text(raw="x")), dataset_ids=["nope"])],
                sc.CONN_DOES_NOT_EXIST,
                "inputs[0].dataset_ids[0]",
            ),
        ],
    )
    async def test_validation(self, stub, account, inputs, code, field):
        res = await post(stub, account, *inputs)
        assert res.status.code == code, res.status
        assert res.status.details.startswith(field), res.status.details
        assert not res.inputs
        assert await total(stub, account) == 0

    async def test_existing_id_skips_that_input(self, stub, account):
        await post(stub, account, text("first", "taken"))
        res = await post(stub, account, text("again", "taken"), text("new", "fresh"))
        assert res.status.code == sc.MIXED_STATUS, res.status
        assert res.status.description == "Mixed Success"
        taken, fresh = res.inputs
        assert taken.status.code == sc.DATABASE_DUPLICATE_KEY
        assert taken.id == "taken"
        assert taken.status.details == "Input has a duplicate ID."
        assert "inputs[0].id 'taken'" in taken.status.developer_notes
        assert fresh.status.code == sc.INPUT_SUCCESS
        assert (await get(stub, account, "taken")).input.data.text.raw == "first"
        assert await total(stub, account) == 2

    async def test_duplicate_id_in_the_reference_words(self, transport, account):
        """The clarifai SDK's dataset upload tells a duplicate from a failure
        by the input's status.details, compared with exactly "Input has a
        duplicate ID." (clarifai/client/dataset.py, _delete_failed_inputs):
        over both transports, alone in a request or beside a new input."""
        md = account.key_md
        first = s.PostInputsRequest(inputs=[text("first", "dup")])
        await transport.call("PostInputs", first, md)
        alone = await transport.call(
            "PostInputs", s.PostInputsRequest(inputs=[text("again", "dup")]), md, http_status=400
        )
        assert alone.status.code == sc.FAILURE
        (echoed,) = alone.inputs
        assert echoed.id == "dup" and echoed.data.text.raw == "again"
        assert echoed.status.code == sc.DATABASE_DUPLICATE_KEY
        assert echoed.status.details == "Input has a duplicate ID."
        mixed = await transport.call(
            "PostInputs",
            s.PostInputsRequest(inputs=[text("new", "other"), text("again", "dup")]),
            md,
            http_status=207,
        )
        assert mixed.status.code == sc.MIXED_STATUS
        assert [i.status.details for i in mixed.inputs] == ["", "Input has a duplicate ID."]
        kept = await transport.call("GetInput", s.GetInputRequest(input_id="dup"), md)
        assert kept.input.data.text.raw == "first"

    async def test_every_input_failing_writes_nothing(self, stub, account):
        await post(stub, account, text("first", "taken"))
        res = await post(stub, account, text("again", "taken"), input_id_conflict_resolution=r.SKIP)
        assert res.status.code == sc.FAILURE
        assert res.inputs[0].status.code == sc.DATABASE_DUPLICATE_KEY
        assert await total(stub, account) == 1

    async def test_suffix(self, stub, account):
        await post(stub, account, text("0", "doc"))
        res = await post(stub, account, text("1", "doc"), input_id_conflict_resolution=r.SUFFIX)
        assert res.inputs[0].id == "doc-1"
        res = await post(stub, account, text("2", "doc"), input_id_conflict_resolution=r.SUFFIX)
        assert res.inputs[0].id == "doc-2"
        assert (await get(stub, account, "doc-2")).input.data.text.raw == "2"

    async def test_suffix_keeps_long_ids_within_the_limit(self, stub, account):
        # 48 characters; shortened to 46, the base would end in "_".
        long_id = "a" * 45 + "_bc"
        await post(stub, account, text("0", long_id))
        suffixed = []
        for raw in ("1", "2"):
            res = await post(
                stub, account, text(raw, long_id), input_id_conflict_resolution=r.SUFFIX
            )
            assert res.status.code == sc.SUCCESS, res.status
            suffixed.append(res.inputs[0].id)
        assert suffixed == ["a" * 45 + "-1", "a" * 45 + "-2"]
        got = await get(stub, account, suffixed[1])
        assert got.status.code == sc.SUCCESS, got.status
        assert got.input.data.text.raw == "2"

    async def test_duplicate_url(self, stub, account):
        url = "https://example.com/cat.jpg"
        first = r.Input(data=r.Data(image=r.Image(url=url)))
        res = await post(stub, account, first)
        assert res.status.code == sc.SUCCESS
        res = await post(stub, account, first, text("other"))
        assert res.status.code == sc.MIXED_STATUS
        dup = res.inputs[0]
        assert dup.status.code == sc.INPUT_DUPLICATE
        assert dup.status.description == DUPLICATE_URL
        assert "inputs[0].data.image.url" in dup.status.details
        # The same URL twice in one request, too.
        res = await post(
            stub,
            account,
            r.Input(data=r.Data(image=r.Image(url=url + "?2"))),
            r.Input(data=r.Data(image=r.Image(url=url + "?2"))),
        )
        assert [i.status.code for i in res.inputs] == [sc.INPUT_PENDING, sc.INPUT_DUPLICATE]
        res = await post(stub, account, image_url(url))
        assert res.status.code == sc.SUCCESS

    async def test_bytes_that_are_not_an_image(self, stub, account):
        res = await post(
            stub,
            account,
            r.Input(data=r.Data(image=r.Image(base64=b"plain text, no picture"))),
            text("fine"),
        )
        assert res.status.code == sc.MIXED_STATUS
        bad = res.inputs[0]
        assert bad.status.code == sc.INPUT_FAILED
        assert bad.status.details.startswith("inputs[0].data.image.base64: ")
        assert not bad.data.image.base64
        assert await total(stub, account) == 1

    async def test_image_too_large_to_open(self, stub, account):
        """A header claiming more pixels than the image library will open at
        all fails that input, like any image over the limit."""
        res = await post(
            stub,
            account,
            r.Input(data=r.Data(image=r.Image(base64=png_header(20_000, 20_000)))),
            r.Input(data=r.Data(image=r.Image(base64=png_header(10_000, 10_000)))),
            text("fine"),
        )
        assert res.status.code == sc.MIXED_STATUS, res.status
        for bad in res.inputs[:2]:
            assert bad.status.code == sc.INPUT_FAILED, bad.status
            assert "the limit is 85000000" in bad.status.details, bad.status.details
        assert await total(stub, account) == 1

    async def test_bytes_of_a_rolled_back_request_are_removed(
        self, stub, account, server, monkeypatch
    ):
        async def broken(*_args, **_kw):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(InputStorage, "add", broken)
        res = await post(stub, account, r.Input(data=r.Data(image=r.Image(base64=png()))))
        assert res.status.code == sc.INTERNAL_UNCATEGORIZED
        folder = server.dispatcher.settings.data_dir / "blobs" / str(await app_pk(server, account))
        for _ in range(100):
            if not any(folder.glob("*")):
                break
            await asyncio.sleep(0.02)
        assert not any(folder.glob("*"))

    async def test_dataset_ids(self, stub, account):
        made = await stub.PostDatasets(
            s.PostDatasetsRequest(datasets=[r.Dataset(id="ds")]), metadata=account.key_md
        )
        assert made.status.code == sc.SUCCESS, made.status
        res = await post(
            stub,
            account,
            r.Input(id="in-ds", data=r.Data(text=r.Text(raw="x")), dataset_ids=["ds"]),
        )
        assert res.status.code == sc.SUCCESS, res.status
        listed = await stub.ListDatasetInputs(
            s.ListDatasetInputsRequest(dataset_id="ds"), metadata=account.key_md
        )
        assert [d.input.id for d in listed.dataset_inputs] == ["in-ds"]

    async def test_with_a_pat_and_user_app_id(self, stub, account):
        res = await stub.PostInputs(
            s.PostInputsRequest(
                user_app_id=r.UserAppIDSet(user_id="me", app_id="main"), inputs=[text("hi")]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status


class TestGetInput:
    async def test_missing(self, transport, account):
        res = await transport.call(
            "GetInput", s.GetInputRequest(input_id="nope"), account.key_md, http_status=404
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert res.status.description == "Resource does not exist"
        assert "input_id: input 'nope' not found" in res.status.details

    async def test_deleted_input_answers_conn_does_not_exist(self, transport, account):
        """Clarifai's own client tests wait for deleted inputs by polling
        GetInput until it answers CONN_DOES_NOT_EXIST (tests/common.py,
        wait_for_inputs_delete), after DeleteInputs and DeleteInput alike."""
        md = account.key_md
        await transport.call(
            "PostInputs", s.PostInputsRequest(inputs=[text("a", "a"), text("b", "b")]), md
        )
        assert (
            await transport.call("GetInput", s.GetInputRequest(input_id="a"), md)
        ).input.id == "a"
        deleted = await transport.call("DeleteInputs", s.DeleteInputsRequest(ids=["a"]), md)
        assert deleted.status.code == sc.SUCCESS
        await transport.call("DeleteInput", s.DeleteInputRequest(input_id="b"), md)
        for gone in ("a", "b"):
            res = await transport.call(
                "GetInput", s.GetInputRequest(input_id=gone), md, http_status=404
            )
            assert res.status.code == sc.CONN_DOES_NOT_EXIST, res.status
            assert not res.HasField("input")

    async def test_patch_and_delete_of_a_missing_input(self, transport, account):
        md = account.key_md
        patched = await transport.call(
            "PatchInputs",
            s.PatchInputsRequest(action="merge", inputs=[text("x", "ghost")]),
            md,
            http_status=404,
        )
        assert patched.status.code == sc.CONN_DOES_NOT_EXIST
        assert "inputs[0].id: input 'ghost' not found" in patched.status.details
        for rpc, request in (
            ("DeleteInput", s.DeleteInputRequest(input_id="ghost")),
            ("DeleteInputs", s.DeleteInputsRequest(ids=["ghost"])),
        ):
            res = await transport.call(rpc, request, md, http_status=404)
            assert res.status.code == sc.CONN_DOES_NOT_EXIST, rpc
            assert "'ghost' not found" in res.status.details, rpc

    async def test_other_app_invisible(self, stub, account, new_account):
        await post(stub, account, text("mine", "private"))
        other = await new_account()
        assert (await get(stub, other, "private")).status.code == sc.CONN_DOES_NOT_EXIST
        listed = await stub.ListInputs(s.ListInputsRequest(), metadata=other.key_md)
        assert list(listed.inputs) == []
        assert await total(stub, other) == 0
        deleted = await stub.DeleteInputs(
            s.DeleteInputsRequest(ids=["private"]), metadata=other.key_md
        )
        assert deleted.status.code == sc.CONN_DOES_NOT_EXIST
        patched = await stub.PatchInputs(
            s.PatchInputsRequest(action="merge", inputs=[text("x", "private")]),
            metadata=other.key_md,
        )
        assert patched.status.code == sc.CONN_DOES_NOT_EXIST
        assert (await get(stub, account, "private")).input.data.text.raw == "mine"


class TestListInputs:
    async def test_pages_newest_first(self, stub, account):
        for n in range(5):
            await post(stub, account, text(str(n), f"i{n}"))

        async def page(**kw):
            res = await stub.ListInputs(s.ListInputsRequest(**kw), metadata=account.key_md)
            assert res.status.code == sc.SUCCESS, res.status
            return [i.id for i in res.inputs]

        assert await page() == ["i4", "i3", "i2", "i1", "i0"]
        assert await page(per_page=2) == ["i4", "i3"]
        assert await page(per_page=2, page=2) == ["i2", "i1"]
        assert await page(per_page=2, page=3) == ["i0"]
        assert await page(per_page=2, page=4) == []
        assert await page(ids=["i1", "i3", "zz"]) == ["i3", "i1"]
        assert await page(status=status_pb2.Status(code=sc.INPUT_SUCCESS), per_page=1, page=2) == [
            "i3"
        ]
        assert await page(status=status_pb2.Status(code=sc.INPUT_FAILED)) == []
        res = await stub.ListInputs(s.ListInputsRequest(per_page=1001), metadata=account.key_md)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "per_page" in res.status.details

    async def test_concepts_come_along(self, stub, account):
        await post(stub, account, text("x", "c", concepts=[r.Concept(id="dog", value=1)]))
        res = await stub.ListInputs(s.ListInputsRequest(), metadata=account.key_md)
        assert [c.id for c in res.inputs[0].data.concepts] == ["dog"]

    async def test_metadata_numbers_read_back_as_sent(self, stub, account):
        # 1e30 is stored by jsonb as a 31-digit integer: read past 64 bits.
        meta = struct(big=1e30, small=-2.5e-7, whole=2**53, nested={"list": [1e25, 0.1]})
        await post(stub, account, text("n", "numbers", metadata=meta))
        listed = await stub.ListInputs(s.ListInputsRequest(), metadata=account.key_md)
        got = (await get(stub, account, "numbers")).input
        for shown in (listed.inputs[0], got):
            assert shown.data.metadata == meta


class TestStreamInputs:
    async def test_cursor(self, stub, account):
        # One request: the same created_at, ordered by insertion.
        await post(stub, account, *[text(str(n), f"s{n:02}") for n in range(25)])

        async def stream(**kw):
            res = await stub.StreamInputs(s.StreamInputsRequest(**kw), metadata=account.key_md)
            assert res.status.code == sc.SUCCESS, res.status
            return [i.id for i in res.inputs]

        first = await stream()
        assert first == [f"s{n:02}" for n in range(20)]
        assert await stream(last_id="s19") == [f"s{n:02}" for n in range(20, 25)]
        assert await stream(per_page=3, descending=True) == ["s24", "s23", "s22"]
        assert await stream(per_page=2, last_id="s22", descending=True) == ["s21", "s20"]
        assert await stream(per_page=2, last_id="s05", order_by_id=True) == ["s06", "s07"]
        res = await stub.StreamInputs(
            s.StreamInputsRequest(last_id="gone"), metadata=account.key_md
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "last_id: input 'gone' not found" in res.status.details


class TestPatchInputs:
    async def _seed(self, stub, account):
        res = await post(
            stub,
            account,
            r.Input(
                id="p",
                data=r.Data(
                    image=r.Image(url="https://example.com/p.jpg", allow_duplicate_url=True),
                    concepts=[r.Concept(id="pos", value=1), r.Concept(id="neg", value=0)],
                    geo=r.Geo(geo_point=r.GeoPoint(longitude=55, latitude=66)),
                    metadata=struct(key1=123, key2={"a": 1, "b": 2}),
                ),
            ),
        )
        assert res.status.code == sc.SUCCESS, res.status

    async def _patch(self, stub, account, action, data):
        return await stub.PatchInputs(
            s.PatchInputsRequest(action=action, inputs=[r.Input(id="p", data=data)]),
            metadata=account.key_md,
        )

    async def test_merge(self, stub, account):
        await self._seed(stub, account)
        res = await self._patch(
            stub,
            account,
            "merge",
            r.Data(
                concepts=[r.Concept(id="another", value=1), r.Concept(id="neg", value=1)],
                geo=r.Geo(geo_point=r.GeoPoint(longitude=77, latitude=88)),
                metadata=struct(**{"new-key": "v", "key2": {"b": 3}}),
            ),
        )
        assert res.status.code == sc.SUCCESS, res.status
        for inp in (res.inputs[0], (await get(stub, account, "p")).input):
            assert [(c.id, c.value) for c in inp.data.concepts] == [
                ("pos", 1),
                ("neg", 1),
                ("another", 1),
            ]
            assert inp.data.geo.geo_point.longitude == 77
            assert inp.data.metadata["key1"] == 123
            assert inp.data.metadata["new-key"] == "v"
            assert dict(inp.data.metadata["key2"]) == {"a": 1, "b": 3}
            assert inp.data.image.url == "https://example.com/p.jpg"
        # The response shows the input as stored (its download may move on).
        patched = res.inputs[0]
        assert patched.data == (await get(stub, account, "p")).input.data
        assert patched.modified_at.ToNanoseconds() > patched.created_at.ToNanoseconds()

    async def test_a_patch_of_metadata_alone_keeps_the_concepts(self, stub, account):
        # Such a patch reads the concepts with the input and writes none.
        await self._seed(stub, account)
        before = (await get(stub, account, "p")).input
        res = await self._patch(stub, account, "merge", r.Data(metadata=struct(key3="x")))
        assert res.status.code == sc.SUCCESS, res.status
        after = (await get(stub, account, "p")).input
        for inp in (res.inputs[0], after):
            assert [(c.id, c.name, c.value) for c in inp.data.concepts] == [
                ("pos", "pos", 1),
                ("neg", "neg", 0),
            ]
            assert inp.data.metadata["key3"] == "x" and inp.data.metadata["key1"] == 123
        assert res.inputs[0].data == after.data
        assert after.modified_at.ToNanoseconds() > before.modified_at.ToNanoseconds()

    async def test_overwrite(self, stub, account):
        await self._seed(stub, account)
        res = await self._patch(
            stub, account, "overwrite", r.Data(concepts=[r.Concept(id="some-new-concept")])
        )
        assert res.status.code == sc.SUCCESS, res.status
        inp = (await get(stub, account, "p")).input
        assert [c.name for c in inp.data.concepts] == ["some-new-concept"]
        assert not inp.data.HasField("geo")
        assert not inp.data.metadata.fields
        assert inp.data.image.url == "https://example.com/p.jpg"

    async def test_remove(self, stub, account):
        await self._seed(stub, account)
        res = await self._patch(
            stub,
            account,
            "remove",
            r.Data(
                concepts=[r.Concept(id="neg")],
                geo=r.Geo(geo_point=r.GeoPoint()),
                metadata=struct(key2={"a": True}),
            ),
        )
        assert res.status.code == sc.SUCCESS, res.status
        inp = (await get(stub, account, "p")).input
        assert [c.id for c in inp.data.concepts] == ["pos"]
        assert not inp.data.HasField("geo")
        assert inp.data.metadata["key1"] == 123
        assert dict(inp.data.metadata["key2"]) == {"b": 2}

    async def test_validation_writes_nothing(self, stub, account):
        await self._seed(stub, account)
        before = (await get(stub, account, "p")).input
        res = await stub.PatchInputs(
            s.PatchInputsRequest(
                action="merge",
                inputs=[
                    r.Input(id="p", data=r.Data(metadata=struct(changed=True))),
                    r.Input(id="ghost", data=r.Data(metadata=struct(x=1))),
                ],
            ),
            metadata=account.key_md,
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert res.status.details.startswith("inputs[1].id: input 'ghost' not found")
        res = await self._patch(stub, account, "replace", r.Data())
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "action" in res.status.details
        res = await self._patch(
            stub, account, "merge", r.Data(concepts=[r.Concept(id="c", value=-1)])
        )
        assert res.status.code == sc.INPUT_INVALID_REQUEST
        assert res.status.details.startswith("inputs[0].data.concepts[0].value")
        assert (await get(stub, account, "p")).input.data == before.data


class TestDeleteInputs:
    async def test_delete_one_and_many(self, stub, account, server):
        res = await post(
            stub,
            account,
            r.Input(id="d1", data=r.Data(image=r.Image(base64=png()))),
            text("2", "d2", concepts=[r.Concept(id="x")]),
            text("3", "d3"),
        )
        hosted = res.inputs[0].data.image.hosted
        key = f"{await app_pk(server, account)}/{hosted.suffix.rsplit('/', 1)[1]}"
        store = blobs.store_for(server.dispatcher.settings.data_dir)
        assert await store.stat(key) is not None

        done = await stub.DeleteInput(s.DeleteInputRequest(input_id="d1"), metadata=account.key_md)
        assert done.status.code == sc.SUCCESS, done.status
        assert (await get(stub, account, "d1")).status.code == sc.CONN_DOES_NOT_EXIST
        for _ in range(100):  # the bytes go right after the commit
            if await store.stat(key) is None:
                break
            await asyncio.sleep(0.02)
        assert await store.stat(key) is None

        missing = await stub.DeleteInputs(
            s.DeleteInputsRequest(ids=["d2", "nope"]), metadata=account.key_md
        )
        assert missing.status.code == sc.CONN_DOES_NOT_EXIST
        assert missing.status.details.startswith("ids[1]: input 'nope' not found")
        assert await total(stub, account) == 2

        done = await stub.DeleteInputs(
            s.DeleteInputsRequest(ids=["d2", "d3"]), metadata=account.key_md
        )
        assert done.status.code == sc.SUCCESS, done.status
        assert await total(stub, account) == 0
        again = await stub.DeleteInput(s.DeleteInputRequest(input_id="d1"), metadata=account.key_md)
        assert again.status.code == sc.CONN_DOES_NOT_EXIST


class TestGetInputCount:
    async def test_counts_by_status(self, stub, account):
        assert await counts(stub, account) == r.InputCount()
        await post(stub, account, text("a"), text("b"))
        c = await counts(stub, account)
        assert (c.processed, c.to_process, c.errors, c.processing) == (2, 0, 0, 0)


# ---- the downloader and hosted media ----


class TestFetcher:
    async def test_download_and_hosted_media(
        self, stub, account, server, media_server, loopback_allowed
    ):
        base, image, _ = media_server
        res = await post(stub, account, image_url(f"{base}/truck.png"), image_url(f"{base}/moved"))
        assert [i.status.code for i in res.inputs] == [sc.INPUT_PENDING] * 2
        for sent in res.inputs:
            done = await settle(stub, account, sent.id)
            assert done.status.code == sc.INPUT_SUCCESS, done.status
            assert done.status.description == "Download complete"
            info = done.data.image.image_info
            assert (info.width, info.height, info.format) == (5, 7, "PNG")
            assert done.data.image.url.startswith(base)
        hosted = done.data.image.hosted
        url = f"http://127.0.0.1:{server.rest_port}/media/orig/{hosted.suffix}"
        async with aiohttp.ClientSession() as http:
            async with http.get(url, headers={"Authorization": f"Key {account.pat}"}) as resp:
                assert resp.status == 200
                assert resp.headers["Content-Type"] == "image/png"
                assert await resp.read() == image
            # Without credentials: 404, as the reference answers.
            async with http.get(url) as resp:
                assert resp.status == 404
                assert (await resp.json())["status"]["code"] == sc.CONN_DOES_NOT_EXIST
            other = await _other_key(server)
            async with http.get(url, headers={"Authorization": f"Key {other}"}) as resp:
                assert resp.status in (401, 404)
        assert (await counts(stub, account)).processed == 2

    async def test_failures_carry_their_cause(
        self, stub, account, server, media_server, loopback_allowed, monkeypatch
    ):
        base, _, _ = media_server
        res = await post(stub, account, image_url(f"{base}/missing.jpg"), image_url(f"{base}/page"))
        missing = await settle(stub, account, res.inputs[0].id)
        assert missing.status.code == sc.INPUT_FAILED
        assert missing.status.description.startswith("Download failed")
        assert missing.status.details == f"404 Client Error: Not Found for url: {base}/missing.jpg"
        page = await settle(stub, account, res.inputs[1].id)
        assert page.status.code == sc.INPUT_FAILED
        assert "not an image" in page.status.details
        assert (await counts(stub, account)).errors == 2

        monkeypatch.setattr(
            server.fetcher, "settings", replace(server.fetcher.settings, fetch_max_bytes=10)
        )
        res = await post(stub, account, image_url(f"{base}/truck.png"))
        big = await settle(stub, account, res.inputs[0].id)
        assert big.status.code == sc.INPUT_FAILED
        assert "larger than" in big.status.details

    async def test_two_fetchers_share_the_queue(
        self, stub, account, server, media_server, loopback_allowed
    ):
        """A second process's fetcher on the same database: every input is
        downloaded once, by one of them."""
        base, _, hits = media_server
        other = Fetcher(server.db, replace(server.fetcher.settings, fetch_allow_loopback=True))
        await other.start()
        try:
            res = await post(stub, account, *[image_url(f"{base}/n/{k}.png") for k in range(12)])
            assert res.status.code == sc.SUCCESS, res.status
            other.wake()
            for sent in res.inputs:
                assert (await settle(stub, account, sent.id)).status.code == sc.INPUT_SUCCESS
        finally:
            await other.stop()
        assert hits == {str(k): 1 for k in range(12)}

    async def test_a_download_interrupted_by_a_stop_waits_and_runs_again(
        self, stub, account, server, media_server, loopback_allowed
    ):
        base, _, hits = media_server
        res = await post(stub, account, image_url(f"{base}/slow/a.png"))
        input_id = res.inputs[0].id
        for _ in range(200):
            if hits.get("slow-a"):
                break
            await asyncio.sleep(0.02)
        await server.fetcher.stop()
        try:
            # The stopping process put the input back to waiting.
            assert (await get(stub, account, input_id)).input.status.code == sc.INPUT_PENDING
        finally:
            await server.fetcher.start()
        done = await settle(stub, account, input_id)
        assert done.status.code == sc.INPUT_SUCCESS, done.status
        assert hits["slow-a"] == 2

    async def test_a_download_whose_process_died_runs_after_the_lease(
        self, stub, account, server, media_server, loopback_allowed
    ):
        base, _, hits = media_server
        await server.fetcher.stop()
        try:
            res = await post(stub, account, image_url(f"{base}/n/dead.png"))
            input_id = res.inputs[0].id
            # Another process took the download, then died: its job stays
            # leased for a second, its input in progress.
            async with server.db.transaction() as session:
                claimed = (await job_store.claim(session, [fetch.FETCH], 1.0, limit=10)).jobs
                assert len(claimed) == 1
                started = await input_store.start_download(session, claimed[0].payload["input_pk"])
                assert started is not None and started.id == input_id
        finally:
            await server.fetcher.start()
        await asyncio.sleep(0.3)
        assert (await get(stub, account, input_id)).input.status.code == sc.INPUT_IN_PROGRESS
        assert "dead" not in hits
        done = await settle(stub, account, input_id)
        assert done.status.code == sc.INPUT_SUCCESS, done.status
        assert hits["dead"] == 1

    async def test_a_download_past_its_time_limit_fails_the_input(
        self, stub, account, server, settings, monkeypatch
    ):
        async def hang(*_):
            await asyncio.Event().wait()  # never set

        monkeypatch.setattr(fetch, "RECORD_SECONDS", 0.1)
        monkeypatch.setattr(jobs, "_backoff", lambda attempts: 0.1)
        hanging = Fetcher(server.db, replace(settings, fetch_timeout_s=0.1))
        monkeypatch.setattr(hanging, "download", hang)
        await server.fetcher.stop()
        await hanging.start()
        try:
            res = await post(stub, account, image_url("https://example.com/hangs.png"))
            # Three attempts, each cancelled at the limit; then the input fails.
            done = await settle(stub, account, res.inputs[0].id)
        finally:
            await hanging.stop()
            await server.fetcher.start()
        assert done.status.code == sc.INPUT_FAILED
        assert done.status.details == (
            "download failed: the job ran longer than its time limit of 0.2 s"
        )

    async def test_loopback_refused_by_default(self, stub, account, media_server):
        base, _, _ = media_server
        res = await post(stub, account, image_url(f"{base}/truck.png"))
        done = await settle(stub, account, res.inputs[0].id)
        assert done.status.code == sc.INPUT_FAILED
        assert "loopback" in done.status.details
        assert not done.data.image.hosted.suffix

    @pytest.mark.parametrize(
        ("address", "kind"),
        [
            ("127.0.0.1", "loopback"),
            ("::1", "loopback"),
            ("::ffff:127.0.0.1", "loopback"),
            ("10.1.2.3", "private"),
            ("192.168.0.1", "private"),
            ("169.254.169.254", "link-local"),
            ("fe80::1", "link-local"),
            ("0.0.0.0", "non-public"),
            ("100.64.0.1", "non-public"),
        ],
    )
    def test_guard(self, address, kind):
        with pytest.raises(RefusedAddressError, match=kind):
            AddressGuard().check("host", address)
        AddressGuard().check("example.com", "93.184.215.14")
        if kind == "loopback":
            AddressGuard(allow_loopback=True).check("localhost", address)


class TestFetchingDisabled:
    async def test_urls_stored_as_downloaded(self, settings, database_url):
        from server.main import open_database, start

        off = replace(settings, fetch_urls=False)
        running = await start(off, open_database(off))
        try:
            assert running.fetcher is None
            from server import bootstrap

            info = await bootstrap.create(running.db, user_id="", app_id="main")
            import grpc
            from clarifai.api import service_pb2_grpc

            async with grpc.aio.insecure_channel(f"127.0.0.1:{running.grpc_port}") as channel:
                stub = service_pb2_grpc.V2Stub(channel)
                res = await stub.PostInputs(
                    s.PostInputsRequest(inputs=[image_url("https://example.com/x.jpg")]),
                    metadata=md(info["api_key"]),
                )
            assert res.inputs[0].status.code == sc.INPUT_SUCCESS
        finally:
            await running.stop(0)


async def _other_key(server) -> str:
    from server import bootstrap

    info = await bootstrap.create(server.db, user_id="", app_id="main")
    return info["api_key"]


class TestRest:
    async def test_json_post_get_and_hosted_media(self, server, account):
        """The REST port: base64 in JSON, concepts default to value 1, and the
        hosted URL serves the bytes back to an authorized caller."""
        import base64

        rest = f"http://127.0.0.1:{server.rest_port}"
        image = png(6, 4, "green")
        body = {
            "inputs": [
                {
                    "id": "rest-1",
                    "data": {
                        "image": {"base64": base64.b64encode(image).decode()},
                        "concepts": [{"id": "tree"}],
                        "metadata": {"k": "v"},
                    },
                }
            ]
        }
        headers = {"Authorization": f"Key {account.api_key}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            async with http.post(f"{rest}/v2/inputs", json=body) as resp:
                posted = await resp.json()
                assert resp.status == 200, posted
            assert posted["inputs"][0]["status"]["code"] == sc.INPUT_SUCCESS
            async with http.get(f"{rest}/v2/inputs/rest-1") as resp:
                got = (await resp.json())["input"]
            assert got["data"]["concepts"][0]["value"] == 1
            assert got["data"]["metadata"] == {"k": "v"}
            hosted = got["data"]["image"]["hosted"]
            async with http.get(f"{rest}/media/orig/{hosted['suffix']}") as resp:
                assert resp.status == 200
                assert await resp.read() == image
            # Smaller than "small": never enlarged, so the same bytes.
            async with http.get(f"{rest}/media/small/{hosted['suffix']}") as resp:
                assert resp.status == 200
                assert await resp.read() == image
            async with http.get(f"{rest}/media/medium/{hosted['suffix']}") as resp:
                assert resp.status == 404
