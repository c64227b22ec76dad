"""Inputs add jobs on the wire."""

from __future__ import annotations

from collections.abc import Sequence

from clarifai.api import resources_pb2

from server.convert import ts
from server.status import Code, make_status
from server.wire.inputs_extraction_jobs import job_proto as extraction_proto
from server.wire.uploads import upload_proto
from storage.inputs_add_jobs import Row
from storage.inputs_extraction_jobs import InputsExtractionJob
from storage.uploads import Upload


def job_status(row: Row) -> int:
    """Cancelled; running while any input waits or downloads; else done."""
    if row.cancelled:
        return Code.JOB_CANCELLED
    return Code.JOB_RUNNING if row.unfinished else Code.JOB_COMPLETED


def job_proto(
    row: Row,
    extraction_jobs: Sequence[InputsExtractionJob] = (),
    uploads: Sequence[Upload] = (),
) -> resources_pb2.InputsAddJob:
    """The job, with its extraction jobs (PostInputsDataSources' and
    PostInputsUploads') and the uploads they read, if any."""
    return resources_pb2.InputsAddJob(
        id=row.id,
        progress=resources_pb2.InputsAddJobProgress(
            pending_count=row.pending_count,
            in_progress_count=row.in_progress_count,
            success_count=row.success_count,
            failed_count=row.failed_count,
        ),
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        status=make_status(job_status(row)),
        extraction_jobs=[extraction_proto(e) for e in extraction_jobs],
        uploads=[upload_proto(u) for u in uploads],
    )
