"""Decoding request bytes into pixels, and the batch size every engine runs at."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError

from server.inference.types import MediaError

# Items per session call: large enough to amortise a run, small enough to bound memory.
CHUNK = 32
# Pillow's own bomb guard stays on; this bounds what one decode may allocate (about 100 MP).
Image.MAX_IMAGE_PIXELS = 100_000_000

T = TypeVar("T")


def decode(data: bytes) -> Image.Image:
    """RGB pixels with the EXIF orientation applied, or MediaError."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            return upright.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise MediaError("the bytes are not a decodable image") from error


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
