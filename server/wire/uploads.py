"""Uploads on the wire: the row's columns, and its progress in the status
details (the Upload message has no field for it)."""

from __future__ import annotations

from datetime import datetime

from clarifai.api import resources_pb2

from server.convert import ts
from server.status import make_status
from storage.uploads import DONE, EXPIRED, IN_PROGRESS, Upload


def progress(row: Upload, code: int) -> str:
    if code == DONE:
        return f"all {row.content_length} bytes received; sha256 {row.sha256}"
    if code == IN_PROGRESS:
        return f"{row.received} of {row.content_length} bytes received in {len(row.parts)} parts"
    if code == EXPIRED:
        return f"expired at {row.expires_at.isoformat()}; its content is removed"
    return row.status_details


def upload_proto(row: Upload, now: datetime | None = None) -> resources_pb2.Upload:
    code = row.shown_code(now)
    return resources_pb2.Upload(
        id=row.id,
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        expires_at=ts(row.expires_at),
        status=make_status(code, progress(row, code)),
        content_name=row.content_name,
        content_length=row.content_length,
    )
