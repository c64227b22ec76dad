"""Training benchmark (not a test): figures are printed, never asserted.

Training time for N annotated inputs (default 1,000, four concepts, one
positive each): from queuing the `model.train` job until the version is
MODEL_TRAINED (gathering annotations, reading vectors, fitting one logistic
regression per concept, storing the artifact), next to scikit-learn alone
fitting the same heads on the same vectors in this process and run (the
ceiling). Then the same for `model.evaluate` (5-fold cross-validation and
metrics) against scikit-learn's cross-validation alone.

Vectors are synthetic (1280 dimensions, as image-embedding's, four
clusters) and stored before training, in an app whose base workflow is
Empty: the figures are training's own, without image inference.

Usage: .venv/bin/python bench/bench_training.py [--inputs 1000]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL; the server runs in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path

import grpc
import numpy as np
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from harness import scratch_database
from PIL import Image
from sqlalchemy import select

from server import bootstrap, indexing, jobs, training
from server.config import Settings
from server.main import Running, open_database, start
from storage import apps as app_store
from storage.embeddings import EmbeddingStorage
from storage.evaluations import Evaluation
from storage.inputs import Input
from storage.models import Model, ModelVersion

CONCEPTS = ["a", "b", "c", "d"]
DIMS = 1280
BATCH = 128


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "gray").save(out, "PNG")
    return out.getvalue()


def synthetic(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Four noisy clusters: vectors and each one's concept index."""
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 1, (len(CONCEPTS), DIMS))
    labels = np.arange(n) % len(CONCEPTS)
    return centres[labels] + rng.normal(0, 2.0, (n, DIMS)), labels


async def post_inputs(stub, md, app_id: str, user_id: str, labels: np.ndarray) -> None:
    image = png()
    ids = r.UserAppIDSet(user_id=user_id, app_id=app_id)
    for start_at in range(0, len(labels), BATCH):
        inputs = [
            r.Input(
                id=f"in{i}",
                data=r.Data(
                    image=r.Image(base64=image),
                    concepts=[
                        r.Concept(id=c, value=float(c == CONCEPTS[labels[i]])) for c in CONCEPTS
                    ],
                ),
            )
            for i in range(start_at, min(start_at + BATCH, len(labels)))
        ]
        res = await stub.PostInputs(
            s.PostInputsRequest(user_app_id=ids, inputs=inputs), metadata=md
        )
        assert res.status.code == sc.SUCCESS, res.status


async def store_vectors(running: Running, scope, vectors: np.ndarray) -> None:
    async with running.db.transaction() as session:
        pks = dict(
            (
                await session.execute(select(Input.id, Input.pk).where(Input.app_pk == scope.pk))
            ).all()
        )
        version_pk = await indexing.embedder_version_pk(session, "image-embedding")
        await EmbeddingStorage(session, scope).put(
            version_pk, {pks[f"in{i}"]: v for i, v in enumerate(vectors)}
        )


async def queue_training(running: Running, scope) -> int:
    async with running.db.transaction() as session:
        model = Model(
            app_pk=scope.pk, id="bench", name="bench", model_type_id="embedding-classifier"
        )
        session.add(model)
        await session.flush()
        version = ModelVersion(
            app_pk=scope.pk,
            model_pk=model.pk,
            id=uuid.uuid4().hex,
            status_code=sc.MODEL_QUEUED_FOR_TRAINING,
            output_info={"data": {"concepts": [{"id": c, "name": c} for c in CONCEPTS]}},
        )
        session.add(version)
        await session.flush()
        jobs.enqueue(session, scope, training.TRAIN, {"model_version_pk": version.pk})
        return version.pk


async def wait(running: Running, table, pk: int, pending: tuple[int, ...]) -> int:
    while True:
        async with running.db.transaction() as session:
            code = await session.scalar(select(table.status_code).where(table.pk == pk))
        if code not in pending:
            return int(code)
        await asyncio.sleep(0.05)


def sklearn_alone(x: np.ndarray, labels: np.ndarray) -> float:
    """One logistic regression per concept over standardised vectors."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    started = time.perf_counter()
    z = StandardScaler().fit_transform(x)
    for j in range(len(CONCEPTS)):
        LogisticRegression(C=1.0, max_iter=200).fit(z, labels == j)
    return time.perf_counter() - started


def sklearn_cv_alone(x: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    started = time.perf_counter()
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, labels):
        scaler = StandardScaler().fit(x[train])
        z = scaler.transform(x[train])
        for j in range(len(CONCEPTS)):
            LogisticRegression(C=1.0, max_iter=200).fit(z, labels[train] == j).predict_proba(
                scaler.transform(x[test])
            )
    return time.perf_counter() - started


async def bench(url: str, n: int) -> None:
    settings = Settings(
        grpc_port=0,
        rest_port=0,
        host="127.0.0.1",
        database_url=url,
        data_dir=Path(tempfile.mkdtemp(prefix="bench-training-")),
    )
    running = await start(settings, open_database(settings))
    try:
        info = await bootstrap.create(running.db)
        md = (("authorization", f"Key {info['pat']}"),)
        vectors, labels = synthetic(n)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{running.grpc_port}") as channel:
            stub = service_pb2_grpc.V2Stub(channel)
            res = await stub.PostApps(
                s.PostAppsRequest(
                    user_app_id=r.UserAppIDSet(user_id=info["user_id"]),
                    apps=[r.App(id="bench", default_workflow_id="Empty")],
                ),
                metadata=md,
            )
            assert res.status.code == sc.SUCCESS, res.status
            await post_inputs(stub, md, "bench", info["user_id"], labels)
            async with running.db.transaction() as session:
                scope = app_store.scope_of(await app_store.get(session, info["user_id"], "bench"))
            await store_vectors(running, scope, vectors)

            started = time.perf_counter()
            pk = await queue_training(running, scope)
            code = await wait(running, ModelVersion, pk, training.PENDING)
            trained = time.perf_counter() - started
            assert code == sc.MODEL_TRAINED, code
            alone = sklearn_alone(vectors, labels)
            async with running.db.transaction() as session:
                log = await session.scalar(
                    select(ModelVersion.train_log).where(ModelVersion.pk == pk)
                )
            print(f"{n} inputs, {len(CONCEPTS)} concepts, {DIMS} dimensions")
            print(
                f"  train     job {trained:7.2f} s   scikit-learn alone {alone:7.2f} s"
                f"   ratio {trained / alone:.2f}"
            )
            print(f"  train_log: {log}")

            async with running.db.transaction() as session:
                version = await session.get(ModelVersion, pk)
                assert version is not None
                version_id = version.id
            started = time.perf_counter()
            res = await stub.PostModelVersionEvaluations(
                s.PostModelVersionEvaluationsRequest(
                    user_app_id=r.UserAppIDSet(user_id=info["user_id"], app_id="bench"),
                    model_id="bench",
                    model_version_id=version_id,
                    eval_metrics=[r.EvalMetrics(id="bench")],
                ),
                metadata=md,
            )
            assert res.status.code == sc.SUCCESS, res.status
            async with running.db.transaction() as session:
                eval_pk = await session.scalar(
                    select(Evaluation.pk).where(Evaluation.app_pk == scope.pk)
                )
            code = await wait(
                running, Evaluation, eval_pk, (sc.MODEL_QUEUED_FOR_EVALUATION, sc.MODEL_EVALUATING)
            )
            evaluated = time.perf_counter() - started
            assert code == sc.MODEL_EVALUATED, code
            cv = sklearn_cv_alone(vectors, labels)
            print(
                f"  evaluate  job {evaluated:7.2f} s   scikit-learn alone {cv:7.2f} s"
                f"   ratio {evaluated / cv:.2f}"
            )
    finally:
        await running.stop(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1000)
    args = parser.parse_args()
    with scratch_database("bench_training") as url:
        asyncio.run(bench(url, args.inputs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
