"""What runs a model version: its runtime key mapped to an async callable
over a batch of resolved inputs, answering each input's `Data` (or why it
failed).

- Built-ins (clarifai/main's models) run on server/inference, off the event
  loop (`inference.run`): general-image, image-embedding, text-embedding,
  moderation, nsfw, face-detection, ocr, language-id. An image runtime given
  a video samples it (`inference.sample_video`) and answers `data.frames`.
- Operators (`operator:<model type id>`) transform the input's own `Data`
  (the concepts, regions, text sent with it, or a previous workflow node's
  output): written over `Data` so workflows chain them.
- Trained versions (runtime "", an artifact) run server/classifiers over the
  vectors of the embedder they were trained on.

The inference package and server/classifiers are imported when first used,
so operators run without either.
"""

from __future__ import annotations

import asyncio
import io
import operator
import random
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy
from clarifai.api import resources_pb2
from google.protobuf import json_format, struct_pb2

from server.ids import new_id
from server.status import ApiError, Code

if TYPE_CHECKING:
    from storage.store import Store

Data = resources_pb2.Data
OPERATOR = "operator:"
ANNOTATION_STATUSES = (24150, 24151, 24157, 24159)


@dataclass
class Item:
    """One input of a prediction, resolved: `kind` "image", "video" or
    "text" with its bytes or text, or "" for data without media (concepts,
    regions, metadata: an operator's input). `stored`: an input of the app
    (named by id), which the annotation writer may annotate."""

    input_id: str
    data: resources_pb2.Data
    kind: str = ""
    media: bytes = b""
    text: str = ""
    stored: bool = False


@dataclass(frozen=True)
class Failure:
    """Why one input has no output: a status code and its details."""

    code: int
    details: str


Outcome = Data | Failure


@dataclass
class Context:
    """The version being run and what its runtime may read: output_info's
    params and concepts, the sampling of videos, and the call's storage
    (operators that read or write the app: synonyms, annotations)."""

    version_id: str
    user_id: str
    params: dict[str, Any] = field(default_factory=dict)
    concepts: list[resources_pb2.Concept] = field(default_factory=list)
    sample_ms: int = 1000
    artifact: bytes | None = None
    store: Store | None = None
    # output_config's cut of a concept list (select_concepts, min_value,
    # max_concepts), applied before concepts become messages: a general
    # model answers every concept of its vocabulary.
    trim: Callable[[Sequence[Any]], Sequence[Any]] = lambda concepts: concepts


Runtime = Callable[[Context, Sequence[Item]], Awaitable[list[Outcome]]]


def _inference() -> Any:
    import server.inference  # noqa: PLC0415  (loaded with the first model that needs it)

    return server.inference


# ---- building Data ----


def concepts_data(concepts: Sequence[Any]) -> Data:
    return Data(
        concepts=[resources_pb2.Concept(id=c.id, name=c.name, value=c.value) for c in concepts]
    )


def trimmed_concepts(ctx: Context, concepts: Sequence[Any]) -> Data:
    return concepts_data(ctx.trim(concepts))


def embedding_data(ctx: Context, vector: Any) -> Data:
    # numpy rows: tolist() gives Python floats in one call.
    values = vector.tolist() if hasattr(vector, "tolist") else [float(v) for v in vector]
    return Data(embeddings=[resources_pb2.Embedding(vector=values, num_dimensions=len(values))])


def regions_data(ctx: Context, regions: Sequence[Any]) -> Data:
    out = Data()
    for found in regions:
        region = out.regions.add(id=new_id(), value=found.value)
        box = region.region_info.bounding_box
        box.top_row, box.left_col = found.box.top_row, found.box.left_col
        box.bottom_row, box.right_col = found.box.bottom_row, found.box.right_col
        region.data.CopyFrom(concepts_data(found.concepts))
        if found.text:
            region.data.text.raw = found.text
    return out


# ---- built-ins ----


async def _per_input(fn: Callable[[list[Any]], list[Any]], values: list[Any]) -> list[Any]:
    """`fn` over the batch in one run; when one value cannot be decoded,
    each alone, so the others still get their answer (a failure in place)."""
    inference = _inference()
    try:
        return await inference.run(fn, values)
    except inference.MediaError:
        pass
    answers: list[Any] = []
    for value in values:
        try:
            answers.extend(await inference.run(fn, [value]))
        except inference.MediaError as exc:
            answers.append(Failure(Code.INPUT_DOWNLOAD_FAILED, str(exc)))
    return answers


@dataclass(frozen=True)
class ImageRuntime:
    """An image model: `engine` names the inference function over a batch
    of image bytes, `build` makes one image's Data of its answer. Videos
    are sampled into frames, each frame's Data in `data.frames`."""

    engine: str
    build: Callable[[Context, Any], Data]

    async def __call__(self, ctx: Context, items: Sequence[Item]) -> list[Outcome]:
        wrong = _wrong_kind(items, ("image", "video"), "image or video")
        images = [i.media for i in items if i.kind == "image"]
        videos = [i for i in items if i.kind == "video"]
        frames = await self._sample(ctx, videos)
        flat = [f.image for fs in frames.values() if isinstance(fs, list) for f in fs]
        batch = images + flat
        answers = iter(await _per_input(getattr(_inference(), self.engine), batch) if batch else [])
        image_out = [next(answers) for _ in images]
        out: list[Outcome] = []
        for item in items:
            if item.kind == "image":
                answer = image_out.pop(0)
                out.append(answer if isinstance(answer, Failure) else self.build(ctx, answer))
            elif item.kind == "video":
                out.append(self._video(ctx, frames[id(item)], answers))
            else:
                out.append(wrong[id(item)])
        return out

    async def _sample(self, ctx: Context, videos: list[Item]) -> dict[int, list[Any] | Failure]:
        inference = _inference()
        sampled: dict[int, list[Any] | Failure] = {}
        for video in videos:
            try:
                sampled[id(video)] = await inference.run(
                    inference.sample_video, video.media, ctx.sample_ms
                )
            except inference.MediaError as exc:
                sampled[id(video)] = Failure(Code.INPUT_DOWNLOAD_FAILED, str(exc))
        return sampled

    def _video(self, ctx: Context, frames: list[Any] | Failure, answers: Any) -> Outcome:
        if isinstance(frames, Failure):
            return frames
        out = Data()
        for n, frame in enumerate(frames):
            answer = next(answers)
            if isinstance(answer, Failure):
                continue
            added = out.frames.add(id=new_id())
            added.frame_info.index, added.frame_info.time = n, frame.time_ms
            added.frame_info.number = n
            added.data.CopyFrom(self.build(ctx, answer))
        return out


@dataclass(frozen=True)
class TextRuntime:
    engine: str
    build: Callable[[Context, Any], Data]
    kwargs: Callable[[Context], dict[str, Any]] = lambda ctx: {}

    async def __call__(self, ctx: Context, items: Sequence[Item]) -> list[Outcome]:
        wrong = _wrong_kind(items, ("text",), "text")
        texts = [i.text for i in items if i.kind == "text"]
        answers = iter(await self._run(ctx, texts) if texts else [])
        return [self.build(ctx, next(answers)) if i.kind == "text" else wrong[id(i)] for i in items]

    async def _run(self, ctx: Context, texts: list[str]) -> list[Any]:
        inference = _inference()
        fn, kwargs = getattr(inference, self.engine), self.kwargs(ctx)
        return await inference.run(lambda batch: fn(batch, **kwargs), texts)


def _wrong_kind(items: Sequence[Item], kinds: tuple[str, ...], what: str) -> dict[int, Failure]:
    return {
        id(i): Failure(
            Code.INPUT_INVALID_ARGUMENT,
            f"this model takes {what} inputs; the input holds {i.kind or 'no media'}",
        )
        for i in items
        if i.kind not in kinds
    }


BUILTINS: dict[str, Runtime] = {
    "general-image": ImageRuntime("classify_images", trimmed_concepts),
    "image-embedding": ImageRuntime("embed_images", embedding_data),
    "moderation": ImageRuntime("moderate_images", trimmed_concepts),
    "nsfw": ImageRuntime("nsfw_images", trimmed_concepts),
    "face-detection": ImageRuntime("detect_faces", regions_data),
    "ocr": ImageRuntime("recognize_text", regions_data),
    "text-embedding": TextRuntime("embed_texts", embedding_data),
    "language-id": TextRuntime("identify_languages", trimmed_concepts),
}

# Concepts a built-in outputs whatever its input (ListModelConcepts).
_FIXED = {
    "moderation": [("safe", "safe"), ("explicit", "explicit")],
    "nsfw": [("sfw", "sfw"), ("nsfw", "nsfw")],
    "face-detection": [("face", "face")],
}


def builtin_concepts(runtime: str) -> list[tuple[str, str]]:
    """The (id, name) of every concept a built-in runtime outputs, in a
    stable order; [] for runtimes without concepts (embedders, OCR) or
    without a fixed vocabulary (language id)."""
    if runtime == "general-image":
        return [(c.id, c.name) for c in _inference().general_vocabulary()]
    return list(_FIXED.get(runtime, []))


def concepts(runtime: str) -> list[resources_pb2.Concept]:
    """builtin_concepts as messages (its model's ListModelConcepts)."""
    return [resources_pb2.Concept(id=i, name=n, value=0) for i, n in builtin_concepts(runtime)]


# ---- trained versions ----


async def trained(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """A trained classifier over its embedder's vectors of the inputs."""
    from server import classifiers  # noqa: PLC0415  (scikit-learn: loaded when first used)

    assert ctx.artifact is not None
    embedder = classifiers.embedder(ctx.artifact)
    vectors = await BUILTINS[embedder](ctx, items)
    rows = [i for i, v in enumerate(vectors) if isinstance(v, Data)]
    out: list[Outcome] = list(vectors)
    if not rows:
        return out
    matrix = numpy.asarray(
        [list(vectors[i].embeddings[0].vector) for i in rows],  # type: ignore[union-attr]
        dtype=numpy.float32,
    )
    predicted = await _inference().run(classifiers.predict, ctx.artifact, matrix)
    for i, found in zip(rows, predicted, strict=True):
        out[i] = trimmed_concepts(ctx, found)
    return out


# ---- operators ----


def _param(ctx: Context, name: str, default: Any) -> Any:
    value = ctx.params.get(name, default)
    return default if value is None else value


def _number(ctx: Context, name: str, default: float) -> float:
    value = _param(ctx, name, default)
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ApiError(
            Code.MODEL_INVALID_ARGUMENT, f"output_info.params.{name} '{value}' is not a number"
        ) from exc


# concept_threshold_type: GREATER_THAN=1 ... EQUAL=5, sent as numbers or names.
_COMPARE: dict[Any, Callable[[float, float], bool]] = {
    1: operator.gt,
    2: operator.ge,
    3: operator.lt,
    4: operator.le,
    5: operator.eq,
}
_COMPARE_NAMES = {
    "GREATER_THAN": 1,
    "GREATER_THAN_OR_EQUAL": 2,
    "LESS_THAN": 3,
    "LESS_THAN_OR_EQUAL": 4,
    "EQUAL": 5,
}


def _comparison(ctx: Context) -> Callable[[float, float], bool]:
    raw = _param(ctx, "concept_threshold_type", 1)
    kind = _COMPARE_NAMES.get(raw, raw) if isinstance(raw, str) else raw
    if isinstance(kind, float) and kind.is_integer():
        kind = int(kind)
    if kind not in _COMPARE:
        raise ApiError(
            Code.MODEL_INVALID_ARGUMENT,
            f"output_info.params.concept_threshold_type '{raw}' is not 1 to 5 "
            "(GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, EQUAL)",
        )
    return _COMPARE[kind]


async def concept_thresholder(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """Keeps the input's concepts that pass their threshold (the version's
    output_info.data.concepts, value = threshold); concepts without a
    threshold are dropped."""
    passes = _comparison(ctx)
    thresholds = {c.id: c.value for c in ctx.concepts}
    out: list[Outcome] = []
    for item in items:
        kept = [
            c
            for c in item.data.concepts
            if c.id in thresholds and passes(c.value, thresholds[c.id])
        ]
        out.append(Data(concepts=kept))
    return out


async def random_sample(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """Passes each input's data on with probability keep_fraction."""
    keep = _number(ctx, "keep_fraction", 1.0)
    return [_copy(i.data) if keep > random.random() else Data() for i in items]


def _copy(data: Data) -> Data:
    out = Data()
    out.CopyFrom(data)
    return out


async def regex_based_classifier(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """The version's concepts (value 1) for each text the regex matches."""
    pattern = str(_param(ctx, "regex", ""))
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ApiError(
            Code.MODEL_INVALID_ARGUMENT,
            f"output_info.params.regex '{pattern}' is not a regular expression: {exc}",
        ) from exc
    matched = [resources_pb2.Concept(id=c.id, name=c.name or c.id, value=1) for c in ctx.concepts]
    return [Data(concepts=matched) if compiled.search(_text_of(i)) else Data() for i in items]


def _text_of(item: Item) -> str:
    return item.text or item.data.text.raw


async def language_id_operator(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """The languages of each text, topk of them at or above threshold."""
    top_k = int(_number(ctx, "topk", 1))
    threshold = _number(ctx, "threshold", 0.0)
    lower = bool(_param(ctx, "lowercase", False))
    texts = [_text_of(i).lower() if lower else _text_of(i) for i in items]
    inference = _inference()
    found = await inference.run(lambda t: inference.identify_languages(t, top_k=top_k), texts)
    return [concepts_data([c for c in f if c.value >= threshold]) for f in found]


async def concept_synonym_mapper(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """Each input concept's synonyms in the app's knowledge graph (concept
    relations "synonym", either way round), with the concept's value."""
    ids = sorted({c.id for i in items for c in i.data.concepts})
    synonyms = await ctx.store.model_outputs.synonyms(ids) if ctx.store and ids else {}
    out: list[Outcome] = []
    for item in items:
        mapped: dict[str, resources_pb2.Concept] = {}
        for c in item.data.concepts:
            for other_id, other_name in synonyms.get(c.id, []):
                if other_id not in mapped or mapped[other_id].value < c.value:
                    mapped[other_id] = resources_pb2.Concept(
                        id=other_id, name=other_name, value=c.value
                    )
        out.append(Data(concepts=list(mapped.values())))
    return out


def _crop(image: bytes, regions: Sequence[resources_pb2.Region], margin: float) -> Data:
    from PIL import Image  # noqa: PLC0415  (only this operator needs it)

    out = Data()
    with Image.open(io.BytesIO(image)) as opened:
        picture = opened.convert("RGB")
    width, height = picture.size
    for region in regions:
        box = region.region_info.bounding_box
        dy, dx = (box.bottom_row - box.top_row) * margin, (box.right_col - box.left_col) * margin
        left, top = max(0.0, box.left_col - dx) * width, max(0.0, box.top_row - dy) * height
        right = min(1.0, box.right_col + dx) * width
        bottom = min(1.0, box.bottom_row + dy) * height
        buffer = io.BytesIO()
        picture.crop(
            (int(left), int(top), max(int(right), int(left) + 1), max(int(bottom), int(top) + 1))
        ).save(buffer, "PNG")
        cropped = out.regions.add()
        cropped.CopyFrom(region)
        cropped.data.image.base64 = buffer.getvalue()
    return out


async def image_crop(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """Each region's box cut out of the image (margin: a fraction of the
    box added on each side), as the region's data.image."""
    margin = _number(ctx, "margin", 0.0)
    out: list[Outcome] = []
    for item in items:
        if item.kind != "image":
            out.append(Failure(Code.INPUT_INVALID_ARGUMENT, "image-crop takes image inputs"))
            continue
        boxed = [r for r in item.data.regions if r.region_info.HasField("bounding_box")]
        try:
            out.append(await asyncio.to_thread(_crop, item.media, boxed, margin))
        except OSError as exc:
            out.append(Failure(Code.INPUT_DOWNLOAD_FAILED, f"not a decodable image: {exc}"))
    return out


async def object_counter(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """How many regions the input holds, as metadata.object_count."""
    out: list[Outcome] = []
    for item in items:
        metadata = struct_pb2.Struct()
        metadata["object_count"] = len(item.data.regions)
        out.append(Data(metadata=metadata))
    return out


async def annotation_writer(ctx: Context, items: Sequence[Item]) -> list[Outcome]:
    """Writes each app input's data as an annotation of this model version,
    with annotation_status (default ANNOTATION_SUCCESS); inline data has no
    input to annotate."""
    status = int(_number(ctx, "annotation_status", Code.ANNOTATION_SUCCESS))
    if status not in ANNOTATION_STATUSES:
        raise ApiError(
            Code.MODEL_INVALID_ARGUMENT,
            f"output_info.params.annotation_status {status} is not one of "
            + ", ".join(str(s) for s in ANNOTATION_STATUSES),
        )
    rows, out = [], []
    for item in items:
        if not item.stored or ctx.store is None:
            out.append(
                Failure(
                    Code.INPUT_INVALID_ARGUMENT,
                    "annotation-writer annotates inputs of the app: give the input's id",
                )
            )
            continue
        rows.append(_annotation(ctx, item, status))
        out.append(_copy(item.data))
    if rows and ctx.store is not None:
        await ctx.store.annotations.add(rows)
    return out


def _annotation(ctx: Context, item: Item, status: int) -> dict[str, Any]:
    data = json_format.MessageToDict(
        Data(concepts=item.data.concepts, regions=item.data.regions),
        preserving_proto_field_name=True,
    )
    info = _param(ctx, "annotation_info", {})
    return {
        "id": new_id(),
        "input_id": item.input_id,
        "data": data,
        "annotation_info": info if isinstance(info, dict) else {},
        "user_id": str(_param(ctx, "annotation_user_id", "")),
        "task_id": str(_param(ctx, "task_id", "")),
        "model_version_id": ctx.version_id,
        "status_code": status,
    }


OPERATORS: dict[str, Runtime] = {
    "concept-thresholder": concept_thresholder,
    "random-sample": random_sample,
    "regex-based-classifier": regex_based_classifier,
    "language-id-operator": language_id_operator,
    "concept-synonym-mapper": concept_synonym_mapper,
    "image-crop": image_crop,
    "object-counter": object_counter,
    "annotation-writer": annotation_writer,
}


def runtime_for(runtime: str, has_artifact: bool) -> Runtime | None:
    """The callable a version's runtime key names; None when nothing here
    runs it."""
    if runtime.startswith(OPERATOR):
        return OPERATORS.get(runtime.removeprefix(OPERATOR))
    if not runtime:
        return trained if has_artifact else None
    return BUILTINS.get(runtime)
