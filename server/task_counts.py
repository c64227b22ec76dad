"""What a task's workers have done: counts per worker (GetTaskInputCount,
GetTaskAnnotationCount) and the task's progress (ListTasks' metrics and
its users filled in, the additional_fields).

Input counts are a worker's assignments by status (REJECTED ones are
review_denied). FULL and PARTITIONED tasks decide by rule which inputs a
worker will label, so the inputs of the source the rule gives the worker
and that it has not started count as pending too: right after creation a
FULL worker has every input pending. A DYNAMIC worker's inputs are not
known before it takes them.

Annotation counts are the task's annotations (Annotation.task_id) by their
worker (the user, or the model version that wrote them) and status.

Metrics count inputs of the task's source now:
- input_source.inputs_count_estimated: the inputs in the source.
- work: inputs whose every required labeler submitted (labelers_per_input
  of the TaskPlan; a change request sends an input back to work).
- review: inputs whose every required assignment is final, approved or
  rejected (under review NONE, or a MANUAL sample that left it out, an
  input needs no reviewer: submitted is final; one rejection is final).
- per reviewer, in task.review.users order, over assignments (a worker's
  labels of an input, which is what a reviewer reviews: a FULL task's
  input is reviewed once per worker): those it approved or rejected (a
  change request drops its reviews), and reviewable, those plus the ones
  awaiting review it holds or could still take (not its own work, not
  reviewed by it, places left).
A percent is of the source (per reviewer: of its reviewable inputs),
rounded down, and 100 only when all are.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from clarifai.api import resources_pb2, service_pb2

from server import labeling, main_app
from server.checks import Checks
from server.dispatch import Call
from server.domain import assignment
from server.wire.users import user_proto
from storage import task_assignments as ta

Count = resources_pb2.TaskStatusCountPerUser
Worker = resources_pb2.TaskWorker
Review = resources_pb2.TaskReview

# A code's place in TaskStatusCountPerUser, for assignments and annotations.
ASSIGNMENT_FIELDS = {
    ta.PENDING: "pending",
    ta.AWAITING_REVIEW: "awaiting_review",
    ta.SUCCESS: "success",
    ta.REJECTED: "review_denied",
    ta.AWAITING_CONSENSUS_REVIEW: "awaiting_consensus_review",
}
ANNOTATION_FIELDS = {
    code: ASSIGNMENT_FIELDS[state] for state, code in labeling.ANNOTATION_STATUS.items()
}

# ListTasks' additional_fields.
WORKER_USERS, REVIEW_USERS = "worker.users", "review.users"
METRICS = (
    "metrics.input_source.inputs_count_estimated",
    "metrics.work.inputs_count_estimated",
    "metrics.work.inputs_percent_estimated",
    "metrics.review.inputs_count_estimated",
    "metrics.review.inputs_count_estimated_per_reviewer",
    "metrics.review.inputs_percent_estimated",
    "metrics.review.inputs_percent_estimated_per_reviewer",
    "metrics.review.inputs_reviewable_count_estimated_per_reviewer",
)
ADDITIONAL_FIELDS = ("all", WORKER_USERS, REVIEW_USERS, *METRICS)

# The whole source: FULL workers label every input.
_EVERY_INPUT = ta.Partition(Decimal(0), Decimal(1), assignment.STEP)


def percent(done: int, total: int) -> int:
    """done of total in whole percents, rounded down; 100 only when all."""
    if total <= 0:
        return 0
    return 100 if done >= total else min(99, done * 100 // total)


def wanted_fields(check: Checks, sent: Sequence[str], at: str) -> set[str]:
    """The additional fields asked for ("all" is every one), each known."""
    for n, name in enumerate(sent):
        check.one_of(name, ADDITIONAL_FIELDS, f"{at}[{n}]")
    return set(ADDITIONAL_FIELDS) if "all" in sent else set(sent)


def _count(user_id: str, filled: dict[str, int]) -> Count:
    out = Count(user_id=user_id, **filled)
    out.worker.user.id = user_id
    return out


# ---- GetTaskInputCount ----


async def input_counts(call: Call, plan: labeling.TaskPlan, workers: list[str]) -> list[Count]:
    """Each of these workers' inputs of the task, by status."""
    store = call.store.task_counts
    by_status = await store.assignments(plan.row.pk, workers)
    rules: dict[str, ta.Partition] = {}
    if plan.strategy == Worker.FULL:
        rules = {w: _EVERY_INPUT for w in workers}
    elif plan.strategy == Worker.PARTITIONED:
        rules = {w: rule for w, rule in plan.rules.items() if w in workers}  # type: ignore[misc]
    unstarted = {}
    if rules:
        source = await labeling.source(call.store, plan)
        unstarted = await store.unstarted(plan.row.pk, source, rules)
    out = []
    for w in workers:
        filled = {f: by_status.get((w, code), 0) for code, f in ASSIGNMENT_FIELDS.items()}
        filled["pending"] += unstarted.get(w, 0)
        out.append(_count(w, filled))
    return out


# ---- GetTaskAnnotationCount ----


async def annotation_counts(
    call: Call, task_id: str, user_ids: list[str], model_version_ids: list[str]
) -> list[Count]:
    """The task's annotations by worker and status, workers in the order
    of their ids (users, then model versions)."""
    rows = await call.store.task_counts.annotations(task_id, user_ids, model_version_ids)
    grouped: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        # (an annotation in a state of no count, e.g. a model's failure, is left out)
        if field := ANNOTATION_FIELDS.get(row.status_code):
            filled = grouped.setdefault((row.user_id, row.model_version_id), {})
            filled[field] = filled.get(field, 0) + row.count
    models = await worker_models(call, [v for _, v in grouped if v], names=False)
    out = []
    for (user_id, version_id), filled in grouped.items():
        if not version_id:
            out.append(_count(user_id, filled))
            continue
        count = Count(**filled)
        count.worker.model.CopyFrom(models[version_id])
        out.append(count)
    return out


async def worker_models(
    call: Call, version_ids: Sequence[str], *, names: bool
) -> dict[str, resources_pb2.Model]:
    """The model of each version id as a worker shows it: a model of
    clarifai/main (the base workflow's), one of the app's, or the version
    id alone (a collector's source model in another app)."""
    found = await call.store.model_versions.models_by_version_ids(
        [v for v in version_ids if not main_app.model_of_version(v)]
    )
    out: dict[str, resources_pb2.Model] = {}
    for version_id in version_ids:
        model = resources_pb2.Model()
        model.model_version.id = version_id
        if builtin := main_app.model_of_version(version_id):
            ids, name = (builtin.ids[0], main_app.USER_ID, main_app.APP_ID), builtin.name
        elif row := found.get(version_id):
            ids, name = (row.id, call.app.user_id, call.app.id), row.name or row.id
        else:
            ids, name = ("", "", ""), ""
        model.id, model.user_id, model.app_id = ids
        if names:
            model.name = name
        out[version_id] = model
    return out


# ---- ListTasks: users and metrics ----


def _users_shown(task: resources_pb2.Task, fields: set[str]) -> list[resources_pb2.User]:
    """The task's User messages the fields ask to fill (in place)."""
    out: list[resources_pb2.User] = []
    if WORKER_USERS in fields:
        out += [w.user for w in task.worker.workers if w.HasField("user")]
        out += list(task.worker.users)
    if REVIEW_USERS in fields:
        out += list(task.review.users)
    return out


async def fill_users(call: Call, tasks: Sequence[resources_pb2.Task], fields: set[str]) -> None:
    """Workers' and reviewers' User messages with what the users table
    knows of them."""
    shown = [u for task in tasks for u in _users_shown(task, fields)]
    if not shown:
        return
    known = await call.store.users.get_many({u.id for u in shown})
    for user in shown:
        if user.id in known:
            user.CopyFrom(user_proto(known[user.id]))


async def metrics(
    call: Call, plan: labeling.TaskPlan, fields: set[str]
) -> resources_pb2.TaskMetrics:
    """The task's metrics named in `fields` (and only those)."""
    out = resources_pb2.TaskMetrics()
    source = await labeling.source(call.store, plan)
    p = await call.store.task_counts.progress(plan.row.pk, source, plan.labelers_per_input)
    values = {
        "metrics.input_source.inputs_count_estimated": p.inputs,
        "metrics.work.inputs_count_estimated": p.labeled,
        "metrics.work.inputs_percent_estimated": percent(p.labeled, p.inputs),
        "metrics.review.inputs_count_estimated": p.reviewed,
        "metrics.review.inputs_percent_estimated": percent(p.reviewed, p.inputs),
    }
    for name, value in values.items():
        if name in fields:
            _, group, field = name.split(".")
            setattr(getattr(out, group), field, value)
    if any(name.endswith("_per_reviewer") and name in fields for name in METRICS):
        await _per_reviewer(call, plan, fields, out.review)
    return out


async def _per_reviewer(
    call: Call, plan: labeling.TaskPlan, fields: set[str], out: resources_pb2.TaskReviewMetrics
) -> None:
    found = await call.store.task_counts.reviewers(
        plan.row.pk, plan.reviewers, plan.reviewers_per_assignment
    )
    each = [found[r] for r in plan.reviewers]
    if "metrics.review.inputs_count_estimated_per_reviewer" in fields:
        out.inputs_count_estimated_per_reviewer.extend(x.reviewed for x in each)
    if "metrics.review.inputs_reviewable_count_estimated_per_reviewer" in fields:
        out.inputs_reviewable_count_estimated_per_reviewer.extend(x.reviewable for x in each)
    if "metrics.review.inputs_percent_estimated_per_reviewer" in fields:
        out.inputs_percent_estimated_per_reviewer.extend(
            percent(x.reviewed, x.reviewable) for x in each
        )


def count_response(
    task_id: str, call: Call, counts: list[Count]
) -> service_pb2.SingleTaskCountResponse:
    return service_pb2.SingleTaskCountResponse(app_id=call.app.id, task_id=task_id, counts=counts)
