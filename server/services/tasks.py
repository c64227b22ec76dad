"""PostTasks, GetTask, ListTasks, PatchTasks, DeleteTasks.

A task is stored as sent, its deprecated names (worker.user_ids and users,
review.user_ids, concept_ids, consensus approval_threshold) folded into
their current fields, and read back with every name filled
(task_rules.stored_form, fill_every_name); the server adds its id (when none
is given), created_at, modified_at, app_id, user_id and status
(TASK_IN_PROGRESS unless the task names another). A field this server does
not declare (a gRPC client can send any of the reference's) is refused, not
dropped. Post and Patch are atomic: one bad task and none is written.

A label order's task (label_order_id) is made by PostLabelOrders through
the same path (server/task_writes.py), listed only when asked for
(including_label_order_tasks, label_order_ids), changed here, and deleted
with its order only. A task set TASK_DONE releases its order when due
(server/label_order_release.py).

A task whose worker is a model or a workflow auto-annotates
(server/auto_annotation.py): its worker is found (of the app or of
clarifai/main) and its version pinned when it is stored; PostTasks and
PatchTasks queue its run.
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import auto_annotation, labeling, patch, task_counts, task_writes
from server.dispatch import Call
from server.domain import task_rules
from server.domain.task_rules import TaskRefs
from server.label_order_release import release_done
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.task_writes import check
from server.wire.tasks import task_proto
from storage.tasks import Filters

# No task field is patched as a tree: overwrite sends the whole task, merge
# its status only (task_rules.check_status_change).
SPEC = patch.Spec("tasks", actions=(patch.OVERWRITE, patch.MERGE))


@rpc
async def PostTasks(call: Call, request: service_pb2.PostTasksRequest):
    check.batch(request.tasks, "tasks")
    made = await task_writes.create(call, request.tasks, "tasks[{n}]")
    return service_pb2.MultiTaskResponse(tasks=[task_proto(r, call.app) for r in made])


@rpc
async def GetTask(call: Call, request: service_pb2.GetTaskRequest):
    task_id = check.required(request.task_id, "task_id")
    row = await call.store.tasks.shown(task_id)
    if row is None:
        raise check.missing("task", task_id, "task_id")
    return service_pb2.SingleTaskResponse(task=task_proto(row, call.app))


def _worker_user_ids(request: service_pb2.ListTasksRequest) -> list[str]:
    """worker_user_ids and the users of worker_ids: tasks have user workers."""
    for n, worker in enumerate(request.worker_ids):
        if not worker.user_id:
            raise check.invalid(
                f"worker_ids[{n}].user_id is required: tasks here have user workers only"
            )
    return [*request.worker_user_ids, *(w.user_id for w in request.worker_ids)]


async def _filled(call: Call, rows: list, fields: set[str]) -> list[resources_pb2.Task]:
    """The tasks with the additional fields asked for."""
    tasks = [task_proto(r, call.app) for r in rows]
    await task_counts.fill_users(call, tasks, fields)
    if fields & set(task_counts.METRICS):
        for row, task in zip(rows, tasks, strict=True):
            plan = labeling.plan_of(row, call.app)
            task.metrics.CopyFrom(await task_counts.metrics(call, plan, fields))
    return tasks


@rpc
async def ListTasks(call: Call, request: service_pb2.ListTasksRequest):
    """additional_fields fill each task's users and metrics
    (server/task_counts.py), for the page's tasks only."""
    page = page_of(request)
    task_rules.check_enums(request, "")
    fields = task_counts.wanted_fields(check, request.additional_fields, "additional_fields")
    filters = Filters(
        ids=list(request.ids),
        worker_user_ids=_worker_user_ids(request),
        reviewer_user_ids=list(request.review_user_ids),
        input_source_type=request.input_source_type,
        input_source_ids=list(request.input_source_ids),
        label_order_ids=list(request.label_order_ids),
        including_label_order_tasks=request.including_label_order_tasks,
    )
    rows = await call.store.tasks.page(filters, page)
    return service_pb2.MultiTaskResponse(tasks=await _filled(call, rows, fields))


def _sent(action: str, sent: resources_pb2.Task, path: str) -> tuple[dict, TaskRefs | None]:
    """The values a patch sends for a task, checked, and what it names (None
    for a merge, which names nothing)."""
    if action == patch.MERGE:
        code = task_rules.check_status_change(sent, path)
        check.implemented(sent, path)
        return {"status_code": code, "status_details": ""}, None
    values, refs = task_writes.checked(sent, path)
    # Not a field the spec clears: an overwrite leaving the status out keeps it.
    if sent.status.code:
        values["status_code"] = sent.status.code
    return values, refs


@rpc
async def PatchTasks(call: Call, request: service_pb2.PatchTasksRequest):
    """overwrite replaces the whole task (a status left out stays as it
    was); merge changes the status only."""
    action = SPEC.check(request.action)
    check.batch(request.tasks, "tasks")
    ids = check.ids([sent.id for sent in request.tasks], "tasks[{n}].id")
    stored = await call.store.tasks.get_many(ids, lock=True)
    check.all_known(ids, stored, "task", "tasks[{n}].id")
    sent = [_sent(action, task, f"tasks[{n}]") for n, task in enumerate(request.tasks)]
    checked = [(values, refs) for values, refs in sent if refs is not None]
    if checked:
        await task_writes.check_refs(call, [refs for _, refs in checked])
        await task_writes.pin_workers(call, checked)
    # No field is a tree (SPEC), so what is stored plays no part in the change.
    changes = {
        task_id: patch.apply(action, {}, values, SPEC)
        for task_id, (values, _) in zip(ids, sent, strict=True)
    }
    over = [stored[i] for i in ids if auto_annotation.restarts(stored[i], changes[i])]
    await auto_annotation.restart(call.store, over, changes)
    rows = await call.store.tasks.update(changes)
    await labeling.release_removed(call.store, list(rows.values()))
    await release_done(call.store, [row.pk for row in rows.values()])
    await auto_annotation.enqueue_for(
        call.enqueue, [r for r in rows.values() if auto_annotation.runs(r)]
    )
    return service_pb2.MultiTaskResponse(tasks=[task_proto(rows[i], call.app) for i in ids])


@rpc
async def DeleteTasks(call: Call, request: service_pb2.DeleteTasksRequest):
    check.batch(request.ids, "ids")
    found = await call.store.tasks.get_many(request.ids, lock=True)
    check.all_known(request.ids, found, "task", "ids[{n}]")
    for n, task_id in enumerate(request.ids):
        order_id = found[task_id].label_order_id
        if order_id is not None:
            raise ApiError(
                Code.TASK_CONFLICT,
                f"ids[{n}]: task '{task_id}' belongs to label order '{order_id}'; "
                "delete the order (DeleteLabelOrders)",
            )
    await call.store.tasks.delete(sorted(found))
    return status_pb2.BaseResponse()
