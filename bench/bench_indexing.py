"""Indexing benchmark (not a test): figures are printed, never asserted.

Embedding indexing in inputs/s, images and texts apart: PostInputs of N
inputs (32 per request) to an app whose base workflow is Universal, timed
from the first request until every input's vector is stored by the
background jobs (server/indexing.py); next to the inference package alone
embedding the same inputs in batches of 32, in the same process and run
(the ceiling: what the models allow on this machine). The ratio says what
the job queue, blob reads and vector writes cost on top of the models.

Usage: .venv/bin/python bench/bench_indexing.py [--images 256] [--texts 1024]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory. The server
runs in this process (as `clarifai-local serve` runs its jobs: in its own).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import grpc
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from harness import scratch_database
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from server import bootstrap, inference, vectors
from server.config import Settings
from server.main import Running, open_database, start
from storage.embeddings import Embedding

BATCH = 32
WORDS = [
    "cat",
    "dog",
    "car",
    "tree",
    "river",
    "city",
    "night",
    "market",
    "coffee",
    "bread",
    "mountain",
    "ship",
    "train",
    "song",
    "storm",
    "garden",
    "window",
    "bridge",
    "letter",
    "doctor",
    "engine",
    "forest",
    "winter",
    "summer",
    "price",
]


def image(n: int) -> bytes:
    """A 320x240 picture of a few coloured shapes, different for each n."""
    rng = random.Random(n)
    img = Image.new("RGB", (320, 240), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(4):
        x, y = rng.randrange(240), rng.randrange(160)
        box = (x, y, x + rng.randrange(20, 80), y + rng.randrange(20, 80))
        color = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=color)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def sentence(n: int) -> str:
    rng = random.Random(n)
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(6, 20)))


async def stored(running: Running) -> int:
    async with running.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Embedding)) or 0)


async def index_rate(
    running: Running, stub: service_pb2_grpc.V2Stub, md: tuple, inputs: list[r.Input]
) -> float:
    """inputs/s from the first PostInputs to the last vector stored."""
    before = await stored(running)
    began = time.perf_counter()
    for k in range(0, len(inputs), BATCH):
        res = await stub.PostInputs(s.PostInputsRequest(inputs=inputs[k : k + BATCH]), metadata=md)
        assert res.status.code == sc.SUCCESS, res.status
    while await stored(running) < before + len(inputs):
        await asyncio.sleep(0.05)
    return len(inputs) / (time.perf_counter() - began)


async def model_rate(fn, media: list) -> float:
    """inputs/s of the inference package alone, BATCH per call."""
    began = time.perf_counter()
    for k in range(0, len(media), BATCH):
        await inference.run(fn, media[k : k + BATCH])
    return len(media) / (time.perf_counter() - began)


async def bench(url: str, n_images: int, n_texts: int) -> None:
    settings = Settings(
        grpc_port=0,
        rest_port=0,
        host="127.0.0.1",
        database_url=url,
        data_dir=Path(tempfile.mkdtemp(prefix="bench-indexing-")),
    )
    running = await start(settings, open_database(settings))
    try:
        async with running.db.transaction() as session:
            ranked_by = "pgvector" if await vectors.has_extension(session) else "exact scan"
        info = await bootstrap.create(running.db)
        md = (("authorization", f"Key {info['api_key']}"),)
        images = [image(n) for n in range(n_images)]
        texts = [sentence(n) for n in range(n_texts)]
        loads = await inference.run(inference.warm)
        print(f"models loaded: {', '.join(f'{k} {v:.2f} s' for k, v in loads.items())}")
        print(f"database: {ranked_by}; {n_images} images (320x240 JPEG), {n_texts} texts")
        async with grpc.aio.insecure_channel(f"127.0.0.1:{running.grpc_port}") as channel:
            stub = service_pb2_grpc.V2Stub(channel)
            for kind, media, fn, make in (
                (
                    "images",
                    images,
                    inference.embed_images,
                    lambda m: r.Data(image=r.Image(base64=m)),
                ),
                ("texts", texts, inference.embed_texts, lambda m: r.Data(text=r.Text(raw=m))),
            ):
                alone = await model_rate(fn, media)
                inputs = [r.Input(id=uuid.uuid4().hex, data=make(m)) for m in media]
                indexed = await index_rate(running, stub, md, inputs)
                print(
                    f"  {kind:7} indexed {indexed:8.1f} inputs/s   inference alone "
                    f"{alone:8.1f} inputs/s   ratio {indexed / alone:.2f}"
                )
    finally:
        await running.stop(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=256)
    parser.add_argument("--texts", type=int, default=1024)
    args = parser.parse_args()
    with scratch_database("bench_indexing") as url:
        asyncio.run(bench(url, args.images, args.texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
