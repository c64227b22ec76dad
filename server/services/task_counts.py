"""GetTaskInputCount, GetTaskAnnotationCount: what each worker of a task has
done, by status (server/task_counts.py says what counts).

user_ids, model_version_ids and workflow_version_ids name the workers to
count (OR-ed; every worker when none is given; user "me" is the caller).
Inputs are labeled by the task's users only, so an input count names
model or workflow versions to no effect. Annotations are the user's or
the model version's that wrote them; this server writes none as a
workflow's, so workflow_version_ids add no worker.
"""

from __future__ import annotations

from clarifai.api import service_pb2

from server import labeling, task_counts
from server.checks import Checks
from server.dispatch import Call
from server.services import rpc
from server.status import Code

Request = service_pb2.GetTaskCountRequest
# A missing task is TASK_MISSING, as GetTask answers it.
check = Checks(Code.CONN_INVALID_REQUEST, missing_code=Code.TASK_MISSING)


def _ids(call: Call, request: Request) -> tuple[list[str], list[str], bool]:
    """The user ids ("me" the caller) and model version ids asked for, and
    whether any filter was given."""
    for name in ("user_ids", "model_version_ids", "workflow_version_ids"):
        for n, value in enumerate(getattr(request, name)):
            check.required(value, f"{name}[{n}]")
    users = [call.user_id if u == "me" else u for u in request.user_ids]
    filtered = bool(users or request.model_version_ids or request.workflow_version_ids)
    return users, list(request.model_version_ids), filtered


@rpc
async def GetTaskInputCount(call: Call, request: Request):
    users, _, filtered = _ids(call, request)
    plan = await labeling.plan_for(call, request.task_id)
    workers = [w for w in plan.workers if w in users] if filtered else plan.workers
    counts = await task_counts.input_counts(call, plan, workers)
    return task_counts.count_response(plan.row.id, call, counts)


@rpc
async def GetTaskAnnotationCount(call: Call, request: Request):
    users, versions, filtered = _ids(call, request)
    plan = await labeling.plan_for(call, request.task_id)
    if filtered and not (users or versions):
        return task_counts.count_response(plan.row.id, call, [])
    counts = await task_counts.annotation_counts(call, plan.row.id, users, versions)
    return task_counts.count_response(plan.row.id, call, counts)
