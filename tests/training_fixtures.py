"""Shared by tests/integration/test_training.py and test_evaluations.py:
annotated images of a separable synthetic set (reddish and bluish squares
on noise), and a trainable model version queued for training.

Until the models family's RPCs (PostModels, PostModelVersions) are merged,
the model and version are written with storage classes and the `model.train`
job is queued directly, as PostModelVersions will; `wait_trained` reads the
version row as GetModel's model_version.status will show it."""

from __future__ import annotations

import asyncio
import io
import uuid
from typing import Any

import numpy as np
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image
from sqlalchemy import select

from server import jobs, training
from storage.models import Model, ModelVersion
from tests.helpers import app_of, app_scope

# How long a test waits for a background job (a bound, not a timing).
WAIT_SECONDS = 180.0
PENDING = (sc.MODEL_QUEUED_FOR_TRAINING, sc.MODEL_TRAINING)


def noisy(color: tuple[int, int, int], seed: int) -> bytes:
    """A 64x64 image: a square of `color` on grey noise."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(90, 160, (64, 64, 3), dtype=np.uint8)
    shade = np.clip(np.array(color) + rng.integers(-25, 25, 3), 0, 255).astype(np.uint8)
    pixels[8:56, 8:56] = shade
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


RED, BLUE = (220, 30, 30), (30, 40, 220)


def labelled(input_id: str, data: bytes, **concepts: float) -> r.Input:
    return r.Input(
        id=input_id,
        data=r.Data(
            image=r.Image(base64=data),
            concepts=[r.Concept(id=c, value=v) for c, v in concepts.items()],
        ),
    )


async def post_inputs(stub, account, inputs: list[r.Input]) -> None:
    res = await stub.PostInputs(
        s.PostInputsRequest(user_app_id=app_of(account), inputs=inputs), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status


async def red_and_blue(stub, account, per_class: int = 10) -> None:
    """`per_class` reddish inputs (concept red 1, blue 0) and as many bluish."""
    inputs = [labelled(f"red{i}", noisy(RED, i), red=1, blue=0) for i in range(per_class)]
    inputs += [labelled(f"blue{i}", noisy(BLUE, 100 + i), blue=1, red=0) for i in range(per_class)]
    await post_inputs(stub, account, inputs)


async def queue_version(
    server,
    account,
    concepts: list[str],
    *,
    model_type_id: str = "embedding-classifier",
    train_info: dict[str, Any] | None = None,
    output_config: dict[str, Any] | None = None,
    model_id: str = "",
) -> tuple[str, str, int]:
    """A trainable model with a version queued for training: (model id,
    version id, version pk). What PostModels + PostModelVersions will do."""
    app = await app_scope(server, account)
    model_id = model_id or f"m{uuid.uuid4().hex[:8]}"
    version_id = uuid.uuid4().hex
    output_info: dict[str, Any] = {"data": {"concepts": [{"id": c, "name": c} for c in concepts]}}
    if output_config:
        output_info["output_config"] = output_config
    async with server.db.transaction() as session:
        model = await session.scalar(
            select(Model).where(Model.app_pk == app.pk, Model.id == model_id)
        )
        if model is None:
            model = Model(app_pk=app.pk, id=model_id, name=model_id, model_type_id=model_type_id)
            session.add(model)
            await session.flush()
        version = ModelVersion(
            app_pk=app.pk,
            model_pk=model.pk,
            id=version_id,
            status_code=sc.MODEL_QUEUED_FOR_TRAINING,
            output_info=output_info,
            train_info=train_info or {},
        )
        session.add(version)
        await session.flush()
        pk = version.pk
        jobs.enqueue(session, app, training.TRAIN, {"model_version_pk": pk})
    return model_id, version_id, pk


async def version_row(server, pk: int) -> ModelVersion:
    async with server.db.transaction() as session:
        row = await session.get(ModelVersion, pk)
        assert row is not None
        session.expunge(row)
        return row


async def wait_trained(server, pk: int) -> ModelVersion:
    """The version once training has ended, either way."""
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            row = await version_row(server, pk)
            if row.status_code not in PENDING:
                return row
            await asyncio.sleep(0.2)
