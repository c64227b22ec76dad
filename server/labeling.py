"""The labeling loop of a task: handing out inputs, submitting labels,
reviewing them, and the task's end.

Workers ask for inputs (LABEL_START, 10 at a time: those they have started
and not submitted first); FULL and PARTITIONED tasks hand a worker the
inputs the task's rule gives them (server/domain/assignment.py), DYNAMIC
tasks the inputs with places left. A submitted assignment follows the
review strategy: NONE approves it; MANUAL sends a sample of
`sample_percentage` (all when unset) to the reviewers and approves the
rest; CONSENSUS waits for the input's other labelers, approves the largest
group of agreeing labels once it reaches approval_threshold_labelers (and
denies the labels outside it, and later ones that disagree), and sends the input's labels to the
reviewers when the labelers are done without one. Reviewers take 10
assignments at a time (REVIEW_START); an assignment is approved once
approval_threshold_reviewers of them approve (all reviewers for -1), one
rejection is final, a change request sends it back to its worker. Each
assignment's annotations (the worker's in the task, of the input) follow it.
A task whose every input is labeled and reviewed as required is DONE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from clarifai.api import resources_pb2
from sqlalchemy import ColumnElement

from server import input_views, searching
from server.checks import Checks
from server.dispatch import Call
from server.domain import assignment, consensus
from server.label_order_release import release_done
from server.status import Code
from server.wire import searches as searches_wire
from server.wire.tasks import task_proto
from storage import task_assignments as ta
from storage.annotations import SUCCESS as ANNOTATION_SUCCESS
from storage.searches import INPUTS
from storage.store import Store
from storage.tasks import Task as TaskRow

Task = resources_pb2.Task
Worker = resources_pb2.TaskWorker
Review = resources_pb2.TaskReview
Source = resources_pb2.TaskInputSource

# Inputs (and assignments to review) handed out at a time.
BATCH = 10

# The annotations of an assignment in each of its states.
ANNOTATION_STATUS = {
    ta.SUCCESS: ANNOTATION_SUCCESS,
    ta.PENDING: Code.ANNOTATION_PENDING,
    ta.AWAITING_REVIEW: Code.ANNOTATION_AWAITING_REVIEW,
    ta.AWAITING_CONSENSUS_REVIEW: Code.ANNOTATION_AWAITING_CONSENSUS_REVIEW,
    ta.REJECTED: Code.ANNOTATION_REVIEW_DENIED,
}


@dataclass(frozen=True)
class TaskPlan:
    """A stored task's settings, as the labeling loop reads them."""

    row: TaskRow
    task: Task
    workers: list[str]
    reviewers: list[str]
    strategy: int
    review: int
    # Labelers each input needs (FULL: all; PARTITIONED: workers_per_input;
    # DYNAMIC: approval_threshold_labelers under CONSENSUS, else 1).
    labelers_per_input: int
    # Reviewers each reviewed assignment needs.
    reviewers_per_assignment: int
    consensus_threshold: int
    sample: float
    rules: dict[str, ta.Rule] = field(default_factory=dict)


# A missing task is TASK_MISSING, as GetTask answers.
check = Checks(Code.CONN_INVALID_REQUEST, missing_code=Code.TASK_MISSING)


async def plan_for(call: Call, task_id: str) -> TaskPlan:
    """The plan of the app's task a request names (at `task_id`). Not
    locked: calls on one task run side by side (settle_task locks the row
    when the task may end)."""
    check.required(task_id, "task_id")
    row = await call.store.tasks.get(task_id)
    if row is None:
        raise check.missing("task", task_id, "task_id")
    return plan_of(row, call.app)


def _reviewers_needed(value: int, reviewers: int) -> int:
    return max(1, reviewers) if value == -1 else max(1, value)


def plan_of(row: TaskRow, app_scope) -> TaskPlan:  # noqa: ANN001  (storage AppScope)
    task = task_proto(row, app_scope)
    workers = [w.user.id for w in task.worker.workers if w.HasField("user")]
    reviewers = [u.id for u in task.review.users]
    strategy, review = task.worker.strategy, task.review.strategy
    info = task.review.consensus_strategy_info
    threshold = info.approval_threshold_labelers or info.approval_threshold
    rules: dict[str, ta.Rule] = {}
    per_input = 1
    if strategy == Worker.FULL:
        per_input = len(workers)
        rules = {w: None for w in workers}
    elif strategy == Worker.PARTITIONED:
        part = task.worker.partitioned_strategy_info
        per_input = part.workers_per_input
        weights = {k: v.number_value for k, v in part.weights.fields.items()} or None
        rules = {
            i.worker: ta.Partition(i.lower, i.upper, assignment.STEP)
            for i in assignment.intervals(workers, weights, per_input)
        }
    else:  # DYNAMIC
        per_input = max(1, threshold) if review == Review.CONSENSUS else 1
        rules = {w: ta.Places(per_input) for w in workers}
    per_review = (
        info.approval_threshold_reviewers
        if review == Review.CONSENSUS
        else task.review.manual_strategy_info.approval_threshold
    )
    return TaskPlan(
        row=row,
        task=task,
        workers=workers,
        reviewers=reviewers,
        strategy=strategy,
        review=review,
        labelers_per_input=per_input,
        reviewers_per_assignment=_reviewers_needed(per_review, len(reviewers)),
        consensus_threshold=threshold,
        sample=task.review.manual_strategy_info.sample_percentage or 1.0,
        rules=rules,
    )


async def source(store: Store, plan: TaskPlan) -> list[ColumnElement[bool]]:
    """Conditions on `Input` selecting the task's inputs now: inputs added
    since the task was made count as the first ones did."""
    kind, source_id = plan.row.input_source_type, plan.row.input_source_id
    if kind != Source.SAVED_SEARCH:
        return store.task_assignments.source(kind, source_id)
    where = store.task_assignments.source(Source.ALL_INPUTS, "")
    saved = (await store.searches.saved([source_id])).get(source_id)
    if saved is None:  # deleted since: the task has no inputs left
        return [*where, False]  # type: ignore[list-item]
    search = searches_wire.search_proto(saved, store.task_assignments.app)
    p = searching.plan(search, "input_source", saved.user_id)
    found = await store.searches.candidates(INPUTS, p.selection)
    return [*where, store.task_assignments.among(found)]


# ---- labeling ----


async def label_start(call: Call, plan: TaskPlan, worker: str) -> list[ta.Row]:
    """The worker's next inputs: those started and not submitted, topped up
    to BATCH with new ones. Asking again answers the same ones."""
    store = call.store.task_assignments
    started = await store.of_worker(plan.row.pk, worker, ta.PENDING, BATCH)
    if len(started) >= BATCH:
        return started
    where = await source(call.store, plan)
    new = await store.claim(plan.row.pk, worker, where, plan.rules[worker], BATCH - len(started))
    return sorted([*started, *new], key=lambda r: r.input_pk)


def _sampled(pk: int, share: float) -> bool:
    """Whether a MANUAL task reviews this assignment: a share of them,
    spread evenly over assignment pks."""
    return float(assignment.position(pk)) < share


async def label_submit(call: Call, plan: TaskPlan, rows: Sequence[ta.Row]) -> list[ta.Row]:
    """Submits pending assignments (others are left as they are) and moves
    them, and their annotations, as the review strategy says."""
    rows = await _locked(call, plan, rows)
    store = call.store.task_assignments
    pending = [r for r in rows if r.status_code == ta.PENDING]
    pks = [r.pk for r in pending]
    if plan.task.delete_previous_annotations:
        await store.drop_earlier_labels(plan.row.id, pks)
    if plan.review == Review.NONE:
        await _move(call, plan, pks, ta.SUCCESS)
    elif plan.review == Review.MANUAL:
        reviewed = [pk for pk in pks if _sampled(pk, plan.sample)]
        await _move(call, plan, reviewed, ta.AWAITING_REVIEW)
        await _move(call, plan, [pk for pk in pks if pk not in set(reviewed)], ta.SUCCESS)
    else:
        await _move(call, plan, pks, ta.AWAITING_CONSENSUS_REVIEW)
        await _settle_consensus(call, plan, sorted({r.input_pk for r in pending}))
    return await _reread(call, plan, rows)


async def _locked(call: Call, plan: TaskPlan, rows: Sequence[ta.Row]) -> list[ta.Row]:
    """The assignments to submit, locked and as they are now: under
    CONSENSUS with every other assignment of their inputs, all in pk order
    (their consensus is decided together)."""
    store = call.store.task_assignments
    if plan.review == Review.CONSENSUS:
        locked = await store.of_inputs(plan.row.pk, sorted({r.input_pk for r in rows}))
        now = {r.pk: r for r in locked}
    else:
        now = {r.pk: r for r in (await store.by_ids(plan.row.pk, [r.id for r in rows])).values()}
    return [now[r.pk] for r in rows if r.pk in now]


async def _settle_consensus(call: Call, plan: TaskPlan, input_pks: list[int]) -> None:
    """For each input: labels arriving after its consensus are approved if
    they agree with it, denied if not; else the largest agreeing group is
    approved once big enough (the rest denied), or the labels go to the
    reviewers once no more can come."""
    store = call.store.task_assignments
    rows = await store.of_inputs(plan.row.pk, input_pks)
    decided = (ta.AWAITING_CONSENSUS_REVIEW, ta.SUCCESS)
    data = await store.labels(plan.row.id, [r.pk for r in rows if r.status_code in decided])
    label = {pk: consensus.label_of(annotations) for pk, annotations in data.items()}
    for input_pk in input_pks:
        of_input = [r for r in rows if r.input_pk == input_pk]
        waiting = [r.pk for r in of_input if r.status_code == ta.AWAITING_CONSENSUS_REVIEW]
        approved = [r.pk for r in of_input if r.status_code == ta.SUCCESS]
        if not waiting:
            continue
        if approved:
            group = [pk for pk in waiting if consensus.agree(label[approved[0]], label[pk])]
        else:
            group = consensus.largest_group({pk: label[pk] for pk in waiting})
            if not plan.consensus_threshold or len(group) < plan.consensus_threshold:
                if _all_labeled(plan, of_input):
                    await _move(call, plan, waiting, ta.AWAITING_REVIEW)
                continue
        await _move(call, plan, group, ta.SUCCESS)
        await _move(call, plan, [pk for pk in waiting if pk not in group], ta.REJECTED)


def _all_labeled(plan: TaskPlan, of_input: Sequence[ta.Row]) -> bool:
    """Every labeler the input needs has submitted."""
    submitted = [r for r in of_input if r.status_code != ta.PENDING]
    return len(submitted) >= plan.labelers_per_input


# ---- reviewing ----


async def review_start(
    call: Call, plan: TaskPlan, reviewer: str, workers: list[str]
) -> list[ta.Row]:
    store = call.store.task_assignments
    taken = await store.reviewing(plan.row.pk, reviewer, BATCH)
    if len(taken) >= BATCH:
        return taken
    new = await store.claim_reviews(
        plan.row.pk, reviewer, workers, plan.reviewers_per_assignment, BATCH - len(taken)
    )
    return sorted([*taken, *new], key=lambda r: r.pk)


async def review(
    call: Call, plan: TaskPlan, reviewer: str, rows: Sequence[ta.Row], action: str
) -> list[ta.Row]:
    """approve, request_changes or reject assignments awaiting review
    (others are left as they are)."""
    store = call.store.task_assignments
    pks = [r.pk for r in rows if r.status_code == ta.AWAITING_REVIEW]
    if action == "approve":
        await store.verdict(pks, reviewer, ta.REVIEW_SUCCESS)
        approvals = await store.approvals(pks)
        done = [pk for pk in pks if approvals.get(pk, 0) >= plan.reviewers_per_assignment]
        await _move(call, plan, done, ta.SUCCESS)
    elif action == "reject":
        await store.verdict(pks, reviewer, ta.REVIEW_DISMISSED)
        await _move(call, plan, pks, ta.REJECTED)
    else:
        await store.clear_reviews(pks)
        await _move(call, plan, pks, ta.PENDING)
    return await _reread(call, plan, rows)


# ---- moves and the task's end ----


async def _move(call: Call, plan: TaskPlan, pks: Sequence[int], code: int) -> None:
    store = call.store.task_assignments
    await store.set_status(pks, code)
    await store.label_status(plan.row.id, pks, ANNOTATION_STATUS[code])


async def _reread(call: Call, plan: TaskPlan, rows: Sequence[ta.Row]) -> list[ta.Row]:
    fresh = await call.store.task_assignments.by_ids(plan.row.pk, [r.id for r in rows])
    return [fresh[r.id] for r in rows if r.id in fresh]


async def settle_task(call: Call, plan: TaskPlan, first: str = "") -> None:
    """An IN_PROGRESS task whose every input has its labels and reviews is
    DONE (and its label order, if due, released).

    An input a worker has yet to be given means "not done" whatever other
    calls are committing, so that is looked at first, without a lock. Past
    it (the task's last inputs), the task row is locked before the open
    work is read: two calls finishing the last inputs at once would each
    see the other's work still open and neither end the task; with the
    lock the second waits for the first to commit, then sees its work.
    `first`'s inputs are looked at first (the caller's: while it has some
    left, one probe answers)."""
    if plan.row.status_code != Code.TASK_IN_PROGRESS:
        return
    store = call.store.task_assignments
    where = await source(call.store, plan)
    rules = dict(sorted(plan.rules.items(), key=lambda rule: rule[0] != first))
    if await store.left_past_cursors(plan.row.pk, where, rules):
        return
    if await call.store.tasks.locked_status(plan.row.pk) != Code.TASK_IN_PROGRESS:
        return
    if await store.open_work(plan.row.pk):
        return
    total = await store.count_inputs(where)
    if total and await store.final_count(plan.row.pk, where) >= total * plan.labelers_per_input:
        await call.store.tasks.finish(plan.row.pk, Code.TASK_DONE)
        await release_done(call.store, [plan.row.pk])


async def release_removed(store: Store, rows: Sequence[TaskRow]) -> None:
    """After a PatchTasks: what workers and reviewers removed from these
    tasks held and had not finished goes back to the others."""
    for row in rows:
        await store.task_assignments.release_removed(
            row.pk, row.worker_user_ids, row.reviewer_user_ids
        )


async def inputs_of(call: Call, rows: Sequence[ta.Row]) -> dict[int, resources_pb2.Input]:
    """The inputs of these assignments as GetInput shows them, by pk."""
    inline = call.settings.inline_text_bytes
    found = await call.store.searches.inputs_by_pk(sorted({r.input_pk for r in rows}), inline)
    shown = await input_views.shown(call, list(found.values()), inline)
    return {pk: i for pk, i in zip(found, shown, strict=True)}
