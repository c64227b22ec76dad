"""Prediction benchmark (not a test): figures are printed, never asserted.

PostModelOutputs throughput through gRPC against a `clarifai-local serve`
process, in batches of 32: images/s on clarifai/main's general model
(base64 JPEGs, 20 concepts back) and texts/s on its text embedder; next to
the engines alone on the same inputs in the same run (this process, one
call per batch of 32, no server): the inference package's function (decode,
preprocess, onnxruntime, concepts) and the bare onnxruntime session on
tensors prepared beforehand. The ratio server / engine is the figure to
read (goal: at least 0.8); the engines are timed before and after the
server's runs and the better figure is the ceiling, so background load
lowers the ratio rather than flattering it.

Usage: .venv/bin/python bench/bench_predict.py [--batches 10] [--in-flight 2]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import grpc
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from harness import Server, scratch_database
from PIL import Image, ImageDraw

os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before any onnxruntime import (server.inference)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "images"
BATCH = 32
SENTENCES = [
    "a man eating food",
    "the cat sleeps on the warm windowsill",
    "stock markets fell sharply on Monday",
    "how do I reset my password",
    "a violin concerto in D major",
    "fresh bread from the bakery around the corner",
    "the train to Berlin is delayed by twenty minutes",
    "children playing football in the park",
]


def images() -> list[bytes]:
    """32 JPEGs: the committed photos and drawn shapes in several colours."""
    out = [p.read_bytes() for p in sorted(FIXTURES.glob("*.jpg"))]
    colours = ["red", "blue", "green", "yellow", "purple", "orange", "black", "grey"]
    while len(out) < BATCH:
        n = len(out)
        img = Image.new("RGB", (320, 240), "white")
        draw = ImageDraw.Draw(img)
        shape = draw.rectangle if n % 2 else draw.ellipse
        shape((40 + n, 30, 260 - n, 200), fill=colours[n % len(colours)])
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=90)
        out.append(buffer.getvalue())
    return out[:BATCH]


def texts() -> list[str]:
    return [f"{SENTENCES[n % len(SENTENCES)]} ({n})" for n in range(BATCH)]


def image_request(owner: dict, batch: list[bytes]) -> s.PostModelOutputsRequest:
    return s.PostModelOutputsRequest(
        user_app_id=r.UserAppIDSet(user_id=owner["user_id"], app_id=owner["app_id"]),
        model_id="general-image-recognition",
        inputs=[r.Input(data=r.Data(image=r.Image(base64=b))) for b in batch],
    )


def text_request(owner: dict, batch: list[str]) -> s.PostModelOutputsRequest:
    return s.PostModelOutputsRequest(
        user_app_id=r.UserAppIDSet(user_id=owner["user_id"], app_id=owner["app_id"]),
        model_id="text-embedder",
        inputs=[r.Input(data=r.Data(text=r.Text(raw=t))) for t in batch],
    )


async def served(
    port: int, key: str, request: s.PostModelOutputsRequest, calls: int, in_flight: int
) -> float:
    """Inputs/s of `calls` PostModelOutputs calls, `in_flight` at a time."""
    md = (("authorization", f"Key {key}"),)
    options = [
        ("grpc.max_send_message_length", 64 << 20),
        ("grpc.max_receive_message_length", 64 << 20),
    ]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}", options=options) as channel:
        stub = service_pb2_grpc.V2Stub(channel)
        res = await stub.PostModelOutputs(request, metadata=md)  # warm up: models load
        assert res.status.code == sc.SUCCESS, res.status
        left = [calls]

        async def worker() -> None:
            while left[0] > 0:
                left[0] -= 1
                res = await stub.PostModelOutputs(request, metadata=md)
                assert res.status.code == sc.SUCCESS, res.status

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        return calls * len(request.inputs) / (time.perf_counter() - start)


def rate(fn, calls: int, n: int) -> float:
    fn()  # warm up
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return calls * n / (time.perf_counter() - start)


def engines(calls: int, pics: list[bytes], sentences: list[str]) -> dict[str, float]:
    """The engines alone, in this process, on the same batches."""
    import numpy as np

    from server import inference
    from server.inference import classifier as image_model
    from server.inference.images import decode

    out = {
        "classify_images": rate(lambda: inference.classify_images(pics), calls, len(pics)),
        "embed_texts": rate(lambda: inference.embed_texts(sentences), calls, len(sentences)),
    }
    session = inference.engines.image_classifier()._session  # noqa: SLF001  (the bare ORT run)
    tensors = np.stack([image_model._tensor(decode(p)) for p in pics])  # noqa: SLF001
    out["ort_session_run"] = rate(
        lambda: session.run(["logits", "features"], {"images": tensors}), calls, len(pics)
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=10, help="32-input calls to time")
    parser.add_argument("--in-flight", type=int, default=2, help="calls at once")
    args = parser.parse_args()
    pics, sentences = images(), texts()
    # The engines alone, before and after the server runs: the best of the
    # two is the ceiling (a busy machine slows one or the other).
    before = engines(args.batches, pics, sentences)

    database = ExitStack()
    url = database.enter_context(scratch_database("clarifai_bench"))
    server = Server(url, Path(tempfile.mkdtemp(prefix="clarifai-bench-")))
    try:
        server.cli("migrate")
        server.start()
        # clarifai/main's owner: predicting needs no grant then.
        owner = server.account("--user", "clarifai", "--app", "main")
        key = owner["pat"]
        port = server.grpc_port
        img_1 = asyncio.run(served(port, key, image_request(owner, pics), args.batches, 1))
        img_n = asyncio.run(
            served(port, key, image_request(owner, pics), args.batches, args.in_flight)
        )
        txt_1 = asyncio.run(served(port, key, text_request(owner, sentences), args.batches, 1))
        txt_n = asyncio.run(
            served(port, key, text_request(owner, sentences), args.batches, args.in_flight)
        )
    finally:
        server.stop()
        database.close()
    after = engines(args.batches, pics, sentences)
    alone = {k: max(before[k], after[k]) for k in before}
    report = [
        ("images (general-image-recognition)", img_1, img_n, "classify_images"),
        ("texts (text-embedder)", txt_1, txt_n, "embed_texts"),
    ]
    print(f"PostModelOutputs, batches of {BATCH}, {args.batches} calls each (inputs/s)")
    for what, one, many, engine in report:
        base = alone[engine]
        print(f"  {what}: {one:.1f} one call at a time, {many:.1f} with {args.in_flight} in flight")
        print(
            f"    {engine} alone, one batch at a time: {base:.1f}; "
            f"ratio {one / base:.2f} (one at a time), {many / base:.2f} (in flight)"
        )
    ort = alone["ort_session_run"]
    print(f"  bare onnxruntime session.run on prepared tensors: {ort:.1f} images/s")


if __name__ == "__main__":
    main()
