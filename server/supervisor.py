"""`serve --workers N`: N server processes sharing the gRPC and REST ports
(SO_REUSEPORT: the kernel spreads connections over them) on one database,
under this process, which started the database (the embedded one too) and
migrated it once.

The supervisor waits until every worker serves, restarts one that dies
(after a pause that grows while it keeps dying at start), and on SIGTERM
or SIGINT stops them all, letting calls in flight finish. Background jobs
need nothing more: each worker runs a job runner, and jobs are claimed
once across processes as across hosts (server/jobs.py)."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from server.config import Settings
from server.logs import configure
from storage import embedded
from storage.db import Database

log = logging.getLogger("clarifai_local")
# Seconds a worker has to come up, and to finish its calls when stopping.
START_SECONDS = 120.0
STOP_SECONDS = 30.0
# A worker that dies sooner than this after starting waits longer before
# the next start (doubling, up to the cap).
SHORT_LIFE_SECONDS = 10.0
MAX_PAUSE_SECONDS = 30.0
_SPAWN = multiprocessing.get_context("spawn")
PR_SET_PDEATHSIG = 1


@contextlib.contextmanager
def frozen_imports() -> Iterator[None]:
    """Around the server's imports: they make some 130k objects that live
    as long as the process, which the collector would go through again and
    again while they are made (~0.1 s of a start), and in every full
    collection after (frozen: left out of those)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def count(settings: Settings) -> int:
    """How many workers `serve` runs: the setting, else one per core."""
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


def reserve_ports(settings: Settings) -> tuple[Settings, list[socket.socket]]:
    """Concrete ports for every worker to bind: a port given as 0 is chosen
    here, and held by a socket bound (not listening) with SO_REUSEPORT until
    the supervisor ends, so nothing else takes it meanwhile."""
    held: list[socket.socket] = []
    ports = []
    for port in (settings.grpc_port, settings.rest_port):
        if port == 0:
            sock = socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((settings.host, 0))
            held.append(sock)
            port = sock.getsockname()[1]
        ports.append(port)
    return replace(settings, grpc_port=ports[0], rest_port=ports[1]), held


@dataclass
class _Worker:
    number: int
    process: BaseProcess
    started: float
    # Until the worker says it serves (None once it has).
    ready: Connection | None = None
    pause: float = 0.0


class Supervisor:
    """The worker processes of one `serve`, on `settings`' (concrete) ports."""

    def __init__(self, settings: Settings, db: Database, workers: int) -> None:
        self.settings = settings
        self.url = db.url
        # The embedded database's directory (None for DATABASE_URL's): this
        # process started it, and starts it again if it dies.
        self.embedded_dir = settings.data_dir if settings.database_url is None else None
        self.workers: list[_Worker] = []
        self.size = workers

    async def start(self) -> None:
        """Every worker started and serving; RuntimeError if one cannot."""
        pending = [self._spawn(n) for n in range(self.size)]
        self.workers = [worker for worker, _ in pending]
        for worker, ready in pending:
            worker.ready = None
            if not await asyncio.to_thread(_wait_ready, ready):
                await self.stop()
                raise RuntimeError(
                    f"worker {worker.number} exited with status {worker.process.exitcode} "
                    "before serving (its log lines above say why)"
                )

    def _spawn(self, number: int) -> tuple[_Worker, Connection]:
        ready, child_end = _SPAWN.Pipe(duplex=False)
        process = _SPAWN.Process(
            target=run_worker,
            args=(self.settings, self.url, child_end),
            name=f"clarifai-local worker {number}",
        )
        process.start()
        child_end.close()
        return _Worker(number, process, time.monotonic(), ready), ready

    async def watch(self, stop: asyncio.Event) -> None:
        """Restart workers that die, and the embedded database, until `stop`
        is set."""
        while not stop.is_set():
            if self.embedded_dir is not None and not embedded.running(self.embedded_dir):
                log.warning("the embedded database is not running: starting it again")
                await asyncio.to_thread(embedded.restart, self.embedded_dir)
            for index, worker in enumerate(self.workers):
                if worker.ready is not None and worker.ready.poll():
                    _said_ready(worker)
                if worker.process.exitcode is not None and not stop.is_set():
                    self.workers[index] = await self._replace(worker, stop)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)

    async def _replace(self, dead: _Worker, stop: asyncio.Event) -> _Worker:
        lived = time.monotonic() - dead.started
        pause = (
            min(MAX_PAUSE_SECONDS, max(0.5, dead.pause * 2)) if lived < SHORT_LIFE_SECONDS else 0
        )
        log.warning(
            "worker %d (pid %s) exited with status %s after %.1f s: starting it again%s",
            dead.number,
            dead.process.pid,
            dead.process.exitcode,
            lived,
            f" in {pause:.1f} s" if pause else "",
        )
        if pause:
            try:
                await asyncio.wait_for(stop.wait(), pause)
                return dead  # stopping meanwhile
            except TimeoutError:
                pass
        worker, _ = self._spawn(dead.number)
        worker.pause = pause
        return worker

    async def stop(self) -> None:
        """SIGTERM to every worker, which finish their calls in flight and
        exit; one still running after STOP_SECONDS is killed."""
        for worker in self.workers:
            if worker.process.exitcode is None and worker.process.pid is not None:
                os.kill(worker.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for worker in self.workers:
            await asyncio.to_thread(worker.process.join, max(0.0, deadline - time.monotonic()))
            if worker.process.exitcode is None:
                log.warning("worker %d did not stop in time: killed", worker.number)
                worker.process.kill()
                await asyncio.to_thread(worker.process.join)


def _wait_ready(ready: Connection) -> bool:
    """Whether the worker said it serves (False: it exited first)."""
    try:
        return ready.poll(START_SECONDS) and ready.recv() == "serving"
    except EOFError:
        return False
    finally:
        ready.close()


def _said_ready(worker: _Worker) -> None:
    """A restarted worker serves again (or its pipe closed: it exited)."""
    assert worker.ready is not None
    if _wait_ready(worker.ready):
        log.info("worker %d (pid %s) serving", worker.number, worker.process.pid)
    worker.ready = None


def run_worker(settings: Settings, url: str, ready: Connection) -> None:
    """A worker process's body: serve on the shared ports until SIGTERM."""
    _end_with_parent()
    configure(settings.log_level)
    asyncio.run(_work(settings, url, ready))


def _end_with_parent() -> None:
    """SIGTERM this process when the supervisor ends, even killed (Linux's
    parent-death signal): a worker never serves on alone."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the supervisor was gone before the call
        os.kill(os.getpid(), signal.SIGTERM)


async def _work(settings: Settings, url: str, ready: Connection) -> None:
    with frozen_imports():  # the server's modules: imported in the worker only
        from server.main import start

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    db = Database(url)  # the supervisor restarts the embedded database
    running = await start(settings, db, worker=True)
    ready.send("serving")
    ready.close()
    try:
        await stop.wait()
    finally:
        await running.stop()
