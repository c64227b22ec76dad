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

from .scenario_checks import ScenarioChecks

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


class TestNodeScenario(ScenarioChecks):
    prefix = "node"

    @pytest.fixture
    def scenario(self, node_run) -> tuple[dict, str]:
        return node_run
