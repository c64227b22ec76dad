"""What the benchmark and probe scripts share: a free loopback port, the
PostgreSQL server they make their throwaway databases on (`scratch_database`,
the tests' own `new_database`), and `clarifai-local serve` in a process of
its own (`Server`)."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import grpc
from clarifai.api import resources_pb2 as r
from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parents[1]
# A channel option: a connection of the channel's own. gRPC otherwise shares
# one among a process's channels to the same address, and a connection is
# one worker's (the kernel spreads connections, not calls, over workers).
OWN_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]
sys.path.insert(0, str(ROOT))

from storage import embedded  # noqa: E402
from tests.processes import new_database  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connections_by_process(port: int) -> list[int]:
    """How many established connections to `port` each process serving it
    holds, most first (Linux's ss; [] without it). The kernel hashes each new
    connection to one worker's socket: a few clients can land 3 and 1, or
    all 4 on one worker (16 tries of 4 clients on 2 workers: 2:2 five
    times, 3:1 nine, 4:0 twice)."""
    try:
        out = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted(Counter(re.findall(r"pid=(\d+)", out)).values(), reverse=True)


def admin_url() -> str:
    """DATABASE_URL's server, or an embedded one kept for the scripts."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    return embedded.start(Path(tempfile.gettempdir()) / "clarifai-local-bench-pg")


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """An empty database on admin_url()'s server, dropped afterwards."""
    with new_database(admin_url(), prefix) as url:
        yield url


class Echo:
    """bench/echo.py in its own process(es), as our server runs in its own,
    answering every call with `reply`: the transport's ceiling; given
    `read` (a psycopg URL and a statement), it runs the statement on that
    database before each answer."""

    def __init__(
        self, reply: bytes, processes: int = 1, read: tuple[str, str] | None = None
    ) -> None:
        self.port = free_port()
        handle, name = tempfile.mkstemp(prefix="clarifai-bench-echo-")
        os.close(handle)
        self.file = Path(name)
        self.file.write_bytes(reply)
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "echo.py"), str(self.port), str(self.file)]
            + ["--processes", str(processes)]
            + (["--read", read[1]] if read else []),
            env={**os.environ, **({"DATABASE_URL": read[0]} if read else {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        grpc.channel_ready_future(channel).result(timeout=30)
        channel.close()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.file.unlink(missing_ok=True)


class Server:
    """`clarifai-local serve` in its own process, its JSON-lines log in a
    file; `database_url` None: the embedded database under `data_dir`;
    `fetch_urls` False stores URL inputs without downloading them."""

    def __init__(
        self,
        database_url: str | None,
        data_dir: Path,
        *,
        fetch_urls: bool = True,
        workers: int = 0,
        root: Path | None = None,
    ) -> None:
        # 0: serve's default number of worker processes (or no --workers
        # flag, for a checkout older than it). `root`: another checkout's
        # code to run (harness.checkout), else this one's.
        self.workers = workers
        self.root = root or ROOT
        self.grpc_port, self.rest_port = free_port(), free_port()
        self.log = data_dir / "server.log"
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("CLARIFAI_LOCAL_") and k != "DATABASE_URL"
        }
        self.env = {
            **inherited,
            **({"DATABASE_URL": database_url} if database_url is not None else {}),
            "CLARIFAI_LOCAL_DATA": str(data_dir),
            "CLARIFAI_LOCAL_HOST": "127.0.0.1",
            "CLARIFAI_LOCAL_GRPC_PORT": str(self.grpc_port),
            "CLARIFAI_LOCAL_REST_PORT": str(self.rest_port),
            "CLARIFAI_LOCAL_FETCH_URLS": "true" if fetch_urls else "false",
            "CLARIFAI_LOCAL_LOG": "WARNING",
        }
        if root is not None:
            # Its own code and stubs ahead of this checkout's (installed editable).
            self.env["PYTHONPATH"] = f"{root / 'generated'}{os.pathsep}{root}"
        self.proc: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "server.cli", *args],
            env=self.env,
            cwd=self.root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self) -> None:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve"]
                + (["--workers", str(self.workers)] if self.workers else []),
                env=self.env,
                cwd=self.root,
                stdout=subprocess.DEVNULL,
                stderr=out,
            )
        channel = grpc.insecure_channel(f"127.0.0.1:{self.grpc_port}")
        grpc.channel_ready_future(channel).result(timeout=60)
        channel.close()

    def account(self, *args: str) -> dict:
        """A new account (`clarifai-local bootstrap`), or the one `args` name."""
        return json.loads(self.cli("bootstrap", "--json", *args))

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@contextmanager
def checkout(rev: str) -> Iterator[Path | None]:
    """The project's files as of commit `rev`, in a temporary directory (for
    a server of that code to run beside this one, on this checkout's
    virtualenv); None where this checkout has no such history (an archive,
    a shallow clone)."""
    with tempfile.TemporaryDirectory(prefix="clarifai-rev-") as into:
        try:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                capture_output=True,
                check=True,
            )
        except (OSError, subprocess.CalledProcessError):  # no git, or no such commit
            yield None
            return
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(into, filter="data")
        yield Path(into)


def plain(url: str) -> str:
    """The URL as psycopg takes it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def labeling_task(concept_id: str) -> r.Task:
    """A task over every input of its app, for every worker, without review:
    what the benchmarks read back (GetTask) beside their inputs."""
    return r.Task(
        type=r.Task.CONCEPTS_CLASSIFICATION,
        worker=r.TaskWorker(strategy=r.TaskWorker.FULL),
        concepts=[r.TaskConcept(concept=r.Concept(id=concept_id))],
        input_source=r.TaskInputSource(type=r.TaskInputSource.ALL_INPUTS),
        review=r.TaskReview(strategy=r.TaskReview.NONE),
    )


# Every script reports each goal it measures with `goal`; bench/run.py
# collects these lines from all scripts into `make bench`'s summary.
GOAL_MARK = "GOAL |"


def goal(name: str, figure: str, target: str, met: bool) -> None:
    """One goal's outcome, on a line of its own: figure, goal, met or not."""
    print(f"{GOAL_MARK} {name} | {figure} | {target} | {'met' if met else 'NOT met'}", flush=True)
