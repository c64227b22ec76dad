"""Annotation filters with the official Python client, clarifai-grpc
12.2.11, unchanged: run by the reference environment's interpreter, never
imported by the test process.

    python scenario_annotation_filters_grpc.py grpc|json ADDRESS USER_ID PAT NEW_APP

Makes NEW_APP (base workflow Empty) with a dataset of two texts (a dog, a
cat), a filter of dogs, names it the dataset's default, patches it, and
builds a version with it. Prints one JSON object: every response as the
client parsed it, keyed by step.
"""

from __future__ import annotations

import json
import sys
import time

from clarifai_grpc.grpc.api import resources_pb2 as r
from clarifai_grpc.grpc.api import service_pb2 as s
from clarifai_grpc.grpc.api.status import status_code_pb2 as sc
from scenario_steps import Steps

mode, address, user_id, pat, new_app = sys.argv[1:6]
steps = Steps(mode, address, pat)
out, step = steps.out, steps.step
mine = r.UserAppIDSet(user_id=user_id, app_id=new_app)


def concept_search(concept: str) -> r.Search:
    concepts = [r.Concept(id=concept, value=1)]
    annotation = r.Annotation(data=r.Data(concepts=concepts))
    return r.Search(query=r.Query(filters=[r.Filter(annotation=annotation)]))


step(
    "PostApps",
    "PostApps",
    s.PostAppsRequest(
        user_app_id=r.UserAppIDSet(user_id=user_id),
        apps=[r.App(id=new_app, default_workflow_id="Empty")],
    ),
)
step(
    "PostDatasets.plain",
    "PostDatasets",
    s.PostDatasetsRequest(user_app_id=mine, datasets=[r.Dataset(id="ds")]),
)
step(
    "PostInputs",
    "PostInputs",
    s.PostInputsRequest(
        user_app_id=mine,
        inputs=[
            r.Input(
                id=input_id,
                dataset_ids=["ds"],
                data=r.Data(
                    text=r.Text(raw=f"a {concept}"), concepts=[r.Concept(id=concept, value=1)]
                ),
            )
            for input_id, concept in (("dog1", "dog"), ("cat1", "cat"))
        ],
    ),
)
step(
    "PostAnnotationFilters",
    "PostAnnotationFilters",
    s.PostAnnotationFiltersRequest(
        user_app_id=mine,
        annotation_filters=[r.AnnotationFilter(id="pets", search=concept_search("cat"))],
    ),
)
step(
    "PatchAnnotationFilters",
    "PatchAnnotationFilters",
    s.PatchAnnotationFiltersRequest(
        user_app_id=mine,
        action="overwrite",
        annotation_filters=[r.AnnotationFilter(id="pets", search=concept_search("dog"))],
    ),
)
step(
    "GetAnnotationFilter",
    "GetAnnotationFilter",
    s.GetAnnotationFilterRequest(user_app_id=mine, annotation_filter_id="pets"),
)
step(
    "ListAnnotationFilters",
    "ListAnnotationFilters",
    s.ListAnnotationFiltersRequest(user_app_id=mine),
)
step(
    "PatchDatasets",
    "PatchDatasets",
    s.PatchDatasetsRequest(
        user_app_id=mine,
        action="merge",
        datasets=[r.Dataset(id="ds", default_annotation_filter=r.AnnotationFilter(id="pets"))],
    ),
)
step("GetDataset", "GetDataset", s.GetDatasetRequest(user_app_id=mine, dataset_id="ds"))
config = r.AnnotationFilterConfig(ignore_empty_inputs=True)
step(
    "PostDatasetVersions",
    "PostDatasetVersions",
    s.PostDatasetVersionsRequest(
        user_app_id=mine,
        dataset_id="ds",
        dataset_versions=[r.DatasetVersion(id="v1", annotation_filter_config=config)],
    ),
)
deadline = time.monotonic() + 120
while True:
    got = step(
        "GetDatasetVersion",
        "GetDatasetVersion",
        s.GetDatasetVersionRequest(user_app_id=mine, dataset_id="ds", dataset_version_id="v1"),
    )
    if got.dataset_version.status.code == sc.DATASET_VERSION_READY or time.monotonic() > deadline:
        break
    time.sleep(0.2)
step(
    "DeleteAnnotationFilters.named",
    "DeleteAnnotationFilters",
    s.DeleteAnnotationFiltersRequest(user_app_id=mine, annotation_filter_ids=["pets"]),
)
print(json.dumps(out))
