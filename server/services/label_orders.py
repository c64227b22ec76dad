"""PostLabelOrders, GetLabelOrder, ListLabelOrders, PatchLabelOrders,
DeleteLabelOrders.

A label order asks for labels: it owns one task, made with it by the path
PostTasks takes (server/task_writes.py, same checks, same ids) and marked
with the order's id (Task.label_order_id); the task goes when the order
goes, and is changed by PatchTasks, never through the order. An order is
LABEL_ORDER_PENDING when made and moves as server/domain/label_order_rules.py
says; with auto_release it becomes SUCCESS once its task is TASK_DONE while
it is IN_PROGRESS (server/label_order_release.py). Post, Patch and Delete
are atomic: one bad order and nothing is written.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import patch, task_writes
from server.checks import Checks
from server.dispatch import Call
from server.domain import label_order_rules as rules
from server.label_order_release import release_done
from server.pagination import page_of
from server.services import rpc
from server.status import Code, not_found
from server.wire.label_orders import label_order_proto

check = Checks(Code.CONN_INVALID_REQUEST)
# overwrite: the order's settings become those sent (a status left out
# stays); merge: the settings sent change (a name, a flag set true, a time),
# the others stay. No field is a tree.
SPEC = patch.Spec("label orders", (patch.OVERWRITE, patch.MERGE))
TIMES = ("desired_fulfill_time", "estimate_fulfill_time")


def _settings(sent: resources_pb2.LabelOrder, path: str) -> dict[str, Any]:
    """Every setting of an order as sent (a time left out is none)."""
    check.implemented(sent, path)
    out: dict[str, Any] = {
        "name": sent.name,
        "auto_release": sent.auto_release,
        "allow_empty_tag": sent.allow_empty_tag,
    }
    for name in TIMES:
        sent_time = sent.HasField(name)
        out[name] = check.time(getattr(sent, name), f"{path}.{name}") if sent_time else None
    return out


def _new(sent: resources_pb2.LabelOrder, path: str) -> dict[str, Any]:
    if not sent.HasField("task"):
        raise check.invalid(f"{path}.task is required: a label order owns the task it asks for")
    code = rules.check_new_status(sent.status.code, f"{path}.status.code")
    return {**_settings(sent, path), "status_code": code}


async def _shown(call: Call, rows: list[Any]) -> list[resources_pb2.LabelOrder]:
    tasks = await call.store.label_orders.tasks_of([r.id for r in rows])
    return [label_order_proto(r, tasks.get(r.id), call.app) for r in rows]


@rpc
async def PostLabelOrders(call: Call, request: service_pb2.PostLabelOrdersRequest):
    check.batch(request.label_orders, "label_orders")
    ids = check.new_ids((o.id for o in request.label_orders), "label_orders")
    values = [
        {"id": order_id, **_new(sent, f"label_orders[{n}]")}
        for n, (sent, order_id) in enumerate(zip(request.label_orders, ids, strict=True))
    ]
    made = await call.store.label_orders.create(values)
    check.none_taken(ids, made, "label order", "label_orders[{n}].id")
    sent_tasks = [o.task for o in request.label_orders]
    tasks = await task_writes.create(call, sent_tasks, "label_orders[{n}].task", ids)
    return service_pb2.MultiLabelOrderResponse(
        label_orders=[
            label_order_proto(made[i], task, call.app) for i, task in zip(ids, tasks, strict=True)
        ]
    )


@rpc
async def GetLabelOrder(call: Call, request: service_pb2.GetLabelOrderRequest):
    order_id = check.required(request.label_order_id, "label_order_id")
    row = await call.store.label_orders.get(order_id)
    if row is None:
        raise not_found("label order", order_id, "label_order_id")
    (shown,) = await _shown(call, [row])
    return service_pb2.SingleLabelOrderResponse(label_order=shown)


@rpc
async def ListLabelOrders(call: Call, request: service_pb2.ListLabelOrdersRequest):
    """Newest first."""
    rows = await call.store.label_orders.page(page_of(request))
    return service_pb2.MultiLabelOrderResponse(label_orders=await _shown(call, rows))


def _sent(action: str, sent: resources_pb2.LabelOrder, row: Any, path: str) -> dict[str, Any]:
    """The values a patch sets on the order `row`, checked."""
    if sent.HasField("task"):
        raise check.invalid(
            f"{path}.task: a label order's task is not patched through the order; "
            "patch the task with PatchTasks (its id is the order's task.id)"
        )
    values = _settings(sent, path)
    if action == patch.MERGE:
        values = {name: value for name, value in values.items() if value}
    if sent.status.code:
        where = f"{path}.status.code"
        values["status_code"] = rules.check_move(row.status_code, sent.status.code, where)
    return values


@rpc
async def PatchLabelOrders(call: Call, request: service_pb2.PatchLabelOrdersRequest):
    """An order moved IN_PROGRESS (or given auto_release) whose task is
    already DONE is released at once, and answered as SUCCESS."""
    action = SPEC.check(request.action)
    check.batch(request.label_orders, "label_orders")
    ids = check.ids([o.id for o in request.label_orders], "label_orders[{n}].id")
    # Tasks before orders, as PatchTasks locks a task before releasing its
    # order: neither waits on the other in a cycle, and a task set DONE
    # meanwhile is seen (server/label_order_release.py).
    tasks = await call.store.label_orders.tasks_of(ids, lock=True)
    stored = await call.store.label_orders.get_many(ids, lock=True)
    check.all_known(ids, stored, "label order", "label_orders[{n}].id")
    # Every order's changes are checked before any is written.
    changes = [
        patch.apply(action, {}, _sent(action, sent, stored[sent.id], f"label_orders[{n}]"), SPEC)
        for n, sent in enumerate(request.label_orders)
    ]
    rows = [
        await call.store.label_orders.update(stored[i], c)
        for i, c in zip(ids, changes, strict=True)
    ]
    await release_done(call.store, [t.pk for t in tasks.values()])
    return service_pb2.MultiLabelOrderResponse(
        label_orders=[label_order_proto(r, tasks.get(r.id), call.app) for r in rows]
    )


@rpc
async def DeleteLabelOrders(call: Call, request: service_pb2.DeleteLabelOrdersRequest):
    """The orders go with their tasks, and the tasks' assignments."""
    check.batch(request.ids, "ids")
    found = await call.store.label_orders.existing_ids(request.ids)
    check.all_known(request.ids, found, "label order", "ids[{n}]")
    await call.store.label_orders.delete(sorted(found))
    return status_pb2.BaseResponse()
