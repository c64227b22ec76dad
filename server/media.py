"""Media of inputs: the kinds, their documented size limits, what bytes are
(sniffed, never trusted from names or headers), hosted URLs, and the REST
port's download route for them.

A hosted URL is `<prefix>/<size>/<suffix>` as the reference builds them;
only the original size ("orig") is served. Downloads need the same rights as
GetInput: an `Authorization: Key ...` header of a key that may read the app.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from typing import Any

import filetype
from aiohttp import web
from clarifai.api import resources_pb2
from PIL import Image, UnidentifiedImageError

from server import contract, http_extra
from server.auth import authorize
from server.config import Settings
from server.logs import log_call, new_request_id
from server.rest_app import DISPATCHER, REQUEST_ID_HEADER, to_json
from server.status import ApiError, Code, http_status, make_status
from storage import blobs
from storage.apps import AppScope

KINDS = ("image", "video", "audio", "text")
MB = 1_000_000
# The documented limits: images, audio and text 20 MB each; video 300 MB by
# URL and, as bytes, what a 128 MB request holds.
URL_LIMITS = {"image": 20 * MB, "video": 300 * MB, "audio": 20 * MB, "text": 20 * MB}
BYTES_LIMITS = {"image": 20 * MB, "video": 128 * MB, "audio": 20 * MB, "text": 20 * MB}
IMAGE_FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "WEBP", "GIF")
MAX_PIXELS = 85_000_000
SIZES = ["orig"]
TEXT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Examined:
    content_type: str
    image_info: dict[str, Any] | None = None
    # Why the bytes cannot be an input of their kind; empty when they can.
    problem: str = ""


def examine(kind: str, data: bytes) -> Examined:
    """The media type of an input's bytes and, for images, their ImageInfo.
    Images must be one of the documented formats; text must be UTF-8."""
    guessed = filetype.guess_mime(data[:8192])
    if kind == "text":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Examined(TEXT_TYPE, problem=f"the text is not UTF-8 ({exc.reason})")
        return Examined(TEXT_TYPE)
    if kind != "image":
        return Examined(guessed or "application/octet-stream")
    if not guessed or not guessed.startswith("image/"):
        found = guessed or "no known media type"
        return Examined(guessed or "", problem=f"the bytes are not an image ({found})")
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            fmt, mode = img.format or "", img.mode
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return Examined(guessed, problem=f"the image cannot be read: {exc}")
    if fmt not in IMAGE_FORMATS:
        return Examined(
            guessed, problem=f"image format {fmt} is not supported; use {', '.join(IMAGE_FORMATS)}"
        )
    if width * height > MAX_PIXELS:
        return Examined(
            guessed,
            problem=f"the image has {width * height} pixels; the limit is {MAX_PIXELS}",
        )
    info = {"width": width, "height": height, "format": fmt, "color_mode": mode}
    return Examined(guessed, image_info=info)


def describe_size(n: int) -> str:
    return f"{n / MB:g} MB"


def base_url(settings: Settings) -> str:
    return (settings.public_url or f"http://localhost:{settings.rest_port}").rstrip("/")


def hosted(settings: Settings, app: AppScope, kind: str, blob_key: str) -> resources_pb2.HostedURL:
    name = blob_key.rsplit("/", 1)[-1]
    return resources_pb2.HostedURL(
        prefix=f"{base_url(settings)}/media",
        suffix=f"users/{app.user_id}/apps/{app.id}/inputs/{kind}/{name}",
        sizes=SIZES,
        # The bytes are served only with an authorization header.
        crossorigin="use-credentials",
    )


def hosted_url(h: resources_pb2.HostedURL, size: str = "orig") -> str:
    return f"{h.prefix}/{size}/{h.suffix}"


_NAME = re.compile(r"^[0-9a-f]{32}\.[A-Za-z0-9]{1,10}$")


def _refuse(code: int, details: str, req_id: str) -> web.Response:
    return web.json_response(
        {"status": to_json(make_status(code, details, req_id))},
        status=http_status(code),
        headers={REQUEST_ID_HEADER: req_id},
    )


@http_extra.routes.get("/media/{size}/users/{user_id}/apps/{app_id}/inputs/{kind}/{name}")
async def hosted_media(request: web.Request) -> web.StreamResponse:
    req_id = new_request_id()
    started = time.perf_counter()
    where = "GET /media"
    m = request.match_info
    if m["size"] not in SIZES or m["kind"] not in KINDS or not _NAME.match(m["name"]):
        log_call(where, Code.CONN_DOES_NOT_EXIST, started, "rest")
        return _refuse(Code.CONN_DOES_NOT_EXIST, f"no hosted media at {request.path}", req_id)
    dispatcher = request.app[DISPATCHER]
    try:
        async with dispatcher.db.transaction() as session:
            access = await authorize(
                session,
                contract.methods()["GetInput"],
                request.headers.get("Authorization"),
                m["user_id"],
                m["app_id"],
            )
    except ApiError as err:
        log_call(where, err.code, started, "rest")
        return _refuse(err.code, err.details, req_id)
    if access.app is None:
        return _refuse(Code.CONN_DOES_NOT_EXIST, "the media URL names no app", req_id)
    # Keys are "<app_pk>/<name>": a key never reaches another app's blobs.
    key = f"{access.app.pk}/{m['name']}"
    store = blobs.store_for(dispatcher.settings.data_dir)
    info = await store.stat(key)
    if info is None:
        log_call(where, Code.CONN_DOES_NOT_EXIST, started, "rest")
        return _refuse(Code.CONN_DOES_NOT_EXIST, f"no hosted media at {request.path}", req_id)
    response = web.StreamResponse(
        headers={
            "Content-Type": info.content_type,
            "Content-Length": str(info.size),
            # Blob names are never reused, so the bytes behind a URL never change.
            "Cache-Control": "private, max-age=31536000, immutable",
            REQUEST_ID_HEADER: req_id,
        }
    )
    await response.prepare(request)
    async for chunk in store.read(key):
        await response.write(chunk)
    await response.write_eof()
    log_call(where, Code.SUCCESS, started, "rest")
    return response
