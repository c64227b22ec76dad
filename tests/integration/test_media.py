"""The hosted media route on the REST port: the reference's sizes of images
(made on first request, kept, gone with the input), the ways to present
credentials (as the reference's secure data hosting takes them: its own
tests send each of these), and presigned URLs."""

from __future__ import annotations

import asyncio
import io
import json
from urllib.parse import urlsplit

import aiohttp
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image

from server import http_extra
from storage import blobs
from tests.helpers import app_key, app_pk, make_key, png

SIZES = ["orig", "tiny", "small", "large"]
DUMMY = "0" * 32  # no key's token


def jpeg(width: int, height: int, orientation: int = 0) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", (width, height), "navy")
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def encoded(fmt: str, width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, fmt)
    return out.getvalue()


async def post_bytes(stub, account, input_id: str, data: r.Data) -> r.Input:
    res = await stub.PostInputs(
        s.PostInputsRequest(inputs=[r.Input(id=input_id, data=data)]), metadata=account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    got = await stub.GetInput(s.GetInputRequest(input_id=input_id), metadata=account.key_md)
    return got.input


async def post_image(stub, account, input_id: str, image: bytes) -> r.Input:
    return await post_bytes(stub, account, input_id, r.Data(image=r.Image(base64=image)))


def size_url(hosted: r.HostedURL, size: str) -> str:
    return "/".join([hosted.prefix, size, hosted.suffix])  # as the reference's tests build it


async def fetch(rest, url, headers=None, cookies=None) -> tuple[int, str, bytes]:
    """GET a URL the server handed out (its host is the public address) on
    the test server, query included."""
    parts = urlsplit(url)
    where = rest + parts.path + (f"?{parts.query}" if parts.query else "")
    async with (
        aiohttp.ClientSession(cookies=cookies) as http,
        http.get(where, headers=headers or {}) as res,
    ):
        return res.status, res.headers.get("Content-Type", ""), await res.read()


def pixels(body: bytes) -> tuple[str, tuple[int, int], str]:
    with Image.open(io.BytesIO(body)) as img:
        return img.format, img.size, img.mode


def details(body: bytes) -> dict:
    return json.loads(body)["status"]


async def gone(store, key: str) -> bool:
    for _ in range(100):  # blobs go right after the commit
        if await store.stat(key) is None:
            return True
        await asyncio.sleep(0.02)
    return False


class TestSizes:
    async def test_each_size_fits_its_square(self, stub, account, rest):
        original = jpeg(2000, 1500)
        got = await post_image(stub, account, "big", original)
        hosted = got.data.image.hosted
        assert list(hosted.sizes) == SIZES
        auth = {"Authorization": f"Key {account.api_key}"}
        served = {}
        for size in SIZES:
            status, content_type, body = await fetch(rest, size_url(hosted, size), auth)
            assert status == 200 and content_type == "image/jpeg", size
            served[size] = body
        assert served["orig"] == original
        assert pixels(served["tiny"]) == ("JPEG", (128, 96), "RGB")
        assert pixels(served["small"]) == ("JPEG", (512, 384), "RGB")
        assert pixels(served["large"]) == ("JPEG", (1024, 768), "RGB")

    async def test_small_images_are_never_enlarged(self, stub, account, rest):
        original = png(6, 4, "green")
        got = await post_image(stub, account, "little", original)
        auth = {"Authorization": f"Key {account.pat}"}
        for size in SIZES:
            status, content_type, body = await fetch(
                rest, size_url(got.data.image.hosted, size), auth
            )
            assert (status, content_type, body) == (200, "image/png", original), size

    @pytest.mark.parametrize(
        ("fmt", "mode", "served_type", "served"),
        [
            ("PNG", "RGBA", "image/png", ("PNG", (512, 256), "RGBA")),
            ("WEBP", "RGB", "image/webp", ("WEBP", (512, 256), "RGB")),
            # Formats a browser may not show become PNG.
            ("GIF", "P", "image/png", ("PNG", (512, 256), "RGB")),
            ("TIFF", "RGB", "image/png", ("PNG", (512, 256), "RGB")),
            ("BMP", "RGB", "image/png", ("PNG", (512, 256), "RGB")),
        ],
    )
    async def test_formats(self, stub, account, rest, fmt, mode, served_type, served):
        got = await post_image(stub, account, "f", encoded(fmt, 1000, 500, mode))
        status, content_type, body = await fetch(
            rest, size_url(got.data.image.hosted, "small"), {"Authorization": f"Key {account.pat}"}
        )
        assert (status, content_type) == (200, served_type)
        assert pixels(body) == served

    async def test_copies_are_upright(self, stub, account, rest):
        # Stored 800x400, shown turned a quarter (EXIF orientation 6).
        got = await post_image(stub, account, "turned", jpeg(800, 400, orientation=6))
        _, _, body = await fetch(
            rest, size_url(got.data.image.hosted, "small"), {"Authorization": f"Key {account.pat}"}
        )
        assert pixels(body)[1] == (256, 512)

    async def test_a_copy_is_made_once_and_goes_with_its_input(self, stub, account, rest, server):
        got = await post_image(stub, account, "kept", jpeg(900, 600))
        hosted = got.data.image.hosted
        key = f"{await app_pk(server, account)}/{hosted.suffix.rsplit('/', 1)[1]}"
        copy = blobs.derived_key(key, "tiny.jpg")
        store = blobs.store_for(server.dispatcher.settings.data_dir)
        assert await store.stat(copy) is None
        auth = {"Authorization": f"Key {account.pat}"}
        status, _, first = await fetch(rest, size_url(hosted, "tiny"), auth)
        assert status == 200 and await store.stat(copy) is not None
        # A second request reads the kept copy (here replaced, to tell).
        await store.put(copy, b"the kept copy")
        assert (await fetch(rest, size_url(hosted, "tiny"), auth))[2] == b"the kept copy"

        done = await stub.DeleteInputs(s.DeleteInputsRequest(ids=["kept"]), metadata=account.key_md)
        assert done.status.code == sc.SUCCESS, done.status
        assert await gone(store, key) and await gone(store, copy)
        status, _, body = await fetch(rest, size_url(hosted, "tiny"), auth)
        assert status == 404 and details(body)["code"] == sc.CONN_DOES_NOT_EXIST

    async def test_copies_go_with_the_app(self, stub, account, rest, server):
        got = await post_image(stub, account, "kept", jpeg(900, 600))
        hosted = got.data.image.hosted
        key = f"{await app_pk(server, account)}/{hosted.suffix.rsplit('/', 1)[1]}"
        store = blobs.store_for(server.dispatcher.settings.data_dir)
        await fetch(rest, size_url(hosted, "large"), {"Authorization": f"Key {account.pat}"})
        copy = blobs.derived_key(key, "large.jpg")
        assert await store.stat(copy) is not None
        ids = r.UserAppIDSet(user_id="me", app_id="main")
        res = await stub.DeleteApp(s.DeleteAppRequest(user_app_id=ids), metadata=account.md())
        assert res.status.code == sc.SUCCESS, res.status
        assert await gone(store, copy)

    async def test_other_kinds_are_served_as_stored(self, stub, account, rest):
        got = await post_bytes(stub, account, "note", r.Data(text=r.Text(raw="a note")))
        hosted = got.data.text.hosted
        assert list(hosted.sizes) == ["orig"]
        auth = {"Authorization": f"Key {account.pat}"}
        status, content_type, body = await fetch(rest, size_url(hosted, "orig"), auth)
        assert (status, body) == (200, b"a note") and content_type.startswith("text/plain")
        for size in ("small", "thumbnail"):
            status, _, body = await fetch(rest, size_url(hosted, size), auth)
            assert status == 404 and details(body)["code"] == sc.CONN_DOES_NOT_EXIST

    async def test_a_raw_text_is_served_from_its_row(self, stub, account, rest, server):
        raw = "h\u00e9llo, w\u00f6rld \u2014 \U0001f600"
        got = await post_bytes(stub, account, "poem", r.Data(text=r.Text(raw=raw)))
        hosted = got.data.text.hosted
        key = f"{await app_pk(server, account)}/{hosted.suffix.rsplit('/', 1)[1]}"
        # No file holds it: the row's raw is the text.
        assert await blobs.store_for(server.dispatcher.settings.data_dir).stat(key) is None
        auth = {"Authorization": f"Key {account.pat}"}
        status, content_type, body = await fetch(rest, size_url(hosted, "orig"), auth)
        assert (status, body) == (200, raw.encode("utf-8"))
        assert content_type.startswith("text/plain")
        # The presigned url serves the same bytes without credentials.
        status, _, body = await fetch(rest, got.data.text.url, {})
        assert (status, body) == (200, raw.encode("utf-8"))
        res = await stub.DeleteInput(s.DeleteInputRequest(input_id="poem"), metadata=account.key_md)
        assert res.status.code == sc.SUCCESS, res.status
        status, _, body = await fetch(rest, size_url(hosted, "orig"), auth)
        assert status == 404 and details(body)["code"] == sc.CONN_DOES_NOT_EXIST

    async def test_unknown_size(self, stub, account, rest):
        got = await post_image(stub, account, "p", png())
        status, _, body = await fetch(
            rest, size_url(got.data.image.hosted, "medium"), {"Authorization": f"Key {account.pat}"}
        )
        assert status == 404 and "no hosted media" in details(body)["details"]


class TestCredentials:
    """The reference's secure data hosting test, in the same forms: every
    good one serves every size; a token nobody holds is 401 in every form;
    no credentials at all is 404."""

    async def test_every_form_for_every_size(self, stub, account, rest):
        got = await post_image(stub, account, "pic", jpeg(700, 300))
        good_headers = [
            {"Authorization": f"Key {account.api_key}"},
            {"Authorization": f"Key {account.pat}"},
            # No login sessions here: a session token is any key's token.
            {"X-Clarifai-Session-Token": account.pat},
        ]
        good_cookies = [
            {"x_clarifai_session_token": account.pat},
            {"x-clarifai-api-key": account.api_key},
            {"x-clarifai-api-key": account.pat},
        ]
        bad_headers = [
            {"X-Clarifai-Session-Token": DUMMY},
            {"Authorization": f"Key {DUMMY}"},
        ]
        bad_cookies = [{"x_clarifai_session_token": DUMMY}, {"x-clarifai-api-key": DUMMY}]
        for size in SIZES:
            url = size_url(got.data.image.hosted, size)
            for headers in good_headers:
                status, _, body = await fetch(rest, url, headers=headers)
                assert status == 200 and body, (size, headers)
            for cookies in good_cookies:
                status, _, body = await fetch(rest, url, cookies=cookies)
                assert status == 200 and body, (size, cookies)
            for headers in bad_headers:
                status, _, body = await fetch(rest, url, headers=headers)
                assert status == 401 and details(body)["code"] == sc.CONN_KEY_INVALID, headers
            for cookies in bad_cookies:
                status, _, body = await fetch(rest, url, cookies=cookies)
                assert status == 401, cookies
            status, _, body = await fetch(rest, url)
            assert status == 404 and details(body)["code"] == sc.CONN_DOES_NOT_EXIST
            assert "without credentials" in details(body)["details"]

    async def test_the_key_needs_the_rights_of_get_input(self, stub, account, rest):
        got = await post_image(stub, account, "pic", png())
        narrow = await make_key(stub, account, app_key(scopes=["Concepts_Get"]))
        status, _, body = await fetch(
            rest, size_url(got.data.image.hosted, "orig"), {"Authorization": f"Key {narrow}"}
        )
        assert status == 403 and details(body)["code"] == sc.CONN_INSUFFICIENT_SCOPES

    async def test_other_users_see_nothing(self, stub, account, rest, new_account):
        got = await post_image(stub, account, "pic", png())
        other = await new_account()
        status, _, body = await fetch(
            rest,
            size_url(got.data.image.hosted, "orig"),
            cookies={"x-clarifai-api-key": other.pat},
        )
        assert status == 404 and details(body)["code"] == sc.CONN_DOES_NOT_EXIST


class TestPresignedUrls:
    async def test_media_sent_as_bytes_has_a_presigned_url(self, stub, account, rest):
        original = png(5, 5, "blue")
        got = await post_image(stub, account, "pic", original)
        url = got.data.image.url
        hosted = got.data.image.hosted
        assert url.startswith(size_url(hosted, "orig") + "?Expires=")
        assert "&Signature=" in url
        assert await fetch(rest, url) == (200, "image/png", original)
        # Read the same way by every call that shows the input.
        listed = await stub.ListInputs(s.ListInputsRequest(), metadata=account.key_md)
        assert urlsplit(listed.inputs[0].data.image.url).path == urlsplit(url).path

    async def test_a_signature_is_for_its_own_path_and_time(self, stub, account, rest, server):
        got = await post_image(stub, account, "pic", jpeg(900, 900))
        url = got.data.image.url
        # Another size under the same signature.
        status, _, body = await fetch(rest, url.replace("/orig/", "/small/"))
        assert status == 403 and details(body)["code"] == sc.CONN_CREDENTIALS_INVALID
        assert "does not match" in details(body)["details"]
        path = urlsplit(url).path
        expired = http_extra.signed_url(server.dispatcher.settings, path, now=1_000_000)
        status, _, body = await fetch(rest, expired)
        assert status == 403 and "expired at 1970-01-12T" in details(body)["details"]
        # A bad signature is refused even beside good credentials.
        status, _, _ = await fetch(rest, expired, {"Authorization": f"Key {account.pat}"})
        assert status == 403

    async def test_a_presigned_url_ends_with_its_input(self, stub, account, rest):
        got = await post_image(stub, account, "pic", png())
        done = await stub.DeleteInputs(s.DeleteInputsRequest(ids=["pic"]), metadata=account.key_md)
        assert done.status.code == sc.SUCCESS, done.status
        for _ in range(100):
            status, _, body = await fetch(rest, got.data.image.url)
            if status == 404:
                break
            await asyncio.sleep(0.02)
        assert status == 404 and details(body)["code"] == sc.CONN_DOES_NOT_EXIST

    def test_processes_sharing_a_data_directory_sign_alike(self, settings):
        path = "/exports/users/u/apps/a/datasets/d/versions/v/coco.zip"
        first = http_extra.signed_url(settings, path, now=1_000)
        # The key is in the data directory: another process reads the same.
        http_extra._secret.cache_clear()
        assert http_extra.signed_url(settings, path, now=1_000) == first
        assert (settings.data_dir / http_extra.SECRET_FILE).stat().st_mode & 0o077 == 0
