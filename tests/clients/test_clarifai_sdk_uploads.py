"""The clarifai SDK's (12.3.5) dataset upload flows, unchanged, against
the in-process server (scenario_sdk_uploads.py): upload_from_folder (image
and text folders, labelled by folder), upload_from_csv (raw, file_path and
url CSVs, labels read or not, metadata and geopoints columns) and
upload_dataset with dataloaders (classification, detection with boxes,
segmentation with polygons, text), retried from its log file, and
get_upload_status, which builds dataset versions and reads their
metrics groups. The test reads what the SDK gave its user, then the state
the server stored."""

from __future__ import annotations

import ast
import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image

from server import bootstrap
from tests.clients.test_clarifai_sdk import Account, truck_served
from tests.clients.test_clarifai_sdk_models import run_sdk
from tests.helpers import app_of

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_sdk_uploads.py")
APP = "sdk-uploads"


def picture(path: Path, color: str, size: tuple[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)


def text(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)


def prepare(work: Path, media_base: str) -> None:
    """The user's files: folders of pictures and texts (and a file of
    neither kind in each), pictures for the dataloaders, and the CSVs."""
    picture(work / "animals" / "cats" / "tabby.png", "orange", (8, 6))
    picture(work / "animals" / "cats" / "Ginger Cat.jpg", "orange", (6, 8))
    text(work / "animals" / "cats" / "readme.md", "not a picture")
    text(work / "animals" / "cats" / "broken.png", "not a picture either")
    picture(work / "animals" / "dogs" / "rex.webp", "brown", (5, 5))
    text(work / "texts" / "positive" / "p1.txt", "what a lovely day")
    text(work / "texts" / "positive" / "p2.txt", "so happy with it")
    text(work / "texts" / "negative" / "n1.txt", "it broke again")
    picture(work / "texts" / "negative" / "n2.png", "black", (2, 2))
    for name, color, size in (
        ("red", "red", (4, 4)),
        ("green", "green", (6, 3)),
        ("blue", "blue", (3, 6)),
        ("street", "gray", (40, 30)),
        ("park", "green", (20, 20)),
    ):
        picture(work / "loader" / f"{name}.png", color, size)
    (work / "reviews.csv").write_text(
        '"inputid","input","concepts","metadata","geopoints"\n'
        '"rev-1","loved it","good,service",'
        "\"{'stars': 5, 'tags': ['a', 'b']}\",\"-73.98,40.75\"\n"
        '"rev-2","never again","bad","",""\n'
        '"rev-3","it was fine","","{\'stars\': 3}",""\n'
    )
    (work / "photos.csv").write_text(
        '"inputid","input","concepts"\n'
        f'"photo-red","{work / "loader" / "red.png"}","red"\n'
        f'"photo-blue","{work / "loader" / "blue.png"}","blue,cold"\n'
    )
    (work / "unlabelled.csv").write_text(
        '"inputid","input","concepts"\n"plain-1","no labels read","ignored"\n'
    )
    (work / "links.csv").write_text(
        f'"inputid","input","concepts"\n"link-truck","{media_base}/truck.png","truck"\n'
    )


@pytest.fixture(scope="module")
async def scenario(sdk, server, tmp_path_factory) -> tuple[Account, dict[str, Any]]:
    """The scenario, run once: the account it ran as, and what the SDK gave
    its user."""
    account = Account(**await bootstrap.create(server.db, user_id=f"sdku{uuid.uuid4().hex[:10]}"))
    work = tmp_path_factory.mktemp("sdk-uploads")
    async with truck_served(server) as media_base:
        prepare(work, media_base)
        # The server runs on this event loop: the SDK waits in a thread.
        seen = await asyncio.to_thread(
            run_sdk, sdk, server.grpc_port, account.user_id, account.pat, work, SCENARIO
        )
    return account, seen


@pytest.fixture
def seen(scenario) -> dict[str, Any]:
    return scenario[1]


def concepts(item: dict[str, Any]) -> list[list[Any]]:
    return [[c["id"], c["name"], c["value"]] for c in item["data"].get("concepts", [])]


def data(item: dict[str, Any]) -> dict[str, Any]:
    return item["data"]


def size(item: dict[str, Any]) -> tuple[int, int]:
    info = item["data"]["image"]["image_info"]
    return info["width"], info["height"]


def panel(printed: str) -> dict[str, Any]:
    """The upload-status panel the SDK printed: its progress percentages and
    its table of local and uploaded counts."""
    lines = printed.splitlines()
    progress = {
        line.split(":")[0].strip("│ "): int(line.rstrip("│ ").split()[-1].rstrip("%"))
        for line in lines
        if "Progress:" in line
    }
    start = next(n for n, line in enumerate(lines) if "Inputs Count" in line) + 2
    cells: list[str] = ["", "", "", ""]
    for line in lines[start:]:
        if line.startswith("╰"):
            break
        # Inside the panel's border: "│ local │ local ││ uploaded │ uploaded │".
        row = [c.strip() for c in line.strip()[1:-1].split("│")]
        for n, cell in enumerate(row[n] for n in (1, 2, 4, 5)):
            cells[n] += cell
    return {
        "progress": progress,
        "local": (int(cells[0]), ast.literal_eval(cells[1])),
        "uploaded": (int(cells[2]), ast.literal_eval(cells[3])),
    }


CLOSING = "Failed to upload 0 inputs.."  # each upload_from_* batch's last word


class TestUploadFromFolder:
    def test_image_and_text_folders_labelled_by_folder(self, seen):
        got = seen["folders"]
        # Ids from file names; a file of neither kind is left out, and the
        # picture that is none failed.
        assert sorted(got) == ["ginger_cat", "n1", "p1", "p2", "rex", "tabby"]
        assert concepts(got["tabby"]) == [["cats", "cats", 1.0]]
        assert concepts(got["ginger_cat"]) == [["cats", "cats", 1.0]]
        assert concepts(got["rex"]) == [["dogs", "dogs", 1.0]]
        assert size(got["tabby"]) == (8, 6) and size(got["ginger_cat"]) == (6, 8)
        assert data(got["rex"])["image"]["image_info"]["format"] == "WEBP"
        assert data(got["n1"])["text"]["raw"] == "it broke again"
        assert concepts(got["n1"]) == [["negative", "negative", 1.0]]
        assert concepts(got["p2"]) == [["positive", "positive", 1.0]]
        assert all(i["status"]["code"] == "INPUT_SUCCESS" for i in got.values())
        # broken.png failed, and again on each of the SDK's two retries.
        assert seen["warnings.folders"] == ["Failed to upload 1 inputs.."] + [CLOSING] * 3


class TestUploadFromCsv:
    def test_raw_texts_with_labels_metadata_and_geo(self, seen):
        got = seen["table"]
        assert data(got["rev-1"])["text"]["raw"] == "loved it"
        assert concepts(got["rev-1"]) == [["good", "good", 1.0], ["service", "service", 1.0]]
        assert data(got["rev-1"])["metadata"] == {"stars": 5.0, "tags": ["a", "b"]}
        assert data(got["rev-1"])["geo"] == {"geo_point": {"longitude": -73.98, "latitude": 40.75}}
        assert concepts(got["rev-2"]) == [["bad", "bad", 1.0]]
        assert "metadata" not in data(got["rev-2"]) and "geo" not in data(got["rev-2"])
        assert concepts(got["rev-3"]) == [] and data(got["rev-3"])["metadata"] == {"stars": 3.0}

    def test_file_paths_urls_and_labels_left_out(self, seen):
        got = seen["table"]
        assert sorted(got) == sorted(
            ["rev-1", "rev-2", "rev-3", "photo-red", "photo-blue", "plain-1", "link-truck"]
        )
        assert size(got["photo-blue"]) == (3, 6)
        assert concepts(got["photo-blue"]) == [["blue", "blue", 1.0], ["cold", "cold", 1.0]]
        # labels=False: the concepts column is not read.
        assert concepts(got["plain-1"]) == []
        assert data(got["plain-1"])["text"]["raw"] == "no labels read"
        truck = data(got["link-truck"])["image"]
        assert truck["url"].endswith("/truck.png") and size(got["link-truck"]) == (5, 7)
        assert concepts(got["link-truck"]) == [["truck", "truck", 1.0]]
        assert seen["warnings.table"] == [CLOSING] * 4


class TestUploadDataset:
    def test_classification_with_a_broken_picture(self, seen):
        got = seen["pictures"]
        named = sorted(i for i in got if i in ("pictures-1", "pictures-2", "pictures-3"))
        unnamed = [i for i in got if i not in named]
        # The item without an id gets the SDK's own; the broken one is gone.
        assert named == ["pictures-1", "pictures-2", "pictures-3"] and len(unnamed) == 1
        assert unnamed[0].startswith("pictures-") and len(unnamed[0]) == len("pictures-") + 8
        assert concepts(got["pictures-1"]) == [["red", "red", 1.0]]
        assert data(got["pictures-1"])["metadata"] == {"filename": "red.png"}
        assert data(got["pictures-1"])["geo"] == {
            "geo_point": {"longitude": 2.35, "latitude": 48.85}
        }
        assert concepts(got["pictures-2"]) == [
            ["green", "green", 1.0],
            ["bright", "bright", 1.0],
        ]
        assert data(got["pictures-2"])["metadata"] == {"shade": "lime", "rank": 2.0}
        assert concepts(got["pictures-3"]) == [["deep-blue", "Deep Blue", 1.0]]
        assert size(got["pictures-3"]) == (3, 6)

        # The broken picture is retried twice, then reported with the
        # server's reason.
        warned = seen["warnings.pictures"]
        retry = "Retrying upload for 1 inputs in current batch: ['pictures-5']"
        assert warned[:2] == [retry, retry], warned
        (failed,) = warned[2:]
        assert "Failed to upload 1 inputs in current batch" in failed
        assert "pictures-5" in failed and "the bytes are not an image" in failed

    def test_classification_upload_status(self, seen):
        shown = panel(seen["status.pictures"])
        assert shown["local"] == (5, {"concepts": 6, "bboxes": 0, "polygons": 0})
        assert shown["uploaded"] == (4, {"concepts": 5, "bboxes": 0, "polygons": 0})
        assert shown["progress"] == {"Inputs Progress": 80, "Annotations Progress": 83}

    def test_detection_boxes(self, seen):
        got = seen["boxes"]
        assert sorted(got) == ["boxes-1", "boxes-2"]
        assert data(got["boxes-1"])["metadata"] == {"filename": "street.png"}
        assert data(got["boxes-2"])["metadata"] == {"park": "central"}
        assert all(concepts(i) == [] for i in got.values())
        boxes = sorted(
            (
                a["input_id"],
                c["id"],
                c["name"],
                [round(region["region_info"]["bounding_box"][k], 4) for k in BOX],
            )
            for a in seen["boxes.annotations"]
            for region in a["data"].get("regions", [])
            for c in region["data"]["concepts"]
        )
        assert boxes == [
            ("boxes-1", "car", "car", [0.2, 0.1, 0.6, 0.5]),
            ("boxes-1", "person", "person", [0.1, 0.6, 0.8, 0.9]),
            ("boxes-2", "small-dog", "Small Dog", [0.25, 0.25, 0.5, 0.75]),
        ]
        assert seen["warnings.boxes"] == []

    def test_detection_upload_status(self, seen):
        shown = panel(seen["status.boxes"])
        assert shown["local"] == (2, {"concepts": 0, "bboxes": 3, "polygons": 0})
        assert shown["uploaded"] == shown["local"]
        assert shown["progress"] == {"Inputs Progress": 100, "Annotations Progress": 100}
        # Asked again, as the SDK's own get_upload_status(pre_upload=True).
        assert seen["boxes.stats"] == {
            "inputs": {"total": "2", "image": "2"},
            "annotations": {"concepts": 0, "bboxes": 3, "polygons": 0},
        }

    def test_segmentation_polygons(self, seen):
        assert sorted(seen["shapes"]) == ["shapes-1"]
        polygons = sorted(
            (
                c["id"],
                [
                    (p["col"], p["row"], p["visibility"])
                    for p in region["region_info"]["polygon"]["points"]
                ],
            )
            for a in seen["shapes.annotations"]
            for region in a["data"].get("regions", [])
            for c in region["data"]["concepts"]
        )
        assert [
            (c, [(round(x, 4), round(y, 4), v) for x, y, v in points]) for c, points in polygons
        ] == [
            (
                "path",
                [
                    (0.5, 0.5, "VISIBLE"),
                    (0.9, 0.5, "VISIBLE"),
                    (0.9, 0.9, "VISIBLE"),
                    (0.5, 0.9, "VISIBLE"),
                ],
            ),
            ("pond", [(0.1, 0.1, "VISIBLE"), (0.4, 0.1, "VISIBLE"), (0.4, 0.3, "VISIBLE")]),
        ]
        shown = panel(seen["status.shapes"])
        assert (
            shown["local"] == shown["uploaded"] == (1, {"concepts": 0, "bboxes": 0, "polygons": 2})
        )
        assert seen["warnings.shapes"] == []

    def test_text_classification(self, seen):
        got = seen["reviews"]
        assert sorted(got) == ["reviews-1", "reviews-2", "reviews-3"]
        assert data(got["reviews-2"])["text"]["raw"] == "cold soup"
        assert concepts(got["reviews-2"]) == [["bad", "bad", 1.0], ["food", "food", 1.0]]
        assert data(got["reviews-2"])["metadata"] == {"stars": 1.0}
        assert concepts(got["reviews-3"]) == []
        shown = panel(seen["status.reviews"])
        assert (
            shown["local"]
            == shown["uploaded"]
            == (
                3,
                {"concepts": 3, "bboxes": 0, "polygons": 0},
            )
        )
        assert seen["warnings.reviews"] == []

    def test_warnings_logged_to_a_file_then_retried_from_it(self, seen):
        # The first upload: the taken id is a duplicate, the broken picture
        # fails on each of its tries.
        first = seen["warnings.retried"]
        assert "Failed to upload 1 inputs due to duplicate IDs" in first[0]
        assert "retried-3" in first[0] and "Input has a duplicate ID." in first[0]
        assert first[1:3] == ["Retrying upload for 1 inputs in current batch: ['retried-2']"] * 2
        assert "retried-2" in first[3] and "the bytes are not an image" in first[3]
        # From the log: the duplicate again under a new id, the failure again.
        again = seen["warnings.retry_from_logs"]
        assert again[:2] == [
            "Retrying upload for 1 duplicate inputs...",
            "Retrying upload for 1 failed inputs...",
        ]
        assert "retried-2" in again[-1] and "the bytes are not an image" in again[-1]
        got = seen["retried"]
        (renamed,) = [i for i in got if i not in ("retried-1", "retried-3")]
        assert sorted(got) == sorted(["retried-1", "retried-3", renamed]) and len(renamed) == 32
        assert concepts(got[renamed]) == concepts(got["retried-3"]) == [["green", "green", 1.0]]
        assert data(got[renamed])["metadata"] == {"filename": "green.png"}

    def test_each_status_made_two_versions(self, seen):
        for dataset_id in ("pictures", "boxes", "shapes", "reviews"):
            versions = seen[f"versions.{dataset_id}"]
            assert [v["description"] for v in versions] == ["SDK Upload Status"] * 2
            assert len({v["id"] for v in versions}) == 2

    def test_concepts(self, seen):
        ids = dict(seen["concepts"])
        assert ids["deep-blue"] == "Deep Blue" and ids["small-dog"] == "Small Dog"
        assert {"cats", "dogs", "positive", "negative", "car", "person", "truck"} <= set(ids)


BOX = ("top_row", "left_col", "bottom_row", "right_col")


class TestWhatTheServerStored:
    async def test_the_broken_picture_is_counted_failed_in_its_jobs(self, scenario, stub):
        account = scenario[0]
        app = app_of(account, APP)
        res = await stub.ListInputsAddJobs(
            s.ListInputsAddJobsRequest(user_app_id=app, per_page=100), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        jobs = res.inputs_add_jobs
        assert {j.status.code for j in jobs} == {sc.JOB_COMPLETED}
        failed = [j for j in jobs if j.progress.failed_count]
        # Each broken picture's first try and the SDK's two retries: a job
        # each (broken.png; pictures-5; retried-2 on upload, then again from
        # the log); broken.png's first try stored the other two cats, and
        # retried-2's a picture beside a duplicate id.
        assert sorted((j.progress.success_count, j.progress.failed_count) for j in failed) == [
            (0, 1)
        ] * 10 + [(1, 2), (2, 1)]
        gone = await stub.GetInput(
            s.GetInputRequest(user_app_id=app, input_id="pictures-5"), metadata=account.md()
        )
        assert gone.status.code == sc.CONN_DOES_NOT_EXIST

    async def test_upload_status_versions_hold_the_groups(self, scenario, stub):
        account, seen = scenario
        app = app_of(account, APP)
        versions = seen["versions.boxes"]
        newest = versions[0]["id"]  # listed newest first: built after the upload
        res = await stub.ListDatasetVersionMetricsGroups(
            s.ListDatasetVersionMetricsGroupsRequest(
                user_app_id=app, dataset_id="boxes", dataset_version_id=newest, types=[10]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        boxes = {
            g.value.string_value: g.metrics.bounding_boxes_count.value
            for g in res.dataset_version_metrics_groups
        }
        assert boxes == {"car": 1, "person": 1, "small-dog": 1}
