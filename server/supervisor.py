"""`serve --workers N`: N server processes sharing the gRPC and REST ports
(SO_REUSEPORT: the kernel spreads connections over them) on one database,
under a supervisor process that starts the database (the embedded one
too) and migrates it once.

The workers are forked from one process that loads the server's modules
once (multiprocessing's fork server) while the supervisor opens the
database (its own imports stay light); they serve once told its URL. N
workers do not load the server N times over on the cores the database
starts on, and a worker started again after a crash serves at once. The
supervisor waits until every worker serves, restarts one that dies (after
a pause that grows while it keeps dying at start), restarts the embedded
database if it dies, and on SIGTERM or SIGINT stops them all, letting
calls in flight finish. Background jobs need nothing more: each worker
runs a job runner, and jobs are claimed once across processes as across
hosts (server/jobs.py)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from server import serving
from server.config import Settings
from server.logs import configure
from storage import embedded

log = logging.getLogger("clarifai_local")
# Seconds a worker has to come up, and to finish its calls when stopping.
START_SECONDS = 120.0
STOP_SECONDS = 30.0
# A worker that dies sooner than this after starting waits longer before
# the next start (doubling, up to the cap).
SHORT_LIFE_SECONDS = 10.0
MAX_PAUSE_SECONDS = 30.0
_FORKED = multiprocessing.get_context("forkserver")
# What the fork server imports before it forks any worker (server/preload.py).
PRELOAD = "server.preload"
SERVING = "serving"


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


def load() -> None:
    """Start the fork server the workers come from: it imports the server
    (PRELOAD) while this process goes on, and forks a worker once done."""
    _FORKED.set_forkserver_preload([PRELOAD])
    multiprocessing.forkserver.ensure_running()


def count(settings: Settings) -> int:
    """How many workers `serve` runs: the setting, else one per core."""
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


async def serve(
    settings: Settings, on_ready: Callable[[serving.Ready], Awaitable[None]] | None = None
) -> None:
    """`serve` with count(settings) workers, until SIGTERM or SIGINT.
    Raises PortError before anything starts when a port is taken."""
    stop = serving.stop_on_signals()
    serving.check_ports(settings)
    settings, held = serving.reserve_ports(settings)
    workers = Supervisor(settings, count(settings))
    try:
        load()  # the server's modules, meanwhile
        db = await asyncio.to_thread(serving.open_database, settings, workers.size)
        try:
            await asyncio.to_thread(workers.spawn)  # once the fork server has loaded
            await workers.start(db.url, db.connections)
            log.info(
                "%d workers serving on ports %d (gRPC) and %d (REST)",
                workers.size,
                settings.grpc_port,
                settings.rest_port,
            )
            watching = asyncio.create_task(workers.watch(stop))
            ready = serving.Ready(db, settings.grpc_port, settings.rest_port)
            try:
                await serving.until_stopped(settings, ready, stop, on_ready)
            finally:
                stop.set()
                await watching
        finally:
            await db.close()
    finally:
        await workers.stop()
        for sock in held:
            sock.close()


@dataclass
class _Worker:
    number: int
    process: BaseProcess
    # The supervisor's end of the worker's pipe: the database (its URL, and
    # the worker's pool's share of its connections) goes one way, "serving"
    # the other; open while both live (a worker stops once it closes).
    pipe: Connection
    started: float
    pause: float = 0.0
    serving: bool = False


class Supervisor:
    """The worker processes of one `serve`, on `settings`' (concrete) ports."""

    def __init__(self, settings: Settings, size: int) -> None:
        self.settings = settings
        self.size = size
        self.database: tuple[str, int] = ("", 0)  # URL, pool connections
        self.workers: list[_Worker] = []
        # The embedded database's directory (None for DATABASE_URL's): this
        # process started it, and starts it again if it dies.
        self.embedded_dir = settings.data_dir if settings.database_url is None else None

    def spawn(self) -> None:
        self.workers = [self._spawn(n) for n in range(self.size)]

    async def start(self, url: str, connections: int) -> None:
        """Every worker told the database's URL and its pool's connections,
        and serving; RuntimeError if one exits first."""
        self.database = (url, connections)
        for worker in self.workers:
            _send(worker, self.database)
        for worker in self.workers:
            if not await asyncio.to_thread(_wait_serving, worker):
                raise RuntimeError(
                    f"worker {worker.number} exited with status {worker.process.exitcode} "
                    "before serving (its log lines above say why)"
                )

    def _spawn(self, number: int) -> _Worker:
        ours, theirs = _FORKED.Pipe()
        process = _FORKED.Process(
            target=run_worker, args=(self.settings, theirs), name=f"clarifai-local worker {number}"
        )
        process.start()
        theirs.close()
        return _Worker(number, process, ours, time.monotonic())

    async def watch(self, stop: asyncio.Event) -> None:
        """Restart workers that die, and the embedded database, until `stop`
        is set."""
        while not stop.is_set():
            if self.embedded_dir is not None and not embedded.running(self.embedded_dir):
                log.warning("the embedded database is not running: starting it again")
                await asyncio.to_thread(embedded.restart, self.embedded_dir)
            for index, worker in enumerate(self.workers):
                if not worker.serving and worker.pipe.poll() and _wait_serving(worker):
                    log.info("worker %d (pid %s) serving", worker.number, worker.process.pid)
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
        dead.pipe.close()
        worker = self._spawn(dead.number)
        worker.pause = pause
        _send(worker, self.database)
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
            worker.pipe.close()


def _send(worker: _Worker, database: tuple[str, int]) -> None:
    with contextlib.suppress(OSError):  # it died: watch() sees it
        worker.pipe.send(database)


def _wait_serving(worker: _Worker) -> bool:
    """Whether the worker said it serves (False: it exited first)."""
    if not worker.serving:
        try:
            worker.serving = worker.pipe.poll(START_SECONDS) and worker.pipe.recv() == SERVING
        except (EOFError, OSError):
            return False
    return worker.serving


def run_worker(settings: Settings, pipe: Connection) -> None:
    """A worker process's body: load the server, wait for the database's
    URL, serve on the shared ports until SIGTERM or until the supervisor is
    gone."""
    configure(settings.log_level)
    with frozen_imports():
        from server.main import start
    try:
        url, connections = pipe.recv()
    except EOFError:
        return  # the supervisor is gone
    asyncio.run(_work(settings, url, connections, pipe, start))


async def _work(
    settings: Settings, url: str, connections: int, pipe: Connection, start: Callable
) -> None:
    from storage.db import Database

    stop = serving.stop_on_signals()
    db = Database(url, connections)  # the supervisor restarts the embedded database
    running = await start(settings, db, worker=True)
    with contextlib.suppress(OSError):
        pipe.send(SERVING)
    # The supervisor sends nothing more: the pipe reads only when its end
    # closes, as the supervisor ends, even killed. A worker never serves on
    # alone (it is the fork server's child, not the supervisor's).
    loop = asyncio.get_running_loop()

    def supervisor_gone() -> None:
        loop.remove_reader(pipe.fileno())
        log.warning("the supervisor is gone: stopping")
        stop.set()

    loop.add_reader(pipe.fileno(), supervisor_gone)
    try:
        await stop.wait()
    finally:
        loop.remove_reader(pipe.fileno())
        await running.stop()
        pipe.close()
