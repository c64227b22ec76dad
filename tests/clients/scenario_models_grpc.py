"""Predicting, training and evaluating with the official Python client,
clarifai-grpc 12.2.11, unchanged: run by the reference environment's
interpreter, never imported by the test process.

    python scenario_models_grpc.py grpc|json ADDRESS USER_ID PAT NEW_APP MEDIA_JSON BAD_URL

MEDIA_JSON is a file of base64 images: "photo", "red" and "blue" (lists, the
training set), "red_probe", "blue_probe". Prints one JSON object: every
response as the client parsed it, keyed by step.
"""

from __future__ import annotations

import json
import sys
import time

from clarifai_grpc.grpc.api import resources_pb2 as r
from clarifai_grpc.grpc.api import service_pb2 as s
from clarifai_grpc.grpc.api.status import status_code_pb2 as sc
from scenario_steps import Steps

mode, address, user_id, pat, new_app, media_json, bad_url = sys.argv[1:8]
with open(media_json) as f:
    media = json.load(f)

steps = Steps(mode, address, pat)
out, step = steps.out, steps.step


def image(b64: str, **kw) -> r.Input:
    return r.Input(data=r.Data(image=r.Image(base64=__import__("base64").b64decode(b64)), **kw))


def until(name: str, rpc: str, request, done, seconds: float = 180):
    """Poll as a user would, until `done(response)` or the time is up."""
    deadline = time.monotonic() + seconds
    while True:
        res = step(name, rpc, request)
        if done(res) or time.monotonic() > deadline:
            return res
        time.sleep(0.5)


main = r.UserAppIDSet(user_id="clarifai", app_id="main")
mine = r.UserAppIDSet(user_id=user_id, app_id=new_app)

# Clarifai's own examples: the general model of clarifai/main by its id.
step(
    "predict.general",
    "PostModelOutputs",
    s.PostModelOutputsRequest(
        user_app_id=main,
        model_id="aaa03c23b3724a16a56b629203edc62c",
        inputs=[image(media["photo"])],
    ),
)
step(
    "predict.max_concepts",
    "PostModelOutputs",
    s.PostModelOutputsRequest(
        user_app_id=main,
        model_id="general-image-recognition",
        inputs=[image(media["photo"])],
        model=r.Model(
            model_version=r.ModelVersion(
                output_info=r.OutputInfo(output_config=r.OutputConfig(max_concepts=3))
            )
        ),
    ),
)
step(
    "predict.mixed",
    "PostModelOutputs",
    s.PostModelOutputsRequest(
        user_app_id=main,
        model_id="general-image-recognition",
        inputs=[image(media["photo"]), r.Input(data=r.Data(image=r.Image(url=bad_url)))],
    ),
)
step(
    "predict.text",
    "PostModelOutputs",
    s.PostModelOutputsRequest(
        user_app_id=main,
        model_id="text-embedder",
        inputs=[r.Input(data=r.Data(text=r.Text(raw="a man eating food")))],
    ),
)
step(
    "GetModel.main",
    "GetModel",
    s.GetModelRequest(user_app_id=main, model_id="general-image-recognition"),
)

# A classifier of one's own: inputs with concepts, a model, a version trained.
step(
    "PostApps",
    "PostApps",
    s.PostAppsRequest(user_app_id=r.UserAppIDSet(user_id=user_id), apps=[r.App(id=new_app)]),
)
inputs = [
    image(b64, concepts=[r.Concept(id=color, value=1.0)])
    for color in ("red", "blue")
    for b64 in media[color]
]
step("PostInputs", "PostInputs", s.PostInputsRequest(user_app_id=mine, inputs=inputs))
step(
    "PostModels",
    "PostModels",
    s.PostModelsRequest(
        user_app_id=mine, models=[r.Model(id="colors", model_type_id="embedding-classifier")]
    ),
)
made = step(
    "PostModelVersions",
    "PostModelVersions",
    s.PostModelVersionsRequest(
        user_app_id=mine,
        model_id="colors",
        model_versions=[
            r.ModelVersion(
                output_info=r.OutputInfo(
                    data=r.Data(concepts=[r.Concept(id="red"), r.Concept(id="blue")])
                )
            )
        ],
    ),
)
version = made.model.model_version.id
until(
    "GetModel.trained",
    "GetModel",
    s.GetModelRequest(user_app_id=mine, model_id="colors"),
    lambda res: (
        res.model.model_version.status.code not in (sc.MODEL_QUEUED_FOR_TRAINING, sc.MODEL_TRAINING)
    ),
)
step(
    "PostModelVersionMetrics",
    "PostModelVersionMetrics",
    s.PostModelVersionMetricsRequest(user_app_id=mine, model_id="colors", version_id=version),
)
until(
    "GetModelVersionMetrics",
    "GetModelVersionMetrics",
    s.GetModelVersionMetricsRequest(
        user_app_id=mine,
        model_id="colors",
        version_id=version,
        fields=r.FieldsValue(confusion_matrix=True, binary_metrics=True),
    ),
    lambda res: (
        res.model_version.metrics.status.code
        not in (sc.MODEL_QUEUED_FOR_EVALUATION, sc.MODEL_EVALUATING)
    ),
)
step(
    "predict.trained",
    "PostModelOutputs",
    s.PostModelOutputsRequest(
        user_app_id=mine,
        model_id="colors",
        inputs=[image(media["red_probe"]), image(media["blue_probe"])],
    ),
)

# Workflows: clarifai/main's General on the photo; one of one's own chaining
# clarifai/main's embedder (the docs' ids) into the classifier just trained.
step(
    "workflow.general",
    "PostWorkflowResults",
    s.PostWorkflowResultsRequest(
        user_app_id=main, workflow_id="General", inputs=[image(media["photo"])]
    ),
)
step(
    "PostWorkflows",
    "PostWorkflows",
    s.PostWorkflowsRequest(
        user_app_id=mine,
        workflows=[
            r.Workflow(
                id="colors-flow",
                nodes=[
                    r.WorkflowNode(
                        id="embed",
                        model=r.Model(
                            id="bbb5f41425b8468d9b7a554ff10f8581",
                            model_version=r.ModelVersion(id="bb186755eda04f9cbb6fe32e816be104"),
                        ),
                        suppress_output=True,
                    ),
                    r.WorkflowNode(
                        id="colors",
                        model=r.Model(id="colors"),
                        node_inputs=[r.NodeInput(node_id="embed")],
                    ),
                ],
            )
        ],
    ),
)
step(
    "workflow.mine",
    "PostWorkflowResults",
    s.PostWorkflowResultsRequest(
        user_app_id=mine,
        workflow_id="colors-flow",
        inputs=[image(media["red_probe"]), image(media["blue_probe"])],
    ),
)
print(json.dumps(out))
