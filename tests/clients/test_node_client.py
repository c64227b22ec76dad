"""The official Node.js client, clarifai-nodejs-grpc from the npm registry,
unchanged, in a node process of its own against the in-process server: the
scenario in node/scenario.js builds the client's V2Client on an insecure
channel and prints what it parsed; this test asserts it.

The packages are installed once (`npm ci` from node/package-lock.json) into
.cache/node-client and reused while the lock file is unchanged."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from server import bootstrap
from server.main import Running

pytestmark = pytest.mark.clients
if shutil.which("node") is None or shutil.which("npm") is None:
    pytest.skip(
        "Node.js (node and npm) is not installed: the Node client cannot run",
        allow_module_level=True,
    )

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).resolve().parent / "node"
INSTALL = ROOT / ".cache" / "node-client"
MANIFESTS = ("package.json", "package-lock.json")


def node_modules() -> Path:
    """The client's node_modules, installed on first use."""
    digest = hashlib.sha256(b"".join((SOURCE / m).read_bytes() for m in MANIFESTS)).hexdigest()
    stamp = INSTALL / ".installed"
    if not stamp.exists() or stamp.read_text() != digest:
        shutil.rmtree(INSTALL, ignore_errors=True)
        INSTALL.mkdir(parents=True)
        for name in MANIFESTS:
            shutil.copy(SOURCE / name, INSTALL / name)
        # --ignore-scripts: the packages need no build step; nothing runs at install.
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=INSTALL,
            check=True,
            capture_output=True,
            timeout=600,
        )
        stamp.write_text(digest)
    return INSTALL / "node_modules"


def run_scenario(address: str, user_id: str, pat: str) -> dict:
    env = {**os.environ, "NODE_PATH": str(node_modules())}
    proc = subprocess.run(
        ["node", str(SOURCE / "scenario.js"), address, user_id, pat],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    if proc.returncode != 0:
        raise AssertionError(f"scenario.js failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
async def node_run(server: Running) -> tuple[dict, str]:
    info = await bootstrap.create(server.db, user_id="node-user", app_id="main")
    # The server runs on this test's event loop: the client waits in a thread.
    seen = await asyncio.to_thread(
        run_scenario, f"127.0.0.1:{server.grpc_port}", info["user_id"], info["pat"]
    )
    return seen, info["user_id"]


@pytest.fixture
def seen(node_run) -> dict:
    return node_run[0]


def ok(step: dict) -> bool:
    return step.get("code") == 10000 and step.get("description") == "Ok"


def test_apps_and_keys(seen):
    assert ok(seen["PostApps"]), seen["PostApps"]
    assert seen["PostApps"]["ids"] == ["node-app"]
    assert ok(seen["PostKeys"]), seen["PostKeys"]
    assert seen["PostKeys"]["type"] == "app_specific_key"
    assert seen["PostKeys"]["apps"] == ["node-app"]


def test_my_scopes_with_the_app_key(seen, node_run):
    assert ok(seen["MyScopes"]), seen["MyScopes"]
    assert seen["MyScopes"]["app"] == "node-app"
    assert seen["MyScopes"]["user"] == node_run[1]
    assert seen["MyScopes"]["scopes"] > 0


def test_concepts(seen):
    assert ok(seen["PostConcepts"]), seen["PostConcepts"]
    assert seen["PostConcepts"]["ids"] == ["cat", "dog"]
    assert seen["PostConcepts"]["names"] == ["Cat", "Dog"]


def test_inputs(seen):
    assert ok(seen["PostInputs"]), seen["PostInputs"]
    assert seen["PostInputs"]["ids"] == ["node-input"]
    assert seen["PostInputs"]["raw"] == ["a cat sleeps on the mat"]


def test_annotations(seen):
    assert ok(seen["PostAnnotations"]), seen["PostAnnotations"]
    assert seen["PostAnnotations"]["ids"] == ["node-annotation"]
    assert seen["PostAnnotations"]["inputs"] == ["node-input"]
    assert seen["PostAnnotations"]["concepts"] == ["cat"]


def test_datasets(seen):
    assert ok(seen["PostDatasets"]), seen["PostDatasets"]
    assert seen["PostDatasets"]["ids"] == ["node-dataset"]
    assert ok(seen["PostDatasetInputs"]), seen["PostDatasetInputs"]
    assert seen["PostDatasetInputs"]["inputs"] == ["node-input"]
    assert seen["PostDatasetInputs"]["codes"] == [64100]  # DATASET_INPUT_SUCCESS


def test_collectors(seen):
    assert ok(seen["PostCollectors"]), seen["PostCollectors"]
    assert seen["PostCollectors"]["ids"] == ["node-collector"]
    assert seen["PostCollectors"]["models"] == ["general-image-recognition"]
    # The post-inputs key is shown masked, like ListKeys shows keys.
    (shown,) = seen["PostCollectors"]["key_ids"]
    assert shown.endswith("*") and len(shown) == 32


def test_tasks(seen, node_run):
    assert ok(seen["PostTasks"]), seen["PostTasks"]
    assert seen["PostTasks"]["ids"] == ["node-task"]
    assert seen["PostTasks"]["workers"] == [node_run[1]]
    assert seen["PostTasks"]["app"] == ["node-app"]
    assert ok(seen["ListTasks"]), seen["ListTasks"]
    assert seen["ListTasks"]["ids"] == ["node-task"]


def test_bad_key(seen):
    bad = seen["bad_key"]
    assert bad["code"] == 11008  # CONN_KEY_INVALID
    assert bad["description"] == "Invalid API key or Invalid API key/application pair"
    assert len(bad["req_id"]) == 32
