"""Collector benchmark (not a test): figures are printed, never asserted.

Against a `clarifai-local serve` process, over gRPC:
1. PostModelOutputs latency (p50, p99) on three identical models, one with
   no collector, one watched by one collector, one by five; calls go round
   robin over the three, one at a time, so all three meet the same
   background load (the collection jobs run in the same server process).
   The figure to read is the ratio to the model without collectors, at p50
   and p99 (goal: at most 1.05). First with each call's collection done
   (inputs in every destination app, the queue empty) before the next call:
   what the request path itself costs; then with collection beside.
2. Collection throughput: predictions sent as fast as one client sends
   them to the model with one collector, then inputs/s reaching the
   destination app, from the first prediction to the last input collected.

The model is an operator (a concept thresholder over text inputs with a
score concept), so a prediction costs little and what collection adds
shows as much as it can; each collector keeps every input (its post-queue
workflow is a regex classifier matching any text) and collects into an app
of its own.

Usage: .venv/bin/python bench/bench_collectors.py [--calls 300] [--batch 32]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import grpc
import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from harness import Server, goal, plain, scratch_database

MODELS = {"m0": 0, "m1": 1, "m5": 5}


def ok(res) -> None:
    assert res.status.code == sc.SUCCESS, res.status


class Bench:
    def __init__(
        self, stub: service_pb2_grpc.V2Stub, owner: dict, queue: psycopg.AsyncConnection
    ) -> None:
        self.stub = stub
        self.queue = queue
        self.owner = owner
        self.md = (("authorization", f"Key {owner['pat']}"),)
        # Inputs each destination app is to hold.
        self.expected: dict[str, int] = {
            f"{m}-d{k}": 0 for m, watchers in MODELS.items() for k in range(watchers)
        }

    def app(self, app_id: str = "") -> r.UserAppIDSet:
        return r.UserAppIDSet(user_id=self.owner["user_id"], app_id=app_id or self.owner["app_id"])

    async def model(self, app_id: str, model_id: str, type_id: str, data: r.Data, **params):
        info = r.OutputInfo(data=data, params=struct_pb2.Struct())
        info.params.update(params)
        ok(
            await self.stub.PostModels(
                s.PostModelsRequest(
                    user_app_id=self.app(app_id),
                    models=[r.Model(id=model_id, model_type_id=type_id, output_info=info)],
                ),
                metadata=self.md,
            )
        )

    async def destination(self, app_id: str, model_id: str) -> None:
        """An app with a collector on `model_id` keeping every input."""
        # The Empty base workflow: collected inputs are not indexed, so what is
        # timed is collection alone.
        made_app = r.App(id=app_id, default_workflow_id="Empty")
        ok(await self.stub.PostApps(s.PostAppsRequest(apps=[made_app]), metadata=self.md))
        concepts = r.Data(concepts=[r.Concept(id="text", value=1)])
        await self.model(app_id, "any", "regex-based-classifier", concepts, regex=".")
        node = r.WorkflowNode(id="n", model=r.Model(id="any"))
        ok(
            await self.stub.PostWorkflows(
                s.PostWorkflowsRequest(
                    user_app_id=self.app(app_id), workflows=[r.Workflow(id="every", nodes=[node])]
                ),
                metadata=self.md,
            )
        )
        source = r.APIPostModelOutputsCollectorSource(
            model_user_id=self.owner["user_id"],
            model_app_id=self.owner["app_id"],
            model_id=model_id,
            post_inputs_key_id=self.owner["pat"],
        )
        made = r.Collector(
            id="c",
            post_queue_workflow_id="every",
            collect_outputs=True,
            collector_source=r.CollectorSource(api_post_model_outputs_collector_source=source),
        )
        ok(
            await self.stub.PostCollectors(
                s.PostCollectorsRequest(user_app_id=self.app(app_id), collectors=[made]),
                metadata=self.md,
            )
        )

    def request(self, model_id: str, batch: int, n: int) -> s.PostModelOutputsRequest:
        inputs = [
            r.Input(
                data=r.Data(
                    text=r.Text(raw=f"text {n}-{k}"),
                    concepts=[r.Concept(id="score", value=(k % 10) / 10)],
                )
            )
            for k in range(batch)
        ]
        return s.PostModelOutputsRequest(user_app_id=self.app(), model_id=model_id, inputs=inputs)

    async def predict(self, model_id: str, batch: int, n: int) -> float:
        request = self.request(model_id, batch, n)
        start = time.perf_counter()
        ok(await self.stub.PostModelOutputs(request, metadata=self.md))
        took = time.perf_counter() - start
        for k in range(MODELS[model_id]):
            self.expected[f"{model_id}-d{k}"] += batch
        return took

    async def drained(self) -> None:
        """Wait until every destination app holds what was predicted so far,
        and the jobs that collected it have ended (their last statements
        come after the inputs are visible)."""
        for app_id, want in self.expected.items():
            while await self.collected(app_id) < want:
                await asyncio.sleep(0.005)
        while await self.jobs_left():
            await asyncio.sleep(0.005)

    async def jobs_left(self) -> bool:
        """Jobs of apps in the queue (periodic jobs of the server aside)."""
        cursor = await self.queue.execute(
            "SELECT EXISTS (SELECT FROM jobs WHERE app_pk IS NOT NULL)"
        )
        row = await cursor.fetchone()
        return bool(row and row[0])

    async def collected(self, app_id: str) -> int:
        res = await self.stub.GetInputCount(
            s.GetInputCountRequest(user_app_id=self.app(app_id)), metadata=self.md
        )
        ok(res)
        return res.counts.processed


async def setup(bench: Bench) -> None:
    score = r.Data(concepts=[r.Concept(id="score", value=0.0)])
    for model_id, watchers in MODELS.items():
        await bench.model("", model_id, "concept-thresholder", score, concept_threshold_type=2)
        for k in range(watchers):
            await bench.destination(f"{model_id}-d{k}", model_id)


async def latency(bench: Bench, calls: int, batch: int, quiet: bool) -> dict[str, list[float]]:
    """Each model's call times; `quiet`: each call's collection done before
    the next call (the request path alone), else collection runs beside."""
    times: dict[str, list[float]] = {m: [] for m in MODELS}
    for m in MODELS:  # warm up
        await bench.predict(m, batch, -1)
    await bench.drained()
    for n in range(calls):
        for m in MODELS:
            times[m].append(await bench.predict(m, batch, n))
            if quiet:
                await bench.drained()
    await bench.drained()
    return times


async def throughput(bench: Bench, calls: int, batch: int) -> tuple[float, float]:
    """(predicted inputs/s, collected inputs/s) for `calls` predictions on m1."""
    start = time.perf_counter()
    for n in range(calls):
        await bench.predict("m1", batch, 10_000 + n)
    sent = time.perf_counter() - start
    await bench.drained()
    return calls * batch / sent, calls * batch / (time.perf_counter() - start)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(title: str, times: dict[str, list[float]], goal_name: str = "") -> None:
    print(title)
    base50, base99 = pct(times["m0"], 0.5), pct(times["m0"], 0.99)
    for m, watchers in MODELS.items():
        p50, p99 = pct(times[m], 0.5), pct(times[m], 0.99)
        print(
            f"  {watchers} collector(s): p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
            f"mean {statistics.mean(times[m]) * 1000:.2f} ms; "
            f"ratio to none: p50 {p50 / base50:.3f}, p99 {p99 / base99:.3f}"
        )
        for name, ratio in (("p50", p50 / base50), ("p99", p99 / base99)):
            if goal_name and watchers:
                goal(
                    f"{goal_name}, {watchers} collector(s), {name} / none",
                    f"{ratio:.3f}",
                    "≤ 1.05",
                    ratio <= 1.05,
                )


async def run(port: int, url: str, owner: dict, calls: int, batch: int) -> None:
    async with (
        grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel,
        await psycopg.AsyncConnection.connect(plain(url), autocommit=True) as queue,
    ):
        bench = Bench(service_pb2_grpc.V2Stub(channel), owner, queue)
        await setup(bench)
        quiet = await latency(bench, calls, batch, quiet=True)
        busy = await latency(bench, calls, batch, quiet=False)
        predicted, collected = await throughput(bench, calls, batch)
    print(f"PostModelOutputs, {batch} text inputs per call, {calls} calls per model, round robin")
    report(
        "- each call's collection done before the next (the request path alone):",
        quiet,
        "PostModelOutputs with collectors",
    )
    report("- collection running beside the calls, in the same server process:", busy)
    print(
        f"Collection, one collector: {predicted:.0f} inputs/s predicted, "
        f"{collected:.0f} inputs/s reaching the destination app"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per model")
    parser.add_argument("--batch", type=int, default=32, help="inputs per call")
    args = parser.parse_args()
    with ExitStack() as stack:
        url = stack.enter_context(scratch_database("clarifai_bench"))
        server = Server(url, Path(tempfile.mkdtemp(prefix="clarifai-bench-")))
        server.cli("migrate")
        server.start()
        stack.callback(server.stop)
        asyncio.run(run(server.grpc_port, url, server.account(), args.calls, args.batch))


if __name__ == "__main__":
    main()
