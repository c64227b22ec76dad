"""The official Node.js client, clarifai-nodejs-grpc from the npm registry,
unchanged, in a node process of its own against the in-process server: the
scenario in node/scenario.js builds the client's V2Client on an insecure
channel and prints what it parsed; this test asserts it.

The packages are installed once (`npm ci` from node/package-lock.json) into
.cache/node-client and reused while the lock file is unchanged. Node.js and
npm themselves come from Debian's packages when missing and this user may
install them (tests/clients/system.py); the suite skips, saying why, only
when they or the client's packages cannot be had."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from clarifai.api.status import status_code_pb2 as sc

from server import bootstrap
from server.main import Running

from .scenario_checks import ScenarioChecks
from .system import apt_install, missing_commands, unavailable

pytestmark = pytest.mark.clients
# Debian's npm package brings nodejs with it.
if missing := missing_commands("node", "npm"):
    why = apt_install(["nodejs", "npm"] if "node" in missing else ["npm"])
    if missing := missing_commands("node", "npm"):
        said = f"the Node client cannot run: {' and '.join(missing)} missing"
        if why is None:
            raise RuntimeError(f"{said}, after installing them from Debian's packages")
        unavailable(said, why)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).resolve().parent / "node"
PHOTO = SOURCE.parents[1] / "fixtures" / "images" / "coffee.jpg"
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
        npm = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=INSTALL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if npm.returncode != 0:  # the registry out of reach, say
            last = npm.stderr.strip().splitlines()[-3:]
            unavailable("the Node client's packages cannot be installed", " ".join(last))
        stamp.write_text(digest)
    return INSTALL / "node_modules"


def run_scenario(modules: Path, address: str, user_id: str, pat: str) -> dict:
    env = {**os.environ, "NODE_PATH": str(modules)}
    proc = subprocess.run(
        ["node", str(SOURCE / "scenario.js"), address, user_id, pat, str(PHOTO)],
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
    # The server runs on this test's event loop: npm and the client wait in a thread.
    modules = await asyncio.to_thread(node_modules)
    seen = await asyncio.to_thread(
        run_scenario, modules, f"127.0.0.1:{server.grpc_port}", info["user_id"], info["pat"]
    )
    return seen, info["user_id"]


class TestNodeScenario(ScenarioChecks):
    prefix = "node"

    @pytest.fixture
    def scenario(self, node_run) -> tuple[dict, str]:
        return node_run

    def test_predicts_with_the_general_model_of_clarifai_main(self, node_run):
        seen, _ = node_run
        predicted = seen["PostModelOutputs"]
        assert predicted.get("code") == sc.SUCCESS, predicted
        (output,) = predicted["outputs"]
        assert len(output["id"]) == 32 and output["code"] == sc.SUCCESS
        names = [name for name, _ in output["concepts"]]
        assert "beverage" in names[:5] and "espresso" in names[:10], names[:10]

    def test_searches_by_concept(self, node_run):
        seen, _ = node_run
        found = seen["PostInputsSearches"]
        assert found.get("code") == sc.SUCCESS, found
        assert found["hits"] == [["node-input", 1]] and found["id"]
