"""The inputs add job a call counts its inputs in (PostInputs,
PostInputsDataSources, PostInputsUploads): made when new, added to when it
exists, refused once cancelled."""

from __future__ import annotations

from server.dispatch import Call
from server.status import ApiError, Code


async def open_add_job(call: Call, job_id: str, field: str = "inputs_add_job_id") -> int:
    """The pk of the job `job_id` (sent as `field`)."""
    pk, cancelled = await call.store.inputs_add_jobs.open(job_id)
    if cancelled:
        raise ApiError(
            Code.JOB_CONFLICT,
            f"{field} '{job_id}' names a cancelled inputs add job: it takes no more inputs",
        )
    return pk
