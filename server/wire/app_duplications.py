"""App duplications on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import ts
from server.status import make_status
from server.wire.apps import app_proto
from storage.app_duplications import FAILED, IN_PROGRESS, PENDING, AppDuplication
from storage.apps import App

# Progress in the reference's order of fields.
_ORDER = ("inputs", "concepts", "annotations", "models", "workflows")


def duplication_proto(row: AppDuplication, dest: App | None) -> resources_pb2.AppDuplication:
    """A duplication; its destination app when it still exists (the
    reference leaves it empty once deleted)."""
    status = make_status(row.status_code, row.status_details)
    if row.status_code in (PENDING, IN_PROGRESS) and None in (row.source_app_pk, row.dest_app_pk):
        # Its job went with the deleted app: it will not end otherwise.
        status = make_status(FAILED, "the source or the destination app was deleted")
    out = resources_pb2.AppDuplication(
        id=row.id,
        status=status,
        created_at=ts(row.created_at),
        last_modified_at=ts(row.modified_at),
        filter=resources_pb2.AppDuplicationFilters(**row.filter),
        progress=[
            resources_pb2.AppCopyProgress(field=f, value=row.progress[f])
            for f in _ORDER
            if f in row.progress
        ],
    )
    if dest is not None:
        out.destination_app.CopyFrom(app_proto(dest))
        if row.new_app:
            out.new_app_id = dest.id
            out.new_app_name = dest.name
        else:
            out.existing_app_id = dest.id
    return out
