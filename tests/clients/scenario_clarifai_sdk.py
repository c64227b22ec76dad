"""A user's data flows with the official clarifai SDK (12.3.5), unchanged:
run by the SDK environment's interpreter (tests/reference_env.py), never
imported by the test process.

    python scenario_clarifai_sdk.py GRPC_PORT USER_ID PAT WORKDIR

WORKDIR holds what the test prepared: cats/*.png, pets/*.png, notes.csv,
web.csv. The user object gets base_url="http://localhost:GRPC_PORT"; the
rest of the flows reach the server from CLARIFAI_API_BASE and CLARIFAI_PAT
alone, as the test sets them. Writes WORKDIR/out.json: what each step gave
the user (return values, objects listed, search hits, the exported
archive, the SDK's warnings).
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import zipfile
from pathlib import Path

from clarifai.client.dataset import Dataset
from clarifai.client.input import Inputs
from clarifai.client.user import User
from clarifai.datasets.upload.base import ClarifaiDataLoader
from clarifai.datasets.upload.features import TextFeatures, VisualClassificationFeatures
from google.protobuf.json_format import MessageToDict
from PIL import Image

port, user_id, pat, workdir = sys.argv[1:5]
work = Path(workdir)
APP = "sdk-app"


class Warnings(logging.Handler):
    """The SDK's warnings, as its user sees them in the log."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(re.sub(r"\x1b\[[0-9;]*m", "", record.getMessage()).strip())


class Pets(ClarifaiDataLoader):
    """Images with concepts, the dataloader interface the SDK documents."""

    task = "visual_classification"
    pictures = [(0, "tom", "cat"), (1, "rex", "dog"), (2, "kit", "cat")]

    def __init__(self) -> None:
        self.items = [
            VisualClassificationFeatures(
                image_path=str(work / "pets" / f"{name}.png"), labels=[label], id=n
            )
            for n, name, label in self.pictures
        ]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> VisualClassificationFeatures:
        return self.items[index]


class MorePets(Pets):
    """One picture already uploaded (its input id is taken) and a new one."""

    pictures = [(0, "tom", "cat"), (3, "sam", "dog")]


class Notes(ClarifaiDataLoader):
    """Texts with concepts and metadata."""

    task = "text_classification"

    def __init__(self) -> None:
        self.items = [
            TextFeatures(text="the cat sleeps", labels=["cat"], id=10, metadata={"by": "loader"}),
            TextFeatures(text="the dog barks", labels=["dog"], id=11),
        ]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> TextFeatures:
        return self.items[index]


def shown(inp) -> dict:
    return MessageToDict(inp, preserving_proto_field_name=True)


def main() -> dict:
    warnings = Warnings()
    logging.getLogger("clarifai").addHandler(warnings)
    out: dict = {}

    user = User(user_id=user_id, pat=pat, base_url=f"http://localhost:{port}")
    app = user.create_app(app_id=APP, base_workflow="Empty")
    out["create_app"] = {"id": app.id, "user_id": app.user_id}

    pets = app.create_dataset(dataset_id="pets", description="pet pictures")
    out["create_dataset"] = {"id": pets.id}
    pets.upload_dataset(Pets())
    pets.upload_dataset(Notes())
    pets.upload_dataset(MorePets())
    pets.upload_from_folder(folder_path=str(work / "cats"), input_type="image", labels=True)
    out["warnings.pets"] = warnings.seen[:]

    # From here on: the base URL and PAT from the environment.
    warnings.seen.clear()
    app.create_dataset(dataset_id="notes")
    notes = Dataset(dataset_id="notes", user_id=user_id, app_id=APP)
    notes.upload_from_csv(csv_path=str(work / "notes.csv"), input_type="text", csv_type="raw")
    out["warnings.notes"] = warnings.seen[:]

    warnings.seen.clear()
    app.create_dataset(dataset_id="web")
    web = Dataset(dataset_id="web", user_id=user_id, app_id=APP)
    web.upload_from_csv(csv_path=str(work / "web.csv"), input_type="image", csv_type="url")
    out["warnings.web"] = warnings.seen[:]

    inputs = Inputs(user_id=user_id, app_id=APP)
    photo = (work / "pets" / "tom.png").read_bytes()
    job, res = inputs.upload_from_bytes(input_id="loose-photo", image_bytes=photo, labels=["cat"])
    out["upload_from_bytes"] = {"job": job, "response": shown(res)}
    job, res = inputs.upload_text(input_id="loose-note", raw_text="no dataset for me")
    out["upload_text"] = {"job": job, "response": shown(res)}

    out["list_inputs"] = [shown(i) for i in inputs.list_inputs()]
    out["list_inputs.image"] = [i.id for i in inputs.list_inputs(input_type="image")]
    out["list_inputs.page"] = [i.id for i in inputs.list_inputs(page_no=1, per_page=3)]
    out["dataset.list_inputs"] = {
        d.id: sorted(i.id for i in d.list_inputs()) for d in (pets, notes, web)
    }
    out["list_concepts"] = sorted((c.id, c.name) for c in app.list_concepts())
    out.update(searches(app))

    version = pets.create_version(description="first cut")
    out["create_version"] = {"id": version.version.id, "description": version.version.description}
    archive = work / "pets.zip"
    version.export(save_path=str(archive))
    with zipfile.ZipFile(archive) as z:
        out["export"] = {name: exported(name, z.read(name)) for name in sorted(z.namelist())}
    return out


def searches(app) -> dict:
    """The SDK's Search over the app: filters as its docs write them, top-k
    and paged."""
    top = app.search(top_k=20)

    def found(**query) -> list[str]:
        return sorted(h.input.id for page in top.query(**query) for h in page.hits)

    paged = app.search(pagination=True)
    return {
        "search.cat": found(filters=[{"concepts": [{"id": "cat", "value": 1}]}]),
        "search.happy": found(filters=[{"metadata": {"mood": "happy"}}]),
        "search.texts": found(filters=[{"input_types": ["text"], "input_status_code": 30000}]),
        "search.notes": found(filters=[{"input_dataset_ids": ["notes"]}]),
        "search.dog_images": found(
            filters=[{"concepts": [{"name": "dog", "value": 1}]}, {"input_types": ["image"]}]
        ),
        "search.page": [
            h.input.id for page in paged.query(page_no=1, per_page=3) for h in page.hits
        ],
    }


def exported(name: str, content: bytes):
    """An archive entry as its user reads it: annotations as JSON, texts as
    text, pictures by their size."""
    if name.endswith(".json"):
        return json.loads(content)
    if name.endswith(".txt"):
        return content.decode()
    return list(Image.open(io.BytesIO(content)).size)


(work / "out.json").write_text(json.dumps(main()))
