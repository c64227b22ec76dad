"""PostUploads, PutUploadContentParts, GetUpload, ListUploads, DeleteUploads.

An upload announces its content (content_length bytes, a content_name),
then receives it in parts, in any order and as many calls as the client
likes: each part says where it starts (range_start) and carries its bytes.
A part sent again under the same part_number is recognised: the same bytes
change nothing, other bytes replace it while the upload is in progress.
Parts may not overlap one another nor pass content_length. Once every byte
has arrived the parts are assembled into one file (each part's bytes
checked against the sha256 taken when it arrived) and the upload is
UPLOAD_DONE, the content's sha256 in its status details. An upload past
expires_at is UPLOAD_EXPIRED, refuses parts, and a periodic job removes it
with its bytes (storage/uploads.py keeps them in the blob store).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server.checks import Checks
from server.dispatch import Call
from server.jobs import JobContext, job
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.wire.uploads import upload_proto
from storage import blobs
from storage import uploads as upload_store
from storage.uploads import (
    DONE,
    EXPIRED,
    FAILED,
    IN_PROGRESS,
    UNEXPECTED_ERROR,
    Part,
    PartLost,
    content_key,
    new_folder,
    part_key,
    parts_of,
)

log = logging.getLogger("clarifai_local.uploads")
check = Checks(Code.CONN_INVALID_REQUEST)

# The reference publishes no limits for uploads; these are ours (README).
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_CONTENT_BYTES = 5 * 1024**3
DEFAULT_LIFETIME = timedelta(hours=24)
MAX_LIFETIME = timedelta(days=7)
# Expired uploads the sweep removes per transaction.
SWEEP_BATCH = 500


def _new(sent: resources_pb2.Upload, path: str, now: datetime) -> dict[str, Any]:
    check.implemented(sent, path)
    if sent.content_url:
        raise check.invalid(
            f"{path}.content_url is set by the server: send the content with PutUploadContentParts"
        )
    length = check.required(sent.content_length, f"{path}.content_length")
    if length > MAX_CONTENT_BYTES:
        raise check.invalid(
            f"{path}.content_length {length} is above the most an upload may hold, "
            f"{MAX_CONTENT_BYTES} bytes"
        )
    expires_at = now + DEFAULT_LIFETIME
    if sent.HasField("expires_at"):
        expires_at = check.time(sent.expires_at, f"{path}.expires_at")
        if not now < expires_at <= now + MAX_LIFETIME:
            raise check.invalid(
                f"{path}.expires_at {expires_at.isoformat()} must be in the future and at "
                f"most {MAX_LIFETIME.days} days away"
            )
    return {
        "content_name": sent.content_name,
        "content_length": length,
        "expires_at": expires_at,
        "status_code": IN_PROGRESS,
        "parts": {},
    }


@rpc
async def PostUploads(call: Call, request: service_pb2.PostUploadsRequest):
    check.batch(request.uploads, "uploads")
    ids = check.new_ids((u.id for u in request.uploads), "uploads")
    now = datetime.now(UTC)
    values = [
        {"id": upload_id, "folder": new_folder(call.app.pk), **_new(sent, f"uploads[{n}]", now)}
        for n, (sent, upload_id) in enumerate(zip(request.uploads, ids, strict=True))
    ]
    made = await call.store.uploads.create(values)
    check.none_taken(ids, made, "upload", "uploads[{n}].id")
    return service_pb2.MultiUploadResponse(uploads=[upload_proto(made[i], now) for i in ids])


@dataclass(frozen=True)
class _Sent:
    """A part as received, checked against the upload's size."""

    at: str  # "content_parts[n]"
    part: Part
    data: bytes


def _sent(sent: resources_pb2.UploadContentPart, at: str, row: Any) -> _Sent:
    if sent.part_number < 1:
        raise check.invalid(f"{at}.part_number {sent.part_number} must be 1 or more")
    if not sent.data:
        raise check.invalid(f"{at}.data is required: the part's bytes")
    size = len(sent.data)
    if size > MAX_PART_BYTES:
        raise check.invalid(f"{at}.data: at most {MAX_PART_BYTES} bytes a part, got {size}")
    if sent.range_start + size > row.content_length:
        raise check.invalid(
            f"{at}.range_start {sent.range_start} + {size} bytes of {at}.data ends past the "
            f"upload's content_length {row.content_length}"
        )
    sha = hashlib.sha256(sent.data).hexdigest()
    key = part_key(row.folder, sent.part_number)
    return _Sent(at, Part(sent.part_number, sent.range_start, size, sha, key), sent.data)


def _usable(row: Any, upload_id: str) -> None:
    """An upload that takes parts: not failed, not expired."""
    code = row.shown_code()
    if code == EXPIRED:
        raise ApiError(
            EXPIRED,
            f"upload_id: upload '{upload_id}' expired at {row.expires_at.isoformat()}; "
            "start a new upload",
        )
    if code in (FAILED, UNEXPECTED_ERROR):
        raise ApiError(code, f"upload_id: upload '{upload_id}' failed: {row.status_details}")


def _placed(parts: dict[int, Part], new: list[_Sent], done: bool) -> list[_Sent]:
    """The parts of `new` that change what is recorded (a part sent again
    with the same bytes changes nothing), each checked against the rest:
    no two parts overlap, and a complete upload takes no other bytes."""
    changed = [s for s in new if parts.get(s.part.number) != s.part]
    if done and changed:
        s = changed[0]
        raise ApiError(
            Code.UPLOAD_CONFLICT,
            f"{s.at}: the upload is complete; part {s.part.number} differs from the part "
            "received under that number",
        )
    after = {**parts, **{s.part.number: s.part for s in changed}}
    by_start = sorted(after.values(), key=lambda p: p.start)
    for before, part in zip(by_start, by_start[1:], strict=False):
        if part.start < before.end:
            clash = next(s for s in changed if s.part.number in (part.number, before.number))
            other = before if clash.part.number == part.number else part
            raise ApiError(
                Code.UPLOAD_CONFLICT,
                f"{clash.at}.range_start: bytes {clash.part.start}-{clash.part.end - 1} overlap "
                f"part {other.number} (bytes {other.start}-{other.end - 1})",
            )
    return changed


@rpc
async def PutUploadContentParts(call: Call, request: service_pb2.PutUploadContentPartsRequest):
    upload_id = check.required(request.upload_id, "upload_id")
    check.batch(request.content_parts, "content_parts")
    check.each_once(
        [p.part_number for p in request.content_parts], "content_parts[{n}].part_number"
    )
    # Locked: parts of one upload are recorded one call at a time.
    row = (await call.store.uploads.get_many([upload_id], lock=True)).get(upload_id)
    if row is None:
        raise check.missing("upload", upload_id, "upload_id")
    _usable(row, upload_id)
    sent = [_sent(p, f"content_parts[{n}]", row) for n, p in enumerate(request.content_parts)]
    parts = parts_of(row)
    changed = _placed(parts, sent, row.status_code == DONE)
    if not changed:
        return service_pb2.SingleUploadResponse(upload=upload_proto(row))
    for s in changed:
        await call.blobs.put(s.part.key, s.data)
    new_keys = [s.part.key for s in changed]
    call.after_rollback(lambda: call.blobs.delete(new_keys))
    replaced = [parts[s.part.number].key for s in changed if s.part.number in parts]
    parts.update({s.part.number: s.part for s in changed})
    changes: dict[str, Any] = {
        "parts": {str(n): p.record() for n, p in parts.items()},
        "received": sum(p.length for p in parts.values()),
    }
    if changes["received"] == row.content_length:
        changes.update(await _assemble(call, row, list(parts.values())))
        if changes["status_code"] == DONE:
            replaced += [p.key for p in parts.values()]  # the content holds them now
    call.after_commit(lambda: call.blobs.delete(replaced))
    row = await call.store.uploads.update(row, changes)
    return service_pb2.SingleUploadResponse(upload=upload_proto(row))


async def _assemble(call: Call, row: Any, parts: list[Part]) -> dict[str, Any]:
    """The parts cover the content (no overlaps, all bytes there): one file."""
    key = content_key(row.folder)
    try:
        sha = await call.store.uploads.assemble(parts, key)
    except PartLost as lost:
        log.error("upload %s of app %s: part %d lost its bytes", row.id, row.app_pk, lost.number)
        return {
            "status_code": UNEXPECTED_ERROR,
            "status_details": f"the stored bytes of part {lost.number} were lost; "
            "delete the upload and upload the content again",
        }
    call.after_rollback(lambda: call.blobs.delete([key]))
    return {"status_code": DONE, "content_key": key, "sha256": sha}


@rpc
async def GetUpload(call: Call, request: service_pb2.GetUploadRequest):
    upload_id = check.required(request.upload_id, "upload_id")
    row = await call.store.uploads.get(upload_id)
    if row is None:
        raise check.missing("upload", upload_id, "upload_id")
    return service_pb2.SingleUploadResponse(upload=upload_proto(row))


@rpc
async def ListUploads(call: Call, request: service_pb2.ListUploadsRequest):
    """Newest first."""
    rows = await call.store.uploads.page(page_of(request))
    now = datetime.now(UTC)
    return service_pb2.MultiUploadResponse(uploads=[upload_proto(r, now) for r in rows])


@rpc
async def DeleteUploads(call: Call, request: service_pb2.DeleteUploadsRequest):
    """Atomic: one unknown id and nothing is deleted. The bytes go once the
    rows are gone."""
    ids = check.ids(list(request.ids), "ids[{n}]")
    found = await call.store.uploads.get_many(ids, lock=True)
    check.all_known(ids, found.keys(), "upload", "ids[{n}]")
    keys = await call.store.uploads.delete(list(found.values()))
    call.after_commit(lambda: call.blobs.delete(keys))
    return status_pb2.BaseResponse()


EXPIRE = "uploads.expire"


@job(EXPIRE, every=lambda settings: settings.upload_sweep_every_s)
async def expire(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Remove uploads past their expires_at, rows and bytes."""
    store = blobs.store_for(ctx.settings.data_dir)
    while True:
        async with ctx.db.transaction() as session:
            rows = await upload_store.expired(session, datetime.now(UTC), SWEEP_BATCH)
            keys = [key for row in rows for key in row.blob_keys()]
            await upload_store.remove(session, rows)
        await store.delete(keys)
        if rows:
            log.info("removed %d expired uploads", len(rows))
        if len(rows) < SWEEP_BATCH:
            return
