"""Label orders on the wire: the order's columns, and its task as GetTask
shows it."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import ts
from server.status import make_status
from server.wire.tasks import task_proto
from storage.apps import AppScope
from storage.label_orders import LabelOrder
from storage.tasks import Task


def label_order_proto(
    row: LabelOrder, task: Task | None, app: AppScope
) -> resources_pb2.LabelOrder:
    out = resources_pb2.LabelOrder(
        id=row.id,
        name=row.name,
        status=make_status(row.status_code),
        auto_release=row.auto_release,
        allow_empty_tag=row.allow_empty_tag,
        desired_fulfill_time=ts(row.desired_fulfill_time),
        estimate_fulfill_time=ts(row.estimate_fulfill_time),
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
    )
    if task is not None:
        out.task.CopyFrom(task_proto(task, app))
    return out
