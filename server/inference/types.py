"""What the engines return: plain frozen values, no protos (callers build those)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Concept:
    id: str
    name: str
    value: float


@dataclass(frozen=True)
class Box:
    """Fractions 0..1 of the image's height (rows) and width (cols), as Clarifai's BoundingBox."""

    top_row: float
    left_col: float
    bottom_row: float
    right_col: float


@dataclass(frozen=True)
class Region:
    box: Box
    value: float
    concepts: tuple[Concept, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Frame:
    time_ms: int
    image: bytes  # JPEG bytes of the sampled frame


@dataclass(frozen=True)
class ImageAnalysis:
    """One classifier run: every concept (value desc) and the L2-normalised 1280-d embedding."""

    concepts: list[Concept]
    embedding: np.ndarray


class MediaError(ValueError):
    """Bytes that are not a decodable image or video; the message is fit for a user."""
