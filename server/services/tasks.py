"""PostTasks, GetTask, ListTasks, PatchTasks, DeleteTasks.

A task is stored as sent, its deprecated names (worker.user_ids and users,
review.user_ids, concept_ids, consensus approval_threshold) folded into
their current fields, and read back with every name filled
(task_rules.stored_form, fill_every_name); the server adds its id (when none
is given), created_at, modified_at, app_id, user_id and status
(TASK_IN_PROGRESS unless the task names another). A field this server does
not declare (a gRPC client can send any of the reference's) is refused, not
dropped. Post and Patch are atomic: one bad task and none is written.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import labeling, patch, task_counts
from server.checks import Checks
from server.dispatch import Call
from server.domain import task_rules
from server.domain.task_rules import TaskRefs
from server.ids import id_or_new
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.wire.tasks import task_proto, task_values
from storage.tasks import Filters

Source = resources_pb2.TaskInputSource

# A missing task is TASK_MISSING, "Task was not found." in the reference's
# status codes (the audit at server.status.not_found).
check = Checks(Code.CONN_INVALID_REQUEST, missing_code=Code.TASK_MISSING)
# What a task names (a dataset, an input) is missing as any object is.
check_named = Checks(Code.CONN_INVALID_REQUEST)
# No task field is patched as a tree: overwrite sends the whole task, merge
# its status only (task_rules.check_status_change).
SPEC = patch.Spec("tasks", actions=(patch.OVERWRITE, patch.MERGE))


async def _check_members(call: Call, checked: list[TaskRefs]) -> None:
    """Workers and reviewers are the app owner or its collaborators."""
    live = await call.store.collaborators.live_for_app()
    members = {call.app.user_id} | {c.user_id for c in live}
    for refs in checked:
        for where, user_id in refs.workers + refs.reviewers:
            if user_id not in members:
                raise ApiError(
                    Code.TASK_CONFLICT,
                    f"{where} '{user_id}' is neither the owner nor a collaborator of app "
                    f"'{call.app.id}'",
                )


def _source_ids(checked: list[TaskRefs], kind: int) -> list[str]:
    return sorted({r.input_source_id for r in checked if r.input_source_type == kind})


async def _check_refs(call: Call, checked: list[TaskRefs]) -> None:
    """What the tasks name must be in the app: workers and reviewers are
    members; concepts, a DATASET, SAVED_SEARCH or INPUT source exist."""
    await _check_members(call, checked)
    concepts = {c for refs in checked for _, c in refs.concepts}
    known = await call.store.concepts.existing_ids(sorted(concepts))
    sources = {
        Source.DATASET: (
            "dataset",
            await call.store.datasets.existing_ids(_source_ids(checked, Source.DATASET)),
        ),
        Source.INPUT: (
            "input",
            await call.store.inputs.taken_ids(_source_ids(checked, Source.INPUT)),
        ),
        Source.SAVED_SEARCH: (
            "saved search",
            set(await call.store.searches.saved(_source_ids(checked, Source.SAVED_SEARCH))),
        ),
    }
    for refs in checked:
        for where, concept_id in refs.concepts:
            if concept_id not in known:
                raise ApiError(
                    Code.CONN_DOES_NOT_EXIST,
                    f"{where} '{concept_id}' is not a concept of app '{call.app.id}'",
                )
        kind, found = sources.get(refs.input_source_type, ("", None))
        if found is not None and refs.input_source_id not in found:
            raise check_named.missing(kind, refs.input_source_id, f"{refs.path}.input_source.id")


def _checked(sent: resources_pb2.Task, path: str) -> tuple[dict[str, Any], TaskRefs]:
    """A whole task's stored values, but id and status, and what it names."""
    refs = task_rules.check_task(sent, path)
    stored = task_rules.stored_form(sent, refs)
    check.implemented(stored, path)
    return task_values(stored, refs), refs


def _new_task(sent: resources_pb2.Task, path: str) -> tuple[dict[str, Any], TaskRefs]:
    values, refs = _checked(sent, path)
    values["id"] = id_or_new(sent.id, f"{path}.id", check.invalid_code)
    values["status_code"] = sent.status.code or task_rules.DEFAULT_STATUS
    return values, refs


@rpc
async def PostTasks(call: Call, request: service_pb2.PostTasksRequest):
    check.batch(request.tasks, "tasks")
    new = [_new_task(sent, f"tasks[{n}]") for n, sent in enumerate(request.tasks)]
    ids = [values["id"] for values, _ in new]
    check.each_once(ids, "tasks[{n}].id", code=Code.TASK_CONFLICT)
    await _check_refs(call, [refs for _, refs in new])
    made = await call.store.tasks.create([values for values, _ in new])
    check.none_taken(ids, made, "task", "tasks[{n}].id", code=Code.TASK_CONFLICT)
    return service_pb2.MultiTaskResponse(tasks=[task_proto(r, call.app) for r in made.values()])


@rpc
async def GetTask(call: Call, request: service_pb2.GetTaskRequest):
    task_id = check.required(request.task_id, "task_id")
    row = await call.store.tasks.get(task_id)
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
    )
    rows = await call.store.tasks.page(filters, page)
    return service_pb2.MultiTaskResponse(tasks=await _filled(call, rows, fields))


def _sent(action: str, sent: resources_pb2.Task, path: str) -> tuple[dict, TaskRefs | None]:
    """The values a patch sends for a task, checked, and what it names (None
    for a merge, which names nothing)."""
    if action == patch.MERGE:
        code = task_rules.check_status_change(sent, path)
        check.implemented(sent, path)
        return {"status_code": code}, None
    values, refs = _checked(sent, path)
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
    checked = [refs for _, refs in sent if refs is not None]
    if checked:
        await _check_refs(call, checked)
    # No field is a tree (SPEC), so what is stored plays no part in the change.
    changes = {
        task_id: patch.apply(action, {}, values, SPEC)
        for task_id, (values, _) in zip(ids, sent, strict=True)
    }
    rows = await call.store.tasks.update(changes)
    return service_pb2.MultiTaskResponse(tasks=[task_proto(rows[i], call.app) for i in ids])


@rpc
async def DeleteTasks(call: Call, request: service_pb2.DeleteTasksRequest):
    check.batch(request.ids, "ids")
    found = await call.store.tasks.existing_ids(request.ids)
    check.all_known(request.ids, found, "task", "ids[{n}]")
    await call.store.tasks.delete(sorted(found))
    return status_pb2.BaseResponse()
