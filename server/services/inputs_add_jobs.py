"""GetInputsAddJob, ListInputsAddJobs, CancelInputsAddJob.

PostInputs makes a job when a request names a new inputs_add_job_id and
adds to it when the id exists (server/services/inputs.py); the job counts
the inputs that request created: waiting, downloading, done or failed
(storage/inputs_add_jobs.py). Clients poll it until nothing waits or
downloads.

PostInputsDataSources and PostInputsUploads count their extraction jobs'
inputs in a job too: it shows them (`extraction_jobs`, `uploads`) and runs
while any of them is queued or running.

Cancelling fails the job's inputs that still wait or download (their
downloads record nothing) and counts them as failed; the job then shows
JOB_CANCELLED and takes no more inputs (its extraction jobs stop at their
next chunk). Cancelling again answers the job as it is; a job with nothing
left to do cannot be cancelled (JOB_CONFLICT).
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2

from server import extraction
from server.checks import Checks
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from storage.inputs_add_jobs import Row

check = Checks(Code.INPUT_INVALID_REQUEST)
CANCELLED = "the inputs add job was cancelled before this input was downloaded"


async def _shown(call: Call, jobs: list[Row]) -> list[resources_pb2.InputsAddJob]:
    """The jobs on the wire, each with its extraction jobs and uploads."""
    return await extraction.add_jobs_shown(call.store, jobs)


@rpc
async def GetInputsAddJob(call: Call, request: service_pb2.GetInputsAddJobRequest):
    check.id(request.id, "id")
    job = await call.store.inputs_add_jobs.shown(request.id)
    job = check.found(job, "inputs add job", request.id)
    (shown,) = await _shown(call, [job])
    return service_pb2.SingleInputsAddJobResponse(inputs_add_job=shown)


@rpc
async def ListInputsAddJobs(call: Call, request: service_pb2.ListInputsAddJobsRequest):
    jobs = await call.store.inputs_add_jobs.page(page_of(request))
    return service_pb2.MultiInputsAddJobResponse(inputs_add_jobs=await _shown(call, jobs))


@rpc
async def CancelInputsAddJob(call: Call, request: service_pb2.CancelInputsAddJobRequest):
    check.id(request.id, "id")
    jobs = call.store.inputs_add_jobs
    # The job row first, as PostInputs and downloads take it: one at a time.
    job = check.found(await jobs.shown(request.id, lock=True), "inputs add job", request.id)
    if not job.cancelled:
        if not job.unfinished:
            raise ApiError(
                Code.JOB_CONFLICT,
                f"inputs add job '{request.id}' has finished: no input waits or downloads",
            )
        failed = await call.store.inputs.fail_unfinished(job.pk, CANCELLED)
        await jobs.cancel(job.pk, failed)
        job = check.found(await jobs.shown(request.id), "inputs add job", request.id)
    (shown,) = await _shown(call, [job])
    return service_pb2.SingleInputsAddJobResponse(inputs_add_job=shown)
