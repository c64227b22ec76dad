"""The official Python client, clarifai-grpc 12.2.11, unchanged, over gRPC
and over its JSON channel: a multipart upload (parts out of order, one sent
twice), read, listed and deleted, run by scenario_uploads_grpc.py in the
reference environment."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from clarifai.api.status import status_code_pb2 as sc

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_uploads_grpc.py")
LENGTH = 3 * 1024 * 1024


@pytest.fixture(params=["grpc", "json"])
async def run(request, server, account, reference):
    mode = request.param
    address = f"http://127.0.0.1:{server.rest_port}" if mode == "json" else str(server.grpc_port)
    args = [mode, address, account.user_id, account.pat, account.app_id]
    proc = await asyncio.to_thread(run_reference, SCENARIO, *args, timeout=300)
    return mode, json.loads(proc.stdout.strip().splitlines()[-1])


def upload_status(out: dict, step: str) -> dict:
    assert out[step]["status"]["code"] == sc.SUCCESS, out[step]["status"]
    return out[step]["upload"]["status"]


async def test_multipart_upload(run):
    mode, out = run
    (made,) = out["PostUploads"]["uploads"]
    assert made["content_name"] == "blob.bin"
    assert int(made["content_length"]) == LENGTH
    assert made["status"]["code"] == sc.UPLOAD_IN_PROGRESS
    assert upload_status(out, "part3")["code"] == sc.UPLOAD_IN_PROGRESS
    assert upload_status(out, "part1")["code"] == sc.UPLOAD_IN_PROGRESS
    again = upload_status(out, "part1.again")
    assert f"{2 * 1024 * 1024} of {LENGTH} bytes received in 2 parts" in again["details"]
    finished = upload_status(out, "part2")
    assert finished["code"] == sc.UPLOAD_DONE, (mode, finished)
    assert out["sha256"] in finished["details"]
    assert out["GetUpload"]["upload"]["status"]["code"] == sc.UPLOAD_DONE
    assert [u["id"] for u in out["ListUploads"]["uploads"]] == [made["id"]]
    assert out["DeleteUploads"]["status"]["code"] == sc.SUCCESS
    assert out["GetUpload.deleted"]["status"]["code"] == sc.CONN_DOES_NOT_EXIST
