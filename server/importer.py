"""`clarifai-local import PATH|URL --app APP`: bulk import through the API,
as any client could do it.

A path (a folder, an archive, a CSV) is uploaded with PostUploads and
PutUploadContentParts, then imported with PostInputsUploads; a URL
(http(s)://, s3://) is imported with PostInputsDataSources. Either way the
inputs-add job is polled (GetInputsAddJob) with a progress bar until it
finishes, and a summary is printed.

Resumable: a small state file per (path or URL, user, app) records the
upload's id, the parts the server acknowledged, and the inputs-add job's
id (chosen before the job is started). Run again after a crash or Ctrl-C,
the import sends only the parts not acknowledged (a part sent twice is
harmless: the server recognises it) and follows the same job rather than
starting another; run again after it finished, it shows that job's
summary (`--restart` imports again).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import grpc
from clarifai.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from clarifai.api.status import status_pb2
from tqdm import tqdm

from server.import_content import ChangedError, Content, content_of

DEFAULT_PART_BYTES = 8 * 1024 * 1024
# GetInputsAddJob every this many seconds: soon after the start (a small
# import is done at once), then at most once a second.
POLL_FIRST, POLL_MOST = 0.1, 1.0
URL_SCHEMES = ("http://", "https://", "s3://")
# Inputs-add job codes that mean it still works.
UNFINISHED = (sc.JOB_QUEUED, sc.JOB_RUNNING, sc.JOB_PAUSED)
# Failed inputs listed in the summary at most.
REASONS_SHOWN = 20


class ImportError_(Exception):  # noqa: N801, N818  (`ImportError` is a builtin)
    """The import cannot go on; the message says why and what to do."""


@dataclass
class Options:
    source: str
    app_id: str
    user_id: str
    pat: str
    address: str
    dataset_id: str = ""
    part_bytes: int = DEFAULT_PART_BYTES
    state_dir: Path = Path()
    restart: bool = False
    quiet: bool = False


@dataclass
class State:
    """What a run leaves for the next one, in its state file."""

    source: str
    user_id: str
    app_id: str
    fingerprint: str = ""
    length: int = 0
    part_bytes: int = 0
    upload_id: str = ""
    parts: list[int] = field(default_factory=list)
    job_id: str = ""


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "clarifai-local" / "imports"


def is_url(source: str) -> bool:
    return source.lower().startswith(URL_SCHEMES)


class StateFile:
    def __init__(self, opts: Options) -> None:
        source = opts.source if is_url(opts.source) else str(Path(opts.source).resolve())
        key = hashlib.sha256(f"{source}\0{opts.user_id}\0{opts.app_id}".encode()).hexdigest()
        self.path = opts.state_dir / f"{key[:32]}.json"
        self.fresh = State(source, opts.user_id, opts.app_id)

    def load(self) -> State:
        try:
            found = State(**json.loads(self.path.read_text()))
        except (FileNotFoundError, ValueError, TypeError):
            return self.fresh
        return (
            found
            if (found.source, found.app_id) == (self.fresh.source, self.fresh.app_id)
            else self.fresh
        )

    def save(self, state: State) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(state)))
        os.replace(tmp, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


class Api:
    """The few calls the import makes, each answering its response or
    raising ImportError_ with the server's status."""

    def __init__(self, opts: Options) -> None:
        self.channel = grpc.insecure_channel(
            opts.address, options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)]
        )
        self.stub = service_pb2_grpc.V2Stub(self.channel)
        self.metadata = (("authorization", f"Key {opts.pat}"),)
        self.app = resources_pb2.UserAppIDSet(user_id=opts.user_id, app_id=opts.app_id)

    def call(self, rpc: str, request: Any, ok: tuple[int, ...] | None = (sc.SUCCESS,)) -> Any:
        """`ok`: the codes answered; others raise (None: every code)."""
        request.user_app_id.CopyFrom(self.app)
        try:
            res = getattr(self.stub, rpc)(request, metadata=self.metadata, timeout=600)
        except grpc.RpcError as err:
            raise ImportError_(f"{rpc}: {err.code().name}: {err.details()}") from None
        if ok is not None and res.status.code not in ok:
            raise ImportError_(f"{rpc}: {_status_text(res.status)}")
        return res

    def close(self) -> None:
        self.channel.close()


def _status_text(status: Any) -> str:
    text = f"{sc.StatusCode.Name(status.code)} ({status.code}) {status.description}"
    return f"{text}: {status.details}" if status.details else text


# ---- the upload ----


def _usable_upload(api: Api, state: State, content: Content, part_bytes: int) -> bool:
    """Whether the state's upload can be continued: the same content, cut
    the same way, still in progress or done on the server."""
    if not state.upload_id or state.fingerprint != content.fingerprint:
        return False
    if (state.length, state.part_bytes) != (content.length, part_bytes):
        return False
    res = api.call("GetUpload", service_pb2.GetUploadRequest(upload_id=state.upload_id), ok=None)
    ok = res.status.code == sc.SUCCESS
    return ok and res.upload.status.code in (sc.UPLOAD_IN_PROGRESS, sc.UPLOAD_DONE)


def _new_upload(api: Api, state: State, content: Content, part_bytes: int) -> None:
    upload = resources_pb2.Upload(content_name=content.name, content_length=content.length)
    res = api.call("PostUploads", service_pb2.PostUploadsRequest(uploads=[upload]))
    state.upload_id, state.parts, state.job_id = res.uploads[0].id, [], ""
    state.fingerprint, state.length, state.part_bytes = (
        content.fingerprint,
        content.length,
        part_bytes,
    )


def _put(api: Api, state: State, content: Content, number: int) -> int:
    """Send part `number` (1-based); answers the upload's status code."""
    start = (number - 1) * state.part_bytes
    part = resources_pb2.UploadContentPart(
        part_number=number, range_start=start, data=content.read(start, state.part_bytes)
    )
    request = service_pb2.PutUploadContentPartsRequest(
        upload_id=state.upload_id, content_parts=[part]
    )
    return api.call("PutUploadContentParts", request).upload.status.code


def upload(api: Api, files: StateFile, state: State, content: Content, opts: Options) -> None:
    """Upload the content, or what of it the server lacks."""
    if opts.restart or not _usable_upload(api, state, content, opts.part_bytes):
        _new_upload(api, state, content, opts.part_bytes)
        files.save(state)
    count = max(1, -(-content.length // state.part_bytes))
    done = set(state.parts)
    sent = sum(min(state.part_bytes, content.length - (n - 1) * state.part_bytes) for n in done)
    with _bar(opts, "upload", content.length, "B", initial=sent) as bar:
        code = sc.UPLOAD_IN_PROGRESS
        for number in range(1, count + 1):
            if number in done:
                continue
            code = _put(api, state, content, number)
            state.parts.append(number)
            files.save(state)
            bar.update(min(state.part_bytes, content.length - (number - 1) * state.part_bytes))
    if code != sc.UPLOAD_DONE:
        _finish_upload(api, state, content)


def _finish_upload(api: Api, state: State, content: Content) -> None:
    """Every part was acknowledged in some run: the upload should be done.
    If it is not, each part is sent again (the server keeps what it has)."""
    res = api.call("GetUpload", service_pb2.GetUploadRequest(upload_id=state.upload_id))
    if res.upload.status.code == sc.UPLOAD_DONE:
        return
    for number in range(1, max(1, -(-content.length // state.part_bytes)) + 1):
        if _put(api, state, content, number) == sc.UPLOAD_DONE:
            return
    raise ImportError_(f"upload {state.upload_id}: {_status_text(res.upload.status)}")


# ---- the inputs-add job ----


def _template(opts: Options) -> resources_pb2.Input:
    return resources_pb2.Input(dataset_ids=[opts.dataset_id] if opts.dataset_id else [])


def _job_exists(api: Api, job_id: str) -> bool:
    if not job_id:
        return False
    res = api.call("GetInputsAddJob", service_pb2.GetInputsAddJobRequest(id=job_id), ok=None)
    return res.status.code == sc.SUCCESS


def _start_job(api: Api, state: State, opts: Options) -> None:
    """Start the import under the state's job id (chosen and saved first, so
    a run killed meanwhile finds the job it started)."""
    template = _template(opts)
    if is_url(opts.source):
        source = resources_pb2.InputsDataSource(
            inputs_add_job_id=state.job_id,
            url=resources_pb2.DataSourceURL(url=opts.source),
            input_template=template,
        )
        request = service_pb2.PostInputsDataSourcesRequest(data_sources=[source])
        api.call("PostInputsDataSources", request)
        return
    sent = resources_pb2.InputsUpload(
        inputs_add_job_id=state.job_id,
        upload=resources_pb2.Upload(id=state.upload_id),
        input_template=template,
    )
    api.call("PostInputsUploads", service_pb2.PostInputsUploadsRequest(inputs_uploads=[sent]))


def follow(api: Api, job_id: str, opts: Options) -> Any:
    """Poll the job until it finishes, with a progress bar of its inputs;
    answers the finished job."""
    request = service_pb2.GetInputsAddJobRequest(id=job_id)
    pause = POLL_FIRST
    with _bar(opts, "import", 0, " inputs") as bar:
        while True:
            job = api.call("GetInputsAddJob", request).inputs_add_job
            p = job.progress
            total = p.pending_count + p.in_progress_count + p.success_count + p.failed_count
            bar.total = max(total, 1)
            bar.n = p.success_count + p.failed_count
            bar.set_postfix(failed=p.failed_count, refresh=False)
            bar.refresh()
            if job.status.code not in UNFINISHED:
                return job
            time.sleep(pause)
            pause = min(POLL_MOST, pause * 1.5)


def _failures(api: Api, limit: int) -> Iterator[str]:
    """Why inputs failed: the app's newest inputs whose download or reading
    failed (of this import, and of any before it)."""
    request = service_pb2.ListInputsRequest(
        per_page=limit, status=status_pb2.Status(code=sc.INPUT_DOWNLOAD_FAILED)
    )
    res = api.call("ListInputs", request, ok=None)
    for item in res.inputs if res.status.code == sc.SUCCESS else []:
        yield f"  {item.id}: {item.status.details or item.status.description}"


def summary(api: Api, job: Any) -> str:
    p = job.progress
    lines = [
        f"inputs-add job {job.id}: {_status_text(job.status)}",
        f"  added {p.success_count}, failed {p.failed_count}",
    ]
    for extraction in getattr(job, "extraction_jobs", []):
        if extraction.status.details:
            lines.append(f"  {extraction.url or extraction.id}: {extraction.status.details}")
    reasons = list(_failures(api, min(p.failed_count, REASONS_SHOWN))) if p.failed_count else []
    if reasons:
        lines += ["inputs whose download or reading failed (newest first):", *reasons]
    return "\n".join(lines)


# ---- the command ----


def _bar(opts: Options, what: str, total: int, unit: str, initial: int = 0) -> tqdm:
    return tqdm(
        total=total,
        initial=initial,
        desc=what,
        unit=unit,
        unit_scale=unit == "B",
        disable=opts.quiet,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def run(opts: Options, say: Callable[[str], None]) -> int:
    """The import, start to end or from where the last run stopped; answers
    the process's exit code (0 done, 1 failed, 130 interrupted)."""
    files = StateFile(opts)
    state = files.fresh if opts.restart else files.load()
    api = Api(opts)
    try:
        if _job_exists(api, state.job_id):
            say(f"following inputs-add job {state.job_id}, started by an earlier run "
                "(--restart imports again)")  # fmt: skip
        else:
            _begin(api, files, state, opts)
        job = follow(api, state.job_id, opts)
        print(summary(api, job), flush=True)
    except KeyboardInterrupt:
        say(f"interrupted: run the same command again to resume ({files.path})")
        return 130
    except (ImportError_, ChangedError, ValueError, OSError) as err:
        say(str(err))
        return 1
    finally:
        api.close()
    return 0 if job.status.code == sc.JOB_COMPLETED else 1


def _begin(api: Api, files: StateFile, state: State, opts: Options) -> None:
    """Upload what the server lacks (a path), then start the job."""
    if not is_url(opts.source):
        upload(api, files, state, content_of(Path(opts.source)), opts)
    if not state.job_id:
        state.job_id = uuid.uuid4().hex
        files.save(state)
    _start_job(api, state, opts)
