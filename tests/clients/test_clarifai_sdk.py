"""The official clarifai SDK (clarifai 12.3.5 beside clarifai-grpc 12.2.11),
unchanged, in its own virtual environment: a user's data flows
(scenario_clarifai_sdk.py) against the in-process server over its insecure
gRPC port. The test reads what the SDK gave its user, then the state the
server stored."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image

from server import bootstrap
from server.fetch import AddressGuard
from tests.helpers import Metadata, app_of, md, png
from tests.reference_env import client_env

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_clarifai_sdk.py")
APP = "sdk-app"


@dataclass
class Account:
    """The scenario's user: made once for the module's tests."""

    user_id: str
    app_id: str
    pat: str
    api_key: str

    def md(self) -> Metadata:
        return md(self.pat)


def picture(path: Path, color: str, size: tuple[int, int] = (6, 4)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "PNG")


def prepare(work: Path, media_base: str) -> None:
    """The user's files: pictures for the dataloader and a folder, and two
    CSVs (raw text; image URLs, one of them missing)."""
    for name, color in (("tom", "orange"), ("rex", "brown"), ("kit", "gray"), ("sam", "tan")):
        picture(work / "pets" / f"{name}.png", color)
    picture(work / "cats" / "whiskers.png", "black", (3, 5))
    picture(work / "cats" / "Felix Two.png", "white", (5, 3))
    (work / "cats" / "readme.txt").write_text("not a picture")
    (work / "notes.csv").write_text(
        '"inputid","input","concepts","metadata"\n'
        '"note-1","I love my cat","positive","{\'mood\': \'happy\'}"\n'
        '"note-2","rain all day","negative,weather",""\n'
    )
    (work / "web.csv").write_text(
        '"inputid","input","concepts"\n'
        f'"web-truck","{media_base}/truck.png","truck"\n'
        f'"web-missing","{media_base}/missing.png","truck"\n'
    )


def run_sdk(python: Path, port: int, account: Account, work: Path) -> dict[str, Any]:
    base = f"http://localhost:{port}"
    proc = subprocess.run(
        [str(python), str(SCENARIO), str(port), account.user_id, account.pat, str(work)],
        capture_output=True,
        text=True,
        timeout=300,
        env=client_env(CLARIFAI_API_BASE=base, CLARIFAI_PAT=account.pat),
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return json.loads((work / "out.json").read_text())


@asynccontextmanager
async def web_server(routes: web.RouteTableDef) -> AsyncIterator[str]:
    """A local HTTP server (its base URL) the server's downloads may reach."""
    app = web.Application()
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def truck_served(server) -> AsyncIterator[str]:
    """/truck.png (a 5x7 blue picture) on a local HTTP server that the
    server's downloads may reach (loopback allowed meanwhile): its base URL."""
    routes = web.RouteTableDef()
    truck = png(5, 7, "blue")

    @routes.get("/truck.png")
    async def _truck(_):
        return web.Response(body=truck, content_type="image/png")

    async with web_server(routes) as media_base:
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(server.fetcher, "guard", AddressGuard(allow_loopback=True))
            yield media_base


@pytest.fixture(scope="module")
async def scenario(sdk, server, tmp_path_factory) -> tuple[Account, dict[str, Any]]:
    """The scenario, run once: the account it ran as, and what the SDK gave
    its user."""
    made = await bootstrap.create(server.db, user_id=f"sdk{uuid.uuid4().hex[:10]}")
    account = Account(**made)
    work = tmp_path_factory.mktemp("sdk")
    async with truck_served(server) as media_base:
        prepare(work, media_base)
        # The server runs on this event loop: the SDK waits in a thread.
        seen = await asyncio.to_thread(run_sdk, sdk, server.grpc_port, account, work)
    return account, seen


@pytest.fixture
def seen(scenario) -> dict[str, Any]:
    return scenario[1]


@pytest.fixture
def account(scenario) -> Account:
    return scenario[0]


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def concepts(item: dict[str, Any]) -> list[tuple[str, float]]:
    return [(c["id"], c["value"]) for c in item["data"].get("concepts", [])]


PETS = ["felix_two", "pets-0", "pets-1", "pets-10", "pets-11", "pets-2", "pets-3", "whiskers"]
EVERY_INPUT = sorted([*PETS, "note-1", "note-2", "web-truck", "loose-photo", "loose-note"])


class TestWhatTheUserSees:
    async def test_app_and_datasets(self, seen, account):
        assert seen["create_app"] == {"id": APP, "user_id": account.user_id}
        assert seen["create_dataset"] == {"id": "pets"}
        assert seen["dataset.list_inputs"] == {
            "pets": PETS,
            "notes": ["note-1", "note-2"],
            "web": ["web-truck"],
        }

    async def test_uploads_and_their_warnings(self, seen):
        # upload_dataset: the picture already uploaded is reported as a
        # duplicate (the SDK reads the reference's per-input details), not
        # deleted nor retried; nothing else fails.
        (duplicate,) = [w for w in seen["warnings.pets"] if "duplicate IDs" in w]
        assert "Failed to upload 1 inputs due to duplicate IDs in current batch" in duplicate
        assert "pets-0" in duplicate and "Input has a duplicate ID." in duplicate
        # upload_from_folder and upload_from_csv always close with this count.
        others = [w for w in seen["warnings.pets"] if w != duplicate]
        assert others == ["Failed to upload 0 inputs.."]
        assert seen["warnings.notes"] == ["Failed to upload 0 inputs.."]
        # The missing URL fails its download, is deleted by the SDK and
        # retried twice (each try a job the SDK polls until it finishes).
        assert seen["warnings.web"] == ["Failed to upload 1 inputs.."]

        for step, kind in (("upload_from_bytes", "loose-photo"), ("upload_text", "loose-note")):
            job, res = seen[step]["job"], seen[step]["response"]
            assert res["status"]["code"] == "SUCCESS", res["status"]
            assert ids(res["inputs"]) == [kind]
            assert res["inputs_add_job"]["id"] == job and len(job) == 32
            assert res["inputs_add_job"]["progress"] == {"success_count": "1"}
            assert res["inputs_add_job"]["status"]["code"] == "JOB_COMPLETED"

    async def test_lists(self, seen):
        listed = {item["id"]: item for item in seen["list_inputs"]}
        assert sorted(listed) == EVERY_INPUT
        assert all(item["status"]["code"] == "INPUT_SUCCESS" for item in listed.values())
        assert concepts(listed["pets-0"]) == [("cat", 1.0)]
        assert listed["pets-0"]["data"]["metadata"] == {"filename": "tom.png"}
        assert listed["pets-0"]["data"]["image"]["image_info"]["width"] == 6
        assert concepts(listed["felix_two"]) == [("cats", 1.0)]
        assert listed["pets-10"]["data"]["text"]["raw"] == "the cat sleeps"
        assert listed["pets-10"]["data"]["metadata"] == {"by": "loader"}
        assert concepts(listed["note-2"]) == [("negative", 1.0), ("weather", 1.0)]
        assert listed["note-1"]["data"]["metadata"] == {"mood": "happy"}
        truck = listed["web-truck"]["data"]["image"]
        assert truck["url"].endswith("/truck.png") and truck["image_info"]["height"] == 7
        assert truck["hosted"]["sizes"] == ["orig", "tiny", "small", "large"]

        images = [i for i in EVERY_INPUT if "image" in listed[i]["data"]]
        assert sorted(seen["list_inputs.image"]) == images
        # Newest first, one page.
        assert seen["list_inputs.page"] == ["loose-note", "loose-photo", "web-truck"]
        assert seen["list_concepts"] == [
            [name, name]
            for name in ("cat", "cats", "dog", "negative", "positive", "truck", "weather")
        ]

    async def test_searches(self, seen):
        assert seen["search.cat"] == ["loose-photo", "pets-0", "pets-10", "pets-2"]
        assert seen["search.happy"] == ["note-1"]
        assert seen["search.texts"] == ["loose-note", "note-1", "note-2", "pets-10", "pets-11"]
        assert seen["search.notes"] == ["note-1", "note-2"]
        assert seen["search.dog_images"] == ["pets-1", "pets-3"]
        # Newest first, as ListInputs pages them.
        assert seen["search.page"] == ["loose-note", "loose-photo", "web-truck"]

    async def test_version_export(self, seen):
        version = seen["create_version"]
        assert len(version["id"]) == 32 and version["description"] == "first cut"
        exported = seen["export"]
        assert sorted(exported) == sorted(
            [f"all/inputs/{i}.{'txt' if i in ('pets-10', 'pets-11') else 'png'}" for i in PETS]
            + [f"all/annotations/{i}.json" for i in PETS]
        )
        assert exported["all/inputs/pets-0.png"] == [6, 4]
        assert exported["all/inputs/whiskers.png"] == [3, 5]
        assert exported["all/inputs/pets-11.txt"] == "the dog barks"
        assert exported["all/annotations/pets-0.json"] == [
            {"metadata": {"filename": "tom.png"}},
            {"id": "cat", "name": "cat", "value": 1.0},
        ]
        assert exported["all/annotations/pets-11.json"] == [
            {"id": "dog", "name": "dog", "value": 1.0}
        ]


class TestWhatTheServerStored:
    async def test_inputs(self, seen, stub, account):
        app = app_of(account, APP)
        res = await stub.ListInputs(
            s.ListInputsRequest(user_app_id=app, per_page=100), metadata=account.md()
        )
        assert sorted(i.id for i in res.inputs) == EVERY_INPUT
        got = await stub.GetInput(
            s.GetInputRequest(user_app_id=app, input_id="pets-0"), metadata=account.md()
        )
        # The duplicate upload left the first one as it was.
        assert got.input.data.image.image_info.width == 6
        assert [(c.id, c.value) for c in got.input.data.concepts] == [("cat", 1.0)]
        gone = await stub.GetInput(
            s.GetInputRequest(user_app_id=app, input_id="web-missing"), metadata=account.md()
        )
        assert gone.status.code == sc.CONN_DOES_NOT_EXIST  # as the hosted API answers GetInput
        notes = await stub.ListDatasetInputs(
            s.ListDatasetInputsRequest(user_app_id=app, dataset_id="notes"), metadata=account.md()
        )
        assert sorted(d.input.id for d in notes.dataset_inputs) == ["note-1", "note-2"]

    async def test_inputs_add_jobs(self, seen, stub, account):
        res = await stub.ListInputsAddJobs(
            s.ListInputsAddJobsRequest(user_app_id=app_of(account, APP)), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        jobs = {j.id: j for j in res.inputs_add_jobs}
        # One per PostInputs: 3 dataset uploads, the folder, 2 CSVs, the
        # URL retried twice, bytes and text. Each finished.
        assert len(jobs) == 10
        assert {j.status.code for j in jobs.values()} == {sc.JOB_COMPLETED}
        progress = sorted(
            (
                j.progress.pending_count,
                j.progress.in_progress_count,
                j.progress.success_count,
                j.progress.failed_count,
            )
            for j in jobs.values()
        )
        # The URL CSV: the truck downloaded, the missing file failed, and
        # failed again on each of the two retries. The duplicate picture
        # failed beside a new one.
        assert progress.count((0, 0, 1, 1)) == 2 and progress.count((0, 0, 0, 1)) == 2
        assert sum(p[2] for p in progress) == len(EVERY_INPUT)
        assert jobs[seen["upload_text"]["job"]].progress.success_count == 1
