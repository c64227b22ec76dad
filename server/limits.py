"""How much one request may carry, for every message a request can hold.

Two tables, keyed by (message full name, field name):

- `ITEMS`: each repeated field's most items. 128 for every batch a call
  writes or deletes (the reference's PostInputs and Post/PatchAnnotations
  limit, taken for every batch); 1000, `per_page`'s most, for the ids a
  list filters on; smaller or larger elsewhere as noted.
- `TEXT`: each string field's most characters (`None` for metadata's
  strings only, which the request's size bounds). Fields that no entry
  names follow `_text_rule`: ids at `ids.MAX_ID_LENGTH`, names at
  `NAME`, descriptions at `DESCRIPTION`, enum-like strings at `SHORT`.

The dispatcher applies both (`check_request`) to every request, through the
family's `Checks`, before its handler runs: an oversized request writes
nothing and reads nothing. tests/unit/test_limits.py fails when a message a
request can reach has a repeated field with no entry here, or a string
field no entry or rule covers, so a new RPC's fields get a stated limit and
the walk covers them by itself.

Every bound on a string that reaches an index keeps its longest value (4
UTF-8 bytes a character) under PostgreSQL's btree limit of about 2,700
bytes: ids 48 × 4, names 256 × 4.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from server.domain.workflow_graph import MAX_NODES
from server.ids import MAX_ID_LENGTH

if TYPE_CHECKING:
    from server.checks import Checks

BATCH = 128  # items a batch call writes, reads by id or deletes
ID_FILTER = 1000  # ids a list filters on: per_page's most
FEW = 32  # small closed sets: enum values, formats, origins
MANY = 1000  # a key's scopes or endpoints (the reference has ~400 RPCs), a task's concepts
POINTS = 10_000  # a polygon's points
LIST_VALUES = 10_000  # a metadata list's values

NAME = 256
DESCRIPTION = 4096
NOTES = 65_536  # markdown notes
URL = 2048
MEDIA_URL = 4 * URL
SHORT = 64  # enum-like strings: actions, types, languages, formats
EMAIL = 254  # RFC 5321's longest address
STATUS_TEXT = 4096
TEXT_RAW = 20 * 1024 * 1024  # the reference's 20 MB per text input

_API = "clarifai.api."

# (message, field) -> most items. Message names are relative to clarifai.api.
_ITEMS: dict[tuple[str, str], int] = {
    ("PostAppsRequest", "apps"): BATCH,
    ("PostAppDuplicationsRequest", "app_duplications"): BATCH,
    ("AppDuplication", "progress"): FEW,  # output only
    # A caller's metrics: values posted in bulk, each with a few tags.
    ("PostStatValuesRequest", "stat_values"): MANY,
    ("StatValue", "tags"): FEW,
    ("PostStatValuesAggregateRequest", "stat_value_aggregate_queries"): FEW,
    ("StatValueAggregateQuery", "tags"): FEW,
    ("StatValueAggregateQuery", "tag_groups"): FEW,
    # Outputs only (requests may carry them; nothing reads them).
    ("Data", "embeddings"): FEW,
    ("Data", "frames"): MANY,
    ("Embedding", "vector"): 4096,
    ("PatchAppsRequest", "apps"): BATCH,
    ("Workflow", "use_cases"): FEW,
    ("Workflow", "check_consents"): FEW,
    ("PostKeysRequest", "keys"): BATCH,
    ("PatchKeysRequest", "keys"): BATCH,
    ("Key", "scopes"): MANY,
    ("Key", "endpoints"): MANY,
    ("Key", "apps"): BATCH,
    ("PostCollaboratorsRequest", "collaborators"): BATCH,
    ("PatchCollaboratorsRequest", "collaborators"): BATCH,
    ("Collaborator", "scopes"): MANY,
    ("Collaborator", "endpoints"): MANY,
    ("DeleteCollaboratorsRequest", "collaborator_ids"): BATCH,
    ("DeleteCollaboratorsRequest", "user_emails"): BATCH,
    ("PostConceptRelationsRequest", "concept_relations"): BATCH,
    ("DeleteConceptRelationsRequest", "ids"): BATCH,
    ("PostConceptsRequest", "concepts"): BATCH,
    ("PatchConceptsRequest", "concepts"): BATCH,
    ("PostConceptLanguagesRequest", "concept_languages"): BATCH,
    ("PatchConceptLanguagesRequest", "concept_languages"): BATCH,
    ("PostInputsRequest", "inputs"): BATCH,
    ("PatchInputsRequest", "inputs"): BATCH,
    ("ListInputsRequest", "ids"): ID_FILTER,
    ("DeleteInputsRequest", "ids"): BATCH,
    ("PostInputsDataSourcesRequest", "data_sources"): BATCH,
    ("PostInputsUploadsRequest", "inputs_uploads"): BATCH,
    ("CancelInputsExtractionJobsRequest", "ids"): BATCH,
    ("HostedURL", "sizes"): FEW,
    ("Data", "concepts"): BATCH,
    ("Data", "regions"): BATCH,
    ("Geo", "geo_box"): 2,  # a box: two corners
    ("Polygon", "points"): POINTS,
    ("status.Status", "stack_trace"): FEW,
    ("Input", "dataset_ids"): BATCH,
    ("PostAnnotationsRequest", "annotations"): BATCH,
    ("PatchAnnotationsRequest", "annotations"): BATCH,
    ("ListAnnotationsRequest", "ids"): ID_FILTER,
    ("ListAnnotationsRequest", "input_ids"): ID_FILTER,
    ("ListAnnotationsRequest", "user_ids"): ID_FILTER,
    ("ListAnnotationsRequest", "model_version_ids"): ID_FILTER,
    ("ListAnnotationsRequest", "statuses"): FEW,
    ("PatchAnnotationsStatusRequest", "user_ids"): ID_FILTER,
    ("PatchAnnotationsStatusRequest", "status_codes"): FEW,
    ("DeleteAnnotationsRequest", "ids"): BATCH,
    ("DeleteAnnotationsRequest", "input_ids"): BATCH,
    ("PostDatasetsRequest", "datasets"): BATCH,
    ("PatchDatasetsRequest", "datasets"): BATCH,
    ("DeleteDatasetsRequest", "dataset_ids"): BATCH,
    ("PostDatasetInputsRequest", "dataset_inputs"): BATCH,
    ("DeleteDatasetInputsRequest", "input_ids"): BATCH,
    ("ListDatasetVersionsRequest", "request_origins"): FEW,
    ("ListDatasetVersionMetricsGroupsRequest", "parent_paths"): FEW,
    ("ListDatasetVersionMetricsGroupsRequest", "types"): FEW,
    ("ListDatasetVersionMetricsGroupsRequest", "values"): ID_FILTER,
    ("PostDatasetVersionsRequest", "dataset_versions"): BATCH,
    ("PatchDatasetVersionsRequest", "dataset_versions"): BATCH,
    ("DeleteDatasetVersionsRequest", "dataset_version_ids"): BATCH,
    ("PutDatasetVersionExportsRequest", "exports"): FEW,
    ("PostCollectorsRequest", "collectors"): BATCH,
    ("PatchCollectorsRequest", "collectors"): BATCH,
    ("DeleteCollectorsRequest", "ids"): BATCH,
    ("PostTasksRequest", "tasks"): BATCH,
    ("PatchTasksRequest", "tasks"): BATCH,
    ("DeleteTasksRequest", "ids"): BATCH,
    ("TaskWorker", "user_ids"): BATCH,
    ("TaskWorker", "users"): BATCH,
    ("TaskWorker", "workers"): BATCH,
    ("TaskReview", "user_ids"): BATCH,
    ("TaskReview", "users"): BATCH,
    ("Task", "concept_ids"): MANY,
    ("Task", "concepts"): MANY,
    # Server-filled (ignored when sent): one entry per reviewer.
    ("TaskReviewMetrics", "inputs_count_estimated_per_reviewer"): BATCH,
    ("TaskReviewMetrics", "inputs_reviewable_count_estimated_per_reviewer"): BATCH,
    ("TaskReviewMetrics", "inputs_percent_estimated_per_reviewer"): BATCH,
    ("LabelSubmitConfig", "task_assignments"): BATCH,
    ("ReviewStartConfig", "workers"): BATCH,
    ("ReviewApproveConfig", "task_assignments"): BATCH,
    ("ReviewApproveConfig", "workers"): BATCH,
    ("ReviewRequestChangesConfig", "task_assignments"): BATCH,
    ("ReviewRequestChangesConfig", "workers"): BATCH,
    ("ReviewRejectConfig", "task_assignments"): BATCH,
    ("ReviewRejectConfig", "workers"): BATCH,
    ("ListTasksRequest", "worker_user_ids"): ID_FILTER,
    ("ListTasksRequest", "review_user_ids"): ID_FILTER,
    ("ListTasksRequest", "ids"): ID_FILTER,
    ("ListTasksRequest", "input_source_ids"): ID_FILTER,
    ("ListTasksRequest", "label_order_ids"): ID_FILTER,
    ("PostLabelOrdersRequest", "label_orders"): BATCH,
    ("PatchLabelOrdersRequest", "label_orders"): BATCH,
    ("DeleteLabelOrdersRequest", "ids"): BATCH,
    ("PostUploadsRequest", "uploads"): BATCH,
    # Parts' bytes are bounded by server/services/uploads.py and the
    # request's size.
    ("PutUploadContentPartsRequest", "content_parts"): BATCH,
    ("DeleteUploadsRequest", "ids"): BATCH,
    ("ListTasksRequest", "additional_fields"): FEW,
    ("ListTasksRequest", "worker_ids"): ID_FILTER,
    ("GetTaskCountRequest", "user_ids"): ID_FILTER,
    ("GetTaskCountRequest", "model_version_ids"): ID_FILTER,
    ("GetTaskCountRequest", "workflow_version_ids"): ID_FILTER,
    ("ListAnnotationWorkersRequest", "additional_fields"): FEW,
    # ---- bulk operations: an input_ids source may name many inputs ----
    ("PostBulkOperationsRequest", "bulk_operations"): BATCH,
    ("InputIDs", "input_ids"): 100_000,
    ("AddConcepts", "concepts"): BATCH,
    ("DeleteConcepts", "concepts"): BATCH,
    ("DeleteConcepts", "user_ids"): BATCH,
    ("SplitIntoDatasets", "dataset_splits"): FEW,
    ("CancelBulkOperationRequest", "ids"): BATCH,
    ("DeleteBulkOperationRequest", "ids"): BATCH,
    # ---- predictions ----
    ("PostModelOutputsRequest", "inputs"): BATCH,
    # ---- models and model versions ----
    ("GetModelRequest", "additional_fields"): FEW,
    ("ListModelsRequest", "additional_fields"): FEW,
    ("ListModelsRequest", "input_fields"): FEW,
    ("ListModelsRequest", "output_fields"): FEW,
    ("ListModelsRequest", "toolkits"): FEW,
    ("ListModelsRequest", "use_cases"): FEW,
    ("ListModelsRequest", "languages"): FEW,
    ("ListModelsRequest", "model_version_ids"): ID_FILTER,
    ("PostModelsRequest", "models"): BATCH,
    ("PatchModelsRequest", "models"): BATCH,
    ("PatchModelIdsRequest", "ids"): BATCH,
    ("DeleteModelsRequest", "ids"): BATCH,
    # Evaluations (PostModelVersionEvaluations carries EvalMetrics, and
    # through them a Model): outputs a client may echo back; nothing reads
    # them but eval_info. Model entries shared with the models family.
    ("PostModelVersionEvaluationsRequest", "eval_metrics"): BATCH,
    ("ListEvaluationsRequest", "concept_ids"): ID_FILTER,
    ("EvalMetrics", "binary_metrics"): MANY,
    ("EvalMetrics", "metrics_by_class"): MANY,
    ("EvalMetrics", "test_set"): LIST_VALUES,
    ("EvalTestSetEntry", "predicted_concepts"): MANY,
    ("EvalTestSetEntry", "ground_truth_concepts"): MANY,
    ("ConfusionMatrix", "matrix"): LIST_VALUES,
    ("ConfusionMatrix", "concept_ids"): MANY,
    ("LabelDistribution", "positive_label_counts"): MANY,
    ("ROC", "fpr"): LIST_VALUES,
    ("ROC", "tpr"): LIST_VALUES,
    ("ROC", "thresholds"): LIST_VALUES,
    ("PrecisionRecallCurve", "recall"): LIST_VALUES,
    ("PrecisionRecallCurve", "precision"): LIST_VALUES,
    ("PrecisionRecallCurve", "thresholds"): LIST_VALUES,
    ("Model", "toolkits"): FEW,
    ("Model", "use_cases"): FEW,
    ("Model", "languages"): FEW,
    ("Model", "check_consents"): FEW,
    ("PatchModelCheckConsentsRequest", "check_consents"): FEW,
    ("PatchModelToolkitsRequest", "toolkits"): FEW,
    ("PatchModelUseCasesRequest", "usecases"): FEW,
    ("PatchModelLanguagesRequest", "languages"): FEW,
    ("ListModelVersionsRequest", "concept_ids"): ID_FILTER,
    # One version per request (PostModelVersions says so past one).
    ("PostModelVersionsRequest", "model_versions"): FEW,
    ("PatchModelVersionsRequest", "model_versions"): BATCH,
    ("OutputConfig", "select_concepts"): MANY,
    # Outputs only (a version's output_info and metrics as the server wrote
    # them; requests may echo them back, nothing reads them).
    ("OutputInfo", "params_specs"): FEW,
    ("ModelTypeField", "model_type_enum_options"): FEW,
    ("ModelTypeEnumOption", "aliases"): FEW,
    ("ModelTypeEnumOption", "model_type_fields"): FEW,
    # ---- workflows ----
    ("Workflow", "nodes"): MAX_NODES,
    ("WorkflowVersion", "nodes"): MAX_NODES,
    ("WorkflowNode", "node_inputs"): MAX_NODES,
    ("PostWorkflowsRequest", "workflows"): BATCH,
    ("PatchWorkflowsRequest", "workflows"): BATCH,
    ("PatchWorkflowIdsRequest", "ids"): BATCH,
    ("DeleteWorkflowsRequest", "ids"): BATCH,
    ("GetWorkflowRequest", "additional_fields"): FEW,
    ("ListWorkflowsRequest", "additional_fields"): FEW,
    # The reference's most inputs per workflow prediction (docs' "Workflow
    # Predict"; the SDK's constants).
    ("PostWorkflowResultsRequest", "inputs"): 32,
    ("PatchWorkflowVersionsRequest", "workflow_versions"): BATCH,
    ("DeleteWorkflowVersionsRequest", "workflow_version_ids"): BATCH,
    ("PostWorkflowVersionsPublishRequest", "publications"): BATCH,
    ("PostWorkflowVersionsUnPublishRequest", "publications"): BATCH,
    # ---- searches ----
    # One search runs (or is saved) per request; several are patched at once.
    ("PostInputsSearchesRequest", "searches"): 1,
    ("PostAnnotationsSearchesRequest", "searches"): 1,
    ("PostSearchesRequest", "searches"): 1,
    ("PatchSearchesRequest", "searches"): BATCH,
    ("PatchInputsSearchesRequest", "searches"): BATCH,
    ("PatchAnnotationsSearchesRequest", "searches"): BATCH,
    ("PostAnnotationFiltersRequest", "annotation_filters"): BATCH,
    ("PatchAnnotationFiltersRequest", "annotation_filters"): BATCH,
    ("DeleteAnnotationFiltersRequest", "annotation_filter_ids"): BATCH,
    ("Query", "filters"): BATCH,
    ("Query", "ands"): BATCH,
    # Each rank may embed a query (an image, a text): a few per search.
    ("Query", "ranks"): FEW,
}
ITEMS: dict[tuple[str, str], int] = {(_API + m, f): n for (m, f), n in _ITEMS.items()}
ITEMS[("google.protobuf.ListValue", "values")] = LIST_VALUES

# (message, field) -> most characters, where `_text_rule` does not say it.
_TEXT: dict[tuple[str, str], int | None] = {
    ("AppDuplication", "new_app_name"): NAME,
    ("AppCopyProgress", "field"): SHORT,
    # "group:tag" strings, filtered on (a GIN index).
    ("StatValue", "tags"): NAME,
    ("StatValueAggregateQuery", "tags"): NAME,
    ("StatValueAggregateQuery", "tag_groups"): NAME,
    # Inputs check their URLs more strictly (INPUT_INVALID_URL, URL UTF-8
    # bytes: the column is indexed); this bounds them anywhere else.
    ("Image", "url"): MEDIA_URL,
    ("Upload", "content_name"): NAME,
    ("Upload", "content_url"): URL,
    ("Video", "url"): MEDIA_URL,
    ("Audio", "url"): MEDIA_URL,
    ("Text", "url"): MEDIA_URL,
    ("Text", "raw"): TEXT_RAW,
    # Data sources: checked as URLs of at most URL UTF-8 bytes, and keys of
    # other clouds (a session token can run to a kilobyte or more).
    ("DataSourceURL", "url"): MEDIA_URL,
    ("AWSCreds", "region"): SHORT,
    ("AWSCreds", "id"): NAME,
    ("AWSCreds", "secret"): NAME,
    ("AWSCreds", "token"): DESCRIPTION,
    ("AzureBlobCreds", "account_name"): NAME,
    ("AzureBlobCreds", "account_key"): NAME,
    ("Span", "raw_text"): TEXT_RAW,
    ("Token", "raw_text"): TEXT_RAW,
    ("HostedURL", "prefix"): URL,
    ("HostedURL", "suffix"): URL,
    ("DatasetVersionExport", "url"): URL,
    ("ListDatasetVersionMetricsGroupsRequest", "parent_paths"): SHORT,
    ("status.RedirectInfo", "url"): URL,
    ("status.RedirectInfo", "resource_type"): SHORT,
    ("status.RedirectInfo", "old_resource_id"): STATUS_TEXT,
    ("status.RedirectInfo", "new_resource_id"): STATUS_TEXT,
    ("status.Status", "req_id"): STATUS_TEXT,
    # Ids of the caller's own systems, not ours: any form, index-safe.
    ("FeedbackInfo", "end_user_id"): NAME,
    ("FeedbackInfo", "session_id"): NAME,
    ("FeedbackInfo", "output_id"): NAME,
    ("FeedbackInfo", "search_id"): NAME,
    ("FeedbackFilter", "end_user_id"): NAME,
    ("FeedbackFilter", "session_id"): NAME,
    ("User", "primary_email"): EMAIL,
    # ---- models and model versions ----
    ("ListTasksRequest", "additional_fields"): SHORT,
    ("ListAnnotationWorkersRequest", "additional_fields"): SHORT,
    ("GetModelRequest", "additional_fields"): SHORT,
    ("ListModelsRequest", "additional_fields"): SHORT,
    ("ListModelsRequest", "input_fields"): SHORT,
    ("ListModelsRequest", "output_fields"): SHORT,
    ("ListModelsRequest", "toolkits"): SHORT,
    ("ListModelsRequest", "use_cases"): SHORT,
    ("ListModelsRequest", "languages"): SHORT,
    ("ListModelsRequest", "creator"): MAX_ID_LENGTH,
    ("ListModelsRequest", "search"): NAME,
    ("ListModelsRequest", "query"): NAME,
    ("ListModelConceptsRequest", "search"): NAME,
    ("Model", "display_name"): NAME,
    ("Model", "toolkits"): SHORT,
    ("Model", "use_cases"): SHORT,
    ("Model", "languages"): SHORT,
    ("Model", "check_consents"): SHORT,
    ("Model", "creator"): MAX_ID_LENGTH,
    ("PatchModelCheckConsentsRequest", "check_consents"): SHORT,
    ("PatchModelToolkitsRequest", "toolkits"): SHORT,
    ("PatchModelUseCasesRequest", "usecases"): SHORT,
    ("PatchModelLanguagesRequest", "languages"): SHORT,
    ("ModelVersion", "license"): NAME,
    # Outputs only: written by the server (echoed back at most).
    ("OutputInfo", "message"): STATUS_TEXT,
    ("ModelVersion", "train_log"): STATUS_TEXT,
    ("ModelTypeField", "path"): NAME,
    ("ModelTypeField", "placeholder"): NAME,
    ("ModelTypeEnumOptionAlias", "wildcard_string"): NAME,
    ("ConfusionMatrixEntry", "predicted"): MAX_ID_LENGTH,
    ("ConfusionMatrixEntry", "actual"): MAX_ID_LENGTH,
    ("LabelCount", "concept_name"): NAME,
    ("DeleteCollaboratorsRequest", "user_emails"): EMAIL,
    ("User", "first_name"): NAME,
    ("User", "last_name"): NAME,
    ("User", "company_name"): NAME,
    ("Key", "scopes"): NAME,
    ("Key", "endpoints"): NAME,
    ("Collaborator", "scopes"): NAME,
    ("Collaborator", "endpoints"): NAME,
    ("Workflow", "use_cases"): NAME,
    ("Workflow", "check_consents"): NAME,
    ("DatasetVersion.MetricsEntry", "key"): NAME,
    ("Search", "algorithm"): SHORT,
    # Output only: the user who made a bulk operation.
    ("BulkOperation", "created_by"): MAX_ID_LENGTH,
    # Evaluations and the Model they reach (shared with the models family).
    # ---- workflows ----
    ("GetWorkflowRequest", "additional_fields"): SHORT,
    ("ListWorkflowsRequest", "additional_fields"): SHORT,
    ("ListWorkflowsRequest", "search"): NAME,
    ("ListWorkflowsRequest", "query"): NAME,
    ("ListWorkflowsRequest", "search_term"): NAME,
    ("WorkflowVersion", "license"): NAME,
}
TEXT: dict[tuple[str, str], int | None] = {(_API + m, f): n for (m, f), n in _TEXT.items()}
# Metadata: the reference states no size; it is stored as JSON and no index
# holds its strings, so the request's size bounds it.
TEXT[("google.protobuf.Struct.FieldsEntry", "key")] = None
TEXT[("google.protobuf.Value", "string_value")] = None


# Enum-like strings: a patch action, a key type, a language code, an image
# format, a relation's predicate.
_SHORT_FIELDS = frozenset(
    {
        "action",
        "color_mode",
        "crossorigin",
        "default_language",
        "format",
        "key_type",
        "language",
        "predicate",
        "sizes",
        "type",
    }
)


def _text_rule(message: str, field: str) -> int | None:
    if (message, field) in TEXT:
        return TEXT[(message, field)]
    if message.startswith(_API + "status."):
        return STATUS_TEXT
    if field in ("id", "ids", "last_id") or field.endswith(("_id", "_ids")):
        return MAX_ID_LENGTH
    if field == "name":
        return NAME
    if field in ("description", "definition"):
        return DESCRIPTION
    if field == "notes":
        return NOTES
    if field in _SHORT_FIELDS:
        return SHORT
    raise KeyError(f"{message}.{field}: no stated length limit (server/limits.py)")


def declared(message: str, field: str) -> bool:
    """Whether a string field's limit is stated (by entry or by rule)."""
    try:
        _text_rule(message, field)
    except KeyError:
        return False
    return True


def most_items(message: str, field: str) -> int:
    return ITEMS.get((message, field), BATCH)


def most_characters(message: str, field: str) -> int | None:
    """A string field's most characters; one declared since (which the
    unit test would have caught) is held to a name's length."""
    return _text_rule(message, field) if declared(message, field) else NAME


def check_request(check: Checks, request: Message) -> None:
    """Every list and string in `request`, at any depth, within its limit;
    the first that is not fails the call, named by where it was sent."""
    for where, descriptor, field, value in _fields(request, ""):
        if field.is_repeated and not _is_map(field):
            check.at_most(value, where, most_items(descriptor.full_name, field.name))
        if field.type == FieldDescriptor.TYPE_STRING:
            most = most_characters(descriptor.full_name, field.name)
            values = value if field.is_repeated else [value]
            for n, text in enumerate(values):
                at = f"{where}[{n}]" if field.is_repeated else where
                check.text(text, at, most)


def _is_map(field: FieldDescriptor) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def _fields(
    message: Message, path: str
) -> Iterator[tuple[str, Descriptor, FieldDescriptor, object]]:
    """Each field set in `message` and below, with where it is; a message
    too small to break any limit below it is passed over."""
    for field, value in message.ListFields():
        where = f"{path}.{field.name}" if path else field.name
        yield where, message.DESCRIPTOR, field, value
        if _is_map(field):
            entry = field.message_type
            key, val = entry.fields_by_name["key"], entry.fields_by_name["value"]
            for k, v in value.items():
                if key.type == FieldDescriptor.TYPE_STRING:
                    yield f"{where}.key", entry, key, k
                if val.message_type is not None and not _small(v):
                    yield from _fields(v, f"{where}.{k}"[:200])
        elif field.message_type is not None:
            items = value if field.is_repeated else [value]
            for n, item in enumerate(items):
                if not _small(item):
                    yield from _fields(item, f"{where}[{n}]" if field.is_repeated else where)


def _small(message: Message) -> bool:
    """Whether `message` is smaller, encoded, than every limit below it: a
    string takes at least its length in bytes and a list item at least one,
    so then nothing in it can be over its limit."""
    return message.ByteSize() <= _floor(message.DESCRIPTOR)


@cache
def _floor(descriptor: Descriptor) -> float:
    """The smallest limit on any list or string in `descriptor`'s messages
    (itself and every type below it, recursive ones included: a Struct's
    lists are metadata lists)."""
    found = float("inf")
    stack, seen = [descriptor], {descriptor.full_name}
    while stack:
        here = stack.pop()
        for field in here.fields:
            if field.is_repeated and not _is_map(field):
                found = min(found, most_items(here.full_name, field.name))
            if field.type == FieldDescriptor.TYPE_STRING:
                found = min(found, most_characters(here.full_name, field.name) or found)
            child = field.message_type
            if child is not None and child.full_name not in seen:
                seen.add(child.full_name)
                stack.append(child)
    return found
