"""The official Python client, clarifai-grpc 12.2.11, unchanged, over gRPC
and over its JSON channel: annotation filters made, patched and read back,
named as a dataset's default, and a version built with it
(scenario_annotation_filters_grpc.py, run in the reference environment)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from clarifai.api.status import status_code_pb2 as sc

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_annotation_filters_grpc.py")
DOGS = {"filters": [{"annotation": {"data": {"concepts": [{"id": "dog", "value": 1.0}]}}}]}


@pytest.fixture(params=["grpc", "json"])
async def run(request, server, account, reference):
    mode = request.param
    address = f"http://127.0.0.1:{server.rest_port}" if mode == "json" else str(server.grpc_port)
    args = [mode, address, account.user_id, account.pat, f"filters-{mode}"]
    proc = await asyncio.to_thread(run_reference, SCENARIO, *args, timeout=300)
    return mode, json.loads(proc.stdout.strip().splitlines()[-1])


async def test_round_trip(run):
    mode, out = run
    for name in (
        "PostApps",
        "PostDatasets.plain",
        "PostInputs",
        "PostAnnotationFilters",
        "PatchAnnotationFilters",
        "GetAnnotationFilter",
        "ListAnnotationFilters",
        "PatchDatasets",
        "GetDataset",
        "PostDatasetVersions",
    ):
        assert out[name]["status"]["code"] == sc.SUCCESS, (mode, name, out[name]["status"])
    got = out["GetAnnotationFilter"]["annotation_filter"]
    assert got["id"] == "pets" and got["search"]["query"] == DOGS
    assert [f["id"] for f in out["ListAnnotationFilters"]["annotation_filters"]] == ["pets"]
    default = out["GetDataset"]["dataset"]["default_annotation_filter"]
    assert default["id"] == "pets" and default["search"]["query"] == DOGS
    version = out["GetDatasetVersion"]["dataset_version"]
    assert version["status"]["code"] == sc.DATASET_VERSION_READY, version["status"]
    config = version["annotation_filter_config"]
    assert config["ignore_empty_inputs"] is True
    assert config["annotation_filter"]["id"] == "pets"
    # The dog only: the cat's input has no annotation the filter selects.
    assert int(version["metrics"]["/"]["inputs_count"]) == 1
    refused = out["DeleteAnnotationFilters.named"]["status"]
    assert refused["code"] == sc.SAVED_SEARCH_MODIFY_FAILED and "'ds'" in refused["details"]
