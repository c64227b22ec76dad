"""Text in images with RapidOCR 3.10 and only its bundled default models (PP-OCRv6 small).

Any other language or model type would make RapidOCR download from modelscope, so the
configuration is fixed here and never taken from a request.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from server.inference.images import decode
from server.inference.types import Box, Region


class TextRecognizer:
    def __init__(self) -> None:
        from rapidocr import RapidOCR

        self._engine = RapidOCR(params={"Global.log_level": "error"})
        # RapidOCR.__call__ updates the engine's parameters in place: one call at a time.
        self._lock = threading.Lock()

    def recognize(self, images: Sequence[bytes]) -> list[list[Region]]:
        decoded = [decode(data) for data in images]
        return [self._recognize(image) for image in decoded]

    def _recognize(self, image) -> list[Region]:
        with self._lock:
            result = self._engine(image)
        if result.boxes is None or result.txts is None or result.scores is None:
            return []
        width, height = image.size
        regions = []
        for corners, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs, ys = corners[:, 0], corners[:, 1]
            box = Box(
                max(0.0, float(ys.min()) / height),
                max(0.0, float(xs.min()) / width),
                min(1.0, float(ys.max()) / height),
                min(1.0, float(xs.max()) / width),
            )
            regions.append(Region(box, float(score), text=str(text)))
        return regions
