"""What orders search hits: a search's ranks (Search.query.ranks), each
scoring the candidate inputs in [0, 1] (1 best), combined into one order.

A rank orders by one thing in its `annotation`:
- `data.concepts[]`, by id or name, each with the value wanted (1: has it,
  0: has it not): the inputs' labels and the base workflow's predicted
  concepts (storage/search_ranks.py says how they score); several concepts
  in one rank score their mean. A concept no input has scores all alike.
- `data.image` (`url` or `base64`): the image, embedded by the base
  workflow's general-image-embedding, against the image inputs' vectors.
- `input_id`: that input's stored vector (an image's or a text's) against
  the inputs of its medium.
- `data.embeddings[0].vector`: a vector of 1280 (image) or 384 (text)
  dimensions against the inputs' vectors of that embedder.
- `data.text` (`raw` or `url`): text inputs by the text embedder's vectors;
  image inputs through the general model's concept space, with no joint
  text-image model: the concepts the text names (server/domain/
  concept_words.py) scored as a concept rank scores them, by the general
  model's predicted values.
`model_version_id` names whose outputs rank: a concept rank then counts
only that model version's annotations; a similarity rank must name its
embedder's version (or nothing).

Similarity scores by `metric` (server/vectors.py): (1 + cos) / 2, or
1 - d²/4 between unit vectors. `algorithm` nearest_neighbor uses the HNSW
index where the vectors to choose from are many; brute_force computes every
distance; avg_concept_brute_force turns a concept rank into a similarity
rank (every distance computed) whose query is the mean vector of the
inputs the concepts' labels describe best (score 0.5 or more, the best
`AVG_EXAMPLES`), and is brute_force for the other ranks.

`negate` scores 1 - score, so the order is reversed. Several ranks score
an input by the mean of their scores: each rank's best `limit` inputs are
gathered, then every rank scores all of them. Inputs a similarity rank
cannot score (no vector from its embedder) are not among its hits; in a
mean they count 0 (1 negated). Ties: newest first.

Invalid ranks fail before any work with SEARCH_INVALID_REQUEST, naming the
field; a rank the app's base workflow cannot serve (Empty has no embedder)
says which model the workflow lacks."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from clarifai.api import resources_pb2
from sqlalchemy import Select

from server import indexing, inference, main_app, prediction, runtimes, vectors
from server.checks import Checks
from server.dispatch import Call
from server.domain import concept_words
from server.runtimes import Failure
from server.status import ApiError, Code
from storage.search_ranks import Wanted

Metric = Literal["euclidean", "cosine"]
Algorithm = Literal["nearest_neighbor", "brute_force", "avg_concept_brute_force"]
Scored = list[tuple[int, float]]

check = Checks(Code.SEARCH_INVALID_REQUEST)
# The inputs whose vectors avg_concept_brute_force averages, at most.
AVG_EXAMPLES = 1000
# The embedder a vector's length names, and what it embeds.
BY_DIMS = {dims: runtime for runtime, dims in vectors.DIMS.items()}
MEDIA_NAMES = {"image-embedding": "images", "text-embedding": "texts"}
# What a rank may set: it ranks by one of KINDS, optionally naming a model version.
KINDS = ("concepts", "image", "text", "embeddings", "input_id")
_ANNOTATION_FIELDS = {"data", "input_id", "model_version_id"}
_DATA_FIELDS = {"concepts", "image", "text", "embeddings"}


class Scorer(Protocol):
    async def top(self, k: int, worst: bool) -> Scored:
        """The k best-scoring candidates (or worst), as (input pk, score)."""
        ...

    async def of(self, pks: Sequence[int]) -> dict[int, float]:
        """The scores of these inputs (those it can score)."""
        ...


# ---- checking ranks ----


def _kind(rank: resources_pb2.Rank, at: str) -> str:
    """What the rank orders by; anything else it sets is refused."""
    annotation, data = rank.annotation, rank.annotation.data
    for f, _ in annotation.ListFields():
        if f.name not in _ANNOTATION_FIELDS:
            raise check.invalid(f"{at}.{f.name}: {_ORDERS_BY}")
    for f, _ in data.ListFields():
        if f.name not in _DATA_FIELDS:
            raise check.invalid(f"{at}.data.{f.name}: {_ORDERS_BY}")
    kinds = [k for k in KINDS if _sent(annotation, k)]
    if not kinds:
        raise check.invalid(f"{at}: the rank names nothing to order by; {_ORDERS_BY}")
    if len(kinds) > 1:
        raise check.invalid(f"{at}: a rank orders by one thing, got {' and '.join(kinds)}")
    return kinds[0]


_ORDERS_BY = "a rank orders by data.concepts, data.image, data.text, data.embeddings or input_id"


def _sent(annotation: resources_pb2.Annotation, kind: str) -> bool:
    if kind == "input_id":
        return bool(annotation.input_id)
    if kind in ("concepts", "embeddings"):
        return bool(len(getattr(annotation.data, kind)))
    return annotation.data.HasField(kind)


def _one_source(message: resources_pb2.Image | resources_pb2.Text, at: str, inline: str) -> None:
    given = [f for f in ("url", inline) if getattr(message, f)]
    if len(given) != 1:
        raise check.invalid(f"{at}: give {inline} or url, one of them")


def _check_concepts(concepts: Sequence[resources_pb2.Concept], at: str) -> None:
    for n, c in enumerate(concepts):
        if not (c.id or c.name):
            raise check.invalid(f"{at}[{n}]: give the concept's id or name")
        if not (math.isfinite(c.value) and 0.0 <= c.value <= 1.0):
            raise check.invalid(f"{at}[{n}].value {c.value:g} is not in [0, 1]")


def _embedding(data: resources_pb2.Data, at: str) -> str:
    """The embedder a sent vector belongs to (by its length)."""
    if len(data.embeddings) != 1:
        raise check.invalid(f"{at}: one embedding, got {len(data.embeddings)}")
    sent = data.embeddings[0]
    size = len(sent.vector)
    if size not in BY_DIMS:
        known = " or ".join(f"{d} ({MEDIA_NAMES[r]})" for d, r in BY_DIMS.items())
        raise check.invalid(
            f"{at}[0].vector: {size} dimensions; the embedders' vectors have {known}"
        )
    if sent.num_dimensions and sent.num_dimensions != size:
        raise check.invalid(f"{at}[0].num_dimensions {sent.num_dimensions} is not {size}")
    if not all(math.isfinite(x) for x in sent.vector):
        raise check.invalid(f"{at}[0].vector: every value must be a finite number")
    return BY_DIMS[size]


@dataclass(frozen=True)
class Spec:
    """One rank, checked: what it orders by, and where it was sent."""

    rank: resources_pb2.Rank
    at: str  # the rank's annotation, e.g. "searches[0].query.ranks[1].annotation"
    kind: str
    runtime: str = ""  # the embedder of a similarity rank, where known before looking


def _spec(rank: resources_pb2.Rank, at: str) -> Spec:
    kind = _kind(rank, at)
    data = rank.annotation.data
    runtime = ""
    if kind == "concepts":
        _check_concepts(data.concepts, f"{at}.data.concepts")
    elif kind == "image":
        _one_source(data.image, f"{at}.data.image", "base64")
        runtime = "image-embedding"
    elif kind == "text":
        _one_source(data.text, f"{at}.data.text", "raw")
        if rank.annotation.model_version_id:
            raise check.invalid(
                f"{at}.model_version_id: a text rank uses the base workflow's text embedder "
                "and general model; name none"
            )
    elif kind == "embeddings":
        runtime = _embedding(data, f"{at}.data.embeddings")
    if runtime:
        _check_version(rank, at, runtime)
    return Spec(rank, at, kind, runtime)


def _model(runtime: str) -> main_app.BuiltinModel:
    return next(m for m in main_app.MODELS if m.runtime == runtime)


def _check_version(rank: resources_pb2.Rank, at: str, runtime: str) -> None:
    """A similarity rank's model_version_id names its embedder, if anything."""
    sent, version = rank.annotation.model_version_id, _model(runtime).version_id
    if sent and sent != version:
        raise check.invalid(
            f"{at}.model_version_id '{sent}': this rank compares {_model(runtime).ids[0]} "
            f"vectors (version '{version}')"
        )


def _lacks(workflow: indexing.BaseWorkflow, at: str, what: str, needs: str) -> ApiError:
    return check.invalid(
        f"{at}: the app's base workflow '{workflow.id}' has no {needs}, which {what} needs "
        "(PatchApps can set a base workflow that has it, e.g. Universal)"
    )


def _check_workflow(spec: Spec, workflow: indexing.BaseWorkflow, algorithm: str) -> None:
    """The base workflow has what the rank needs (input_id: when looked up)."""
    have = indexing.embedders(workflow)
    if spec.runtime and spec.runtime not in have:
        what = "an image rank" if spec.kind == "image" else "a rank by an embedding"
        raise _lacks(workflow, spec.at, what, _model(spec.runtime).ids[0])
    if spec.kind == "text" and "text-embedding" not in have and not indexing.classifies(workflow):
        needs = f"{_model('text-embedding').ids[0]} nor {main_app.GENERAL_MODEL}"
        raise _lacks(workflow, spec.at, "a text rank", needs)
    if spec.kind == "concepts" and algorithm == "avg_concept_brute_force" and not have:
        raise _lacks(workflow, spec.at, "avg_concept_brute_force (it averages vectors)", "embedder")


# ---- scorers ----


@dataclass
class Nearest:
    """A similarity rank: the candidates' vectors from one embedder."""

    call: Call
    version_pk: int
    query: np.ndarray
    metric: Metric
    candidates: Select | None
    exact: bool

    async def top(self, k: int, worst: bool) -> Scored:
        return await vectors.nearest(
            self.call.store.embeddings.session,
            self.call.app,
            self.version_pk,
            self.query,
            k,
            self.metric,
            self.candidates,
            exact=self.exact,
            farthest=worst,
        )

    async def of(self, pks: Sequence[int]) -> dict[int, float]:
        session = self.call.store.embeddings.session
        return await vectors.scores(
            session, self.call.app, self.version_pk, self.query, pks, self.metric
        )


@dataclass
class Labelled:
    """A concept rank: the candidates' labels of the wanted concepts."""

    call: Call
    wanted: list[Wanted]
    candidates: Select | None
    model_version_id: str = ""
    media_kind: str = ""

    async def top(self, k: int, worst: bool) -> Scored:
        return await self.call.store.search_ranks.top(
            self.wanted,
            self.candidates,
            k,
            worst=worst,
            model_version_id=self.model_version_id,
            media_kind=self.media_kind,
        )

    async def of(self, pks: Sequence[int]) -> dict[int, float]:
        return await self.call.store.search_ranks.scores(
            self.wanted, pks, model_version_id=self.model_version_id, media_kind=self.media_kind
        )


@dataclass
class Either:
    """Scorers of inputs of different media (a text rank), merged."""

    parts: list[Scorer]

    async def top(self, k: int, worst: bool) -> Scored:
        found = [hit for part in self.parts for hit in await part.top(k, worst)]
        return _best(found, k, worst)

    async def of(self, pks: Sequence[int]) -> dict[int, float]:
        return {pk: s for part in self.parts for pk, s in (await part.of(pks)).items()}


def _best(scored: Scored, k: int, worst: bool = False) -> Scored:
    """The k best (or worst) of these; ties newest (highest pk) first."""
    sign = 1.0 if worst else -1.0
    return sorted(scored, key=lambda hit: (sign * hit[1], -hit[0]))[:k]


@dataclass(frozen=True)
class Query:
    """What every rank of one search shares."""

    call: Call
    candidates: Select | None
    metric: Metric
    algorithm: Algorithm
    workflow: indexing.BaseWorkflow

    async def version_pk(self, runtime: str) -> int:
        """The embedder's model version, its vectors' key."""
        return await indexing.embedder_version_pk(self.call.store.embeddings.session, runtime)

    async def nearest(self, runtime: str, vector: np.ndarray, version_pk: int = 0) -> Nearest:
        exact = self.algorithm != "nearest_neighbor"
        version_pk = version_pk or await self.version_pk(runtime)
        return Nearest(self.call, version_pk, vector, self.metric, self.candidates, exact)


async def _media(
    q: Query, source: resources_pb2.Image | resources_pb2.Text, at: str
) -> tuple[bytes, str]:
    """The query's image bytes or text (as UTF-8), downloaded when a URL,
    with the field that gave them."""
    image = isinstance(source, resources_pb2.Image)
    inline = source.base64 if image else source.raw.encode()
    if inline:
        return inline, f"{at}.base64" if image else f"{at}.raw"
    got = await prediction.download(q.call.fetcher, "image" if image else "text", source.url)
    if isinstance(got, Failure):
        raise ApiError(got.code, f"{at}.url: {got.details}")
    return got, f"{at}.url"


async def _embedded(fn: Callable[[list[Any]], Any], media: bytes | str, at: str) -> np.ndarray:
    """The query's vector (a media error names where the media was sent)."""
    try:
        return np.asarray((await inference.run(fn, [media]))[0], dtype=np.float32)
    except inference.MediaError as exc:
        raise ApiError(Code.INPUT_DOWNLOAD_FAILED, f"{at}: {exc}") from exc


async def _wanted(q: Query, concepts: Sequence[resources_pb2.Concept]) -> list[Wanted]:
    """The rank's concepts: by id, or by name (in any case) the app's
    concepts of that name and clarifai/main's (the predicted ones)."""
    named = await q.call.store.concepts.ids_named(c.name for c in concepts if not c.id)
    builtin = _builtin_names()
    return [
        Wanted((c.id,), c.value)
        if c.id
        else Wanted((*named.get(c.name.lower(), ()), *builtin.get(c.name.lower(), ())), c.value)
        for c in concepts
    ]


@functools.cache
def _builtin_names() -> dict[str, tuple[str, ...]]:
    """clarifai/main's concept ids by lower-cased name."""
    out: dict[str, list[str]] = {}
    for concept_id, name in main_app.vocabulary().items():
        out.setdefault(name.lower(), []).append(concept_id)
    return {name: tuple(ids) for name, ids in out.items()}


@functools.cache
def _general_names() -> dict[str, list[str]]:
    return concept_words.index(runtimes.builtin_concepts("general-image"))


async def _text(q: Query, spec: Spec) -> Scorer:
    """Text inputs by the text embedder, images by the concepts it names."""
    sent = spec.rank.annotation.data.text
    body, where = await _media(q, sent, f"{spec.at}.data.text")
    raw = body.decode("utf-8", errors="replace")
    parts: list[Scorer] = []
    if "text-embedding" in indexing.embedders(q.workflow):
        vector = await _embedded(inference.embed_texts, raw, where)
        parts.append(await q.nearest("text-embedding", vector))
    named = concept_words.named_in(raw, _general_names())
    if indexing.classifies(q.workflow) and named:
        wanted = [Wanted(tuple(ids), 1.0) for _, ids in named]
        general = indexing.general_version_id()
        parts.append(Labelled(q.call, wanted, q.candidates, general, "image"))
    return Either(parts)


async def _by_input(q: Query, spec: Spec) -> Nearest:
    """The vector of the input the rank names."""
    at = f"{spec.at}.input_id"
    input_id = spec.rank.annotation.input_id
    row = await q.call.store.inputs.get(input_id)
    if row is None:
        raise check.missing("input", input_id, at)
    runtime = {"image": "image-embedding", "text": "text-embedding"}.get(row.media_kind)
    if runtime is None:
        raise check.invalid(
            f"{at}: input '{input_id}' has no image or text; ranks by input compare them"
        )
    _check_version(spec.rank, spec.at, runtime)
    if runtime not in indexing.embedders(q.workflow):
        medium = "an image" if row.media_kind == "image" else "a text"
        raise _lacks(q.workflow, at, f"a rank by {medium} input", _model(runtime).ids[0])
    version_pk = await q.version_pk(runtime)
    stored = await q.call.store.embeddings.vectors([row.pk], version_pk)
    if row.pk not in stored:
        raise ApiError(
            Code.SEARCH_BY_NOT_FULLY_INDEXED_INPUT,
            f"{at}: input '{input_id}' is not indexed yet (its base workflow run has not "
            "finished); search again once it has",
        )
    return await q.nearest(runtime, np.asarray(stored[row.pk], dtype=np.float32), version_pk)


async def _averaged(q: Query, wanted: list[Wanted], model_version_id: str) -> Nearest | None:
    """avg_concept_brute_force's query: the mean vector of the app's inputs
    the concepts describe best, from the first embedder whose vectors they
    have; None when none has any."""
    described = Labelled(q.call, wanted, None, model_version_id)
    examples = [pk for pk, s in await described.top(AVG_EXAMPLES, worst=False) if s >= 0.5]
    for runtime in indexing.embedders(q.workflow):
        version_pk = await q.version_pk(runtime)
        found = await q.call.store.embeddings.vectors(examples, version_pk)
        if found:
            mean = np.mean(np.asarray(list(found.values()), dtype=np.float32), axis=0)
            return await q.nearest(runtime, mean, version_pk)
    return None


async def _scorer(q: Query, spec: Spec) -> Scorer:
    annotation = spec.rank.annotation
    data = annotation.data
    if spec.kind == "concepts":
        wanted = await _wanted(q, data.concepts)
        averaged = None
        if q.algorithm == "avg_concept_brute_force":
            averaged = await _averaged(q, wanted, annotation.model_version_id)
        # Without a labelled vector to average, the concepts' own scores (all alike).
        return averaged or Labelled(q.call, wanted, q.candidates, annotation.model_version_id)
    if spec.kind == "image":
        image, where = await _media(q, data.image, f"{spec.at}.data.image")
        vector = await _embedded(inference.embed_images, image, where)
        return await q.nearest("image-embedding", vector)
    if spec.kind == "embeddings":
        return await q.nearest(spec.runtime, np.asarray(data.embeddings[0].vector))
    if spec.kind == "text":
        return await _text(q, spec)
    return await _by_input(q, spec)


# ---- the order ----


def _as_sent(score: float, negate: bool) -> float:
    return 1.0 - score if negate else score


async def ranked(
    call: Call,
    ranks: Sequence[resources_pb2.Rank],
    *,
    candidates: Select | None,
    metric: Metric,
    algorithm: Algorithm,
    limit: int,
    field: str,
) -> list[tuple[int, float]]:
    """The best `limit` of the candidate inputs (a select of Input.pk; None:
    all the app's) by the ranks, as (input pk, score in [0, 1]), best
    first. `field` names the ranks in error details, e.g.
    "searches[0].query.ranks"."""
    specs = [_spec(rank, f"{field}[{n}].annotation") for n, rank in enumerate(ranks)]
    workflow = await indexing.base_workflow(call.store, call.app_row)
    for spec in specs:
        _check_workflow(spec, workflow, algorithm)
    if limit <= 0 or not specs:
        return []
    q = Query(call, candidates, metric, algorithm, workflow)
    scorers = [await _scorer(q, spec) for spec in specs]
    negated = [spec.rank.negate for spec in specs]
    if len(scorers) == 1:
        return [(pk, _as_sent(s, negated[0])) for pk, s in await scorers[0].top(limit, negated[0])]
    gathered = {
        pk
        for scorer, neg in zip(scorers, negated, strict=True)
        for pk, _ in await scorer.top(limit, neg)
    }
    pks = sorted(gathered)
    each = [await scorer.of(pks) for scorer in scorers]
    mean = [
        (
            pk,
            sum(_as_sent(s.get(pk, 0.0), neg) for s, neg in zip(each, negated, strict=True))
            / len(each),
        )
        for pk in pks
    ]
    return _best(mean, limit)
