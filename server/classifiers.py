"""Classifier heads over embeddings: fit, serialise, predict, cross-validate.

Pure functions over numpy arrays (no database, no event loop): the training
job (server/training.py) gathers vectors and labels and calls `fit` or
`cross_validate` off the event loop; PostModelOutputs calls `predict` on a
trained version's artifact.

A head is linear: one logistic regression per concept (multi-label, each
value the concept's own probability), or one multinomial regression when
the concepts are mutually exclusive (values sum to one). Features are
standardised before fitting and the scaling is folded into the stored
coefficients, so predicting is one matrix product. The artifact is an .npz
archive (no pickle): coefficients, intercepts, concept ids and names, the
link ("sigmoid" or "softmax") and the runtime key of the embedder whose
vectors it was trained on.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from clarifai.api.status import status_code_pb2

Code = status_code_pb2.StatusCode

try:  # the inference package's Concept (branch `inference`); same fields until merged
    from server.inference import Concept
except ImportError:  # pragma: no cover - before the inference package is merged

    @dataclass(frozen=True)
    class Concept:  # type: ignore[no-redef]
        id: str
        name: str
        value: float


# Fixed, so that training and evaluation of the same data give the same head.
SEED = 0
# Folds of cross-validation at most (fewer when a class has fewer examples).
MAX_FOLDS = 5
# Points kept of each ROC and precision-recall curve (a response stays small).
CURVE_POINTS = 101
CLASS_WEIGHTS = ("none", "balanced")


class TrainingError(Exception):
    """Training or evaluation cannot go on: a Clarifai status code (21110,
    21111, 21117, 21118, ...) and details naming what is wrong."""

    def __init__(self, code: int, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Params:
    """The hyper-parameters the trainer honours (server/model_types.py lists
    them as train_info.params.*; output_config.hyper_params may carry them too)."""

    C: float = 1.0  # noqa: N815  (scikit-learn's and the model type's name)
    max_iter: int = 200
    class_weight: str = "none"
    min_examples: int = 1
    mutually_exclusive: bool = False


def params(output_info: Mapping[str, Any], train_info: Mapping[str, Any]) -> Params:
    """The hyper-parameters of a version: output_config.hyper_params (a JSON
    object, or a string holding one, as the reference keeps it), overridden
    by train_info.params. Bad values raise MODEL_TRAINING_INVALID_PARAMS."""
    config = output_info.get("outputConfig") or output_info.get("output_config") or {}
    merged = {**_hyper_params(config), **dict(train_info.get("params") or {})}
    exclusive = config.get("conceptsMutuallyExclusive", config.get("concepts_mutually_exclusive"))
    try:
        c = float(merged.get("C", 1.0))
        max_iter = _whole(merged.get("max_iter", 200))
        min_examples = _whole(merged.get("min_examples", 1))
    except (TypeError, ValueError) as exc:
        raise TrainingError(Code.MODEL_TRAINING_INVALID_PARAMS, f"hyper-parameters: {exc}") from exc
    weight = str(merged.get("class_weight", "none") or "none")
    _require(math.isfinite(c) and c > 0, f"C must be a positive number, not {c}")
    _require(1 <= max_iter <= 100_000, f"max_iter must be in [1, 100000], not {max_iter}")
    _require(min_examples >= 1, f"min_examples must be at least 1, not {min_examples}")
    _require(
        weight in CLASS_WEIGHTS, f"class_weight must be one of {CLASS_WEIGHTS}, not {weight!r}"
    )
    return Params(c, max_iter, weight, min_examples, bool(exclusive))


def _hyper_params(config: Mapping[str, Any]) -> dict[str, Any]:
    raw = config.get("hyperParams", config.get("hyper_params")) or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except ValueError as exc:
            raise TrainingError(
                Code.MODEL_TRAINING_INVALID_PARAMS,
                f"output_info.output_config.hyper_params is not a JSON object: {exc}",
            ) from exc
    if not isinstance(raw, dict):
        raise TrainingError(
            Code.MODEL_TRAINING_INVALID_PARAMS,
            "output_info.output_config.hyper_params is not a JSON object",
        )
    return raw


def _whole(value: Any) -> int:
    number = float(value)
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _require(ok: bool, details: str) -> None:
    if not ok:
        raise TrainingError(Code.MODEL_TRAINING_INVALID_PARAMS, f"hyper-parameters: {details}")


# ---- training data ----


@dataclass(frozen=True)
class Data:
    """Examples: one row of `vectors` per input, `labels[i, j]` True when
    input i is a positive of concept j (every other input is a negative)."""

    input_ids: Sequence[str]
    vectors: np.ndarray
    labels: np.ndarray
    concept_ids: Sequence[str]
    concept_names: Sequence[str]


def check(data: Data, p: Params) -> None:
    """The reference's training errors, before any fitting."""
    if len(data.input_ids) == 0:
        raise TrainingError(
            Code.MODEL_TRAINING_NO_DATA,
            "no input of the app is annotated with the model's concepts",
        )
    positives = data.labels.sum(axis=0)
    for j, count in enumerate(positives):
        if count == 0:
            raise TrainingError(
                Code.MODEL_TRAINING_NO_POSITIVES,
                f"concept '{data.concept_ids[j]}' has no positive examples",
            )
        if count < p.min_examples:
            raise TrainingError(
                Code.MODEL_TRAINING_INSUFFICIENT_DATA,
                f"concept '{data.concept_ids[j]}' has {int(count)} positive examples;"
                f" min_examples is {p.min_examples}",
            )
    if p.mutually_exclusive:
        if len(data.concept_ids) < 2:
            raise TrainingError(
                Code.MODEL_TRAINING_INSUFFICIENT_DATA,
                "mutually exclusive concepts need at least two concepts",
            )
        return
    for j, count in enumerate(positives):
        if count == len(data.input_ids):
            raise TrainingError(
                Code.MODEL_TRAINING_INSUFFICIENT_DATA,
                f"concept '{data.concept_ids[j]}' has no negative examples: every training"
                " input is a positive (annotate some inputs with value 0, or with other concepts)",
            )


# ---- fitting ----


@dataclass(frozen=True)
class Head:
    coef: np.ndarray  # (concepts, dims), over raw vectors
    intercept: np.ndarray  # (concepts,)
    concept_ids: Sequence[str]
    concept_names: Sequence[str]
    link: str  # "sigmoid" (one binary head per concept) or "softmax"
    embedder: str

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Probabilities, one row per vector, one column per concept."""
        logits = np.asarray(vectors, dtype=np.float64) @ self.coef.T + self.intercept
        if self.link == "softmax":
            logits = logits - logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            return e / e.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-logits))


def _model(p: Params) -> Any:
    from sklearn.linear_model import LogisticRegression

    weight = "balanced" if p.class_weight == "balanced" else None
    return LogisticRegression(C=p.C, max_iter=p.max_iter, class_weight=weight, random_state=SEED)


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-12] = 1.0
    return (x - mean) / scale, mean, scale


def _fold(w: np.ndarray, b: np.ndarray, mean: np.ndarray, scale: np.ndarray):
    """Coefficients over standardised features as coefficients over raw ones."""
    coef = w / scale
    return coef, b - coef @ mean


def _binary(z: np.ndarray, y: np.ndarray, p: Params) -> tuple[np.ndarray, float]:
    """One concept's weights; a constant (its base rate) when the data has one
    class only (a fold of cross-validation may)."""
    if y.all() or not y.any():
        rate = min(max(y.mean(), 1e-6), 1 - 1e-6)
        return np.zeros(z.shape[1]), math.log(rate / (1 - rate))
    with _quiet():
        model = _model(p).fit(z, y)
    return model.coef_[0], float(model.intercept_[0])


def _softmax(z: np.ndarray, labels: np.ndarray, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial weights over the inputs with exactly one positive."""
    k = labels.shape[1]
    single = labels.sum(axis=1) == 1
    y = labels[single].argmax(axis=1)
    w, b = np.zeros((k, z.shape[1])), np.full(k, -30.0)
    present = np.unique(y)
    if len(present) == 1:
        b[present[0]] = 0.0
        return w, b
    with _quiet():
        model = _model(p).fit(z[single], y)
    if len(present) == 2:  # scikit-learn's binary form: one row for the second class
        w[present[1]], w[present[0]] = model.coef_[0] / 2, -model.coef_[0] / 2
        b[present[1]], b[present[0]] = model.intercept_[0] / 2, -model.intercept_[0] / 2
    else:
        w[present], b[present] = model.coef_, model.intercept_
    return w, b


def fit(data: Data, p: Params, embedder: str) -> Head:
    """A head over `data` (checked first: TrainingError on too little data)."""
    check(data, p)
    return _fit(data.vectors, data.labels, data, p, embedder)


def _fit(x: np.ndarray, labels: np.ndarray, data: Data, p: Params, embedder: str) -> Head:
    z, mean, scale = _standardise(np.asarray(x, dtype=np.float64))
    if p.mutually_exclusive:
        w, b = _softmax(z, labels, p)
    else:
        fitted = [_binary(z, labels[:, j], p) for j in range(labels.shape[1])]
        w = np.stack([f[0] for f in fitted])
        b = np.array([f[1] for f in fitted])
    coef, intercept = _fold(w, b, mean, scale)
    link = "softmax" if p.mutually_exclusive else "sigmoid"
    return Head(coef, intercept, list(data.concept_ids), list(data.concept_names), link, embedder)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Convergence warnings stay out of the server's stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# ---- the artifact ----


def dumps(head: Head) -> bytes:
    out = io.BytesIO()
    np.savez_compressed(
        out,
        coef=head.coef.astype(np.float32),
        intercept=head.intercept.astype(np.float32),
        concept_ids=np.array(head.concept_ids, dtype=np.str_),
        concept_names=np.array(head.concept_names, dtype=np.str_),
        link=np.array(head.link),
        embedder=np.array(head.embedder),
    )
    return out.getvalue()


@lru_cache(maxsize=64)
def loads(artifact: bytes) -> Head:
    with np.load(io.BytesIO(artifact), allow_pickle=False) as f:
        return Head(
            coef=f["coef"].astype(np.float64),
            intercept=f["intercept"].astype(np.float64),
            concept_ids=[str(s) for s in f["concept_ids"]],
            concept_names=[str(s) for s in f["concept_names"]],
            link=str(f["link"]),
            embedder=str(f["embedder"]),
        )


def embedder(artifact: bytes) -> str:
    """The runtime key whose vectors the head was trained on."""
    return loads(artifact).embedder


def predict(artifact: bytes, vectors: np.ndarray) -> list[list[Concept]]:
    """Every learned concept per vector, with its probability, highest first."""
    head = loads(artifact)
    scores = head.scores(np.atleast_2d(vectors))
    return [_ranked(head, row) for row in scores]


def _ranked(head: Head, row: np.ndarray) -> list[Concept]:
    order = np.argsort(-row, kind="stable")
    return [Concept(head.concept_ids[j], head.concept_names[j], float(row[j])) for j in order]


# ---- evaluation ----


def folds(data: Data) -> int:
    """k of k-fold cross-validation: min(5, the smallest class count)."""
    counts = data.labels.sum(axis=0)
    if not (data.labels.sum(axis=1) == 1).all() or data.labels.shape[1] == 1:
        counts = np.concatenate([counts, len(data.input_ids) - counts])
    smallest = int(counts.min()) if len(counts) else 0
    if smallest < 2:
        raise TrainingError(
            Code.MODEL_EVALUATION_FAILED,
            "cross-validation needs at least 2 positive and 2 negative examples of every concept",
        )
    return min(MAX_FOLDS, smallest)


def cross_validate(data: Data, p: Params) -> np.ndarray:
    """Out-of-fold probabilities: each input scored by a head fitted without it."""
    from sklearn.model_selection import StratifiedKFold

    check(data, p)
    k = folds(data)
    strata = _strata(data.labels)
    out = np.zeros(data.labels.shape, dtype=np.float64)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED)
    with _quiet():  # a rare stratum smaller than k is only a warning
        splits = list(splitter.split(data.vectors, strata))
    for train, test in splits:
        head = _fit(data.vectors[train], data.labels[train], data, p, "")
        out[test] = head.scores(data.vectors[test])
    return out


def _strata(labels: np.ndarray) -> np.ndarray:
    """One stratum per input: its first positive concept (or none)."""
    return np.where(labels.any(axis=1), labels.argmax(axis=1), labels.shape[1])


def metrics(data: Data, scores: np.ndarray, p: Params) -> dict[str, Any]:
    """EvalMetrics as proto JSON (camelCase names): per-concept binary
    metrics, their macro summary, the confusion matrix of top concept against
    actual, label counts, and the test set."""
    named = zip(data.concept_ids, data.concept_names, strict=True)
    concepts = [{"id": i, "name": n} for i, n in named]
    binary = [_binary_metrics(data.labels[:, j], scores[:, j], c) for j, c in enumerate(concepts)]
    return {
        "summary": _summary(binary, data.labels, scores, p),
        "confusionMatrix": _confusion(data.labels, scores, concepts),
        "labelCounts": {
            "positiveLabelCounts": [
                {"conceptName": c["name"], "count": int(n), "concept": c}
                for c, n in zip(concepts, data.labels.sum(axis=0), strict=True)
            ]
        },
        "binaryMetrics": binary,
        "testSet": _test_set(data, scores, concepts),
    }


def _binary_metrics(y: np.ndarray, s: np.ndarray, concept: dict[str, str]) -> dict[str, Any]:
    from sklearn import metrics as m

    pos = int(y.sum())
    out: dict[str, Any] = {
        "numPos": pos,
        "numNeg": int(len(y) - pos),
        "numTot": int(len(y)),
        "f1": float(m.f1_score(y, s >= 0.5, zero_division=0)),
        "concept": concept,
    }
    if 0 < pos < len(y):
        fpr, tpr, roc_t = m.roc_curve(y, s)
        precision, recall, pr_t = m.precision_recall_curve(y, s)
        out["rocAuc"] = float(m.roc_auc_score(y, s))
        out["avgPrecision"] = float(m.average_precision_score(y, s))
        out["rocCurve"] = _curve(fpr=fpr, tpr=tpr, thresholds=np.minimum(roc_t, 1.0))
        out["precisionRecallCurve"] = _curve(
            recall=recall[:-1], precision=precision[:-1], thresholds=pr_t
        )
    return out


def _curve(**columns: np.ndarray) -> dict[str, list[float]]:
    n = len(next(iter(columns.values())))
    keep = np.unique(np.linspace(0, n - 1, min(n, CURVE_POINTS)).round().astype(int))
    return {k: [round(float(v), 6) for v in col[keep]] for k, col in columns.items()}


def _summary(
    binary: list[dict[str, Any]], labels: np.ndarray, scores: np.ndarray, p: Params
) -> dict[str, float]:
    from sklearn import metrics as m

    predicted = _predicted(scores, p)
    aucs = [b["rocAuc"] for b in binary if "rocAuc" in b]
    f1s = [b["f1"] for b in binary]
    out = {
        "macroAvgRocAuc": float(np.mean(aucs)) if aucs else 0.0,
        "macroStdRocAuc": float(np.std(aucs)) if aucs else 0.0,
        "macroAvgF1Score": float(np.mean(f1s)),
        "macroStdF1Score": float(np.std(f1s)),
        "macroAvgPrecision": float(
            m.precision_score(labels, predicted, average="macro", zero_division=0)
        ),
        "macroAvgRecall": float(
            m.recall_score(labels, predicted, average="macro", zero_division=0)
        ),
    }
    top = scores.argmax(axis=1)
    has = labels.any(axis=1)
    if has.any():
        out["top1Accuracy"] = float(labels[has, top[has]].mean())
    return out


def _predicted(scores: np.ndarray, p: Params) -> np.ndarray:
    """What the head says yes to: the top concept (mutually exclusive) or
    every concept at 0.5 or more."""
    if p.mutually_exclusive:
        out = np.zeros(scores.shape, dtype=bool)
        out[np.arange(len(scores)), scores.argmax(axis=1)] = True
        return out
    return scores >= 0.5


def _confusion(
    labels: np.ndarray, scores: np.ndarray, concepts: list[dict[str, str]]
) -> dict[str, Any]:
    """Counts of (predicted = top concept, actual = each positive concept)."""
    counts: dict[tuple[int, int], int] = {}
    for row, top in zip(labels, scores.argmax(axis=1), strict=True):
        for actual in np.flatnonzero(row):
            counts[(int(top), int(actual))] = counts.get((int(top), int(actual)), 0) + 1
    return {
        "conceptIds": [c["id"] for c in concepts],
        "matrix": [
            {
                "predicted": concepts[pr]["id"],
                "actual": concepts[ac]["id"],
                "value": float(n),
                "predictedConcept": concepts[pr],
                "actualConcept": concepts[ac],
            }
            for (pr, ac), n in sorted(counts.items())
        ],
    }


def _test_set(data: Data, scores: np.ndarray, concepts: list[dict[str, str]]) -> list[dict]:
    out = []
    for i, input_id in enumerate(data.input_ids):
        order = np.argsort(-scores[i], kind="stable")
        out.append(
            {
                "input": {"id": input_id},
                "predictedConcepts": [
                    {**concepts[j], "value": round(float(scores[i, j]), 6)} for j in order
                ],
                "groundTruthConcepts": [
                    {**concepts[j], "value": 1.0} for j in np.flatnonzero(data.labels[i])
                ],
            }
        )
    return out
