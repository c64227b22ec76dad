"""Bulk operations on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import set_ts
from server.status import make_status
from storage.apps import AppScope
from storage.bulk_operations import BulkOperation


def sent_bytes(sent: resources_pb2.BulkOperation) -> bytes:
    """What a request asked for (source and operation), as stored."""
    kept = resources_pb2.BulkOperation()
    kept.CopyFrom(sent)
    for name in ("id", "app_id", "status", "progress", "created_by", "created_at"):
        kept.ClearField(name)
    kept.ClearField("last_modified_at")
    return kept.SerializeToString()


def bulk_operation(row: BulkOperation, app: AppScope) -> resources_pb2.BulkOperation:
    out = resources_pb2.BulkOperation.FromString(row.sent)
    out.id = row.id
    out.app_id = app.id
    out.created_by = row.created_by
    out.status.CopyFrom(make_status(row.status_code, row.status_details))
    out.progress.processed = row.processed
    out.progress.last_processed_id = row.last_processed_id
    set_ts(out.created_at, row.created_at)
    set_ts(out.last_modified_at, row.modified_at)
    return out
