"""Tasks checked and written: the one path by which PostTasks and
PostLabelOrders create tasks (`create`), and by which PatchTasks checks a
whole task (`checked`, `check_refs`).

A task is checked by its rules (server/domain/task_rules.py), then against
the app: its workers and reviewers are the owner or collaborators, and its
concepts and DATASET, SAVED_SEARCH or INPUT source exist. Its id is given
or generated, once per request and free in the app (TASK_CONFLICT
otherwise); its status is TASK_IN_PROGRESS unless the task names another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clarifai.api import resources_pb2

from server import auto_annotation
from server.checks import Checks
from server.dispatch import Call
from server.domain import task_rules
from server.domain.task_rules import TaskRefs
from server.ids import id_or_new
from server.status import ApiError, Code
from server.wire.tasks import task_values

Source = resources_pb2.TaskInputSource

# A missing task is TASK_MISSING, "Task was not found." in the reference's
# status codes (the audit at server.status.not_found).
check = Checks(Code.CONN_INVALID_REQUEST, missing_code=Code.TASK_MISSING)
# What a task names (a dataset, an input) is missing as any object is.
check_named = Checks(Code.CONN_INVALID_REQUEST)


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


async def check_refs(call: Call, checked: list[TaskRefs]) -> None:
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


async def pin_workers(call: Call, checked: Sequence[tuple[dict[str, Any], TaskRefs]]) -> None:
    """Each auto-annotating task's model or workflow, found and able to
    run, its version pinned in the values stored."""
    for values, refs in checked:
        if refs.auto is not None:
            worker = await auto_annotation.resolve(call.store, call.app_row, refs.auto)
            auto_annotation.pin(values, worker)


def checked(sent: resources_pb2.Task, path: str) -> tuple[dict[str, Any], TaskRefs]:
    """A whole task's stored values, but id and status, and what it names."""
    refs = task_rules.check_task(sent, path)
    stored = task_rules.stored_form(sent, refs)
    check.implemented(stored, path)
    return task_values(stored, refs), refs


def _new_task(sent: resources_pb2.Task, path: str) -> tuple[dict[str, Any], TaskRefs]:
    values, refs = checked(sent, path)
    values["id"] = id_or_new(sent.id, f"{path}.id", check.invalid_code)
    values["status_code"] = sent.status.code or task_rules.DEFAULT_STATUS
    return values, refs


async def create(
    call: Call,
    sent: Sequence[resources_pb2.Task],
    at: str,
    label_order_ids: Sequence[str] = (),
) -> list[Any]:
    """The tasks `sent` checked and stored, in the order sent; task n is
    named `at.format(n=n)` in details (e.g. "tasks[{n}]"). With
    `label_order_ids`, task n belongs to order n (whose row the caller has
    written). One bad task fails the call (which then writes nothing)."""
    new = [_new_task(task, at.format(n=n)) for n, task in enumerate(sent)]
    ids = [values["id"] for values, _ in new]
    check.each_once(ids, at + ".id", code=Code.TASK_CONFLICT)
    await check_refs(call, [refs for _, refs in new])
    await pin_workers(call, new)
    rows = [values for values, _ in new]
    for values, order_id in zip(rows, label_order_ids, strict=False):
        values["label_order_id"] = order_id
    made = await call.store.tasks.create(rows)
    check.none_taken(ids, made, "task", at + ".id", code=Code.TASK_CONFLICT)
    await auto_annotation.enqueue_for(
        call.enqueue, [r for r in made.values() if auto_annotation.runs(r)]
    )
    return list(made.values())
