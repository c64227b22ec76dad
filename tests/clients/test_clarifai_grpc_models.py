"""The official Python client, clarifai-grpc 12.2.11, unchanged, predicting
with clarifai/main's models, then training, evaluating and predicting with a
classifier of its own, and running workflows: clarifai/main's General and
one chaining clarifai/main's embedder into that classifier
(scenario_models_grpc.py), over its insecure gRPC channel and its JSON
channel on our REST port."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image, ImageDraw

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_models_grpc.py")
PHOTO = Path(__file__).parents[1] / "fixtures" / "images" / "coffee.jpg"


def shape(color: str, offset: int, circle: bool = False) -> str:
    """A 64 px picture of a coloured square or circle, base64."""
    img = Image.new("RGB", (64, 64), "white")
    box = (8 + offset, 8 + offset, 40 + offset, 40 + offset)
    (ImageDraw.Draw(img).ellipse if circle else ImageDraw.Draw(img).rectangle)(box, fill=color)
    out = io.BytesIO()
    img.save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


@pytest.fixture(params=["grpc", "json"])
async def run(request, server, account, reference, tmp_path, loopback_allowed):
    mode = request.param
    media = {
        "photo": base64.b64encode(PHOTO.read_bytes()).decode(),
        "red": [shape("red", n) for n in range(0, 16, 2)],
        "blue": [shape("blue", n, circle=True) for n in range(0, 16, 2)],
        "red_probe": shape("red", 5),
        "blue_probe": shape("blue", 7, circle=True),
    }
    media_json = tmp_path / "media.json"
    media_json.write_text(json.dumps(media))
    address = f"http://127.0.0.1:{server.rest_port}" if mode == "json" else str(server.grpc_port)
    args = [mode, address, account.user_id, account.pat, f"models-{mode}", str(media_json)]
    bad_url = "http://127.0.0.1:9/missing.png"  # the discard port: nothing answers
    proc = await asyncio.to_thread(run_reference, SCENARIO, *args, bad_url, timeout=600)
    return mode, json.loads(proc.stdout.strip().splitlines()[-1])


def top(output: dict[str, Any]) -> str:
    return output["data"]["concepts"][0]["name"]


async def test_predict_train_evaluate(run):
    mode, out = run
    for step in ("predict.general", "predict.max_concepts", "predict.text", "GetModel.main"):
        assert out[step]["status"]["code"] == sc.SUCCESS, (mode, step, out[step]["status"])

    (general,) = out["predict.general"]["outputs"]
    assert len(general["id"]) == 32 and general["status"]["code"] == sc.SUCCESS
    names = [c["name"] for c in general["data"]["concepts"]]
    # Broad concepts (summed over their ImageNet leaves) lead, the leaf follows.
    assert "beverage" in names[:5] and "espresso" in names[:10], names[:10]
    assert len(out["predict.max_concepts"]["outputs"][0]["data"]["concepts"]) == 3

    mixed = out["predict.mixed"]
    assert mixed["status"]["code"] == sc.MIXED_STATUS, mixed["status"]
    good, bad = mixed["outputs"]
    assert good["status"]["code"] == sc.SUCCESS and good["data"]["concepts"]
    assert bad["status"]["code"] == sc.INPUT_DOWNLOAD_FAILED, bad["status"]

    (embedded,) = out["predict.text"]["outputs"][0]["data"]["embeddings"]
    assert embedded["num_dimensions"] == 384 and len(embedded["vector"]) == 384

    main = out["GetModel.main"]["model"]
    assert (main["user_id"], main["app_id"]) == ("clarifai", "main")
    assert main["model_type_id"] == "visual-classifier"

    for step in ("PostApps", "PostInputs", "PostModels", "PostModelVersions"):
        assert out[step]["status"]["code"] == sc.SUCCESS, (mode, step, out[step]["status"])
    version = out["PostModelVersions"]["model"]["model_version"]
    assert version["status"]["code"] == sc.MODEL_QUEUED_FOR_TRAINING
    trained = out["GetModel.trained"]["model"]["model_version"]
    assert (trained["id"], trained["status"]["code"]) == (version["id"], sc.MODEL_TRAINED), trained

    metrics = out["GetModelVersionMetrics"]["model_version"]["metrics"]
    assert metrics["status"]["code"] == sc.MODEL_EVALUATED, metrics["status"]
    assert metrics["summary"]["macro_avg_roc_auc"] > 0.9
    assert {b["concept"]["id"] for b in metrics["binary_metrics"]} == {"red", "blue"}

    red, blue = out["predict.trained"]["outputs"]
    assert red["data"]["concepts"][0]["id"] == "red"
    assert blue["data"]["concepts"][0]["id"] == "blue"

    general = out["workflow.general"]
    assert general["status"]["code"] == sc.SUCCESS, (mode, general["status"])
    assert general["workflow"]["id"] == "General"
    (result,) = general["results"]
    concepts, embedding = result["outputs"]
    assert "espresso" in [c["name"] for c in concepts["data"]["concepts"]]
    assert embedding["data"]["embeddings"][0]["num_dimensions"] == 1280
    made = out["PostWorkflows"]
    assert made["status"]["code"] == sc.SUCCESS, (mode, made["status"])
    assert [n["id"] for n in made["workflows"][0]["nodes"]] == ["embed", "colors"]
    mine = out["workflow.mine"]
    assert mine["status"]["code"] == sc.SUCCESS, (mode, mine["status"])
    red, blue = ([o["model"]["id"] for o in r["outputs"]] for r in mine["results"])
    assert red == blue == ["colors"]  # the embedder's output suppressed
    assert mine["results"][0]["outputs"][0]["data"]["concepts"][0]["id"] == "red"
    assert mine["results"][1]["outputs"][0]["data"]["concepts"][0]["id"] == "blue"
