"""Training and evaluating classifier heads, as background jobs.

- `model.train` {"model_version_pk"}: queued by PostModelVersions on a
  trainable model. The version goes MODEL_QUEUED_FOR_TRAINING →
  MODEL_TRAINING → MODEL_TRAINED (its artifact stored) or one of the
  reference's training errors (no data, no positives, insufficient data,
  invalid hyper-parameters) with details naming the cause; anything else
  ends in MODEL_TRAINING_FAILED, never a status stuck at MODEL_TRAINING.
- `model.evaluate` {"evaluation_pk"}: queued by PostModelVersionMetrics and
  PostModelVersionEvaluations. k-fold cross-validation over the same data
  with the same hyper-parameters (server/classifiers.py): every input is
  scored by a head that never saw it. MODEL_QUEUED_FOR_EVALUATION →
  MODEL_EVALUATING → MODEL_EVALUATED or MODEL_EVALUATION_FAILED.

The training set: the app's inputs whose input-level annotations name the
version's concepts (output_info.data.concepts), positive where the value
is above 0 and negative where it is 0 (an input positive for another of
the concepts is a negative too), optionally only the inputs of
train_info.dataset (or its version). Their vectors come from clarifai/main's
embedder of the model type, through server/indexing.py's ensure_embeddings
(stored ones reused, missing ones computed). Fitting runs in a thread, off
the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from clarifai.api.status import status_code_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from server import classifiers, indexing, model_types
from server.classifiers import TrainingError
from server.jobs import JobContext, job
from server.status import description
from storage import apps as app_store
from storage import blobs
from storage import evaluations as eval_store
from storage import training as train_store
from storage.models import Model, ModelVersion
from storage.scoped import AppScope

log = logging.getLogger("clarifai_local.training")
Code = status_code_pb2.StatusCode

TRAIN = "model.train"
EVALUATE = "model.evaluate"
# A training or evaluation run longer than this is cancelled (and fails).
TIME_LIMIT = 1800.0
# A version whose training has not ended.
PENDING = (Code.MODEL_QUEUED_FOR_TRAINING, Code.MODEL_TRAINING)


@dataclass(frozen=True)
class Gathered:
    data: classifiers.Data
    params: classifiers.Params
    embedder: str
    # Inputs left out for want of a vector (media the embedder cannot read).
    skipped: int


def concepts_of(version: ModelVersion) -> list[tuple[str, str]]:
    """(id, name) of the concepts the version learns, in the order sent."""
    found = ((version.output_info or {}).get("data") or {}).get("concepts") or []
    out: dict[str, str] = {}
    for c in found:
        if c.get("id"):
            out.setdefault(c["id"], c.get("name") or c["id"])
    return list(out.items())


def embedder_of(model: Model) -> str:
    """The embedder whose vectors the model's type learns from (the type catalog's)."""
    runtime = model_types.embedder_of(model.model_type_id)
    if not runtime:
        raise TrainingError(
            Code.MODEL_TRAINING_INVALID_PARAMS,
            f"model type '{model.model_type_id}' is not trained by this server",
        )
    return runtime


async def _scope(session: AsyncSession, app_pk: int) -> AppScope | None:
    app = await app_store.get_by_pk(session, app_pk)
    return app_store.scope_of(app) if app else None


async def _dataset_ids(
    session: AsyncSession, app: AppScope, version: ModelVersion
) -> list[str] | None:
    """The input ids of train_info.dataset (or train_info.params'
    dataset_id/dataset_version_id), None when no dataset is named."""
    train_info = version.train_info or {}
    dataset = train_info.get("dataset") or {}
    params = train_info.get("params") or {}
    dataset_id = dataset.get("id") or params.get("dataset_id") or ""
    version_id = (dataset.get("version") or {}).get("id") or params.get("dataset_version_id") or ""
    if not dataset_id:
        return None
    ids = await train_store.dataset_inputs(session, app, dataset_id, version_id)
    if ids is None:
        named = f"dataset '{dataset_id}'" + (f" version '{version_id}'" if version_id else "")
        raise TrainingError(Code.MODEL_TRAINING_NO_DATA, f"train_info: {named} does not exist")
    return ids


async def _vectors(
    session: AsyncSession, app: AppScope, inputs: list[Any], runtime: str, store: Any
) -> dict[int, np.ndarray]:
    return await indexing.ensure_embeddings(session, app, inputs, runtime, store)


async def gather(
    session: AsyncSession,
    app: AppScope,
    version: ModelVersion,
    model: Model,
    store: Any = None,
) -> Gathered:
    """The version's training set: examples, their vectors, its hyper-parameters."""
    params = classifiers.params(version.output_info or {}, version.train_info or {})
    runtime = embedder_of(model)
    concepts = concepts_of(version)
    if not concepts:
        raise TrainingError(
            Code.MODEL_TRAINING_NO_DATA, "output_info.data.concepts: the version names no concepts"
        )
    ids = [c[0] for c in concepts]
    within = await _dataset_ids(session, app, version)
    examples = await train_store.examples(session, app, ids, within)
    vectors = await _vectors(session, app, [e.input for e in examples], runtime, store)
    kept = [e for e in examples if e.input.pk in vectors]
    if not kept:
        left_out = f" ({len(examples)} without a vector)" if examples else ""
        raise TrainingError(
            Code.MODEL_TRAINING_NO_DATA,
            f"no input of the app is annotated with the concepts {ids}{left_out}",
        )
    labels = np.array(
        [[e.concepts.get(c, 0.0) > 0 for c in ids] for e in kept], dtype=bool
    ).reshape(len(kept), len(ids))
    x = np.array([vectors[e.input.pk] for e in kept], dtype=np.float64)
    data = classifiers.Data(
        [e.input.id for e in kept], x.reshape(len(kept), -1), labels, ids, [c[1] for c in concepts]
    )
    return Gathered(data, params, runtime, len(examples) - len(kept))


def _train_log(g: Gathered, gathering: float, fitting: float) -> str:
    counts = g.data.labels.sum(axis=0)
    per = ", ".join(f"{c} {int(n)}" for c, n in zip(g.data.concept_ids, counts, strict=True))
    p = g.params
    head = (
        "one multinomial logistic regression"
        if p.mutually_exclusive
        else ("one logistic regression per concept")
    )
    skipped = f"; {g.skipped} inputs without a vector left out" if g.skipped else ""
    return (
        f"Trained {head} over {g.embedder} vectors ({g.data.vectors.shape[1]} dimensions) "
        f"of {len(g.data.input_ids)} inputs (positives: {per}){skipped}; "
        f"C={p.C:g}, max_iter={p.max_iter}, class_weight={p.class_weight}; "
        f"data read in {gathering:.2f} s, fitted in {fitting:.2f} s."
    )


# ---- model.train ----


async def _start_training(ctx: JobContext, pk: int) -> tuple[ModelVersion, Model] | None:
    """Mark the version MODEL_TRAINING; None when it is gone or not queued
    (a job run again after the version was trained, or deleted)."""
    async with ctx.db.transaction() as session:
        found = await train_store.version(session, pk, lock=True)
        if found is None:
            return None
        if found[0].status_code not in (Code.MODEL_QUEUED_FOR_TRAINING, Code.MODEL_TRAINING):
            return None
        await _set_status(session, pk, Code.MODEL_TRAINING)
        return found


async def _set_status(session: AsyncSession, pk: int, code: int, details: str = "") -> None:
    """The version's status in the reference's wording; why it failed goes
    to its train_log (the version's one free-text field users read)."""
    extra = {"train_log": details} if details else {}
    await train_store.set_version(
        session, pk, status_code=code, status_description=description(code), **extra
    )


async def _fail(ctx: JobContext, pk: int, code: int, details: str) -> None:
    async with ctx.db.transaction() as session:
        await _set_status(session, pk, code, details)


async def _train(ctx: JobContext, pk: int, version: ModelVersion, model: Model) -> None:
    started = time.monotonic()
    async with ctx.db.transaction() as session:
        app = await _scope(session, version.app_pk)
        if app is None:
            return
        gathered = await gather(session, app, version, model, _store(ctx))
    fitting = time.monotonic()
    head = await asyncio.to_thread(
        classifiers.fit, gathered.data, gathered.params, gathered.embedder
    )
    ended = time.monotonic()
    artifact = classifiers.dumps(head)
    async with ctx.db.transaction() as session:
        await train_store.set_version(
            session,
            pk,
            status_code=Code.MODEL_TRAINED,
            status_description=description(Code.MODEL_TRAINED),
            artifact=artifact,
            runtime="",
            total_input_count=len(gathered.data.input_ids),
            completed_at=datetime.now(UTC),
            train_log=_train_log(gathered, fitting - started, ended - fitting),
        )


def _store(ctx: JobContext) -> Any:
    return blobs.store_for(ctx.settings.data_dir)


async def _training_gave_up(ctx: JobContext, payload: dict[str, Any], error: str) -> None:
    await _fail(ctx, int(payload["model_version_pk"]), Code.MODEL_TRAINING_FAILED, error)


@job(TRAIN, max_attempts=1, on_give_up=_training_gave_up, time_limit=TIME_LIMIT)
async def train(ctx: JobContext, payload: dict[str, Any]) -> None:
    pk = int(payload["model_version_pk"])
    found = await _start_training(ctx, pk)
    if found is None:
        return
    try:
        await _train(ctx, pk, *found)
    except TrainingError as exc:
        await _fail(ctx, pk, exc.code, exc.details)
    except Exception as exc:
        log.exception("training model version %s failed", pk)
        await _fail(ctx, pk, Code.MODEL_TRAINING_FAILED, f"{type(exc).__name__}: {exc}")


# ---- model.evaluate ----


async def _start_evaluation(ctx: JobContext, pk: int):
    async with ctx.db.transaction() as session:
        evaluation = await eval_store.get_by_pk(session, pk)
        if evaluation is None or evaluation.status_code not in (
            eval_store.QUEUED,
            eval_store.EVALUATING,
        ):
            return None
        found = await train_store.version(session, evaluation.model_version_pk)
        if found is None:
            return None
        await eval_store.set_status(session, pk, eval_store.EVALUATING)
        return found


async def _evaluate(ctx: JobContext, pk: int, version: ModelVersion, model: Model) -> None:
    async with ctx.db.transaction() as session:
        app = await _scope(session, version.app_pk)
        if app is None:
            return
        g = await gather(session, app, version, model, _store(ctx))
    scores = await asyncio.to_thread(classifiers.cross_validate, g.data, g.params)
    metrics = await asyncio.to_thread(classifiers.metrics, g.data, scores, g.params)
    async with ctx.db.transaction() as session:
        await eval_store.set_status(session, pk, eval_store.EVALUATED, metrics=metrics)


async def _evaluation_failed(ctx: JobContext, pk: int, details: str) -> None:
    async with ctx.db.transaction() as session:
        await eval_store.set_status(session, pk, eval_store.FAILED, details)


async def _evaluation_gave_up(ctx: JobContext, payload: dict[str, Any], error: str) -> None:
    await _evaluation_failed(ctx, int(payload["evaluation_pk"]), error)


@job(EVALUATE, max_attempts=1, on_give_up=_evaluation_gave_up, time_limit=TIME_LIMIT)
async def evaluate(ctx: JobContext, payload: dict[str, Any]) -> None:
    pk = int(payload["evaluation_pk"])
    found = await _start_evaluation(ctx, pk)
    if found is None:
        return
    try:
        await _evaluate(ctx, pk, *found)
    except TrainingError as exc:
        # The training error's own wording says why (no data, ...).
        await _evaluation_failed(ctx, pk, f"{description(exc.code)}: {exc.details}")
    except Exception as exc:
        log.exception("evaluating %s failed", pk)
        await _evaluation_failed(ctx, pk, f"{type(exc).__name__}: {exc}")
