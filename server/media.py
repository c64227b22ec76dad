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
import warnings
from dataclasses import dataclass
from typing import Any

import filetype
from aiohttp import web
from clarifai.api import resources_pb2
from PIL import Image, UnidentifiedImageError

from server import http_extra
from server.config import Settings
from server.status import ApiError, Code
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
    if kind == "text":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Examined(TEXT_TYPE, problem=f"the text is not UTF-8 ({exc.reason})")
        return Examined(TEXT_TYPE)
    guessed = filetype.guess_mime(data[:8192])
    if kind != "image":
        return Examined(guessed or "application/octet-stream")
    if not guessed or not guessed.startswith("image/"):
        found = guessed or "no known media type"
        return Examined(guessed or "", problem=f"the bytes are not an image ({found})")
    too_many = f"the limit is {MAX_PIXELS}"
    try:
        # Reads the header only; the pixels are never decoded. Pillow's
        # warning of images over ~89 MP would only repeat in the log what
        # the status below says.
        with (
            warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning),
            Image.open(io.BytesIO(data)) as img,
        ):
            width, height = img.size
            fmt, mode = img.format or "", img.mode
    except Image.DecompressionBombError:
        # Pillow will not even open an image over twice its own limit.
        return Examined(guessed, problem=f"the image has too many pixels; {too_many}")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return Examined(guessed, problem=f"the image cannot be read: {exc}")
    if fmt not in IMAGE_FORMATS:
        return Examined(
            guessed, problem=f"image format {fmt} is not supported; use {', '.join(IMAGE_FORMATS)}"
        )
    if width * height > MAX_PIXELS:
        return Examined(
            guessed,
            problem=f"the image has {width * height} pixels; {too_many}",
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


def show_hosted(
    data: resources_pb2.Data, settings: Settings, app: AppScope, kind: str, blob_key: str
) -> None:
    """Point an input's media at its stored copy, if it has one: the hosted
    URLs, and `url` as well when the media was sent as bytes."""
    if not blob_key or kind not in KINDS:
        return
    h = hosted(settings, app, kind, blob_key)
    target = getattr(data, kind)
    target.hosted.CopyFrom(h)
    if not target.url:
        target.url = hosted_url(h)


_NAME = re.compile(r"^[0-9a-f]{32}\.[A-Za-z0-9]{1,10}$")


@http_extra.download("/media/{size}/users/{user_id}/apps/{app_id}/inputs/{kind}/{name}")
async def hosted_media(request: web.Request) -> web.StreamResponse:
    """An input's stored bytes, for callers who may read the input."""
    m = request.match_info
    if m["size"] not in SIZES or m["kind"] not in KINDS or not _NAME.match(m["name"]):
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"no hosted media at {request.path}")
    dispatcher = request.app[http_extra.DISPATCHER]
    async with dispatcher.db.transaction() as session:
        access = await http_extra.authorize_as(
            session, request, "GetInput", m["user_id"], m["app_id"]
        )
    # Keys are "<app_pk>/<name>": a key never reaches another app's blobs.
    key = f"{access.app.pk}/{m['name']}"
    store = blobs.store_for(dispatcher.settings.data_dir)
    # Blob names are never reused, so the bytes behind a URL never change.
    cache = {"Cache-Control": "private, max-age=31536000, immutable"}
    return await http_extra.stream_blob(request, store, key, cache)
