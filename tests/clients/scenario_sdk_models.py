"""Predicting and training with the official clarifai SDK (12.3.5),
unchanged: run by the SDK environment's interpreter, never imported by the
test process.

    python scenario_sdk_models.py GRPC_PORT USER_ID PAT WORKDIR

WORKDIR holds photo.jpg, red/*.png, blue/*.png, red_probe.png and
blue_probe.png. Writes WORKDIR/out.json: what each step gave the user.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from clarifai.client.input import Inputs
from clarifai.client.model import Model
from clarifai.client.user import User

port, user_id, pat, workdir = sys.argv[1:5]
work = Path(workdir)
base = f"http://localhost:{port}"
APP = "sdk-models"


def concepts(prediction) -> list[list]:
    return [[c.id, c.name, round(c.value, 4)] for c in prediction.outputs[0].data.concepts]


def main() -> dict:
    out: dict = {}
    # Clarifai's documented example, with this server's address.
    general = Model(
        user_id="clarifai",
        app_id="main",
        model_id="general-image-recognition",
        pat=pat,
        base_url=base,
    )
    out["general"] = concepts(general.predict_by_bytes((work / "photo.jpg").read_bytes(), "image"))
    out["general.top3"] = concepts(
        general.predict_by_bytes(
            (work / "photo.jpg").read_bytes(), "image", output_config={"max_concepts": 3}
        )
    )

    user = User(user_id=user_id, pat=pat, base_url=base)
    app = user.create_app(app_id=APP, base_workflow="Universal")
    inputs = Inputs(user_id=user_id, app_id=APP, pat=pat, base_url=base)
    protos = [
        Inputs.get_input_from_bytes(
            f"{color}-{path.stem}", image_bytes=path.read_bytes(), labels=[color]
        )
        for color in ("red", "blue")
        for path in sorted((work / color).glob("*.png"))
    ]
    inputs.upload_inputs(protos, show_log=False)

    model = app.create_model(model_id="colors", model_type_id="embedding-classifier")
    params = model.get_params(save_to=str(work / "params.yaml"))
    out["params"] = sorted(params)
    model.update_params(concepts=["red", "blue"])
    version_id = model.train()
    out["version_id"] = version_id
    deadline = time.monotonic() + 180
    status = model.training_status(version_id=version_id)
    while status.code in (21103, 21101) and time.monotonic() < deadline:
        time.sleep(0.5)
        status = model.training_status(version_id=version_id)
    out["training_status"] = [status.code, status.description]

    trained = Model(user_id=user_id, app_id=APP, model_id="colors", pat=pat, base_url=base)
    out["red_probe"] = concepts(
        trained.predict_by_bytes((work / "red_probe.png").read_bytes(), "image")
    )
    out["blue_probe"] = concepts(
        trained.predict_by_bytes((work / "blue_probe.png").read_bytes(), "image")
    )
    return out


(work / "out.json").write_text(json.dumps(main()))
