"""Task assignments on the wire: the worker (a user), the input as GetInput
shows it, and the assignment's status."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import set_ts
from server.status import make_status
from storage.task_assignments import Row


def assignment_proto(row: Row, shown: resources_pb2.Input) -> resources_pb2.TaskAssignment:
    out = resources_pb2.TaskAssignment(
        id=row.id,
        worker=resources_pb2.Worker(user=resources_pb2.User(id=row.worker_user_id)),
        input=shown,
        status=make_status(row.status_code),
    )
    set_ts(out.created_at, row.created_at)
    set_ts(out.modified_at, row.modified_at)
    return out
