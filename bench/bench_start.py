"""Start-up benchmark (not a test): figures are printed, never asserted.

Warm start: `clarifai-local serve` started again on a data directory whose
embedded PostgreSQL cluster exists and is migrated (DATABASE_URL unset),
timed from the process's exec to its first successful authenticated gRPC
call (ListApps with a PAT), polled with a 10 ms reconnect backoff. Cases:
- postmaster stopped: the embedded postmaster stops with the last process
  using it, so a restart of the only server starts it again (the goal);
- postmaster up: this script keeps it up from another process (as another
  server or command on the same data directory would); serve joins it;
- no bytecode cache: as the stopped case, with PYTHONDONTWRITEBYTECODE=1
  and no cache, this project's modules compiled at every start (how this
  machine's environment runs Python; a user's Python writes the cache on
  the first run, which the other cases read from the run's temp directory).
The ceiling, measured in the same run: `python -c 'import grpc'` and a bare
grpc.aio server answering one generic unary call, timed the same way.
The cases take turns, round after round, so that a shared machine's load
weighs on them alike; medians are printed, with each run's figure.

Then the phases of the stopped case in one process: serve run through
`server.cli.main(["serve", "--workers", "1"])` with its steps wrapped once
`server.main` is imported, each printing its offsets from exec and the CPU
seconds it took (imports, embedded start, migrations, the catalog, pgvector
indexes, the handler table, ports, job runners, the ready line). CPU
seconds are the steadier figure on a busy machine.

The first run prepares the data directory: serve once (it creates the
cluster and migrates), `clarifai-local bootstrap --json`, stop.

Usage: .venv/bin/python bench/bench_start.py [--runs 5] [--workers N]
(--workers is passed to the timed serve as `serve --workers N`; unset, not
passed: one worker per core. The phases are always those of one process:
with several, `server.main` loads in the workers, out of the
instrumented process's sight, and the table was empty).
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import grpc
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from harness import ROOT, Server, free_port, goal

from storage import embedded

# Reconnect at once while the port is not open yet: gRPC's default backoff
# (1 s, growing) would add up to a second to what is measured.
FAST_RECONNECT = [
    ("grpc.initial_reconnect_backoff_ms", 10),
    ("grpc.min_reconnect_backoff_ms", 10),
    ("grpc.max_reconnect_backoff_ms", 10),
]

# The ceiling: a bare grpc.aio server answering /bench.Echo/Echo.
BARE_SERVER = """
import asyncio, sys
import grpc

async def main(port):
    echo = grpc.unary_unary_rpc_method_handler(lambda request, context: request)
    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("bench.Echo", {"Echo": echo}),))
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()

asyncio.run(main(int(sys.argv[1])))
"""

# serve through server.cli.main with its steps wrapped to print, on stdout
# as JSON lines, [step, "begin" or "end", seconds since exec, CPU seconds of
# the process]; exec's time (time.time() just before Popen) comes in
# BENCH_EXEC. The CPU seconds are steadier than the wall clock on a busy
# machine.
PHASES = """
import asyncio, functools, importlib.abc, importlib.util, json, os, sys, time
T0 = float(os.environ["BENCH_EXEC"])

def mark(step, edge):
    print(json.dumps([step, edge, time.time() - T0, time.process_time()]), flush=True)

def timed(owner, name, step):
    f = getattr(owner, name)
    if asyncio.iscoroutinefunction(f):
        async def wrapped(*a, **k):
            mark(step, "begin")
            try:
                return await f(*a, **k)
            finally:
                mark(step, "end")
    else:
        def wrapped(*a, **k):
            mark(step, "begin")
            try:
                return f(*a, **k)
            finally:
                mark(step, "end")
    setattr(owner, name, functools.wraps(f)(wrapped))

def wrap_steps(main):
    from server import bootstrap, main_app, services, vectors
    from server.fetch import Fetcher
    from storage import embedded, migrate
    for owner, name, step in (
        (main, "check_ports", "check ports"),
        (embedded, "start", "embedded postgres"),
        (migrate, "upgrade", "migrations"),
        (main_app, "ensure", "main_app.ensure"),
        (vectors, "ensure", "vectors.ensure"),
        (services, "load", "handlers"),
        (main, "build_server", "grpc server"),
        (main.JobRunner, "start", "job runner"),
        (Fetcher, "start", "fetcher"),
        (bootstrap, "saved", "ready line"),
    ):
        timed(owner, name, step)

class WhenLoaded(importlib.abc.MetaPathFinder):
    # server.main imported where the CLI imports it; its steps wrapped then.
    def find_spec(self, name, path, target=None):
        if name != "server.main":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            mark("import server.main", "end")
            wrap_steps(module)
        spec.loader.exec_module = exec_module
        return spec

mark("interpreter", "end")
import server.cli as cli
mark("import server.cli", "end")
sys.meta_path.insert(0, WhenLoaded())
cli.main(sys.argv[1:])
"""


# Joins the embedded server of a data directory and stays until stdin ends.
HOLDER = """
import sys
from pathlib import Path
from storage import embedded

embedded.start(Path(sys.argv[1]))
print("joined", flush=True)
sys.stdin.read()
"""


class Started:
    """A process started with its exec time, for one start-up's figures."""

    def __init__(self, argv: list[str], env: dict[str, str], *, capture: bool = False) -> None:
        self.exec_at = time.time()
        self.proc = subprocess.Popen(
            argv,
            env={**env, "BENCH_EXEC": repr(self.exec_at)},
            cwd=ROOT,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def first_call(self, call: Callable[[float], object]) -> float:
        """Seconds from exec to `call` succeeding (it waits for the port,
        up to the timeout it is given: the process may have ended)."""
        while True:
            try:
                call(1.0)
                return time.time() - self.exec_at
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                    raise
            if (code := self.proc.poll()) is not None:
                shown = " ".join(a for a in self.proc.args if "\n" not in a)  # not PHASES
                raise RuntimeError(f"{shown} ended with status {code} before serving")

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=60)
        return out or ""


class Clarifai:
    """ListApps with a PAT on a channel that reconnects every 10 ms."""

    def __init__(self, port: int, pat: str) -> None:
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=FAST_RECONNECT)
        self.stub = service_pb2_grpc.V2Stub(self.channel)
        self.metadata = (("authorization", f"Key {pat}"),)

    def __call__(self, timeout: float) -> None:
        request = s.ListAppsRequest(user_app_id=r.UserAppIDSet(user_id="me"))
        answer = self.stub.ListApps(
            request, metadata=self.metadata, wait_for_ready=True, timeout=timeout
        )
        assert answer.status.code == sc.SUCCESS, answer.status

    def close(self) -> None:
        self.channel.close()


class Echo:
    def __init__(self, port: int) -> None:
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=FAST_RECONNECT)
        self.echo = self.channel.unary_unary("/bench.Echo/Echo")

    def __call__(self, timeout: float) -> None:
        assert self.echo(b"ping", wait_for_ready=True, timeout=timeout) == b"ping"

    def close(self) -> None:
        self.channel.close()


class DataDir:
    """A data directory for serve (embedded PostgreSQL, fixed ports)."""

    def __init__(self, path: Path, workers: int | None) -> None:
        path.mkdir()
        self.path = path
        self.server = Server(None, path)
        self.grpc_port = self.server.grpc_port
        self.env = self.server.env
        # Bytecode written on the first run and read after, as a user's
        # Python does (kept under the run's temporary directory).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(path.parent / "pycache")
        # As this environment runs Python when it says not to write bytecode:
        # this project's modules compiled at every start.
        self.uncached_env = {**self.env, "PYTHONDONTWRITEBYTECODE": "1"}
        del self.uncached_env["PYTHONPYCACHEPREFIX"]
        self.serve_args = ["serve"] + (["--workers", str(workers)] if workers else [])
        self.pat = ""

    def prepare(self) -> float:
        """First run: serve (cluster, migrations), bootstrap, stop. Seconds
        to serving (a connection: there is no key yet)."""
        start = time.time()
        self.server.start()
        seconds = time.time() - start
        self.pat = self.server.account()["pat"]
        self.server.stop()
        self.wait_postmaster_stopped()
        return seconds

    def wait_postmaster_stopped(self) -> None:
        deadline = time.monotonic() + 30
        while embedded.running(self.path):
            if time.monotonic() > deadline:
                raise RuntimeError("the embedded postmaster did not stop with the server")
            time.sleep(0.05)

    def serve(self, *, bytecode: bool = True) -> float:
        """Seconds from exec to the first successful ListApps."""
        env = self.env if bytecode else self.uncached_env
        started = Started([sys.executable, "-m", "server.cli", *self.serve_args], env)
        client = Clarifai(self.grpc_port, self.pat)
        try:
            return started.first_call(client)
        finally:
            client.close()
            started.stop()

    def phases(self) -> Phases:
        """The steps of `serve --workers 1` (see PHASES), ending with the
        first call: one process loads and starts everything itself, where
        several workers would do it out of the instrumented process's sight."""
        args = ["serve", "--workers", "1"]
        started = Started([sys.executable, "-c", PHASES, *args], self.env, capture=True)
        client = Clarifai(self.grpc_port, self.pat)
        try:
            seconds = started.first_call(client)
        finally:
            client.close()
            out = started.stop()
        marks = [json.loads(line) for line in out.splitlines() if line[:1] == "["]
        return _steps(marks) + [("first ListApps", seconds, seconds, 0.0)]


# A step's name, its wall-clock start and end (seconds since exec), and the
# CPU seconds the process spent in it.
Phases = list[tuple[str, float, float, float]]


def _steps(marks: list[list]) -> Phases:
    """Each step's span; a step with no begin mark (an import) starts where
    the one before ended. A step run twice (job runner) is numbered."""
    steps: Phases = []
    begun: dict[str, tuple[float, float]] = {}
    last = (0.0, 0.0)
    seen: dict[str, int] = {}
    for step, edge, wall, cpu in marks:
        if edge == "begin":
            begun[step] = (wall, cpu)
            continue
        start, cpu_start = begun.pop(step, last)
        seen[step] = seen.get(step, 0) + 1
        name = step if seen[step] == 1 else f"{step} #{seen[step]}"
        steps.append((name, start, wall, cpu - cpu_start))
        last = (wall, cpu)
    return steps


@contextmanager
def postmaster_held(data_dir: Path, env: dict[str, str]) -> Iterator[None]:
    """The embedded postmaster kept up by a process of its own that joined
    it (as another server or command on the data directory would)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdout.readline()  # joined
    try:
        yield
    finally:
        holder.stdin.close()  # it leaves, stopping the postmaster
        holder.wait(timeout=60)


def bare_grpc(env: dict[str, str]) -> float:
    port = free_port()
    started = Started([sys.executable, "-c", BARE_SERVER, str(port)], env)
    client = Echo(port)
    try:
        return started.first_call(client)
    finally:
        client.close()
        started.stop()


def bare_python() -> float:
    start = time.time()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.time() - start


def show_phases(runs: list[Phases]) -> None:
    """Per step, the median over the runs of its start, end, wall-clock
    and CPU seconds; the gaps between steps are unwrapped code."""
    print(f"  {'step':<22} {'start':>6}    {'end':>6}  {'wall':>6}  {'cpu':>6}")
    for i, (name, *_) in enumerate(runs[0]):
        start, end, cpu = (median([run[i][k] for run in runs]) for k in (1, 2, 3))
        print(f"  {name:<22} {start:6.3f} -> {end:6.3f}  {end - start:6.3f}  {cpu:6.3f}")


def median(figures: list[float]) -> float:
    return statistics.median(figures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=None, help="serve --workers N")
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    phase_runs: list[Phases] = []
    with tempfile.TemporaryDirectory(prefix="clarifai-local-bench-start-") as tmp:
        data = DataDir(Path(tmp) / "data", args.workers)
        print(f"first run (new cluster, migrations, then bootstrap): {data.prepare():.2f} s")
        # Round after round, each case once, so that the load of a shared
        # machine weighs on all of them alike.
        for _ in range(args.runs):
            for name, run in (
                ("python -c pass", bare_python),
                (CEILING, partial(bare_grpc, data.env)),
                (STOPPED, data.serve),
                (UNCACHED, partial(data.serve, bytecode=False)),
            ):
                figures.setdefault(name, []).append(run())
                data.wait_postmaster_stopped()
            phase_runs.append(data.phases())
            data.wait_postmaster_stopped()
            with postmaster_held(data.path, data.env):
                figures.setdefault(JOINED, []).append(data.serve())
            data.wait_postmaster_stopped()
    for name, runs in figures.items():
        shown = " ".join(f"{x:.2f}" for x in runs)
        ratio = median(runs) / median(figures[CEILING])
        print(f"{name:<48} {median(runs):6.3f} s  {ratio:5.1f}x ceiling  ({shown})")
    print(
        f"phases of '{STOPPED}' with serve --workers 1 (medians over the runs; seconds from exec):"
    )
    show_phases(phase_runs)
    ceiling = median(figures[CEILING])
    for name, label in GOALS.items():
        seconds = median(figures[name])
        goal(label, f"{seconds:.2f} s (ceiling {ceiling:.2f} s)", "< 2 s", seconds < 2)


CEILING = "ceiling: import grpc + bare grpc.aio server"
STOPPED = "serve, postmaster stopped (restart)"
JOINED = "serve, postmaster up (joined)"
UNCACHED = "serve, postmaster stopped, no bytecode cache"
GOALS = {
    STOPPED: "warm start to serving",
    JOINED: "warm start, postmaster up",
    UNCACHED: "warm start, no bytecode cache",
}


if __name__ == "__main__":
    main()
