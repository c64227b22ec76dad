"""Clarifai status codes: one error type, one wording table, one HTTP mapping.

Every failure in the server is an ApiError carrying a Clarifai code and
details naming what was wrong. The dispatcher turns it into the RPC's own
response with `status` set; the REST port maps the code to an HTTP status.
"""

from __future__ import annotations

from functools import cache

from clarifai.api.status import status_code_pb2, status_pb2

Code = status_code_pb2.StatusCode

# The reference's wording. Where the documentation's old and new tables
# differ, the wording seen on the wire wins (it matches the old table).
DESCRIPTIONS: dict[int, str] = {
    Code.SUCCESS: "Ok",
    Code.MIXED_STATUS: "Mixed Success",
    Code.FAILURE: "Failure",
    Code.TRY_AGAIN: "Try again",
    Code.NOT_IMPLEMENTED: "Not implemented",
    Code.MOVED: "Resource moved",
    Code.ACCEPTED: "Accepted",
    Code.CONN_ACCOUNT_ISSUES: "Account or plan issue",
    Code.CONN_CREDENTIALS_INVALID: "Invalid credentials",
    Code.CONN_EXCEED_HOURLY_LIMIT: "Exceeded hourly usage limit",
    Code.CONN_EXCEED_MONTHLY_LIMIT: "Exceeded monthly usage limit",
    Code.CONN_THROTTLED: "Making too many requests",
    Code.CONN_EXCEEDS_LIMITS: "Account limits exceeded",
    Code.CONN_INSUFFICIENT_SCOPES: "API key has insufficient scopes",
    Code.CONN_KEY_INVALID: "Invalid API key or Invalid API key/application pair",
    Code.CONN_KEY_NOT_FOUND: "API key not found",
    Code.CONN_BAD_REQUEST_FORMAT: "Bad request format",
    Code.CONN_DOES_NOT_EXIST: "Resource does not exist",
    Code.CONN_INVALID_REQUEST: "Invalid request",
    Code.CONN_METHOD_NOT_ALLOWED: "Method not allowed",
    Code.CONN_NO_GDPR_CONSENT: "No GDPR consent",
    Code.CONN_AUTH_METHOD_DISABLED: "Authentication method is disabled",
    Code.MODEL_DOES_NOT_EXIST: "Model does not exist",
    Code.MODEL_INVALID_REQUEST: "Invalid model request",
    Code.MODEL_TRAINED: "Model is trained and ready",
    Code.MODEL_TRAINING: "Model is currently training",
    Code.MODEL_UNTRAINED: "Model has not yet been trained",
    Code.MODEL_QUEUED_FOR_TRAINING: "Model is currently in queue for training",
    Code.MODEL_TRAINING_FAILED: "Model training had an error",
    Code.MODEL_TRAINING_NO_DATA: "Custom model training had no data",
    Code.MODEL_TRAINING_NO_POSITIVES: "Custom model training had no positive examples",
    Code.MODEL_TRAINING_ONE_VS_N_SINGLE_CLASS: (
        "Custom model training was ONE_VS_N but with a single class"
    ),
    Code.MODEL_TRAINING_TIMED_OUT: "Training took longer than hard coded timeouts",
    Code.MODEL_TRAINING_UNKNOWN_ERROR: "Training got error",
    Code.MODEL_TRAINING_INSUFFICIENT_DATA: "Custom model training had insufficient data",
    Code.MODEL_TRAINING_INVALID_PARAMS: "Invalid hyperparameters",
    Code.MODEL_EVALUATING: "Model is evaluating",
    Code.MODEL_EVALUATED: "Model was successfully evaluated",
    Code.MODEL_NOT_EVALUATED: "Model is not evaluated",
    Code.MODEL_EVALUATION_FAILED: "Model evaluation failed",
    Code.MODEL_QUEUED_FOR_EVALUATION: "Model is queued for evaluation",
    Code.WORKFLOW_INVALID_REQUEST: "Invalid request",
    Code.ANNOTATION_SUCCESS: "Annotation success",
    Code.ANNOTATION_PENDING: "Annotation pending",
    Code.ANNOTATION_FAILED: "Annotation failed; check URL",
    Code.ANNOTATION_UNKNOWN_STATUS: "Annotation unknown status",
    Code.ANNOTATION_INVALID_ARGUMENT: "Annotation invalid argument",
    Code.ANNOTATION_PERMISSION_DENIED: "Permission to annotation denied",
    Code.ANNOTATION_AWAITING_REVIEW: "Annotation still waiting for review",
    Code.ANNOTATION_REVIEW_DENIED: "Annotation review denied",
    Code.ANNOTATION_AWAITING_CONSENSUS_REVIEW: "Annotation still waiting for consensus review",
    Code.INPUT_SUCCESS: "Download complete",
    Code.INPUT_PENDING: "Download pending",
    Code.INPUT_FAILED: (
        "Download failed or we could not process it. Check URL or bytes you send in the request."
    ),
    Code.INPUT_IN_PROGRESS: "Download in progress",
    Code.INPUT_DUPLICATE: (
        "Duplicate URL in your application. Check the documentation to allow duplications."
    ),
    Code.INPUT_DOES_NOT_EXIST: "Input does not exist",
    Code.INPUT_INVALID_URL: "Input image URL invalid",
    Code.INPUT_INVALID_ARGUMENT: "Input invalid argument",
    Code.INPUT_INVALID_REQUEST: "Invalid input request",
    Code.PREDICT_INVALID_REQUEST: "Invalid request",
    Code.SEARCH_INVALID_REQUEST: "Invalid search request",
    Code.CONCEPTS_INVALID_REQUEST: "Invalid request",
    Code.DATABASE_DUPLICATE_KEY: (
        "Object has a duplicate ID; another object with same ID already exist"
    ),
    Code.RPC_MAX_MESSAGE_SIZE_EXCEEDED: "Request exceeds the maximum message size",
    Code.RPC_SERVER_UNAVAILABLE: "Service unavailable, please retry",
    Code.INTERNAL_UNCATEGORIZED: "Internal error",
    # Tasks: no wire text is published; the reference's own comments.
    Code.TASK_CONFLICT: "The task operation is in conflict with the current state of the server",
    Code.TASK_MISSING: "Task was not found",
    # Label orders: no wire text is published; the reference's LabelOrder
    # names the stages (pending QA review, in progress, ready for release).
    Code.LABEL_ORDER_PENDING: "Label order pending QA review",
    Code.LABEL_ORDER_IN_PROGRESS: "Label order in progress",
    Code.LABEL_ORDER_SUCCESS: "Label order ready for release",
    Code.LABEL_ORDER_CANCELED: "Label order canceled",
}

# HTTP status on the REST port, by code. Unlisted codes go by their name
# (successes 200, "does not exist" 404), internal ones 500, the rest 400.
_HTTP: dict[int, int] = {
    Code.SUCCESS: 200,
    Code.MIXED_STATUS: 207,
    Code.ACCEPTED: 202,
    Code.MOVED: 307,
    Code.CONN_KEY_INVALID: 401,
    Code.CONN_KEY_NOT_FOUND: 401,
    Code.CONN_CREDENTIALS_INVALID: 401,
    Code.CONN_TOKEN_INVALID: 401,
    Code.CONN_INVALID_REQUEST: 400,
    Code.TASK_PERMISSION_DENIED: 403,
    Code.CONN_INSUFFICIENT_SCOPES: 403,
    Code.CONN_DOES_NOT_EXIST: 404,
    Code.MODEL_DOES_NOT_EXIST: 404,
    Code.INPUT_DOES_NOT_EXIST: 404,
    Code.CONN_THROTTLED: 429,
    Code.CONN_METHOD_NOT_ALLOWED: 405,
    # The request body stopped arriving (server.rest_app.read_body).
    Code.RPC_REQUEST_TIMEOUT: 408,
    # An RPC of the reference this server does not serve: 501, as
    # grpc-gateway maps gRPC's unknown-method code 12 (google.rpc.Code).
    Code.NOT_IMPLEMENTED: 501,
    Code.INTERNAL_UNCATEGORIZED: 500,
    # The database is unavailable or the connection was lost: retry later.
    Code.RPC_SERVER_UNAVAILABLE: 503,
}


# Per-item and progress codes that report an accepted item (INPUT_PENDING,
# DATASET_INPUT_SUCCESS, ...): they count as successes in a batch.
_OK_SUFFIXES = (
    "SUCCESS",
    "_PENDING",
    "_IN_PROGRESS",
    "_AWAITING_REVIEW",
    "_AWAITING_CONSENSUS_REVIEW",
    "_READY",
    "_QUEUED",
    "_DONE",
    "_TRAINED",
)
_SUCCESS_LIKE = frozenset(
    v.number
    for v in Code.DESCRIPTOR.values
    if v.name.endswith(_OK_SUFFIXES) and "_NOT_" not in v.name
)
_NOT_FOUND = frozenset(
    v.number
    for v in Code.DESCRIPTOR.values
    if v.name.endswith(("_DOES_NOT_EXIST", "_NOT_FOUND", "_MISSING"))
)


def _name(code: int) -> str | None:
    value = Code.DESCRIPTOR.values_by_number.get(code)
    return value.name if value is not None else None


@cache
def description(code: int) -> str:
    """The reference wording, or the code's name made readable where the
    reference publishes none."""
    if code in DESCRIPTIONS:
        return DESCRIPTIONS[code]
    return (_name(code) or "UNKNOWN").replace("_", " ").capitalize()


def http_status(code: int) -> int:
    if code in _HTTP:
        return _HTTP[code]
    if code in _SUCCESS_LIKE:
        return 200
    if code in _NOT_FOUND:
        return 404
    if 98000 <= code < 100000:
        return 500
    return 400


def make_status(code: int, details: str = "", req_id: str = "") -> status_pb2.Status:
    return status_pb2.Status(
        code=code, description=description(code), details=details, req_id=req_id
    )


class ApiError(Exception):
    """A failure with its Clarifai code and details naming the offending field."""

    def __init__(self, code: int, details: str = "") -> None:
        super().__init__(f"{_name(code) or code}: {details}")
        self.code = code
        self.details = details

    def to_status(self, req_id: str = "") -> status_pb2.Status:
        return make_status(self.code, self.details, req_id)


# An object a request names by id that is not there (Get, Patch, Delete, or a
# call referring to it, e.g. PostAnnotations' input_id): CONN_DOES_NOT_EXIST,
# as the reference answers where its answer is shown, and where it is not.
#   GetInput, deleted or never made   11101  clarifai-python-grpc tests/common.py
#                                            (wait_for_inputs_delete polls for it)
#   PatchConcepts, concept not in app 11101  "Resource does not exist",
#                                            tests/client/test_concept_crud.py
#   PostApps / GetApp, a user the PAT 11101  clarifai SDK runners/models/
#   does not reach                           model_builder.py (_check_app_exists)
#   tasks (Get, Patch, Delete)        54102  TASK_MISSING, "Task was not found."
#                                            (status_code.proto): tasks.py sets it
#                                            as its Checks' missing_code
#   every other lookup (apps, users, keys, collaborators, status codes,
#   concepts and their languages and relations, inputs, annotations, datasets,
#   dataset inputs and versions, collectors): the reference is silent, 11101.
# INPUT_DOES_NOT_EXIST (30102) is not answered: GetInput shows the reference
# does not use it there. (Models will answer MODEL_DOES_NOT_EXIST: the clarifai
# SDK matches "Model does not exist" on GetModel.)
def not_found(kind: str, ident: str, at: str = "") -> ApiError:
    """`kind` (e.g. "input") `ident` is not there; `at` names the request
    field that named it."""
    details = f"{kind} '{ident}' not found"
    return ApiError(Code.CONN_DOES_NOT_EXIST, f"{at}: {details}" if at else details)


def internal_error(req_id: str) -> status_pb2.Status:
    """What a caller sees of an unexpected failure: the request id to quote
    (the log line carries the traceback), never the exception itself."""
    return make_status(
        Code.INTERNAL_UNCATEGORIZED,
        f"an unexpected error occurred; quote request id {req_id} to the operator",
        req_id,
    )


def unavailable(req_id: str, committing: bool = False) -> status_pb2.Status:
    """A call that could not reach the database (or lost it while
    committing): retryable, RPC_SERVER_UNAVAILABLE (HTTP 503)."""
    if committing:
        details = (
            "the connection to the database was lost while committing: the call's "
            "writes may or may not be saved; read them back before retrying"
        )
    else:
        details = "the database is unavailable; retry later"
    return make_status(Code.RPC_SERVER_UNAVAILABLE, details, req_id)


def batch_status(items: list[status_pb2.Status], req_id: str = "") -> status_pb2.Status:
    """The top-level status of a non-atomic batch from its per-item statuses:
    SUCCESS when every item succeeded, FAILURE when none did, MIXED_STATUS
    otherwise."""
    ok = sum(1 for s in items if http_status(s.code) < 300)
    if ok == len(items):
        return make_status(Code.SUCCESS, req_id=req_id)
    if ok == 0:
        return make_status(Code.FAILURE, "every item failed; see each item's status", req_id)
    return make_status(
        Code.MIXED_STATUS, f"{ok} of {len(items)} items succeeded; see each item's status", req_id
    )
