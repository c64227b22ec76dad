"""One user's scenario with the official Python client, clarifai-grpc 12.2.11,
unchanged: run by the reference environment's interpreter, never imported by
the test process (both define the clarifai.api proto symbols).

    python scenario_clarifai_grpc.py grpc|json|aio ADDRESS USER_ID PAT APP_KEY NEW_APP PNG_B64

ADDRESS is the gRPC port (grpc, aio) or the REST base URL (json). The calls
are made with the client's own request classes as its users write them: an
app-specific key for data in app "main" (the key names the app), the PAT for
apps, keys and a few calls that name user and app. Prints one JSON object:
every response as the client parsed it, keyed by step.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import sys
import zipfile

import requests
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2 as r
from clarifai_grpc.grpc.api import service_pb2 as s
from clarifai_grpc.grpc.api import service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2 as sc
from clarifai_grpc.grpc.api.status import status_pb2
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct

mode, address, user_id, pat, app_key, new_app, png_b64 = sys.argv[1:8]
png = base64.b64decode(png_b64)


def struct(**values) -> Struct:
    out = Struct()
    out.update(values)
    return out


async def scenario(call) -> dict:
    """`call(rpc, request, token)` returns the parsed response."""
    out: dict = {}

    async def step(name, rpc, request, token=app_key):
        res = await call(rpc, request, token)
        out[name] = json_format.MessageToDict(
            res, preserving_proto_field_name=True, use_integers_for_enums=True
        )
        return res

    main = r.UserAppIDSet(user_id=user_id, app_id="main")

    # Apps and keys: PAT only.
    await step(
        "PostApps",
        "PostApps",
        s.PostAppsRequest(
            user_app_id=r.UserAppIDSet(user_id=user_id),
            apps=[r.App(id=new_app, description="made by clarifai-grpc")],
        ),
        pat,
    )
    made = await step(
        "PostKeys",
        "PostKeys",
        s.PostKeysRequest(
            user_app_id=r.UserAppIDSet(user_id="me"),
            keys=[r.Key(description="scenario key", scopes=["All"], apps=[r.App(id=new_app)])],
        ),
        pat,
    )
    new_key = made.keys[0].id if made.keys else "missing"
    await step("MyScopes", "MyScopes", s.MyScopesRequest())
    await step("MyScopes.new_key", "MyScopes", s.MyScopesRequest(), new_key)

    # Concepts.
    await step(
        "PostConcepts",
        "PostConcepts",
        s.PostConceptsRequest(
            concepts=[r.Concept(id="cat", name="Cat"), r.Concept(id="dog", name="Dog")]
        ),
    )
    await step("ListConcepts", "ListConcepts", s.ListConceptsRequest(per_page=10))
    await step(
        "PatchConcepts",
        "PatchConcepts",
        s.PatchConceptsRequest(action="overwrite", concepts=[r.Concept(id="cat", name="Kitty")]),
    )

    # Inputs: text, and an image sent as bytes.
    await step(
        "PostInputs",
        "PostInputs",
        s.PostInputsRequest(
            inputs=[
                r.Input(
                    id="note",
                    data=r.Data(text=r.Text(raw="a cat on a mat"), metadata=struct(source="sdk")),
                ),
                r.Input(
                    id="photo",
                    data=r.Data(
                        image=r.Image(base64=png), concepts=[r.Concept(id="cat", value=1.0)]
                    ),
                ),
            ]
        ),
    )
    got = await step("GetInput", "GetInput", s.GetInputRequest(input_id="photo"))
    # The hosted copy, fetched as a user fetches it: its URL and the key.
    hosted = requests.get(got.input.data.image.url, headers={"Authorization": "Key " + app_key})
    out["media"] = {"http": hosted.status_code, "same_bytes": hosted.content == png}
    out["hosted_media"] = hosted_media(got.input.data.image)
    await step("ListInputs", "ListInputs", s.ListInputsRequest(user_app_id=main), pat)
    await step(
        "PatchInputs",
        "PatchInputs",
        s.PatchInputsRequest(
            action="merge",
            inputs=[r.Input(id="note", data=r.Data(metadata=struct(reviewed=True)))],
        ),
    )

    # A bounding box labelled with a concept.
    box = r.BoundingBox(top_row=0.125, left_col=0.25, bottom_row=0.75, right_col=0.5)
    await step(
        "PostAnnotations",
        "PostAnnotations",
        s.PostAnnotationsRequest(
            annotations=[
                r.Annotation(
                    input_id="photo",
                    data=r.Data(
                        regions=[
                            r.Region(
                                region_info=r.RegionInfo(bounding_box=box),
                                data=r.Data(concepts=[r.Concept(id="dog", value=1.0)]),
                            )
                        ]
                    ),
                )
            ]
        ),
    )
    await step("ListAnnotations", "ListAnnotations", s.ListAnnotationsRequest(input_ids=["photo"]))

    # Datasets.
    await step(
        "PostDatasets",
        "PostDatasets",
        s.PostDatasetsRequest(datasets=[r.Dataset(id="pets", description="pet pictures")]),
    )
    await step(
        "PostDatasetInputs",
        "PostDatasetInputs",
        s.PostDatasetInputsRequest(
            dataset_id="pets",
            dataset_inputs=[
                r.DatasetInput(input=r.Input(id="note")),
                r.DatasetInput(input=r.Input(id="photo")),
            ],
        ),
    )
    await step(
        "ListDatasetInputs", "ListDatasetInputs", s.ListDatasetInputsRequest(dataset_id="pets")
    )

    # A version of the dataset, exported; the archive fetched at its URL with
    # no credentials, as from the hosted API.
    await step(
        "PostDatasetVersions",
        "PostDatasetVersions",
        s.PostDatasetVersionsRequest(dataset_id="pets", dataset_versions=[r.DatasetVersion()]),
    )
    version_id = out["PostDatasetVersions"]["dataset_versions"][0]["id"]
    await step(
        "PutDatasetVersionExports",
        "PutDatasetVersionExports",
        s.PutDatasetVersionExportsRequest(
            dataset_id="pets",
            dataset_version_id=version_id,
            exports=[r.DatasetVersionExport(format=r.CLARIFAI_DATA_PROTOBUF)],
        ),
    )
    for _ in range(200):
        version = await call(
            "GetDatasetVersion",
            s.GetDatasetVersionRequest(dataset_id="pets", dataset_version_id=version_id),
            app_key,
        )
        export = version.dataset_version.export_info.clarifai_data_protobuf
        if export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS:
            break
        await asyncio.sleep(0.05)
    archive = requests.get(export.url)
    with zipfile.ZipFile(io.BytesIO(archive.content)) as unpacked:
        mimetype = unpacked.read("mimetype").decode()
    out["export"] = {
        "http": archive.status_code,
        "content_type": archive.headers["Content-Type"],
        "mimetype": mimetype,
    }

    # A collector posting into this app with the app key.
    await step(
        "PostCollectors",
        "PostCollectors",
        s.PostCollectorsRequest(
            collectors=[
                r.Collector(
                    id="general-collector",
                    description="what the general model sees",
                    pre_queue_workflow_id="Universal",
                    post_queue_workflow_id="General",
                    collector_source=r.CollectorSource(
                        api_post_model_outputs_collector_source=r.APIPostModelOutputsCollectorSource(
                            model_user_id="clarifai",
                            model_app_id="main",
                            model_id="general-image-recognition",
                            model_version_id="aa7f35c01e0642fda5cf400f543e7c40",
                            post_inputs_key_id=app_key,
                        )
                    ),
                )
            ]
        ),
    )
    await step("ListCollectors", "ListCollectors", s.ListCollectorsRequest())

    # A labeling task for the app owner on the dataset.
    tasks = await step(
        "PostTasks",
        "PostTasks",
        s.PostTasksRequest(
            tasks=[
                r.Task(
                    type=r.Task.CONCEPTS_CLASSIFICATION,
                    name="Label cats",
                    worker=r.TaskWorker(
                        strategy=r.TaskWorker.FULL, workers=[r.Worker(user=r.User(id=user_id))]
                    ),
                    concepts=[r.TaskConcept(concept=r.Concept(id="cat"))],
                    input_source=r.TaskInputSource(type=r.TaskInputSource.DATASET, id="pets"),
                    review=r.TaskReview(strategy=r.TaskReview.NONE),
                )
            ]
        ),
    )
    task_id = tasks.tasks[0].id if tasks.tasks else "missing"
    # "me": the PAT's own user.
    me = r.UserAppIDSet(user_id="me", app_id="main")
    await step("ListTasks", "ListTasks", s.ListTasksRequest(user_app_id=me), pat)
    await step(
        "PatchTasks",
        "PatchTasks",
        s.PatchTasksRequest(
            action="merge",
            tasks=[r.Task(id=task_id, status=status_pb2.Status(code=sc.TASK_DONE))],
        ),
    )

    # Deleting the inputs; the list is then empty.
    await step("DeleteInputs", "DeleteInputs", s.DeleteInputsRequest(ids=["note", "photo"]))
    await step("ListInputs.after", "ListInputs", s.ListInputsRequest())

    await step("BadKey", "ListInputs", s.ListInputsRequest(), "not-a-key")
    return out


def hosted_media(image: r.Image) -> dict:
    """The hosted copy's sizes fetched as the reference's own secure data
    hosting test fetches them (prefix/size/suffix; each way to send a
    token; a token nobody holds; nothing), answered by the status codes
    seen over all sizes."""
    h = image.hosted
    urls = ["/".join([h.prefix, size, h.suffix]) for size in h.sizes]
    dummy = "0" * 32

    def seen(**kw) -> list[int]:
        return sorted({requests.get(url, **kw).status_code for url in urls})

    return {
        "sizes": list(h.sizes),
        "good": [
            seen(headers={"Authorization": "Key " + app_key}),
            seen(headers={"Authorization": "Key " + pat}),
            seen(headers={"X-Clarifai-Session-Token": pat}),
            seen(cookies={"x_clarifai_session_token": pat}),
            seen(cookies={"x-clarifai-api-key": app_key}),
            seen(cookies={"x-clarifai-api-key": pat}),
        ],
        "bad": [
            seen(headers={"X-Clarifai-Session-Token": dummy}),
            seen(headers={"Authorization": "Key " + dummy}),
            seen(cookies={"x_clarifai_session_token": dummy}),
            seen(cookies={"x-clarifai-api-key": dummy}),
        ],
        "none": seen(),
    }


def md(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", "Key " + token),)


async def run() -> dict:
    if mode == "aio":
        port = int(address)
        channel = ClarifaiChannel.get_aio_insecure_grpc_channel(base="127.0.0.1", port=port)
        async with channel:
            stub = service_pb2_grpc.V2Stub(channel)

            async def call(rpc, request, token):
                return await getattr(stub, rpc)(request, metadata=md(token))

            return await scenario(call)
    if mode == "grpc":
        channel = ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=int(address))
    elif mode == "json":
        channel = ClarifaiChannel.get_json_channel(base_url=address)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    stub = service_pb2_grpc.V2Stub(channel)

    async def call(rpc, request, token):
        return getattr(stub, rpc)(request, metadata=md(token))

    return await scenario(call)


print(json.dumps(asyncio.run(run())))
