"""The extraction job: one data source turned into inputs, in the background.

PostInputsDataSources queues one job (server/jobs.py) per source. A run
lists the source's files once (server/data_sources.py), then reads each
file's members (server/archives.py) in chunks of at most CHUNK members (and
CHUNK_BYTES bytes). Each chunk is one transaction that takes the
extraction row first, adds the chunk's inputs through PostInputs itself
(blobs, base-workflow indexing, datasets, the inputs add job's counts) as
the user who posted the source, and moves the job's cursor past them: a
process killed mid-way resumes after the last committed chunk, so no
member is added twice or skipped. Inputs get ids derived from the job's id
and the member's place (a CSV's inputid column wins), so the same source
posted again under SKIP finds its inputs taken.

A member that cannot be an input (no medium, too large, unreadable image,
bad CSV row, id taken) fails alone: counted in the inputs add job's
failed_count and kept in the job's failures; a file that cannot be read at
all (a download failing, a corrupt archive) fails alone too, and the job
fails only when no file could be read.

CancelInputsExtractionJobs takes the same row lock: it waits for a chunk
being committed, and no chunk commits after it; a download under way
looks twice a second and stops. A cancelled inputs add
job cancels its extraction jobs at their next chunk. A run longer than
RUN_SECONDS hands the job back to the queue (Defer) and goes on later, so
long sources share the runners.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import shutil
from collections.abc import Awaitable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from server import archives, contract, data_sources, ids
from server.archives import Member, SourceError
from server.auth import ALL, Access, Caller, Grant
from server.dispatch import Call
from server.jobs import Defer, JobContext, job
from server.services import inputs as input_service
from server.status import ApiError, make_status
from server.wire.inputs_add_jobs import job_proto
from storage import apps as app_store
from storage import files as file_store
from storage import inputs_add_jobs as add_job_store
from storage import inputs_extraction_jobs as store
from storage import transaction_hooks
from storage.inputs_add_jobs import InputsAddJob
from storage.inputs_extraction_jobs import InputsExtractionJob
from storage.keys import PAT
from storage.store import Store

log = logging.getLogger("clarifai_local.extraction")
EXTRACT = "inputs.extract"
CHUNK = 128
CHUNK_BYTES = 16 * 1024 * 1024
# How often a download looks whether its job was cancelled meanwhile.
WATCH_SECONDS = 0.5
RUN_SECONDS = 60.0
# A run's time limit: long enough to download a large source file.
TIME_LIMIT = 3600.0
_COUNTERS = {"image": "image_count", "video": "video_count", "audio": "audio_count"}


def workdir(settings: Any, pk: int) -> Path:
    """Where a job keeps its downloaded files while it reads them."""
    return settings.data_dir / "extracting" / str(pk)


@dataclass
class Run:
    """What one run of a job reads: the job as it was when the run began."""

    ctx: JobContext
    pk: int
    source: dict[str, Any]
    files: list[dict[str, Any]]
    file_cursor: int
    member_cursor: int
    deadline: float

    def out_of_time(self) -> bool:
        return asyncio.get_running_loop().time() > self.deadline


async def _gave_up(ctx: JobContext, payload: dict[str, Any], error: str) -> None:
    await _end(ctx, payload["extraction_pk"], store.FAILED, f"the extraction failed: {error}")


@job(EXTRACT, on_give_up=_gave_up, time_limit=TIME_LIMIT)
async def extract(ctx: JobContext, payload: dict[str, Any]) -> None:
    run = await _begin(ctx, payload["extraction_pk"])
    if run is None:
        return
    for file_no in range(run.file_cursor, len(run.files)):
        if not await _file(run, file_no):
            shutil.rmtree(workdir(ctx.settings, run.pk), ignore_errors=True)
            return  # cancelled, or gone
    await _completed(ctx, run.pk)
    shutil.rmtree(workdir(ctx.settings, run.pk), ignore_errors=True)


async def _begin(ctx: JobContext, pk: int) -> Run | None:
    """Mark the job running and list its files (once); None when it has
    nothing left to do."""
    async with ctx.db.transaction() as session:
        row = await store.by_pk(session, pk, lock=True)
        if row is None or row.status_code not in store.UNFINISHED:
            return None
        row.status_code = store.RUNNING
        source, listed = dict(row.source), row.files
    if listed is None:
        try:
            found = await data_sources.listing(ctx.settings, source)
        except SourceError as exc:
            await _end(ctx, pk, store.FAILED, str(exc))
            return None
        async with ctx.db.transaction() as session:
            row = await store.by_pk(session, pk, lock=True)
            if row is None or row.status_code != store.RUNNING:
                return None
            if row.files is None:
                row.files = {"items": found}
                row.archives_pending = sum(archives.looks_archive(f["name"]) for f in found)
            listed = row.files
    async with ctx.db.transaction() as session:
        row = await store.by_pk(session, pk)
        if row is None:
            return None
        deadline = asyncio.get_running_loop().time() + RUN_SECONDS
        return Run(ctx, pk, source, listed["items"], row.file_cursor, row.member_cursor, deadline)


async def _file(run: Run, file_no: int) -> bool:
    """Add the inputs of one file from where the job left off; False when
    the job stopped (cancelled or deleted)."""
    ctx, file = run.ctx, run.files[file_no]
    folder = file_store.private_dir(workdir(ctx.settings, run.pk))
    start = run.member_cursor if file_no == run.file_cursor else 0
    try:
        path = await _watched(
            ctx,
            run.pk,
            data_sources.local_copy(ctx.db, ctx.settings, run.source, file, folder / str(file_no)),
        )
        if path is None:
            return False
        archive = await asyncio.to_thread(archives.is_archive, path)
        found = archives.members(path, file["name"], ctx.settings.extract_max_members, start)
        if not await _opened(ctx, run.pk, file_no, file, archive):
            return False
        if not await _chunks(run, file_no, start, found):
            return False
    except SourceError as exc:
        return await _file_failed(ctx, run.pk, file_no, file, str(exc))
    if not await _file_done(ctx, run.pk, file_no, archive):
        return False
    (folder / str(file_no)).unlink(missing_ok=True)
    return True


async def _watched(ctx: JobContext, pk: int, download: Awaitable[Path]) -> Path | None:
    """The download's file; None, the download stopped, when the job was
    cancelled meanwhile (a download can take minutes; a cancel stops it)."""
    task = asyncio.ensure_future(download)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=WATCH_SECONDS)
            if done:
                return task.result()
            async with ctx.db.transaction() as session:
                row = await store.by_pk(session, pk)
                running = row is not None and row.status_code == store.RUNNING
            if not running:
                return None
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _chunks(run: Run, file_no: int, at: int, found: Iterator[Member]) -> bool:
    """Commit the file's chunks in turn, each read from the file while the
    one before commits."""
    reading = _read_ahead(found)
    try:
        while chunk := await reading:
            reading = _read_ahead(found)
            if not await _commit(run.ctx, run.pk, file_no, at, chunk):
                return False
            at += len(chunk)
            if run.out_of_time():
                raise Defer(0)  # the rest in a later run, after other jobs had their turn
        return True
    finally:
        # The file stays open while a thread reads it: the reading ends first.
        await asyncio.gather(reading, return_exceptions=True)


def _read_ahead(found: Iterator[Member]) -> asyncio.Future[list[Member]]:
    return asyncio.ensure_future(asyncio.to_thread(archives.take, found, CHUNK, CHUNK_BYTES))


async def _locked(session: AsyncSession, pk: int) -> InputsExtractionJob | None:
    """The job, held until the transaction ends, if it still runs."""
    row = await store.by_pk(session, pk, lock=True)
    return row if row is not None and row.status_code == store.RUNNING else None


async def _opened(
    ctx: JobContext, pk: int, file_no: int, file: dict[str, Any], archive: bool
) -> bool:
    """Count a file whose reading begins: an archive in progress."""
    async with ctx.db.transaction() as session:
        row = await _locked(session, pk)
        if row is None:
            return False
        if row.opened_file < file_no:
            row.opened_file = file_no
            if archives.looks_archive(file["name"]):
                row.archives_pending -= 1
            if archive:
                row.archives_in_progress += 1
        return True


async def _file_done(ctx: JobContext, pk: int, file_no: int, archive: bool) -> bool:
    async with ctx.db.transaction() as session:
        row = await _locked(session, pk)
        if row is None:
            return False
        if row.file_cursor == file_no:
            row.file_cursor, row.member_cursor = file_no + 1, 0
            if archive:
                row.archives_in_progress -= 1
                row.archives_completed += 1
        return True


async def _file_failed(
    ctx: JobContext, pk: int, file_no: int, file: dict[str, Any], why: str
) -> bool:
    """A file that could not be read: counted, and the job goes on."""
    name = file.get("name") or file.get("url") or "the file"
    async with ctx.db.transaction() as session:
        row = await _locked(session, pk)
        if row is None:
            return False
        if row.file_cursor != file_no:
            return True
        named = archives.looks_archive(file["name"])
        if named and row.opened_file < file_no:
            row.archives_pending -= 1
        if named or row.archives_in_progress:
            row.archives_failed += 1
        row.archives_in_progress = 0
        row.opened_file = file_no
        row.files_failed += 1
        row.failures = store.kept_failures(row, [{"member": name, "details": why}])
        row.file_cursor, row.member_cursor = file_no + 1, 0
    log.info("extraction job %s: %s: %s", pk, name, why)
    return True


# ---- one chunk ----


def check_template_labels(at: str, data: resources_pb2.Data) -> None:
    """A template's concepts and geo, checked as PostInputs checks an
    input's (the inputs it makes are posted with them)."""
    input_service.check_concepts(f"{at}.data.concepts", data.concepts)
    if data.HasField("geo"):
        input_service.check_geo(f"{at}.data.geo", data.geo)


def _input_id(job_id: str, file_no: int, member_no: int) -> str:
    """A member's input id: the same for the same job and member."""
    return hashlib.sha1(f"{job_id}/{file_no}/{member_no}".encode()).hexdigest()[:32]


def _input(template: resources_pb2.Input, member: Member, input_id: str) -> resources_pb2.Input:
    """The member as PostInputs takes it, the template's fields added."""
    sent = resources_pb2.Input()
    sent.CopyFrom(template)
    sent.id = member.input_id or input_id
    medium = getattr(sent.data, member.kind)
    if member.url:
        medium.url = member.url
    elif member.kind == "text" and member.data is None:
        medium.raw = member.text
    elif member.kind == "text":
        medium.raw = (member.data or b"").decode("utf-8", errors="replace")
    else:
        medium.base64 = member.data or b""
    if member.metadata:
        sent.data.metadata.update(member.metadata)
    have = {c.id for c in sent.data.concepts}
    for name in member.concepts:
        if name not in have:
            sent.data.concepts.add(id=name, name=name, value=1.0)
            have.add(name)
    if member.geo is not None:
        sent.data.geo.geo_point.longitude, sent.data.geo.geo_point.latitude = member.geo
    return sent


def _text_unreadable(member: Member) -> str:
    if member.kind == "text" and member.data is not None:
        try:
            member.data.decode("utf-8")
        except UnicodeDecodeError:
            return f"{member.name}: the text is not UTF-8"
    return ""


def _call(
    ctx: JobContext, session: AsyncSession, row: InputsExtractionJob, app: app_store.App
) -> Call:
    """PostInputs' call, as the user who posted the source (whose key held
    PostInputsDataSources' scopes, PostInputs' among them)."""
    grant = Grant.of((ALL,), ())
    access = Access(
        caller=Caller(row.user_id, PAT, grant),
        app=app_store.scope_of(app),
        app_row=app,
        grants=(grant,),
        is_owner=row.user_id == app.user_id,
    )
    method = contract.methods()["PostInputs"]
    return Call(session, access, method, ids.new_id(), ctx.settings, ctx.db)


async def _post(
    call: Call, session: AsyncSession, inputs: list[resources_pb2.Input], job_id: str, how: int
) -> list[tuple[status_pb2.Status, bool]]:
    """PostInputs on these inputs: a status each, and whether PostInputs
    counted it in the inputs add job (it counts what it adds and what fails
    in it). A request it refuses as a whole (one member's bad id or
    metadata) is posted again one input at a time, so that member fails
    alone, uncounted."""
    if not inputs:
        return []
    request = service_pb2.PostInputsRequest(
        inputs=inputs, inputs_add_job_id=job_id, input_id_conflict_resolution=how
    )
    try:
        async with transaction_hooks.savepoint(session):
            items, added = await input_service.add_inputs(call, request)
        return [(status, True) for status in input_service.statuses(items, added)]
    except ApiError as exc:
        if len(inputs) == 1:
            return [(make_status(exc.code, exc.details), False)]
    out: list[tuple[status_pb2.Status, bool]] = []
    for one in inputs:
        out += await _post(call, session, [one], job_id, how)
    return out


async def _commit(ctx: JobContext, pk: int, file_no: int, at: int, chunk: list[Member]) -> bool:
    """Add one chunk's inputs and move the cursor past them, in one
    transaction; False when the job no longer runs."""
    async with ctx.db.transaction() as session:
        row = await _locked(session, pk)
        if row is None:
            return False
        if (row.file_cursor, row.member_cursor) != (file_no, at):
            return False  # another run got further: this one stops
        add_job = await session.get(InputsAddJob, row.add_job_pk, with_for_update=True)
        app = await app_store.get_by_pk(session, row.app_pk)
        if add_job is None or app is None:
            return False
        if add_job.cancelled:
            store.stop(row, store.CANCELLED, "its inputs add job was cancelled")
            return False
        template = resources_pb2.Input.FromString(row.template)
        failures: list[dict[str, str]] = []
        posting: list[tuple[Member, resources_pb2.Input]] = []
        for n, member in enumerate(chunk):
            problem = member.problem or _text_unreadable(member)
            if problem:
                failures.append({"member": member.name, "details": problem})
            else:
                posting.append(
                    (member, _input(template, member, _input_id(row.id, file_no, at + n)))
                )
        statuses = await _post(
            _call(ctx, session, row, app),
            session,
            [i for _, i in posting],
            add_job.id,
            row.conflict_resolution,
        )
        uncounted = len(failures)
        for (member, _), (status, counted) in zip(posting, statuses, strict=True):
            if status.code in input_service.ADDED:
                counter = _COUNTERS.get(member.kind, "text_count")
                setattr(row, counter, getattr(row, counter) + 1)
            else:
                failures.append(
                    {"member": member.name, "details": status.details or status.description}
                )
                uncounted += not counted
        if failures:
            row.failed_count += len(failures)
            row.failures = store.kept_failures(row, failures)
            add_job.failed_count += uncounted
        row.member_cursor = at + len(chunk)
    return True


# ---- inputs add jobs on the wire ----


async def add_jobs_shown(
    stores: Store, rows: Sequence[add_job_store.Row]
) -> list[resources_pb2.InputsAddJob]:
    """Inputs add jobs as their RPCs answer them: each with its extraction
    jobs and the uploads those read (an upload deleted since is left out)."""
    extractions = await stores.inputs_extraction_jobs.of_add_jobs([r.pk for r in rows])
    upload_ids = {
        e.source["upload_id"] for es in extractions.values() for e in es if "upload_id" in e.source
    }
    uploads = await stores.uploads.get_many(upload_ids)
    out = []
    for row in rows:
        mine = extractions[row.pk]
        named = dict.fromkeys(e.source["upload_id"] for e in mine if "upload_id" in e.source)
        out.append(job_proto(row, mine, [uploads[u] for u in named if u in uploads]))
    return out


# ---- the end ----


def _summary(row: InputsExtractionJob) -> str:
    added = row.image_count + row.video_count + row.audio_count + row.text_count
    said = f"{added} inputs added"
    if row.failed_count:
        last = row.failures.get("items", [{}])[-1]
        said += f"; {row.failed_count} members failed, the last: {last.get('details', '')}"
    return said


async def _completed(ctx: JobContext, pk: int) -> None:
    async with ctx.db.transaction() as session:
        row = await _locked(session, pk)
        if row is None:
            return
        total = len((row.files or {}).get("items", []))
        if total and row.files_failed == total:
            last = row.failures.get("items", [{}])[-1]
            store.stop(row, store.FAILED, last.get("details", "no file could be read"))
        else:
            store.stop(row, store.COMPLETED, _summary(row))


async def _end(ctx: JobContext, pk: int, code: int, details: str) -> None:
    async with ctx.db.transaction() as session:
        row = await _locked(session, pk)
        if row is not None:
            store.stop(row, code, details)
    shutil.rmtree(workdir(ctx.settings, pk), ignore_errors=True)
