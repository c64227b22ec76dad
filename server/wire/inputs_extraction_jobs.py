"""Inputs extraction jobs on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import ts
from server.status import make_status
from storage.inputs_extraction_jobs import InputsExtractionJob


def job_proto(row: InputsExtractionJob) -> resources_pb2.InputsExtractionJob:
    out = resources_pb2.InputsExtractionJob(
        id=row.id,
        url=row.url,
        status=make_status(row.status_code, row.status_details),
        progress=resources_pb2.InputsExtractionJobProgress(
            audio_inputs_count=row.audio_count,
            image_inputs_count=row.image_count,
            video_inputs_count=row.video_count,
            text_inputs_count=row.text_count,
            pending_archives_count=row.archives_pending,
            in_progress_archives_count=row.archives_in_progress,
            completed_archives_count=row.archives_completed,
            failed_archives_count=row.archives_failed,
        ),
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        input_id_conflict_resolution=row.conflict_resolution,  # type: ignore[arg-type]
    )
    if row.template:
        out.input_template.ParseFromString(row.template)
    return out
