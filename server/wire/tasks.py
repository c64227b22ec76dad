"""Tasks on the wire. A task is stored as sent, but in its current fields
only (task_rules.stored_form: deprecated names folded into their
successors) and without the fields the server fills in, plus what it names
copied into columns (for the list filters). It is read back with those
fields filled in and each deprecated name filled too
(task_rules.fill_every_name)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson
from clarifai.api import resources_pb2
from google.protobuf import json_format

from server.convert import request_json, set_ts
from server.domain import task_rules
from server.domain.task_rules import TaskRefs
from server.status import Code, make_status
from storage.apps import AppScope
from storage.tasks import Shown, Task

# Fields the server fills in; the rest of the Task message is stored as sent.
SERVER_FIELDS = (
    "id",
    "created_at",
    "modified_at",
    "app_id",
    "user_id",
    "status",
    "label_order_id",
    "metrics",
)


def task_proto(row: Task | Shown, app: AppScope) -> resources_pb2.Task:
    out = resources_pb2.Task.FromString(_read(orjson.dumps(row.task)))
    out.id = row.id
    set_ts(out.created_at, row.created_at)
    set_ts(out.modified_at, row.modified_at)
    out.app_id = app.id
    out.user_id = app.user_id
    out.status.CopyFrom(make_status(row.status_code, row.status_details))
    out.label_order_id = row.label_order_id or ""
    return out


# A stored task's JSON as the Task it reads back as (every name filled),
# serialized; by the JSON's text, so a changed task is another entry.
# json_format's walk takes 50 us for a small task, and workers read the
# same few tasks over and over (GetTask, ListTasks, their assignments).
@lru_cache(maxsize=4096)
def _read(stored: bytes) -> bytes:
    out = json_format.ParseDict(
        orjson.loads(stored), resources_pb2.Task(), ignore_unknown_fields=True
    )
    task_rules.fill_every_name(out)
    return out.SerializeToString()


def task_values(stored: resources_pb2.Task, refs: TaskRefs) -> dict[str, Any]:
    """The stored values of a sent task (checked, naming `refs`, in its
    stored form), but its id and status, which the caller decides."""
    return {
        "task": _stored(stored, refs.path),
        "worker_user_ids": refs.worker_ids,
        "reviewer_user_ids": refs.reviewer_ids,
        "input_source_type": refs.input_source_type,
        "input_source_id": refs.input_source_id,
    }


def _stored(sent: resources_pb2.Task, path: str) -> dict[str, Any]:
    body = resources_pb2.Task()
    body.CopyFrom(sent)
    for name in SERVER_FIELDS:
        body.ClearField(name)
    return request_json(body, path, Code.CONN_INVALID_REQUEST)
