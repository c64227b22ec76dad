"""PutTaskAssignments, ListNextTaskAssignments: labeling and reviewing a
task (server/labeling.py holds the loop).

Only the task's workers label and only its reviewers review; anyone else
is refused with TASK_PERMISSION_DENIED. The caller is the user the key acts
for. An action answers the assignments it handed out or acted on, as they
are after it; acting on an assignment in another state leaves it as it is
(so a repeated call changes nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from clarifai.api import resources_pb2, service_pb2

from server import labeling
from server.checks import Checks
from server.dispatch import Call
from server.services import rpc
from server.status import ApiError, Code
from server.wire import task_assignments as wire
from storage import task_assignments as ta

Action = service_pb2.PutTaskAssignmentsRequestAction
Request = service_pb2.PutTaskAssignmentsRequest
check = Checks(Code.CONN_INVALID_REQUEST, missing_code=Code.TASK_MISSING)
# What a request names in a task (assignments, inputs) is missing as any object is.
check_named = Checks(Code.CONN_INVALID_REQUEST)

# Each action's config field, if it takes one.
CONFIGS = {
    Action.LABEL_START: None,
    Action.LABEL_SUBMIT: "label_submit_config",
    Action.REVIEW_START: "review_start_config",
    Action.REVIEW_APPROVE: "review_approve_config",
    Action.REVIEW_REQUEST_CHANGES: "review_request_changes_config",
    Action.REVIEW_REJECT: "review_reject_config",
}
REVIEWS = {
    Action.REVIEW_APPROVE: "approve",
    Action.REVIEW_REQUEST_CHANGES: "request_changes",
    Action.REVIEW_REJECT: "reject",
}


def _member(call: Call, plan: labeling.TaskPlan, role: str) -> str:
    members = plan.workers if role == "worker" else plan.reviewers
    if call.user_id not in members:
        raise ApiError(
            Code.TASK_PERMISSION_DENIED,
            f"user '{call.user_id}' is not a {role} of task '{plan.row.id}'",
        )
    return call.user_id


def _action(request: Request) -> int:
    """The action, its config matching it; the legacy input_id form is a
    LABEL_SUBMIT."""
    action = request.action
    if request.input_id and action not in (Action.LABEL_SUBMIT, 0):
        raise check.invalid("input_id goes with action LABEL_SUBMIT only")
    action = action or (Action.LABEL_SUBMIT if request.input_id else 0)
    wanted = check.one_of(action, CONFIGS, "action", "a PutTaskAssignmentsRequestAction")
    config = request.WhichOneof("action_config")
    if config and config != CONFIGS[wanted]:
        raise check.invalid(f"{config} does not go with action {Action.Name(wanted)}")
    return wanted


def _worker_ids(workers: Sequence[resources_pb2.Worker], at: str) -> list[str]:
    for n, w in enumerate(workers):
        check.required(w.user.id, f"{at}[{n}].user.id")
    return [w.user.id for w in workers]


async def _by_ids(
    call: Call,
    plan: labeling.TaskPlan,
    sent: Sequence[resources_pb2.TaskAssignment],
    at: str,
    *,
    lock: bool = True,
) -> list[ta.Row]:
    ids = check.ids([a.id for a in sent], f"{at}[{{n}}].id")
    found = await call.store.task_assignments.by_ids(plan.row.pk, ids, lock=lock)
    check_named.all_known(ids, found, "task assignment", f"{at}[{{n}}].id")
    return [found[i] for i in ids]


async def _submitted(call: Call, plan: labeling.TaskPlan, request: Request) -> list[ta.Row]:
    worker = _member(call, plan, "worker")
    if request.input_id:
        rows = await call.store.task_assignments.of_input_ids(
            plan.row.pk, worker, [request.input_id]
        )
        if not rows:
            raise check_named.missing("task assignment of input", request.input_id, "input_id")
        return await labeling.label_submit(call, plan, rows)
    sent = request.label_submit_config.task_assignments
    check.batch(sent, "label_submit_config.task_assignments")
    # Not locked here: label_submit locks them (with their inputs' others).
    rows = await _by_ids(call, plan, sent, "label_submit_config.task_assignments", lock=False)
    for n, row in enumerate(rows):
        if row.worker_user_id != worker:
            raise ApiError(
                Code.TASK_PERMISSION_DENIED,
                f"label_submit_config.task_assignments[{n}].id: assignment '{row.id}' is "
                f"'{row.worker_user_id}''s, not yours",
            )
    return await labeling.label_submit(call, plan, rows)


async def _reviewed(call: Call, plan: labeling.TaskPlan, request: Request) -> list[ta.Row]:
    reviewer = _member(call, plan, "reviewer")
    name = CONFIGS[request.action]
    config = getattr(request, name)
    if config.task_assignments and config.workers:
        raise check.invalid(f"{name}: send task_assignments or workers, not both")
    if config.task_assignments:
        rows = await _by_ids(call, plan, config.task_assignments, f"{name}.task_assignments")
    else:
        workers = _worker_ids(check.required(config.workers, f"{name}.workers"), f"{name}.workers")
        rows = await call.store.task_assignments.of_workers(
            plan.row.pk, workers, ta.AWAITING_REVIEW
        )
    return await labeling.review(call, plan, reviewer, rows, REVIEWS[request.action])


async def _acted(call: Call, plan: labeling.TaskPlan, request: Request, action: int):
    if action == Action.LABEL_START:
        return await labeling.label_start(call, plan, _member(call, plan, "worker"))
    if action == Action.LABEL_SUBMIT:
        return await _submitted(call, plan, request)
    if action == Action.REVIEW_START:
        reviewer = _member(call, plan, "reviewer")
        workers = _worker_ids(request.review_start_config.workers, "review_start_config.workers")
        return await labeling.review_start(call, plan, reviewer, workers)
    return await _reviewed(call, plan, request)


@rpc
async def PutTaskAssignments(call: Call, request: Request):
    action = _action(request)
    plan = await labeling.plan_for(call, request.task_id)
    rows = await _acted(call, plan, request, action)
    if action not in (Action.LABEL_START, Action.REVIEW_START):
        await labeling.settle_task(call, plan, first=call.user_id)
    inputs = await labeling.inputs_of(call, rows)
    return service_pb2.MultiTaskAssignmentResponse(
        task_assignments=[wire.assignment_proto(r, inputs[r.input_pk]) for r in rows]
    )


@rpc
async def ListNextTaskAssignments(call: Call, request: service_pb2.ListNextTaskAssignmentsRequest):
    plan = await labeling.plan_for(call, request.task_id)
    rows = await labeling.label_start(call, plan, _member(call, plan, "worker"))
    inputs = await labeling.inputs_of(call, rows)
    return service_pb2.MultiInputResponse(inputs=[inputs[r.input_pk] for r in rows])
