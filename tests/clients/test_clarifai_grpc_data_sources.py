"""The official Python client, clarifai-grpc 12.2.11, unchanged, over gRPC
and over its JSON channel: a zip archive posted as a data source with an
input template, and a CSV upload posted with PostInputsUploads, each job
polled until it ends (scenario_data_sources_grpc.py, in the reference
environment). A server of this module's own may download from this machine."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path

import pytest
from clarifai.api.status import status_code_pb2 as sc

from server import bootstrap
from tests.helpers import png
from tests.own_server import files_server, own_server
from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_data_sources_grpc.py")
CSV = "inputid,input,concepts\nrow-1,first row,cat\nrow-2,second row,\n"


def archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("pics/a.png", png(4, 4))
        zf.writestr("pics/b.png", png(5, 5))
        zf.writestr("broken.jpg", b"not an image")
    return out.getvalue()


@pytest.fixture(scope="module")
async def own(database_url, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("client-sources")
    async with own_server(
        database_url, data_dir, "clarifai_client_sources", fetch_allow_loopback=True
    ) as running:
        yield running


@pytest.fixture(params=["grpc", "json"])
async def run(request, own, reference):
    mode = request.param
    info = await bootstrap.create(own.db, user_id=f"client{mode}", app_id="main")
    address = f"http://127.0.0.1:{own.rest_port}" if mode == "json" else str(own.grpc_port)
    async with files_server({"pics.zip": archive()}) as files:
        args = [mode, address, info["user_id"], info["pat"], "main", f"{files}/pics.zip", CSV]
        proc = await asyncio.to_thread(run_reference, SCENARIO, *args, timeout=300)
    return json.loads(proc.stdout.strip().splitlines()[-1])


async def test_a_data_source_and_an_upload(run):
    out = run
    (added,) = out["PostInputsDataSources"]["inputs_add_jobs"]
    assert added["id"] == "client-job"
    job = out["GetInputsExtractionJob"]["inputs_extraction_job"]
    assert job["id"] == added["extraction_jobs"][0]["id"]
    assert job["status"]["code"] == sc.JOB_COMPLETED, job["status"]
    assert int(job["progress"]["image_inputs_count"]) == 2
    assert int(job["progress"]["completed_archives_count"]) == 1
    assert job["input_template"]["data"]["metadata"] == {"from": "client"}
    progress = out["GetInputsAddJob"]["inputs_add_job"]["progress"]
    assert (int(progress["success_count"]), int(progress["failed_count"])) == (2, 1)
    listed = out["ListInputsExtractionJobs"]["inputs_extraction_jobs"]
    assert [j["id"] for j in listed] == [job["id"]]

    (from_upload,) = out["PostInputsUploads"]["inputs_add_jobs"]
    assert from_upload["uploads"][0]["content_name"] == "rows.csv"
    rows = out["GetInputsExtractionJob.upload"]["inputs_extraction_job"]
    assert rows["status"]["code"] == sc.JOB_COMPLETED, rows["status"]
    assert int(rows["progress"]["text_inputs_count"]) == 2
    inputs = out["ListInputs"]["inputs"]
    assert len(inputs) == 4
    by_id = {i["id"]: i for i in inputs}
    assert by_id["row-1"]["data"]["concepts"][0]["id"] == "cat"
    images = [i for i in inputs if "image" in i["data"]]
    assert all(i["data"]["metadata"] == {"from": "client"} for i in images)
