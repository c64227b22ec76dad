"""The official Python client, clarifai-grpc 12.2.11, unchanged, through one
user's scenario (apps, keys, scopes, concepts, inputs, annotations, datasets,
collectors, tasks) three ways: its insecure gRPC channel, its JSON channel on
our REST port, and its asyncio channel. The scenario runs in the reference
environment (scenario_clarifai_grpc.py); this process reads what the client
parsed."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import png
from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_clarifai_grpc.py")
BOX = {"top_row": 0.125, "left_col": 0.25, "bottom_row": 0.75, "right_col": 0.5}


@pytest.fixture(params=["grpc", "json", "aio"])
async def run(request, server, account, reference) -> tuple[str, dict[str, Any]]:
    mode = request.param
    address = f"http://127.0.0.1:{server.rest_port}" if mode == "json" else str(server.grpc_port)
    args = [mode, address, account.user_id, account.pat, account.api_key, f"sdk-{mode}"]
    # The server runs on this test's event loop: the client waits in a thread.
    proc = await asyncio.to_thread(
        run_reference, SCENARIO, *args, base64.b64encode(png(6, 4, "orange")).decode()
    )
    return mode, json.loads(proc.stdout.strip().splitlines()[-1])


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def concepts(data: dict[str, Any]) -> list[tuple[str, float]]:
    return [(c["id"], c.get("value", 0.0)) for c in data.get("concepts", [])]


async def test_scenario(run, account):
    mode, out = run
    assert out.pop("media") == {"http": 200, "same_bytes": True}
    assert out.pop("hosted_media") == {
        "sizes": ["orig", "tiny", "small", "large"],
        "good": [[200]] * 6,
        "bad": [[401]] * 4,
        "none": [404],
    }
    assert out.pop("export") == {
        "http": 200,
        "content_type": "application/zip",
        "mimetype": "application/x.clarifai-data+protobuf",
    }
    for step, res in out.items():
        if step != "BadKey":
            assert res["status"]["code"] == sc.SUCCESS, (mode, step, res["status"])
            assert res["status"]["description"] == "Ok", (mode, step)

    app = f"sdk-{mode}"
    assert [(a["id"], a["description"]) for a in out["PostApps"]["apps"]] == [
        (app, "made by clarifai-grpc")
    ]
    (key,) = out["PostKeys"]["keys"]
    assert len(key["id"]) == 32 and ids(key["apps"]) == [app] and key["scopes"] == ["All"]
    assert out["MyScopes"]["app"]["id"] == "main" and "All" in out["MyScopes"]["scopes"]
    assert out["MyScopes.new_key"]["app"]["id"] == app

    assert ids(out["PostConcepts"]["concepts"]) == ["cat", "dog"]
    listed = {c["id"]: c["name"] for c in out["ListConcepts"]["concepts"]}
    assert listed == {"cat": "Cat", "dog": "Dog"}
    assert [(c["id"], c["name"]) for c in out["PatchConcepts"]["concepts"]] == [("cat", "Kitty")]

    posted = {i["id"]: i for i in out["PostInputs"]["inputs"]}
    assert set(posted) == {"note", "photo"}
    assert posted["note"]["data"]["text"]["raw"] == "a cat on a mat"
    assert posted["note"]["data"]["metadata"] == {"source": "sdk"}
    photo = out["GetInput"]["input"]
    assert photo["id"] == "photo" and photo["status"]["code"] == sc.INPUT_SUCCESS
    assert concepts(photo["data"]) == [("cat", 1.0)]
    image = photo["data"]["image"]
    assert "base64" not in image
    assert image["image_info"] == {"width": 6, "height": 4, "format": "PNG", "color_mode": "RGB"}
    assert sorted(ids(out["ListInputs"]["inputs"])) == ["note", "photo"]
    (patched,) = out["PatchInputs"]["inputs"]
    assert patched["id"] == "note"
    assert patched["data"]["metadata"] == {"source": "sdk", "reviewed": True}

    (posted_annotation,) = out["PostAnnotations"]["annotations"]
    assert posted_annotation["input_id"] == "photo"
    regions = [
        (region["region_info"]["bounding_box"], concepts(region["data"]))
        for a in out["ListAnnotations"]["annotations"]
        for region in a.get("data", {}).get("regions", [])
    ]
    assert regions == [(BOX, [("dog", 1.0)])]
    listed_ids = ids(out["ListAnnotations"]["annotations"])
    assert posted_annotation["id"] in listed_ids
    assert {a["input_id"] for a in out["ListAnnotations"]["annotations"]} == {"photo"}

    assert ids(out["PostDatasets"]["datasets"]) == ["pets"]
    assert out["PostDatasets"]["datasets"][0]["description"] == "pet pictures"
    added = [d["input"]["id"] for d in out["PostDatasetInputs"]["dataset_inputs"]]
    assert added == ["note", "photo"]
    in_set = [d["input"]["id"] for d in out["ListDatasetInputs"]["dataset_inputs"]]
    assert sorted(in_set) == ["note", "photo"]

    (collector,) = out["PostCollectors"]["collectors"]
    assert collector["id"] == "general-collector"
    assert ids(out["ListCollectors"]["collectors"]) == ["general-collector"]
    source = out["ListCollectors"]["collectors"][0]["collector_source"]
    source = source["api_post_model_outputs_collector_source"]
    assert source["model_id"] == "general-image-recognition"
    # The key is never echoed in full.
    assert source["post_inputs_key_id"] != account.api_key
    assert source["post_inputs_key_id"].startswith(account.api_key[:4])

    (task,) = out["PostTasks"]["tasks"]
    assert task["type"] == r.Task.CONCEPTS_CLASSIFICATION and task["name"] == "Label cats"
    assert task["worker"]["strategy"] == r.TaskWorker.FULL
    assert [w["user"]["id"] for w in task["worker"]["workers"]] == [account.user_id]
    assert [c["concept"]["id"] for c in task["concepts"]] == ["cat"]
    assert task["input_source"] == {"type": r.TaskInputSource.DATASET, "id": "pets"}
    assert ids(out["ListTasks"]["tasks"]) == [task["id"]]
    (done,) = out["PatchTasks"]["tasks"]
    assert done["id"] == task["id"] and done["status"]["code"] == sc.TASK_DONE
    assert done["name"] == "Label cats"

    assert out["ListInputs.after"]["status"]["code"] == sc.SUCCESS
    assert out["ListInputs.after"].get("inputs", []) == []

    bad = out["BadKey"]["status"]
    assert bad["code"] == sc.CONN_KEY_INVALID
    assert bad["description"] == "Invalid API key or Invalid API key/application pair"
