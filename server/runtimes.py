"""What runs a model version, by its runtime key (ModelVersion.runtime).

Only the concepts of the built-in runtimes are here so far (ListModelConcepts
and GetModelOutputInfo of clarifai/main's models); the predict side adds the
callables."""

from __future__ import annotations

# Runtimes whose vocabulary is fixed by the model: (id, name) pairs.
_FIXED: dict[str, tuple[tuple[str, str], ...]] = {
    "moderation": (("safe", "safe"), ("explicit", "explicit")),
    "nsfw": (("sfw", "sfw"), ("nsfw", "nsfw")),
    "face-detection": (("face", "face"),),
}


def builtin_concepts(runtime: str) -> list[tuple[str, str]]:
    """The (id, name) of every concept a built-in runtime outputs, in a
    stable order; [] for runtimes without concepts (embedders, OCR) or
    without a fixed vocabulary."""
    if runtime in _FIXED:
        return list(_FIXED[runtime])
    if runtime == "general-image":
        try:
            from server.inference import engines
        except ImportError:  # the inference package is not installed in this checkout
            return []
        return [(c.id, c.name) for c in engines.general_vocabulary()]
    return []
