"""The clarifai SDK's (12.3.5) dataset upload flows, unchanged, as a user
runs them: run by the SDK environment's interpreter, never imported by the
test process.

    python scenario_sdk_uploads.py GRPC_PORT USER_ID PAT WORKDIR

WORKDIR holds what the test prepared (see test_clarifai_sdk_uploads.py):
animals/{cats,dogs}/ pictures, texts/{positive,negative}/ texts, loader/
pictures for the dataloaders, and the CSVs reviews.csv (raw texts),
photos.csv (file paths), unlabelled.csv (raw, concepts not read) and
links.csv (URLs). Writes WORKDIR/out.json: what each step gave the user
(the SDK's return values, its warnings, the upload-status panel it
printed) and what the SDK reads back (inputs, annotations, versions).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import sys
from pathlib import Path

from clarifai.client.dataset import Dataset
from clarifai.client.user import User
from clarifai.datasets.upload.base import ClarifaiDataLoader
from clarifai.datasets.upload.features import (
    TextFeatures,
    VisualClassificationFeatures,
    VisualDetectionFeatures,
    VisualSegmentationFeatures,
)
from google.protobuf.json_format import MessageToDict

port, user_id, pat, workdir = sys.argv[1:5]
work = Path(workdir)
APP = "sdk-uploads"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Warnings(logging.Handler):
    """The SDK's warnings, as its user sees them in the log."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(ANSI.sub("", record.getMessage()).strip())

    def take(self) -> list[str]:
        taken, self.seen = self.seen, []
        return taken


class Loader(ClarifaiDataLoader):
    """A dataloader over a list of features, as users write them."""

    items: list = []

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int):
        return self.items[index]


class Pictures(Loader):
    """Classification: files with labels, geo and metadata; bytes; concept
    ids apart from their names; an item without an id; a broken picture."""

    task = "visual_classification"

    def __init__(self) -> None:
        pics = work / "loader"
        self.items = [
            VisualClassificationFeatures(
                image_path=str(pics / "red.png"), labels=["red"], id=1, geo_info=[2.35, 48.85]
            ),
            VisualClassificationFeatures(
                image_path=str(pics / "green.png"),
                labels=["green", "bright"],
                id=2,
                metadata={"shade": "lime", "rank": 2},
            ),
            VisualClassificationFeatures(
                image_path=None,
                image_bytes=(pics / "blue.png").read_bytes(),
                labels=["Deep Blue"],
                label_ids=["deep-blue"],
                id=3,
            ),
            VisualClassificationFeatures(image_path=str(pics / "red.png"), labels=["red"], id=None),
            VisualClassificationFeatures(
                image_path=None, image_bytes=b"these bytes are no picture", labels=["red"], id=5
            ),
        ]


class Boxes(Loader):
    """Detection: boxes ([xmin, ymin, xmax, ymax], fractions) with labels."""

    task = "visual_detection"

    def __init__(self) -> None:
        pics = work / "loader"
        self.items = [
            VisualDetectionFeatures(
                image_path=str(pics / "street.png"),
                labels=["car", "person"],
                bboxes=[[0.1, 0.2, 0.5, 0.6], [0.6, 0.1, 0.9, 0.8]],
                id=1,
            ),
            VisualDetectionFeatures(
                image_path=str(pics / "park.png"),
                labels=["Small Dog"],
                label_ids=["small-dog"],
                bboxes=[[0.25, 0.25, 0.75, 0.5]],
                id=2,
                metadata={"park": "central"},
            ),
        ]


class Shapes(Loader):
    """Segmentation: polygons ([[x, y], ...], fractions) with labels."""

    task = "visual_segmentation"

    def __init__(self) -> None:
        self.items = [
            VisualSegmentationFeatures(
                image_path=str(work / "loader" / "park.png"),
                labels=["pond", "path"],
                polygons=[
                    [[0.1, 0.1], [0.4, 0.1], [0.4, 0.3]],
                    [[0.5, 0.5], [0.9, 0.5], [0.9, 0.9], [0.5, 0.9]],
                ],
                id=1,
            ),
        ]


class Reviews(Loader):
    task = "text_classification"

    def __init__(self) -> None:
        self.items = [
            TextFeatures(text="great food, friendly staff", labels=["good"], id=1),
            TextFeatures(text="cold soup", labels=["bad", "food"], id=2, metadata={"stars": 1}),
            TextFeatures(text="no opinion yet", labels=[], id=3),
        ]


class Retried(Loader):
    """A picture, one that breaks, and one whose input id is taken."""

    task = "visual_classification"

    def __init__(self, ids: tuple[int, ...] = (1, 2, 3)) -> None:
        pics = work / "loader"
        every = {
            1: VisualClassificationFeatures(image_path=str(pics / "red.png"), labels=["red"], id=1),
            2: VisualClassificationFeatures(
                image_path=None, image_bytes=b"no picture either", labels=["red"], id=2
            ),
            3: VisualClassificationFeatures(
                image_path=str(pics / "green.png"), labels=["green"], id=3
            ),
        }
        self.items = [every[n] for n in ids]


def shown(message) -> dict:
    return MessageToDict(message, preserving_proto_field_name=True)


def printed(run) -> str:
    """What `run` printed (the upload-status panel), without colours."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run()
    return ANSI.sub("", out.getvalue())


def listed(dataset: Dataset) -> dict:
    return {i.id: shown(i) for i in dataset.list_inputs()}


def main(out: dict) -> None:
    warnings = Warnings()
    logging.getLogger("clarifai").addHandler(warnings)
    base = f"http://localhost:{port}"
    app = User(user_id=user_id, pat=pat, base_url=base).create_app(
        app_id=APP, base_workflow="Empty"
    )

    # upload_from_folder: images and texts, labelled by their folder's name.
    folders = app.create_dataset(dataset_id="folders")
    for kind, paths in (
        ("image", ("animals/cats", "animals/dogs")),
        ("text", ("texts/positive", "texts/negative")),
    ):
        for path in paths:
            folders.upload_from_folder(folder_path=str(work / path), input_type=kind, labels=True)
    out["warnings.folders"] = warnings.take()
    out["folders"] = listed(folders)

    # upload_from_csv, each csv_type; labels read or not.
    table = app.create_dataset(dataset_id="table")
    table.upload_from_csv(str(work / "reviews.csv"), input_type="text", csv_type="raw")
    table.upload_from_csv(str(work / "photos.csv"), input_type="image", csv_type="file_path")
    table.upload_from_csv(
        str(work / "unlabelled.csv"), input_type="text", csv_type="raw", labels=False
    )
    table.upload_from_csv(str(work / "links.csv"), input_type="image", csv_type="url")
    out["warnings.table"] = warnings.take()
    out["table"] = listed(table)

    # upload_dataset, with the upload status the SDK builds versions for.
    for dataset_id, loader in (
        ("pictures", Pictures),
        ("boxes", Boxes),
        ("shapes", Shapes),
        ("reviews", Reviews),
    ):
        dataset = app.create_dataset(dataset_id=dataset_id)
        out[f"status.{dataset_id}"] = printed(
            lambda d=dataset, make=loader: d.upload_dataset(
                make(), batch_size=4, get_upload_status=True
            )
        )
        out[f"warnings.{dataset_id}"] = warnings.take()
        out[dataset_id] = listed(dataset)
        out[f"versions.{dataset_id}"] = [
            {"id": v.version.id, "description": v.version.description}
            for v in dataset.list_versions()
        ]

    # Warnings logged to a file, then the uploads it names retried from it.
    retried = app.create_dataset(dataset_id="retried")
    retried.upload_dataset(Retried(ids=(3,)))
    warnings.take()
    os.chdir(work)  # where the SDK writes its log file
    retried.upload_dataset(Retried(), log_warnings=True)
    (log,) = work.glob("Dataset_Upload*.log")
    out["warnings.retried"] = warnings.take()
    retried.retry_upload_from_logs(str(log), Retried(), retry_duplicates=True)
    out["warnings.retry_from_logs"] = warnings.take()
    out["retried"] = listed(retried)

    boxes = Dataset(dataset_id="boxes", user_id=user_id, app_id=APP, pat=pat, base_url=base)
    out["boxes.annotations"] = [
        shown(a) for a in app.inputs().list_annotations(batch_input=list(boxes.list_inputs()))
    ]
    shapes = Dataset(dataset_id="shapes", user_id=user_id, app_id=APP, pat=pat, base_url=base)
    out["shapes.annotations"] = [
        shown(a) for a in app.inputs().list_annotations(batch_input=list(shapes.list_inputs()))
    ]
    inputs, annotations = boxes.get_upload_status(pre_upload=True)
    out["boxes.stats"] = {"inputs": inputs, "annotations": annotations}
    out["concepts"] = sorted([c.id, c.name] for c in app.list_concepts())


seen: dict = {}
try:
    main(seen)
finally:  # what was seen up to a failure, too
    (work / "out.json").write_text(json.dumps(seen))
