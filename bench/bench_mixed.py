"""Mixed-load benchmark (not a test): figures are printed, never asserted.

64 asyncio clients, each on its own gRPC channel and connection
(harness.OWN_CONNECTION), calling as fast as answers
come, for a fixed time after a warm-up: GetInput 30%, ListInputs(20) 20%,
GetTask 10%, ListConcepts 10%, PostInputs (one text input with metadata
and a concept) 15%, PatchInputs (metadata merge) 15%. The app's base
workflow is Empty: model inference has its own benchmarks (bench_predict,
bench_indexing); this one measures the API server and its database.

The same load runs against `serve --workers 1` and `serve --workers N`, and
against the server as it was before issue 16's work (commit BEFORE_REV, the
one before `serve --workers`: one process), taken from this checkout's git
history and run on this virtualenv: the throughput to beat, measured in the
same run. They take turns over several rounds (each against a fresh server
and database; one run's p99 swung from 132 to 241 ms between identical runs
on a shared 2-core machine); each run's calls/s, p50 and p99 latency, and
the calls answered with anything but SUCCESS are printed, then their
medians, which the goal reads: the N-worker figure at least 4x that of the
code before, p99 <= 150 ms, no errors. (Issue 16 measured the code before
at 159 calls/s on its machine; on another, the same code answered 348-378:
a fixed figure says more about the machine than the server. Without git
history, as in an archive, the goal falls back to that 159.)

Usage: .venv/bin/python bench/bench_mixed.py [--workers 2] [--clients 64] [--seconds 20]
                                             [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import grpc
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from harness import (
    OWN_CONNECTION,
    Server,
    checkout,
    goal,
    labeling_task,
    plain,
    scratch_database,
)

# The last commit before issue 16's work (`serve --workers` came next).
BEFORE_REV = "be318fc950b44be699a824a3274a62598ae8e362"
BEFORE = 159.0  # calls/s, issue 16's measurement of it on its machine
SEEDED = 2_000
APP = r.UserAppIDSet(app_id="mixed")


def _meta(**values: object) -> struct_pb2.Struct:
    meta = struct_pb2.Struct()
    meta.update(values)
    return meta


def _input(input_id: str, n: int) -> r.Input:
    return r.Input(
        id=input_id,
        data=r.Data(
            text=r.Text(raw=f"mixed text {n}"),
            metadata=_meta(n=n, camera=f"cam-{n % 50:02d}"),
            concepts=[r.Concept(id=f"c{n % 20}", value=1)],
        ),
    )


async def seed(port: int, md: tuple) -> str:
    """The app (Empty base workflow), SEEDED inputs and a task; the task's id."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = service_pb2_grpc.V2Stub(channel)
        made = await stub.PostApps(
            s.PostAppsRequest(apps=[r.App(id=APP.app_id, default_workflow_id="Empty")]),
            metadata=md,
        )
        assert made.status.code == sc.SUCCESS, made.status
        for start in range(0, SEEDED, 128):
            batch = [_input(f"seed-{n}", n) for n in range(start, min(start + 128, SEEDED))]
            posted = await stub.PostInputs(
                s.PostInputsRequest(user_app_id=APP, inputs=batch), metadata=md
            )
            assert posted.status.code == sc.SUCCESS, posted.status
        task = labeling_task("c1")
        posted = await stub.PostTasks(
            s.PostTasksRequest(user_app_id=APP, tasks=[task]), metadata=md
        )
        assert posted.status.code == sc.SUCCESS, posted.status
        return posted.tasks[0].id


def requests(task_id: str, client: int):
    """The weighted mix: (weight, method, a function making its request)."""
    made = [0]

    def new_id() -> str:
        made[0] += 1
        return f"m{client}-{made[0]}-{os.getpid()}"

    def any_seeded() -> str:
        return f"seed-{random.randrange(SEEDED)}"

    def patch() -> s.PatchInputsRequest:
        changed = r.Input(id=any_seeded(), data=r.Data(metadata=_meta(seen=random.random())))
        return s.PatchInputsRequest(user_app_id=APP, action="merge", inputs=[changed])

    return [
        (30, "GetInput", lambda: s.GetInputRequest(user_app_id=APP, input_id=any_seeded())),
        (20, "ListInputs", lambda: s.ListInputsRequest(user_app_id=APP, per_page=20)),
        (10, "GetTask", lambda: s.GetTaskRequest(user_app_id=APP, task_id=task_id)),
        (10, "ListConcepts", lambda: s.ListConceptsRequest(user_app_id=APP)),
        (
            15,
            "PostInputs",
            lambda: s.PostInputsRequest(
                user_app_id=APP, inputs=[_input(new_id(), random.randrange(1000))]
            ),
        ),
        (15, "PatchInputs", patch),
    ]


async def load(port: int, md: tuple, task_id: str, clients: int, seconds: float) -> dict:
    """Run the mix; latencies (s) and status codes of calls ended after the warm-up."""
    latencies: list[float] = []
    codes: Counter[int] = Counter()
    by_name: dict[str, list[float]] = {}
    warm_until = time.monotonic() + 3
    end = warm_until + seconds

    async def client(n: int) -> None:
        rng = random.Random(n)
        async with grpc.aio.insecure_channel(
            f"127.0.0.1:{port}", options=OWN_CONNECTION
        ) as channel:
            stub = service_pb2_grpc.V2Stub(channel)
            mix = requests(task_id, n)
            weights = [w for w, _, _ in mix]
            while (now := time.monotonic()) < end:
                _, name, request = rng.choices(mix, weights)[0]
                began = time.perf_counter()
                try:
                    reply = await getattr(stub, name)(request(), metadata=md)
                    code = reply.status.code
                except grpc.RpcError as err:
                    code = -err.code().value[0]
                took = time.perf_counter() - began
                if now >= warm_until:
                    latencies.append(took)
                    codes[code] += 1
                    by_name.setdefault(name, []).append(took)

    # The clients' process collects no garbage meanwhile: each of its full
    # collections (40-60 ms, with 64 channels' objects) held every client's
    # answers at once, and counted against the server's latency.
    gc.collect()
    gc.freeze()
    gc.disable()
    cpu = time.process_time()
    try:
        await asyncio.gather(*(client(n) for n in range(clients)))
    finally:
        gc.enable()
        gc.unfreeze()
    cpu = time.process_time() - cpu
    return {
        "latencies": latencies,
        "codes": codes,
        "seconds": seconds,
        "by_name": by_name,
        "client_cpu": cpu / max(1, sum(codes.values())),
    }


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def run_once(label: str, workers: int, clients: int, seconds: float, root: Path | None) -> dict:
    """One run of the mix against a fresh server and database: `serve
    --workers N`, or (workers 0) the checkout at `root` serving as it does."""
    with ExitStack() as stack:
        url = plain(stack.enter_context(scratch_database("clarifai_bench_mixed")))
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clarifai-")))
        server = Server(url, data_dir, fetch_urls=False, workers=workers, root=root)
        server.cli("migrate")
        server.start()
        stack.callback(server.stop)
        md = (("authorization", f"Key {server.account()['pat']}"),)
        task_id = asyncio.run(seed(server.grpc_port, md))
        got = asyncio.run(load(server.grpc_port, md, task_id, clients, seconds))
    lat = sorted(got["latencies"])
    errors = sum(n for code, n in got["codes"].items() if code != sc.SUCCESS)
    got.update(
        rate=len(lat) / got["seconds"],
        p50=statistics.median(lat) * 1000,
        p99=_p99(lat) * 1000,
        errors=errors,
    )
    each = ", ".join(
        f"{name} {statistics.median(times) * 1000:.0f}/{_p99(times) * 1000:.0f}"
        for name, times in sorted(got["by_name"].items())
    )
    print(
        f"  {label:17}: {got['rate']:7.1f} calls/s   p50 {got['p50']:6.1f} ms   "
        f"p99 {got['p99']:6.1f} ms   errors {errors}  {dict(got['codes'])}; "
        f"the clients' process: {got['client_cpu'] * 1000:.2f} ms CPU per call",
        flush=True,
    )
    print(f"    p50/p99 by call (ms): {each}", flush=True)
    return got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{args.clients} clients, {args.seconds:g} s after a 3 s warm-up; app of {SEEDED} "
        f"inputs; {args.rounds} rounds, the servers in turn (medians)"
    )
    with checkout(BEFORE_REV) as before_root:
        # (label, workers, checkout): the code before this work serves as it did.
        servers = [(f"serve --workers {n}", n, None) for n in sorted({1, args.workers})]
        if before_root is not None:
            servers.insert(0, (f"before ({BEFORE_REV[:7]})", 0, before_root))
        runs: dict[str, list[dict]] = {label: [] for label, _, _ in servers}
        for round_no in range(args.rounds):
            # The machine's pace drifts: each round runs them in another order.
            shift = round_no % len(servers)
            for label, workers, root in servers[shift:] + servers[:shift]:
                runs[label].append(run_once(label, workers, args.clients, args.seconds, root))
    print("  medians over the rounds:")
    medians = {}
    for label, _, _ in servers:
        got = {k: statistics.median(r[k] for r in runs[label]) for k in ("rate", "p50", "p99")}
        got["errors"] = sum(r["errors"] for r in runs[label])
        medians[label] = got
        print(
            f"  {label:17}: {got['rate']:7.1f} calls/s   p50 {got['p50']:6.1f} ms"
            f"   p99 {got['p99']:6.1f} ms   errors {got['errors']}"
        )
    best = medians[f"serve --workers {args.workers}"]
    if before_root is not None:
        before = medians[servers[0][0]]["rate"]
        against = f"the code before this work ({before:.0f} calls/s in this run)"
    else:
        before = BEFORE
        against = f"{BEFORE:g} calls/s (issue 16's figure: no git history here)"
    ratio = best["rate"] / before
    print(f"  vs {against}: {ratio:.2f}x")
    met = ratio >= 4 and best["p99"] <= 150 and best["errors"] == 0
    goal(
        f"{args.clients}-client mixed load, --workers {args.workers}",
        f"{ratio:.2f}x ({best['rate']:.0f} calls/s), p99 {best['p99']:.0f} ms, "
        f"{best['errors']} errors",
        "≥ 4x the code before, p99 ≤ 150 ms, 0 errors",
        met,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
