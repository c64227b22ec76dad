"""The engines, each built on first use (once per process), and the calls built on them.

Every call is synchronous and safe from several threads at once; from async code go through
`server.inference.run` so the event loop never waits on a model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from server.inference.classifier import ImageClassifier, vocabulary
from server.inference.faces import FaceDetector
from server.inference.language import LanguageIdentifier
from server.inference.moderation import NsfwClassifier
from server.inference.ocr import TextRecognizer
from server.inference.runtime import Lazy
from server.inference.text_embedder import TextEmbedder
from server.inference.types import Concept, ImageAnalysis, Region
from server.inference.video import sample_video as sample_video

image_classifier = Lazy(ImageClassifier)
text_embedder = Lazy(TextEmbedder)
face_detector = Lazy(FaceDetector)
text_recognizer = Lazy(TextRecognizer)
nsfw_classifier = Lazy(NsfwClassifier)
language_identifier = Lazy(LanguageIdentifier)

ALL = {
    "image_classifier": image_classifier,
    "text_embedder": text_embedder,
    "face_detector": face_detector,
    "text_recognizer": text_recognizer,
    "nsfw_classifier": nsfw_classifier,
    "language_identifier": language_identifier,
}


def analyse_images(images: Sequence[bytes]) -> list[ImageAnalysis]:
    """Concepts and embedding of each image from one classifier run."""
    return image_classifier().analyse(images)


def classify_images(images: Sequence[bytes]) -> list[list[Concept]]:
    """Every concept of general_vocabulary() per image, value desc."""
    return [analysis.concepts for analysis in analyse_images(images)]


def embed_images(images: Sequence[bytes]) -> np.ndarray:
    """[n, 1280] float32, unit rows."""
    analyses = analyse_images(images)
    if not analyses:
        return np.zeros((0, 1280), dtype=np.float32)
    return np.stack([analysis.embedding for analysis in analyses])


def general_vocabulary() -> list[Concept]:
    """The 1000 ImageNet classes in class order, then their kept WordNet hypernyms; value 0."""
    return list(vocabulary()[0])


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """[n, 384] float32, unit rows."""
    return text_embedder().embed(texts)


def detect_faces(images: Sequence[bytes]) -> list[list[Region]]:
    return face_detector().detect(images)


def recognize_text(images: Sequence[bytes]) -> list[list[Region]]:
    return text_recognizer().recognize(images)


def moderate_images(images: Sequence[bytes]) -> list[list[Concept]]:
    """("safe", sfw probability) and ("explicit", nsfw probability), value desc."""
    return [
        _ranked(Concept("safe", "safe", sfw), Concept("explicit", "explicit", nsfw))
        for sfw, nsfw in nsfw_classifier().scores(images)
    ]


def nsfw_images(images: Sequence[bytes]) -> list[list[Concept]]:
    """The same scores under the names of Clarifai's nsfw-recognition model: sfw and nsfw."""
    return [
        _ranked(Concept("sfw", "sfw", sfw), Concept("nsfw", "nsfw", nsfw))
        for sfw, nsfw in nsfw_classifier().scores(images)
    ]


def identify_languages(texts: Sequence[str], top_k: int = 3) -> list[list[Concept]]:
    """Up to top_k languages per text, value desc; id an ISO 639 code, name its English name."""
    return language_identifier().identify(texts, top_k)


def warm() -> dict[str, float]:
    """Load every engine now; seconds each took (0.0 for one already loaded)."""
    seconds = {}
    for name, engine in ALL.items():
        start = time.perf_counter()
        engine()
        seconds[name] = time.perf_counter() - start
    return seconds


def _ranked(*concepts: Concept) -> list[Concept]:
    return sorted(concepts, key=lambda concept: -concept.value)
