"""Media of inputs: the kinds, their documented size limits, what bytes are
(sniffed, never trusted from names or headers), hosted URLs, and the REST
port's download route for them.

A hosted URL is `<prefix>/<size>/<suffix>` as the reference builds them,
`sizes` listing what is served. "orig" is the stored bytes. Images also come
in the reference's "tiny", "small" and "large": copies fitting a square
(SIZE_PIXELS), aspect kept, never enlarged, in the original's format where a
browser shows it (JPEG, PNG, WebP; others become PNG). A copy is made on its
first request and kept as a blob derived from the original's, so it goes
when the original goes. Video, audio and text are served as stored (the
reference's video "thumbnail" would need a video decoder). A text sent raw
is served from its row (storage.blobs.kept_text): no file holds it.

Downloads need the rights of GetInput (see server/http_extra.py for the
ways to present them); the `url` of media sent as bytes is presigned.
"""

from __future__ import annotations

import asyncio
import io
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import filetype
from aiohttp import web
from clarifai.api import resources_pb2
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

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
ORIG = "orig"
# The longest side of each size, in pixels. The reference names the sizes
# ("orig", "tiny", "small", "large", in this order) but not their pixels.
SIZE_PIXELS = {"tiny": 128, "small": 512, "large": 1024}
SIZES = {"image": [ORIG, *SIZE_PIXELS], "video": [ORIG], "audio": [ORIG], "text": [ORIG]}
# Formats a resized copy keeps; other images' copies are PNG.
KEPT_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# EXIF orientations that turn the image a quarter: width and height swap.
TURNED = (5, 6, 7, 8)
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


MEDIA_PATH = "/media"


def hosted_url(h: resources_pb2.HostedURL, size: str = ORIG) -> str:
    return f"{h.prefix}/{size}/{h.suffix}"


def show_hosted(
    data: resources_pb2.Data,
    settings: Settings,
    app: AppScope,
    kind: str,
    blob_key: str,
    *,
    signed: bool = True,
) -> None:
    """Point an input's media at its stored copy, if it has one: the hosted
    URLs (the reference's, needing credentials), and `url` as well when the
    media was sent as bytes: presigned, unless `signed` is False (for
    archives, which outlive any expiry)."""
    if not blob_key or kind not in KINDS:
        return
    target = getattr(data, kind)
    h = target.hosted  # filled in place: a message assigned is copied
    h.Clear()
    h.prefix = http_extra.base_url(settings) + MEDIA_PATH
    h.suffix = f"users/{app.user_id}/apps/{app.id}/inputs/{kind}/{blob_key.rsplit('/', 1)[-1]}"
    h.sizes.extend(SIZES[kind])
    # The bytes are served only to callers who send credentials.
    h.crossorigin = "use-credentials"
    if not target.url:
        path = f"{MEDIA_PATH}/{ORIG}/{h.suffix}"
        target.url = http_extra.signed_url(settings, path) if signed else hosted_url(h)


# ---- sized copies of images ----


@cache
def _resizer() -> ThreadPoolExecutor:
    """Resizing is CPU work: two at a time per process, off the event loop
    and off the default executor the blob store's file work runs on."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="resize")


def sized_name(key: str, size: str) -> str:
    """The derived blob name of an image's copy in `size`: its extension
    says the copy's format, known from the original's name alone."""
    ext = "." + key.rsplit(".", 1)[-1].lower() if "." in key else ""
    return size + (ext if ext in KEPT_FORMATS else ".png")


def _fit(width: int, height: int, box: int) -> tuple[int, int] | None:
    """The size fitting a box x box square, aspect kept; None when the image
    already fits (it is never enlarged)."""
    scale = min(box / width, box / height)
    if scale >= 1:
        return None
    return max(1, round(width * scale)), max(1, round(height * scale))


def resize(data: bytes, box: int, name: str) -> bytes:
    """The image's copy fitting a box x box square, encoded as `name`'s
    extension says: the original's bytes when it fits and keeps its format.
    The copy is turned upright as its EXIF orientation says (it loses the
    tag), and an animation keeps its first frame."""
    fmt = KEPT_FORMATS.get("." + name.rsplit(".", 1)[-1], "PNG")
    with (
        warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning),
        Image.open(io.BytesIO(data)) as img,
    ):
        turned = img.getexif().get(ExifTags.Base.Orientation, 1) in TURNED
        width, height = img.size[::-1] if turned else img.size
        target = _fit(width, height, box)
        if target is None and img.format == fmt:
            return data
        if target is not None and img.format == "JPEG":
            # Decodes at a fraction of the size, no smaller than the copy: much faster.
            img.draft("RGB", target[::-1] if turned else target)
        out = _displayable(ImageOps.exif_transpose(img), fmt)
        if target is not None:
            out = out.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        out.save(buffer, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    return buffer.getvalue()


def _displayable(img: Image.Image, fmt: str) -> Image.Image:
    """The image in a mode `fmt` stores and resizing handles well."""
    if img.mode == "I" or img.mode.startswith("I;16"):
        # 16-bit grey: scaled to 8 bits (converting would clip it to white).
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    if fmt == "JPEG":
        return img if img.mode in ("L", "RGB") else img.convert("RGB")
    if img.mode in ("L", "LA", "RGB", "RGBA"):
        return img
    return img.convert("RGBA" if alpha else "RGB")


async def _read(store: blobs.BlobStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in store.read(key)])


async def sized_copy(store: blobs.BlobStore, key: str, size: str) -> str:
    """The key of the image's copy in `size`, made and kept on first use."""
    copy = blobs.derived_key(key, sized_name(key, size))
    if await store.stat(copy) is not None:
        return copy
    try:
        data = await _read(store, key)
    except FileNotFoundError:
        raise ApiError(Code.CONN_DOES_NOT_EXIST, "the input's media is gone") from None
    loop = asyncio.get_running_loop()
    try:
        made = await loop.run_in_executor(_resizer(), resize, data, SIZE_PIXELS[size], copy)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ApiError(
            Code.CONN_DOES_NOT_EXIST, f"no {size} copy of this image: it cannot be decoded ({exc})"
        ) from None
    await store.put(copy, made)
    if await store.stat(key) is None:
        # The original went while the copy was made: the copy goes too.
        await store.delete([copy])
        raise ApiError(Code.CONN_DOES_NOT_EXIST, "the input's media is gone")
    return copy


_NAME = re.compile(r"^[0-9a-f]{32}\.[A-Za-z0-9]{1,10}$")


@http_extra.download(MEDIA_PATH + "/{size}/users/{user_id}/apps/{app_id}/inputs/{kind}/{name}")
async def hosted_media(request: web.Request) -> web.StreamResponse:
    """An input's stored bytes, or an image's sized copy, for callers who may
    read the input."""
    m = request.match_info
    kind, size = m["kind"], m["size"]
    if kind not in KINDS or size not in SIZES[kind] or not _NAME.match(m["name"]):
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"no hosted media at {request.path}")
    dispatcher = request.app[http_extra.DISPATCHER]
    kept = None
    async with dispatcher.db.transaction() as session:
        access = await http_extra.authorize_as(
            session, request, "GetInput", m["user_id"], m["app_id"]
        )
        # Keys are "<app_pk>/<name>": a key never reaches another app's blobs.
        key = f"{access.app.pk}/{m['name']}"
        if kind == "text":
            kept = await blobs.kept_text(session, access.app.pk, key)
    # Blob names are never reused, so the bytes behind a URL never change.
    cache = {"Cache-Control": "private, max-age=31536000, immutable"}
    if kept is not None:
        return http_extra.send_kept(key, kept, cache)
    store = blobs.store_for(dispatcher.settings.data_dir)
    if size != ORIG and await store.stat(key) is not None:
        key = await sized_copy(store, key, size)
    return await http_extra.stream_blob(request, store, key, cache)
