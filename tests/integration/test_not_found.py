"""What every lookup of a missing object answers, over gRPC and REST: the
audit written down at server.status.not_found. CONN_DOES_NOT_EXIST (11101)
wherever the reference shows or leaves unsaid its answer (GetInput of a
deleted input is what Clarifai's own tests poll for), TASK_MISSING (54102)
for tasks, whose code the reference names "Task was not found."."""

from __future__ import annotations

import uuid

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf.message import Message

from server import bootstrap, contract
from tests.conftest import Account

ME = r.UserAppIDSet(user_id="me", app_id="main")

# Get RPCs that look nothing up by id (counts and summaries).
NO_LOOKUP = {"GetInputCount", "GetConceptCounts", "GetFeedbackSummary", "GetResourceCounts"}

# Each Get RPC asked for an object that is not there: (request, code, words
# the details hold). "cat" and "ds" exist (the fixture makes them).
GETS: dict[str, list[tuple[Message, int, str]]] = {
    "GetApp": [
        (s.GetAppRequest(user_app_id=r.UserAppIDSet(user_id="me", app_id="ghost")), 11101, "ghost")
    ],
    "GetUser": [(s.GetUserRequest(user_app_id=r.UserAppIDSet(user_id="nobody")), 11101, "nobody")],
    "GetKey": [(s.GetKeyRequest(user_app_id=ME, key_id="ghost"), 11101, "'ghos")],
    "GetStatusCode": [(s.GetStatusCodeRequest(status_code_id="1"), 11101, "'1'")],
    "GetConcept": [(s.GetConceptRequest(user_app_id=ME, concept_id="ghost"), 11101, "ghost")],
    "GetConceptLanguage": [
        (
            s.GetConceptLanguageRequest(user_app_id=ME, concept_id="ghost", language="fr"),
            11101,
            "ghost",
        ),
        (s.GetConceptLanguageRequest(user_app_id=ME, concept_id="cat", language="fr"), 11101, "fr"),
    ],
    "GetInput": [(s.GetInputRequest(user_app_id=ME, input_id="ghost"), 11101, "ghost")],
    "GetSearch": [(s.GetSearchRequest(user_app_id=ME, id="ghost"), 11101, "ghost")],
    "GetAnnotation": [
        (
            s.GetAnnotationRequest(user_app_id=ME, input_id="in", annotation_id="ghost"),
            11101,
            "ghost",
        )
    ],
    # Models answer MODEL_DOES_NOT_EXIST (the clarifai SDK matches its wording).
    "GetModel": [(s.GetModelRequest(user_app_id=ME, model_id="ghost"), 21200, "ghost")],
    "GetModelOutputInfo": [(s.GetModelRequest(user_app_id=ME, model_id="ghost"), 21200, "ghost")],
    "GetModelVersion": [
        (s.GetModelVersionRequest(user_app_id=ME, model_id="ghost", version_id="v"), 21200, "ghost")
    ],
    # Workflows answer WORKFLOW_DOES_NOT_EXIST, as models answer theirs.
    "GetWorkflow": [(s.GetWorkflowRequest(user_app_id=ME, workflow_id="ghost"), 22102, "ghost")],
    "GetWorkflowVersion": [
        (
            s.GetWorkflowVersionRequest(
                user_app_id=ME, workflow_id="ghost", workflow_version_id="v"
            ),
            22102,
            "ghost",
        )
    ],
    "GetModelType": [
        (s.GetModelTypeRequest(user_app_id=ME, model_type_id="ghost"), 11101, "ghost")
    ],
    "GetDataset": [(s.GetDatasetRequest(user_app_id=ME, dataset_id="ghost"), 11101, "ghost")],
    "GetDatasetInput": [
        (
            s.GetDatasetInputRequest(user_app_id=ME, dataset_id="ghost", input_id="in"),
            11101,
            "ghost",
        ),
        (
            s.GetDatasetInputRequest(user_app_id=ME, dataset_id="ds", input_id="ghost"),
            11101,
            "ghost",
        ),
    ],
    "GetDatasetVersion": [
        (
            s.GetDatasetVersionRequest(user_app_id=ME, dataset_id="ghost", dataset_version_id="v"),
            11101,
            "ghost",
        ),
        (
            s.GetDatasetVersionRequest(user_app_id=ME, dataset_id="ds", dataset_version_id="ghost"),
            11101,
            "ghost",
        ),
    ],
    "GetCollector": [(s.GetCollectorRequest(user_app_id=ME, collector_id="ghost"), 11101, "ghost")],
    "GetTask": [(s.GetTaskRequest(user_app_id=ME, task_id="ghost"), 54102, "ghost")],
    "GetLabelOrder": [
        (s.GetLabelOrderRequest(user_app_id=ME, label_order_id="ghost"), 11101, "ghost")
    ],
    "GetTaskInputCount": [(s.GetTaskCountRequest(user_app_id=ME, task_id="ghost"), 54102, "ghost")],
    "GetTaskAnnotationCount": [
        (s.GetTaskCountRequest(user_app_id=ME, task_id="ghost"), 54102, "ghost")
    ],
    "GetInputsAddJob": [(s.GetInputsAddJobRequest(user_app_id=ME, id="ghost"), 11101, "ghost")],
    "GetBulkOperation": [(s.GetBulkOperationRequest(user_app_id=ME, id="ghost"), 11101, "ghost")],
    "GetUpload": [(s.GetUploadRequest(user_app_id=ME, upload_id="ghost"), 11101, "ghost")],
    "GetInputsExtractionJob": [
        (
            s.GetInputsExtractionJobRequest(user_app_id=ME, inputs_extraction_job_id="ghost"),
            11101,
            "ghost",
        )
    ],
    "GetAnnotationFilter": [
        (s.GetAnnotationFilterRequest(user_app_id=ME, annotation_filter_id="ghost"), 11101, "ghost")
    ],
    "GetAppDuplication": [
        (
            s.GetAppDuplicationRequest(
                user_app_id=r.UserAppIDSet(user_id="me"), app_duplication_id="ghost"
            ),
            11101,
            "ghost",
        )
    ],
    # Models answer MODEL_DOES_NOT_EXIST (21200), as GetModel does.
    "GetModelVersionMetrics": [
        (
            s.GetModelVersionMetricsRequest(user_app_id=ME, model_id="ghost", version_id="v"),
            21200,
            "ghost",
        )
    ],
    "GetModelVersionEvaluation": [
        (
            s.GetModelVersionEvaluationRequest(
                user_app_id=ME, model_id="ghost", model_version_id="v", evaluation_id="e"
            ),
            21200,
            "ghost",
        )
    ],
    "GetEvaluation": [
        (s.GetEvaluationRequest(user_app_id=ME, evaluation_id="ghost"), 11101, "ghost")
    ],
}

# Patch and Delete calls naming an object that is not there.
CHANGES: list[tuple[str, Message, int]] = [
    (
        "PatchInputs",
        s.PatchInputsRequest(user_app_id=ME, action="merge", inputs=[r.Input(id="ghost")]),
        11101,
    ),
    ("DeleteInput", s.DeleteInputRequest(user_app_id=ME, input_id="ghost"), 11101),
    ("DeleteInputs", s.DeleteInputsRequest(user_app_id=ME, ids=["ghost"]), 11101),
    (
        "PatchAnnotations",
        s.PatchAnnotationsRequest(
            user_app_id=ME, action="merge", annotations=[r.Annotation(id="ghost", input_id="in")]
        ),
        11101,
    ),
    (
        "DeleteAnnotation",
        s.DeleteAnnotationRequest(user_app_id=ME, input_id="in", annotation_id="ghost"),
        11101,
    ),
    (
        "DeleteAnnotations",
        s.DeleteAnnotationsRequest(user_app_id=ME, ids=["ghost"], input_ids=["in"]),
        11101,
    ),
    (
        "PostAnnotations",
        s.PostAnnotationsRequest(user_app_id=ME, annotations=[r.Annotation(input_id="ghost")]),
        11101,
    ),
    (
        "PatchConcepts",
        s.PatchConceptsRequest(
            user_app_id=ME, action="overwrite", concepts=[r.Concept(id="ghost")]
        ),
        11101,
    ),
    (
        "PatchDatasets",
        s.PatchDatasetsRequest(user_app_id=ME, action="merge", datasets=[r.Dataset(id="ghost")]),
        11101,
    ),
    ("DeleteDatasets", s.DeleteDatasetsRequest(user_app_id=ME, dataset_ids=["ghost"]), 11101),
    (
        "DeleteDatasetInputs",
        s.DeleteDatasetInputsRequest(user_app_id=ME, dataset_id="ds", input_ids=["ghost"]),
        11101,
    ),
    (
        "DeleteDatasetVersions",
        s.DeleteDatasetVersionsRequest(
            user_app_id=ME, dataset_id="ds", dataset_version_ids=["ghost"]
        ),
        11101,
    ),
    (
        "PatchCollectors",
        s.PatchCollectorsRequest(
            user_app_id=ME, action="overwrite", collectors=[r.Collector(id="ghost")]
        ),
        11101,
    ),
    ("DeleteCollectors", s.DeleteCollectorsRequest(user_app_id=ME, ids=["ghost"]), 11101),
    ("DeleteKey", s.DeleteKeyRequest(user_app_id=ME, key_id="ghost"), 11101),
    ("DeleteSearch", s.DeleteSearchRequest(user_app_id=ME, id="ghost"), 11101),
    ("PostSearchesByID", s.PostSearchesByIDRequest(user_app_id=ME, id="ghost"), 11101),
    (
        "PatchSearches",
        s.PatchSearchesRequest(user_app_id=ME, action="overwrite", searches=[r.Search(id="ghost")]),
        11101,
    ),
    (
        "PatchApps",
        s.PatchAppsRequest(
            user_app_id=r.UserAppIDSet(user_id="me"), action="overwrite", apps=[r.App(id="ghost")]
        ),
        11101,
    ),
    (
        "DeleteApp",
        s.DeleteAppRequest(user_app_id=r.UserAppIDSet(user_id="me", app_id="ghost")),
        11101,
    ),
    (
        "PatchTasks",
        s.PatchTasksRequest(user_app_id=ME, action="merge", tasks=[r.Task(id="ghost")]),
        54102,
    ),
    ("DeleteTasks", s.DeleteTasksRequest(user_app_id=ME, ids=["ghost"]), 54102),
    (
        "PatchLabelOrders",
        s.PatchLabelOrdersRequest(
            user_app_id=ME, action="merge", label_orders=[r.LabelOrder(id="ghost")]
        ),
        11101,
    ),
    ("DeleteLabelOrders", s.DeleteLabelOrdersRequest(user_app_id=ME, ids=["ghost"]), 11101),
]


@pytest.fixture(scope="module")
async def app(server, stub) -> Account:
    """An account of the module's own (every call here must change nothing)
    whose app has a concept "cat", a dataset "ds" and an input "in"."""
    account = Account(**await bootstrap.create(server.db, user_id=f"nf{uuid.uuid4().hex[:10]}"))
    md = account.md()
    for reply in (
        await stub.PostConcepts(
            s.PostConceptsRequest(user_app_id=ME, concepts=[r.Concept(id="cat")]), metadata=md
        ),
        await stub.PostDatasets(
            s.PostDatasetsRequest(user_app_id=ME, datasets=[r.Dataset(id="ds")]), metadata=md
        ),
        await stub.PostInputs(
            s.PostInputsRequest(
                user_app_id=ME, inputs=[r.Input(id="in", data=r.Data(text=r.Text(raw="x")))]
            ),
            metadata=md,
        ),
    ):
        assert reply.status.code == sc.SUCCESS, reply.status
    return account


def test_every_get_rpc_is_audited():
    """A Get RPC declared later joins the table (and the audit) or fails here."""
    gets = {name for name in contract.methods() if name.startswith("Get")}
    assert gets - NO_LOOKUP == set(GETS)


@pytest.mark.parametrize("rpc", sorted(GETS))
async def test_get_of_a_missing_object(transport, app, rpc):
    for request, code, words in GETS[rpc]:
        res = await transport.call(rpc, request, app.md(), http_status=404)
        assert res.status.code == code, (rpc, request, res.status)
        assert words in res.status.details, (rpc, res.status.details)
        assert [f.name for f, _ in res.ListFields()] == ["status"], res


@pytest.mark.parametrize("rpc,request_,code", CHANGES, ids=[c[0] for c in CHANGES])
async def test_change_of_a_missing_object(transport, app, rpc, request_, code):
    res = await transport.call(rpc, request_, app.md(), http_status=404)
    assert res.status.code == code, (rpc, res.status)
    # (Keys are masked where they are named: "ghos****...".)
    assert "ghos" in res.status.details, (rpc, res.status.details)
