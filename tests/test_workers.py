"""`serve --workers N`: one supervisor, N server processes sharing the
ports, each crash repaired, one clean stop (server/supervisor.py)."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
from pathlib import Path

import psutil

from tests.processes import Serving, postmasters, serve


def fork_server(server: Serving) -> psutil.Process:
    """serve's child that loaded the server once and forks each worker."""
    [found] = [
        child
        for child in psutil.Process(server.proc.pid).children()
        if "forkserver" in " ".join(child.cmdline())
    ]
    return found


def workers_of(server: Serving) -> list[psutil.Process]:
    return fork_server(server).children()


def listening_ports(process: psutil.Process) -> set[int]:
    return {c.laddr.port for c in process.net_connections("tcp") if c.status == psutil.CONN_LISTEN}


def list_apps(server: Serving, pat: str) -> int:
    """The status code of a REST ListApps on a new connection."""
    request = urllib.request.Request(
        f"{server.rest}/v2/users/me/apps", headers={"Authorization": f"Key {pat}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)["status"]["code"]


def wait_for(condition, timeout: float = 60) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_workers_share_both_ports_and_stop_with_the_embedded_database(tmp_path: Path) -> None:
    with serve(None, tmp_path, workers=3) as server:
        server.wait_serving()
        workers = workers_of(server)
        assert len(workers) == 3
        for worker in workers:
            assert {server.grpc_port, server.rest_port} <= listening_ports(worker)
        pat = json.loads((tmp_path / "bootstrap.json").read_text())["pat"]
        assert {list_apps(server, pat) for _ in range(20)} == {10000}
        assert server.stop() == 0
        assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
        assert postmasters(tmp_path) == []


def test_a_worker_killed_is_replaced_while_the_others_serve(tmp_path: Path) -> None:
    with serve(None, tmp_path, workers=2) as server:
        server.wait_serving()
        pat = json.loads((tmp_path / "bootstrap.json").read_text())["pat"]
        first, second = workers_of(server)
        os.kill(first.pid, signal.SIGKILL)
        psutil.wait_procs([first], timeout=10)
        # The other worker answers meanwhile: new connections go to it (those
        # the killed one had queued but not accepted are reset, as with any
        # server process killed).
        assert list_apps(server, pat) == 10000
        wait_for(
            lambda: (
                len(workers_of(server)) == 2
                and first.pid not in {w.pid for w in workers_of(server)}
            )
        )
        [new] = [w for w in workers_of(server) if w.pid != second.pid]
        wait_for(lambda: server.rest_port in listening_ports(new))
        assert {list_apps(server, pat) for _ in range(20)} == {10000}
        log = server.log.read_text()
        assert "worker 0" in log and "exited with status -9" in log, log
        assert "Traceback" not in log
        assert server.stop() == 0


def test_workers_end_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    with serve(None, tmp_path, workers=2) as server:
        server.wait_serving()
        workers = workers_of(server)
        assert len(workers) == 2
        forks = fork_server(server)
        server.proc.kill()
        server.proc.wait()
        # Their pipes from it close: they stop serving and exit on their
        # own, and the fork server with them.
        _, alive = psutil.wait_procs([*workers, forks], timeout=30)
        assert alive == []
        assert "the supervisor is gone: stopping" in server.log.read_text()
