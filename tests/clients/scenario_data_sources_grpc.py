"""Data sources with the official Python client, clarifai-grpc 12.2.11,
unchanged: run by the reference environment's interpreter, never imported
by the test process.

    python scenario_data_sources_grpc.py grpc|json ADDRESS USER_ID PAT APP_ID ARCHIVE_URL CSV

Posts ARCHIVE_URL as a data source (with an input template), polls its
extraction job until it ends, reads its inputs add job and lists the
extraction jobs; then uploads the CSV text and posts the upload with
PostInputsUploads, polling that job too. Prints one JSON object: every
response as the client parsed it, keyed by step.
"""

from __future__ import annotations

import json
import sys
import time

from clarifai_grpc.grpc.api import resources_pb2 as r
from clarifai_grpc.grpc.api import service_pb2 as s
from clarifai_grpc.grpc.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from scenario_steps import Steps

mode, address, user_id, pat, app_id, archive_url, csv_text = sys.argv[1:8]
steps = Steps(mode, address, pat)
out, step = steps.out, steps.step
mine = r.UserAppIDSet(user_id=user_id, app_id=app_id)


def ended(name: str, job_id: str) -> None:
    """Poll the extraction job as a client would, until it ends."""
    deadline = time.monotonic() + 60
    while True:
        res = step(
            name,
            "GetInputsExtractionJob",
            s.GetInputsExtractionJobRequest(user_app_id=mine, inputs_extraction_job_id=job_id),
        )
        if res.inputs_extraction_job.status.code not in (sc.JOB_QUEUED, sc.JOB_RUNNING):
            return
        if time.monotonic() > deadline:
            return
        time.sleep(0.2)


meta = struct_pb2.Struct()
meta.update({"from": "client"})
posted = step(
    "PostInputsDataSources",
    "PostInputsDataSources",
    s.PostInputsDataSourcesRequest(
        user_app_id=mine,
        data_sources=[
            r.InputsDataSource(
                inputs_add_job_id="client-job",
                url=r.DataSourceURL(url=archive_url),
                input_template=r.Input(data=r.Data(metadata=meta)),
            )
        ],
    ),
)
ended("GetInputsExtractionJob", posted.inputs_add_jobs[0].extraction_jobs[0].id)
step(
    "GetInputsAddJob",
    "GetInputsAddJob",
    s.GetInputsAddJobRequest(user_app_id=mine, id="client-job"),
)
step(
    "ListInputsExtractionJobs",
    "ListInputsExtractionJobs",
    s.ListInputsExtractionJobsRequest(user_app_id=mine, per_page=10),
)

content = csv_text.encode()
made = step(
    "PostUploads",
    "PostUploads",
    s.PostUploadsRequest(
        user_app_id=mine, uploads=[r.Upload(content_name="rows.csv", content_length=len(content))]
    ),
)
upload_id = made.uploads[0].id
step(
    "PutUploadContentParts",
    "PutUploadContentParts",
    s.PutUploadContentPartsRequest(
        user_app_id=mine,
        upload_id=upload_id,
        content_parts=[r.UploadContentPart(part_number=1, range_start=0, data=content)],
    ),
)
from_upload = step(
    "PostInputsUploads",
    "PostInputsUploads",
    s.PostInputsUploadsRequest(
        user_app_id=mine,
        inputs_uploads=[
            r.InputsUpload(inputs_add_job_id="client-upload", upload=r.Upload(id=upload_id))
        ],
    ),
)
ended("GetInputsExtractionJob.upload", from_upload.inputs_add_jobs[0].extraction_jobs[0].id)
step("ListInputs", "ListInputs", s.ListInputsRequest(user_app_id=mine, per_page=100))
print(json.dumps(out))
