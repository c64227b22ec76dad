"""Bulk import benchmark (not a test): figures are printed, never asserted.

N small distinct PNG images in a tar archive (made once with Pillow and
kept under .cache/) are imported end to end with `clarifai-local import`
against a server process: the archive uploaded in parts (PostUploads,
PutUploadContentParts), imported (PostInputsUploads), the inputs-add job
followed until it finishes. Printed in inputs/s next to two figures of the
same run:
- the ceiling: raw psycopg COPY of the same rows (one input row per image,
  hosted bytes named by blob key) into the same table, in 128-row
  transactions;
- the floor of any import: reading the archive and sha256-hashing each
  image's bytes, nothing else.

The app imported into has the Empty base workflow, as bench_mixed's: the
figures are the import's own, not image inference's (bench_indexing
measures that); `--indexed` imports into an app with the default base
workflow instead. `--via url` imports the same archive from a loopback
HTTP server through PostInputsDataSources (no upload).

Usage: .venv/bin/python bench/bench_import.py [--images 100000] [--via upload|url]
       [--indexed]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from pathlib import Path

import grpc
import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from harness import Server, goal, plain, scratch_database
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache"
BATCH = 128
GOAL = 0.25


def png(n: int) -> bytes:
    """A small image unlike every other: its pixels spell n."""
    pixels = bytes((n >> (8 * (k % 3)) & 0xFF) ^ (k * 37 & 0xFF) for k in range(8 * 8 * 3))
    out = io.BytesIO()
    Image.frombytes("RGB", (8, 8), pixels).save(out, format="PNG")
    return out.getvalue()


def archive(images: int) -> Path:
    """The tar of `images` PNGs, made once."""
    path = CACHE / f"bench-import-{images}.tar"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    tmp = path.with_suffix(f".{uuid.uuid4().hex}.part")
    with tarfile.open(tmp, "w") as tar:
        for n in range(images):
            data = png(n)
            member = tarfile.TarInfo(f"img/{n:07d}.png")
            member.size, member.mtime = len(data), 1_767_225_600
            tar.addfile(member, io.BytesIO(data))
    tmp.rename(path)
    return path


def read_and_hash(path: Path) -> tuple[float, int]:
    """Images/s reading the archive and hashing each member's bytes."""
    began, count = time.perf_counter(), 0
    with tarfile.open(path) as tar:
        for member in tar:
            handle = tar.extractfile(member)
            if handle is not None:
                hashlib.sha256(handle.read()).digest()
                count += 1
    return count / (time.perf_counter() - began), count


INPUT_COLS = "app_pk, id, data, media_kind, source_url, blob_key, status_code, status_details"


def raw_copy(url: str, app_pk: int, images: int) -> float:
    """Inputs/s of COPY writing one input row per image, 128 a transaction."""
    rows = []
    for n in range(images):
        key = f"{app_pk}/{uuid.uuid4().hex}.png"
        data = json.dumps({"image": {"image_info": {"width": 8, "height": 8, "format": "PNG"}}})
        rows.append((app_pk, f"raw-{n}", data, "image", "", key, 30000, ""))
    with psycopg.connect(url) as conn:
        began = time.perf_counter()
        for start in range(0, images, BATCH):
            with (
                conn.transaction(),
                conn.cursor() as cur,
                cur.copy(f"COPY inputs ({INPUT_COLS}) FROM STDIN") as copy,
            ):
                for row in rows[start : start + BATCH]:
                    copy.write_row(row)
        return images / (time.perf_counter() - began)


def app_pk(url: str, user_id: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT pk FROM apps WHERE user_id = %s AND id = 'main'", (user_id,)
        ).fetchone()[0]


def serve_file(path: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", str(path.stat().st_size))
            self.end_headers()
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    self.wfile.write(chunk)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/{path.name}"


def new_app(server: Server, account: dict, workflow: str) -> str:
    """An app of the account's with this base workflow ("": the default)."""
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        res = service_pb2_grpc.V2Stub(channel).PostApps(
            s.PostAppsRequest(apps=[r.App(id="bench-import", default_workflow_id=workflow)]),
            metadata=(("authorization", f"Key {account['pat']}"),),
        )
    if res.status.code != sc.SUCCESS:
        raise RuntimeError(f"PostApps: {res.status}")
    return res.apps[0].id


def job_seconds(server: Server, account: dict, app_id: str, job_id: str) -> float:
    """How long the inputs-add job ran, by its own times (created to last
    modified)."""
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        res = service_pb2_grpc.V2Stub(channel).GetInputsAddJob(
            s.GetInputsAddJobRequest(
                user_app_id=r.UserAppIDSet(user_id=account["user_id"], app_id=app_id), id=job_id
            ),
            metadata=(("authorization", f"Key {account['pat']}"),),
        )
    job = res.inputs_add_job
    return (job.modified_at.ToNanoseconds() - job.created_at.ToNanoseconds()) / 1e9


def import_rate(
    server: Server, account: dict, app_id: str, source: str, images: int
) -> tuple[float, float, str]:
    """Inputs/s of `clarifai-local import`, from its start to its summary;
    its seconds and the inputs-add job's id."""
    state = tempfile.mkdtemp(prefix="clarifai-bench-import-state-")
    command = [sys.executable, "-m", "server.cli", "import", source, "--app", app_id]
    command += ["--address", f"127.0.0.1:{server.grpc_port}", "--state-dir", state, "--quiet"]
    env = {**server.env, "CLARIFAI_PAT": account["pat"]}
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    if done.returncode != 0 or f"added {images}, failed 0" not in done.stdout:
        raise RuntimeError(f"import failed:\n{done.stdout}\n{done.stderr}")
    job_id = done.stdout.split("inputs-add job ", 1)[1].split(":", 1)[0]
    return images / elapsed, elapsed, job_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=100_000, help="images in the archive")
    parser.add_argument("--via", choices=("upload", "url"), default="upload")
    parser.add_argument(
        "--indexed", action="store_true", help="the app's base workflow indexes the images"
    )
    args = parser.parse_args()
    made = time.perf_counter()
    path = archive(args.images)
    print(f"archive: {path} ({path.stat().st_size / 2**20:.1f} MiB, {args.images} PNGs; "
          f"ready in {time.perf_counter() - made:.1f} s)")  # fmt: skip
    hash_rate, count = read_and_hash(path)
    assert count == args.images
    with scratch_database("clarifai_bench") as db_url:
        url = plain(db_url)
        server = Server(url, Path(tempfile.mkdtemp(prefix="clarifai-bench-")), fetch_urls=True)
        server.env["CLARIFAI_LOCAL_FETCH_ALLOW_LOOPBACK"] = "true"
        httpd = None
        try:
            server.cli("migrate")
            server.start()
            importing, raw = server.account(), server.account()
            source = str(path)
            if args.via == "url":
                httpd, source = serve_file(path)
            app_id = new_app(server, importing, "" if args.indexed else "Empty")
            rate, elapsed, job_id = import_rate(server, importing, app_id, source, args.images)
            job_took = job_seconds(server, importing, app_id, job_id)
            copy_rate = raw_copy(url, app_pk(url, raw["user_id"]), args.images)
        finally:
            if httpd is not None:
                httpd.shutdown()
            server.stop()
    workflow = "default base workflow" if args.indexed else "Empty base workflow"
    print(f"import of {args.images} images ({args.via}, {workflow})")
    print(f"  clarifai-local import        {rate:9.0f} inputs/s ({elapsed:.1f} s, "
          f"of which the inputs-add job {job_took:.1f} s)")  # fmt: skip
    print(
        f"  raw psycopg COPY             {copy_rate:9.0f} inputs/s (input rows, 128 a transaction)"
    )
    print(f"  read + sha256 of the images  {hash_rate:9.0f} images/s")
    ratio = rate / copy_rate
    print(f"  ratio import / COPY          {ratio:9.2f}")
    print(f"  ratio import / read+hash     {rate / hash_rate:9.3f}")
    goal(f"import of {args.images} images vs raw COPY", f"{ratio:.2f}", f"≥ {GOAL}", ratio >= GOAL)


if __name__ == "__main__":
    sys.exit(main())
