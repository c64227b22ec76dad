"""`clarifai-local import` end to end, as users run it: a server process, the
command in processes of its own, killed mid-upload and run again."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from clarifai.api import service_pb2, service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc

from server.import_content import FolderTar
from tests.helpers import md, png
from tests.processes import ROOT, Serving, accounts, cli_env, new_database, serve

MIB = 1024 * 1024
# Runs the command as from a terminal, where Ctrl-C interrupts: a suite started
# in the background of a script has SIGINT ignored, and children inherit that.
# Reset in a process of its own that then execs the command, not in a
# preexec_fn: that runs in a fork of this (gRPC-using) process, where gRPC's
# fork handlers may restart its poller, which aborts the child ("epoll_wait
# error: Bad file descriptor") once the fork closes descriptors before exec.
_INTERRUPTIBLE = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, '-m', 'server.cli', *sys.argv[1:]])"
)


@dataclass
class Served:
    serving: Serving
    info: dict[str, str]
    data_dir: Path
    state_dir: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.serving.grpc_port}"

    def args(self, source: str, *more: str) -> list[str]:
        return [
            "import", source, "--app", self.info["app_id"], "--address", self.address,
            "--state-dir", str(self.state_dir), *more,
        ]  # fmt: skip

    def env(self) -> dict[str, str]:
        return cli_env(None, self.data_dir, CLARIFAI_PAT=self.info["pat"])

    def run(self, source: str, *more: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "server.cli", *self.args(source, *more)],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def start(self, source: str, *more: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", _INTERRUPTIBLE, *self.args(source, *more)],
            env=self.env(),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stub(self) -> tuple[grpc.Channel, service_pb2_grpc.V2Stub]:
        channel = grpc.insecure_channel(self.address)
        return channel, service_pb2_grpc.V2Stub(channel)

    def calls(self, method: str) -> int:
        """Calls of `method` the server has logged."""
        return sum(1 for line in self.serving.log.read_text().splitlines() if f'"{method}"' in line)


@pytest.fixture(scope="module")
def server_process(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Serving, str, Path]]:
    """One server for the module, on a database of its own."""
    data_dir = tmp_path_factory.mktemp("import-data")
    loopback = {
        "CLARIFAI_LOCAL_FETCH_URLS": "true",
        "CLARIFAI_LOCAL_FETCH_ALLOW_LOOPBACK": "true",
    }
    with (
        new_database(database_url, "clarifai_import") as url,
        serve(url, data_dir, workers=1, settings=loopback) as serving,
    ):
        serving.wait_serving()
        yield serving, url, data_dir


@pytest.fixture
async def served(server_process, tmp_path: Path) -> Served:
    """The server, as a user of its own (its uploads, inputs and datasets
    are the test's alone) with a state directory of its own."""
    serving, url, data_dir = server_process
    (info,) = await accounts(url, 1)
    return Served(serving, info, data_dir, tmp_path / "state")


def images(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    colors = ["red", "green", "blue", "yellow", "purple"]
    for n in range(count):
        (folder / f"img{n:03d}.png").write_bytes(png(3 + n, 2, colors[n % len(colors)]))
    return folder


def state_of(served: Served) -> dict:
    found = list(served.state_dir.glob("*.json"))
    return json.loads(found[0].read_text()) if found else {}


def uploads(served: Served) -> list:
    channel, stub = served.stub()
    with channel:
        res = stub.ListUploads(
            service_pb2.ListUploadsRequest(), metadata=md(served.info["api_key"])
        )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.uploads)


def dataset_inputs(served: Served, dataset_id: str, create: bool = False) -> int:
    channel, stub = served.stub()
    key = md(served.info["api_key"])
    with channel:
        if create:
            made = stub.PostDatasets(
                service_pb2.PostDatasetsRequest(datasets=[{"id": dataset_id}]), metadata=key
            )
            assert made.status.code == sc.SUCCESS, made.status
        res = stub.ListDatasetInputs(
            service_pb2.ListDatasetInputsRequest(dataset_id=dataset_id, per_page=100), metadata=key
        )
    assert res.status.code == sc.SUCCESS, res.status
    return len(res.dataset_inputs)


def test_a_folder_is_imported_and_a_rerun_follows_the_same_job(served: Served, tmp_path: Path):
    folder = images(tmp_path / "photos", 12)
    assert dataset_inputs(served, "shots", create=True) == 0
    done = served.run(str(folder), "--dataset", "shots")
    assert done.returncode == 0, done.stderr
    assert "added 12, failed 0" in done.stdout, done.stdout
    assert dataset_inputs(served, "shots") == 12
    job_id = state_of(served)["job_id"]
    assert f"inputs-add job {job_id}" in done.stdout
    (upload,) = uploads(served)
    assert upload.content_name == "photos.tar" and upload.status.code == sc.UPLOAD_DONE
    again = served.run(str(folder))
    assert again.returncode == 0, again.stderr
    assert f"following inputs-add job {job_id}" in again.stderr
    assert "added 12, failed 0" in again.stdout
    assert len(uploads(served)) == 1  # nothing sent again


def stop_after(served: Served, folder: Path, parts: int, sig: int) -> subprocess.Popen[str]:
    """Start importing `folder` in 1 MiB parts; send `sig` once `parts`
    parts have arrived, and wait for the process to end."""
    proc = served.start(str(folder), "--part-mib", "1", "--quiet")
    deadline = time.monotonic() + 120
    while len(state_of(served).get("parts", [])) < parts:
        if proc.poll() is not None:
            raise AssertionError(f"the import ended before it was stopped:\n{proc.stderr.read()}")
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    return proc


def test_an_interrupted_and_a_killed_upload_resume_with_the_parts_the_server_lacks(
    served: Served, tmp_path: Path
):
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(6):
        (folder / f"blob{n}.bin").write_bytes(os.urandom(8 * MIB))
    (folder / "photo.png").write_bytes(png(5, 5))
    tar = FolderTar(folder)
    parts = -(-tar.length // MIB)
    # Ctrl-C, then kill -9, each once some parts have arrived.
    interrupted = stop_after(served, folder, 2, signal.SIGINT)
    assert interrupted.returncode == 130
    assert "interrupted: run the same command again to resume" in interrupted.stderr.read()
    stop_after(served, folder, len(state_of(served)["parts"]) + 2, signal.SIGKILL)
    first = state_of(served)
    sent_before = served.calls("PutUploadContentParts")
    assert 4 <= len(first["parts"]) < parts
    resumed = served.run(str(folder), "--part-mib", "1", "--quiet")
    (upload,) = uploads(served)
    assert upload.id == first["upload_id"] and upload.status.code == sc.UPLOAD_DONE
    whole = tar.read(0, tar.length)
    assert hashlib.sha256(whole).hexdigest() in upload.status.details
    # Only what the server lacked was sent again (the part in flight at the
    # kill, at most, twice).
    sent_after = served.calls("PutUploadContentParts") - sent_before
    assert parts - len(first["parts"]) <= sent_after <= parts - len(first["parts"]) + 1
    # The archive's one image became an input; the other members are not
    # media, and the summary says why.
    assert "added 1, failed 6" in resumed.stdout, (resumed.stdout, resumed.stderr)
    assert "blob5.bin: not an image" in resumed.stdout


def test_an_archive_url_goes_through_data_sources(served: Served, tmp_path: Path):
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        for n in range(3):
            data = png(4 + n, 4)
            member = tarfile.TarInfo(f"p{n}.png")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    body = archive.getvalue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/photos.tar"
        done = served.run(url)
    finally:
        httpd.shutdown()
    assert done.returncode == 0, done.stderr
    assert "added 3, failed 0" in done.stdout, done.stdout
    assert uploads(served) == []


def test_bad_usage_is_said_in_one_line(served: Served, tmp_path: Path):
    (tmp_path / "notes.docx").write_bytes(b"x")
    res = served.run(str(tmp_path / "notes.docx"))
    assert res.returncode == 1 and "a folder, an archive" in res.stderr
    res = served.run(str(tmp_path / "missing"))
    assert res.returncode == 1 and "no such file or folder" in res.stderr
    no_pat = subprocess.run(
        [sys.executable, "-m", "server.cli", *served.args(str(tmp_path))],
        env={k: v for k, v in cli_env(None, served.data_dir).items() if k != "CLARIFAI_PAT"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert no_pat.returncode == 1 and "CLARIFAI_PAT" in no_pat.stderr
