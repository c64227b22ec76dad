"""Small-call benchmark (not a test): figures are printed, never asserted.

GetInput, GetTask and ListInputs(per_page 20) against `clarifai-local serve
--workers N`, driven by h2load (nghttp2's load generator, in C) at 16
connections, next to the ceiling measured in the same run with the same
h2load settings: a bare grpc.aio echo server (bench/echo.py) answering the
same request with the bytes of our response, in one process (the issue's
ceiling) and in N processes sharing the port as our workers do. Beside
them, for scale, the same echo in N processes reading before each answer
the row (or page) the call reads, with a statement of its own on its own
connections ("echo+read"): the transport plus one database round trip,
nothing of ours; what any server of one read per call could at best do.
The four take turns over several rounds, each round in another order, and
each figure is a median, each ratio the median of the rounds' ratios: on
a shared machine one run of each swung by a third (echo x1 answered
GetInput at 2,658 and at 1,851 calls/s in two runs twenty minutes apart).

Usage: .venv/bin/python bench/bench_calls.py [--workers 2] [--seconds 5] [--rounds 3]
Needs h2load (Debian nghttp2-client: installed with apt-get when root).
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import grpc
import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from google.protobuf.message import Message
from harness import Echo, Server, goal, labeling_task, plain, scratch_database

CONNECTIONS = 16
# Goals of issue 16: each call's rate over the one-process echo's.
GOALS = {"GetInput": 0.50, "GetTask": 0.50, "ListInputs": 0.35}


def h2load_path() -> str:
    """h2load, installed from Debian's nghttp2-client when missing (as root)."""
    found = shutil.which("h2load")
    if found is None and os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "nghttp2-client"], check=True, capture_output=True
        )
        found = shutil.which("h2load")
    if found is None:
        sys.exit("h2load not found: install nghttp2-client")
    return found


def grpc_frame(message: Message) -> bytes:
    body = message.SerializeToString()
    return b"\0" + struct.pack(">I", len(body)) + body


def h2load(port: int, path: str, request: Message, key: str, seconds: int) -> float:
    """Calls per second h2load gets through at CONNECTIONS connections."""
    with tempfile.NamedTemporaryFile(suffix=".grpc") as body:
        body.write(grpc_frame(request))
        body.flush()
        out = subprocess.run(
            [
                h2load_path(),
                "-c",
                str(CONNECTIONS),
                "-m",
                "1",
                "-D",
                str(seconds),
                "--warm-up-time",
                "1",
                "-d",
                body.name,
                "-H",
                "content-type: application/grpc",
                "-H",
                "te: trailers",
                "-H",
                f"authorization: Key {key}",
                f"http://127.0.0.1:{port}{path}",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    failed = re.search(r"(\d+) failed, (\d+) errored", out)
    if failed is None or failed.groups() != ("0", "0"):
        sys.exit(f"h2load saw failures:\n{out}")
    rate = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    assert rate is not None, out
    return float(rate.group(1))


def seed(server: Server, key: str) -> dict[str, Message]:
    """An app with 40 text inputs (metadata, a concept) and a task: the
    requests to time."""
    app = r.UserAppIDSet(app_id="main")
    md = (("authorization", f"Key {key}"),)
    meta = struct_pb2.Struct()
    meta.update({"camera": "cam-07", "year": 2024})
    inputs = [
        r.Input(
            id=f"in-{n}",
            data=r.Data(
                text=r.Text(raw=f"text number {n}"),
                metadata=meta,
                concepts=[r.Concept(id="cat", value=1)],
            ),
        )
        for n in range(40)
    ]
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        stub = service_pb2_grpc.V2Stub(channel)
        check(stub.PostInputs(s.PostInputsRequest(user_app_id=app, inputs=inputs), metadata=md))
        task = labeling_task("cat")
        posted = check(
            stub.PostTasks(s.PostTasksRequest(user_app_id=app, tasks=[task]), metadata=md)
        )
    return {
        "GetInput": s.GetInputRequest(user_app_id=app, input_id="in-7"),
        "GetTask": s.GetTaskRequest(user_app_id=app, task_id=posted.tasks[0].id),
        "ListInputs": s.ListInputsRequest(user_app_id=app, per_page=20),
    }


def reads(url: str, requests: dict[str, Message]) -> dict[str, str]:
    """Each call's read as one hand-written statement (the echo+read's)."""
    with psycopg.connect(url) as conn:
        (app,) = conn.execute("SELECT pk FROM apps WHERE id = 'main'").fetchone()
    task_id = requests["GetTask"].task_id  # type: ignore[attr-defined]
    return {
        "GetInput": f"SELECT * FROM inputs WHERE app_pk = {app} AND id = 'in-7'",
        "GetTask": f"SELECT * FROM tasks WHERE app_pk = {app} AND id = '{task_id}'",
        "ListInputs": (
            f"SELECT * FROM inputs WHERE app_pk = {app} ORDER BY created_at DESC, pk DESC LIMIT 20"
        ),
    }


def check(reply: Message) -> Message:
    status = reply.status  # type: ignore[attr-defined]
    if status.code != sc.SUCCESS:
        sys.exit(f"seeding failed: {status.code} {status.description} {status.details}")
    return reply


def answer(server: Server, key: str, name: str, request: Message) -> bytes:
    """Our response's bytes (checked: SUCCESS), the echo's reply."""
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        call: Callable = getattr(service_pb2_grpc.V2Stub(channel), name)
        return check(call(request, metadata=(("authorization", f"Key {key}"),))).SerializeToString()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    h2load_path()
    workers = max(args.workers, 1)
    with ExitStack() as stack:
        url = plain(stack.enter_context(scratch_database("clarifai_bench_calls")))
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="clarifai-bench-")))
        server = Server(url, data_dir, fetch_urls=False, workers=args.workers)
        server.cli("migrate")
        server.start()
        stack.callback(server.stop)
        key = server.account()["api_key"]
        requests = seed(server, key)
        statements = reads(url, requests)
        print(
            f"h2load, {CONNECTIONS} connections, {args.seconds} s per figure, {args.rounds} "
            f"rounds (the four servers in turn, each round in another order; medians, "
            f"ratios taken within each round); serve --workers {args.workers}"
        )
        print(
            f"  {'call':12} {'ours':>8} {'echo x1':>8} {f'echo x{workers}':>8}"
            f" {'ratio':>6} {f'ratio x{workers}':>9} {f'echo+read x{workers}':>13}"
            f" {'ratio':>6}  calls/s; ratios of each round"
        )
        for name, request in requests.items():
            reply = answer(server, key, name, request)
            path = f"/clarifai.api.V2/{name}"
            with ExitStack() as echoes:
                ports = [server.grpc_port]
                for processes, read in ((1, None), (workers, None), (workers, statements[name])):
                    echo = Echo(reply, processes, None if read is None else (url, read))
                    echoes.callback(echo.stop)
                    ports.append(echo.port)
                rounds = []
                for n in range(args.rounds):
                    # The machine's pace drifts: each round runs the four in
                    # another order, and a ratio compares rates of one round.
                    shift = n % len(ports)
                    order = ports[shift:] + ports[:shift]
                    rate = {p: h2load(p, path, request, key, args.seconds) for p in order}
                    rounds.append([rate[p] for p in ports])
            answer(server, key, name, request)  # still answering SUCCESS
            ours, x1, xn, read = (statistics.median(r[i] for r in rounds) for i in range(4))
            ratio, ratio_n, ratio_read = (
                statistics.median(r[0] / r[i] for r in rounds) for i in (1, 2, 3)
            )
            each = " ".join(f"{r[0] / r[1]:.2f}" for r in rounds)
            print(
                f"  {name:12} {ours:8.0f} {x1:8.0f} {xn:8.0f} {ratio:6.2f}"
                f" {ratio_n:9.2f} {read:13.0f} {ratio_read:6.2f}  ({each})"
            )
            goal(
                f"{name} vs echo (h2load, {CONNECTIONS} connections)",
                f"{ratio:.2f}",
                f"≥ {GOALS[name]:.2f}",
                ratio >= GOALS[name],
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
