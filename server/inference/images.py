"""Decoding request bytes into pixels, and the batch size every engine runs at."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError

from server.inference.types import MediaError

# Items per session call: large enough to amortise a run, small enough to bound memory.
CHUNK = 32
# Larger images are refused before their pixels are decoded (server/media.py's input limit).
MAX_PIXELS = 85_000_000

T = TypeVar("T")


def decode(data: bytes) -> Image.Image:
    """RGB pixels with the EXIF orientation applied, or MediaError."""
    too_many = MediaError(f"the image has more than {MAX_PIXELS} pixels")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise too_many
            opened.load()
            return ImageOps.exif_transpose(opened).convert("RGB")
    except Image.DecompressionBombError as error:  # Pillow refuses to open it at all
        raise too_many from error
    except MediaError:
        raise
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise MediaError("the bytes are not a decodable image") from error


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
