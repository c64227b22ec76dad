"""PostTasks, GetTask, ListTasks, PatchTasks, DeleteTasks.

A task is stored as sent and read back the same; the server adds its id
(when none is given), created_at, modified_at, app_id, user_id and status
(TASK_IN_PROGRESS unless the task names another). Post and Patch are atomic:
one bad task and none is written.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from google.protobuf import json_format
from sqlalchemy import func

from server import patch
from server.convert import ts
from server.dispatch import Call
from server.domain import task_rules
from server.domain.task_rules import TaskRefs
from server.ids import id_or_new
from server.pagination import page_of
from server.rest_json import request_json
from server.services import rpc
from server.status import ApiError, Code, check_batch_size, make_status
from storage import tasks as task_store
from storage.apps import AppScope
from storage.collaborators import CollaboratorStorage
from storage.concepts import ConceptStorage
from storage.datasets import DatasetStorage
from storage.inputs import InputStorage
from storage.tasks import Task

Source = resources_pb2.TaskInputSource
# Fields the server fills in; the rest of the Task message is stored as sent.
SERVER_FIELDS = ("id", "created_at", "modified_at", "app_id", "user_id", "status")


def task_proto(row: Task, app: AppScope) -> resources_pb2.Task:
    out = json_format.ParseDict(row.task, resources_pb2.Task(), ignore_unknown_fields=True)
    out.id = row.id
    out.created_at.CopyFrom(ts(row.created_at))
    out.modified_at.CopyFrom(ts(row.modified_at))
    out.app_id = app.id
    out.user_id = app.user_id
    out.status.CopyFrom(make_status(row.status_code))
    return out


def _stored(sent: resources_pb2.Task, path: str) -> dict[str, Any]:
    body = resources_pb2.Task()
    body.CopyFrom(sent)
    for name in SERVER_FIELDS:
        body.ClearField(name)
    return request_json(body, path, Code.CONN_INVALID_REQUEST)


def _fill(row: Task, sent: resources_pb2.Task, refs: TaskRefs) -> None:
    row.task = _stored(sent, refs.path)
    row.worker_user_ids = refs.worker_ids
    row.reviewer_user_ids = refs.reviewer_ids
    row.input_source_type = refs.input_source_type
    row.input_source_id = refs.input_source_id


async def _check_refs(call: Call, checked: list[TaskRefs]) -> None:
    """What the tasks name must be in the app: workers and reviewers are the
    app owner or its collaborators; concepts, a DATASET or an INPUT source
    exist. (Saved searches are not stored by this server, so a SAVED_SEARCH
    id is kept as given.)"""
    app = call.app
    live = await CollaboratorStorage(call.session, app).live_for_app()
    members = {app.user_id} | {c.user_id for c in live}
    for refs in checked:
        for where, user_id in refs.workers + refs.reviewers:
            if user_id not in members:
                raise ApiError(
                    Code.TASK_CONFLICT,
                    f"{where} '{user_id}' is neither the owner nor a collaborator of app "
                    f"'{app.id}'",
                )
    concepts = {c for refs in checked for _, c in refs.concepts}
    known = await ConceptStorage(call.session, app).existing_ids(sorted(concepts))
    datasets = {r.input_source_id for r in checked if r.input_source_type == Source.DATASET}
    known_datasets = await DatasetStorage(call.session, app).existing_ids(sorted(datasets))
    inputs = {r.input_source_id for r in checked if r.input_source_type == Source.INPUT}
    known_inputs = await InputStorage(call.session, app).taken_ids(sorted(inputs))
    for refs in checked:
        for where, concept_id in refs.concepts:
            if concept_id not in known:
                raise ApiError(
                    Code.CONN_DOES_NOT_EXIST,
                    f"{where} '{concept_id}' is not a concept of app '{app.id}'",
                )
        source = refs.input_source_id
        if refs.input_source_type == Source.DATASET and source not in known_datasets:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST,
                f"{refs.path}.input_source.id: dataset '{source}' not found in app '{app.id}'",
            )
        if refs.input_source_type == Source.INPUT and source not in known_inputs:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST,
                f"{refs.path}.input_source.id: input '{source}' not found in app '{app.id}'",
            )


@rpc
async def PostTasks(call: Call, request: service_pb2.PostTasksRequest):
    check_batch_size(request.tasks, "tasks")
    rows: list[Task] = []
    checked: list[TaskRefs] = []
    seen: dict[str, int] = {}
    for n, sent in enumerate(request.tasks):
        path = f"tasks[{n}]"
        refs = task_rules.check_task(sent, path)
        task_id = id_or_new(sent.id, f"{path}.id")
        if task_id in seen:
            raise ApiError(
                Code.TASK_CONFLICT, f"{path}.id '{task_id}' is repeated (tasks[{seen[task_id]}])"
            )
        seen[task_id] = n
        row = Task(id=task_id, status_code=sent.status.code or task_rules.DEFAULT_STATUS)
        _fill(row, sent, refs)
        rows.append(row)
        checked.append(refs)
    taken = await call.store.tasks.existing_ids(list(seen))
    if taken:
        first = min(taken, key=seen.__getitem__)
        raise ApiError(
            Code.TASK_CONFLICT,
            f"tasks[{seen[first]}].id '{first}': a task with this id exists in app '{call.app.id}'",
        )
    await _check_refs(call, checked)
    await call.store.tasks.add(rows)
    return service_pb2.MultiTaskResponse(tasks=[task_proto(r, call.app) for r in rows])


def _missing(task_id: str, where: str) -> ApiError:
    return ApiError(Code.TASK_MISSING, f"{where}: task '{task_id}' not found")


@rpc
async def GetTask(call: Call, request: service_pb2.GetTaskRequest):
    if not request.task_id:
        raise ApiError(Code.CONN_INVALID_REQUEST, "task_id is required")
    row = await call.store.tasks.get(request.task_id)
    if row is None:
        raise _missing(request.task_id, "task_id")
    return service_pb2.SingleTaskResponse(task=task_proto(row, call.app))


@rpc
async def ListTasks(call: Call, request: service_pb2.ListTasksRequest):
    page = page_of(request)
    task_rules.check_enums(request, "")
    filters = task_store.Filters(
        ids=list(request.ids),
        worker_user_ids=list(request.worker_user_ids),
        reviewer_user_ids=list(request.review_user_ids),
        input_source_type=request.input_source_type,
        input_source_ids=list(request.input_source_ids),
    )
    rows = await call.store.tasks.list_(filters, limit=page.limit, offset=page.offset)
    return service_pb2.MultiTaskResponse(tasks=[task_proto(r, call.app) for r in rows])


@rpc
async def PatchTasks(call: Call, request: service_pb2.PatchTasksRequest):
    """overwrite replaces the whole task (a status left out stays as it
    was); merge changes the status only."""
    action = patch.check_action(request.action, (patch.OVERWRITE, patch.MERGE), "tasks")
    check_batch_size(request.tasks, "tasks")
    seen: dict[str, int] = {}
    for n, sent in enumerate(request.tasks):
        if not sent.id:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"tasks[{n}].id is required")
        if sent.id in seen:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"tasks[{n}].id '{sent.id}' is repeated (tasks[{seen[sent.id]}])",
            )
        seen[sent.id] = n
    stored = await call.store.tasks.get_many(list(seen), lock=True)
    for task_id, n in seen.items():
        if task_id not in stored:
            raise _missing(task_id, f"tasks[{n}].id")
    checked: list[TaskRefs] = []
    for n, sent in enumerate(request.tasks):
        path = f"tasks[{n}]"
        row = stored[sent.id]
        if action == patch.MERGE:
            row.status_code = task_rules.check_status_change(sent, path)
        else:
            refs = task_rules.check_task(sent, path)
            checked.append(refs)
            _fill(row, sent, refs)
            row.status_code = sent.status.code or row.status_code
        row.modified_at = func.now()
    if checked:
        await _check_refs(call, checked)
    await call.session.flush()  # reads modified_at back
    return service_pb2.MultiTaskResponse(
        tasks=[task_proto(stored[sent.id], call.app) for sent in request.tasks]
    )


@rpc
async def DeleteTasks(call: Call, request: service_pb2.DeleteTasksRequest):
    check_batch_size(request.ids, "ids")
    ids = list(dict.fromkeys(request.ids))
    found = await call.store.tasks.existing_ids(ids)
    for n, task_id in enumerate(request.ids):
        if task_id not in found:
            raise _missing(task_id, f"ids[{n}]")
    await call.store.tasks.delete_(ids)
    return status_pb2.BaseResponse()
