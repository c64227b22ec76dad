"""The official clarifai SDK (12.3.5), unchanged, in its own virtual
environment: Clarifai's documented prediction with clarifai/main's general
model, then an embedding classifier made, trained and used the SDK's way
(scenario_sdk_models.py)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from clarifai.api.status import status_code_pb2 as sc

from server import bootstrap
from tests.clients.test_clarifai_grpc_models import PHOTO, shape
from tests.reference_env import client_env

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_sdk_models.py")


def prepare(work: Path) -> None:
    import base64

    shutil.copy(PHOTO, work / "photo.jpg")
    for color, circle in (("red", False), ("blue", True)):
        (work / color).mkdir()
        for n in range(0, 16, 2):
            (work / color / f"{n}.png").write_bytes(base64.b64decode(shape(color, n, circle)))
    (work / "red_probe.png").write_bytes(base64.b64decode(shape("red", 5)))
    (work / "blue_probe.png").write_bytes(base64.b64decode(shape("blue", 7, True)))


def run_sdk(
    python: Path, port: int, user_id: str, pat: str, work: Path, scenario: Path = SCENARIO
) -> dict[str, Any]:
    """Run an SDK scenario (argv: port, user, PAT, workdir); what it wrote
    to WORKDIR/out.json."""
    proc = subprocess.run(
        [str(python), str(scenario), str(port), user_id, pat, str(work)],
        capture_output=True,
        text=True,
        timeout=400,
        env=client_env(CLARIFAI_API_BASE=f"http://localhost:{port}", CLARIFAI_PAT=pat),
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return json.loads((work / "out.json").read_text())


@pytest.fixture(scope="module")
async def seen(sdk, server, tmp_path_factory) -> dict[str, Any]:
    made = await bootstrap.create(server.db, user_id=f"sdkm{uuid.uuid4().hex[:10]}")
    work = tmp_path_factory.mktemp("sdk-models")
    prepare(work)
    # The server runs on this event loop: the SDK waits in a thread.
    return await asyncio.to_thread(
        run_sdk, sdk, server.grpc_port, made["user_id"], made["pat"], work
    )


def test_predict_by_bytes_with_the_general_model(seen):
    names = [name for _, name, _ in seen["general"]]
    assert "beverage" in names[:5] and "espresso" in names[:10], names[:10]
    assert len(seen["general.top3"]) == 3
    assert seen["general.top3"] == seen["general"][:3]


def test_an_embedding_classifier_trains_and_predicts(seen):
    assert "concepts" in seen["params"] and "train_params" in seen["params"]
    assert len(seen["version_id"]) == 32
    assert seen["training_status"][0] == sc.MODEL_TRAINED, seen["training_status"]
    assert seen["red_probe"][0][0] == "red" and seen["blue_probe"][0][0] == "blue"
