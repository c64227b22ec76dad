"""PostLabelOrders, GetLabelOrder, ListLabelOrders, PatchLabelOrders,
DeleteLabelOrders over gRPC and REST, and what they change of tasks: an
order owns its task (made by PostTasks' path, deleted with the order, left
out of ListTasks unless asked for), and an order IN_PROGRESS with
auto_release is released (SUCCESS) once its task is TASK_DONE."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format, timestamp_pb2

from tests.helpers import assert_invalid, assert_missing, assert_status

PENDING, IN_PROGRESS = sc.LABEL_ORDER_PENDING, sc.LABEL_ORDER_IN_PROGRESS
SUCCESS, CANCELED = sc.LABEL_ORDER_SUCCESS, sc.LABEL_ORDER_CANCELED


def task(**overrides: Any) -> dict[str, Any]:
    return {
        "type": "CONCEPTS_CLASSIFICATION",
        "name": "Annotate cat",
        "worker": {"strategy": "FULL"},
        "concepts": [{"concept": {"id": "cat"}}],
        "input_source": {"type": "ALL_INPUTS"},
        "review": {"strategy": "NONE"},
        **overrides,
    }


def order(**overrides: Any) -> r.LabelOrder:
    body: dict[str, Any] = {"name": "cats", "task": task(), **overrides}
    return json_format.ParseDict(body, r.LabelOrder())


@pytest.fixture
async def owner(stub, account):
    res = await stub.PostConcepts(
        s.PostConceptsRequest(concepts=[r.Concept(id="cat")]), metadata=account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    return account


async def post(transport, owner, *orders: r.LabelOrder) -> s.MultiLabelOrderResponse:
    return await transport.call(
        "PostLabelOrders", s.PostLabelOrdersRequest(label_orders=orders), owner.key_md
    )


async def made(transport, owner, *orders: r.LabelOrder) -> list[r.LabelOrder]:
    res = await post(transport, owner, *orders)
    assert_status(res, sc.SUCCESS)
    return list(res.label_orders)


async def get(transport, owner, order_id: str) -> r.LabelOrder:
    res = await transport.call(
        "GetLabelOrder", s.GetLabelOrderRequest(label_order_id=order_id), owner.key_md
    )
    assert_status(res, sc.SUCCESS)
    return res.label_order


async def patch(transport, owner, action: str, *orders: r.LabelOrder):
    return await transport.call(
        "PatchLabelOrders",
        s.PatchLabelOrdersRequest(action=action, label_orders=orders),
        owner.key_md,
    )


async def move(transport, owner, order_id: str, code: int):
    return await patch(transport, owner, "merge", r.LabelOrder(id=order_id, status={"code": code}))


async def listed_orders(transport, owner, **paging: int) -> list[str]:
    res = await transport.call("ListLabelOrders", s.ListLabelOrdersRequest(**paging), owner.key_md)
    assert_status(res, sc.SUCCESS)
    return [o.id for o in res.label_orders]


async def listed_tasks(transport, owner, **filters: Any) -> list[str]:
    res = await transport.call("ListTasks", s.ListTasksRequest(**filters), owner.key_md)
    assert_status(res, sc.SUCCESS)
    return [t.id for t in res.tasks]


async def set_task_status(transport, owner, task_id: str, code: int) -> None:
    res = await transport.call(
        "PatchTasks",
        s.PatchTasksRequest(action="merge", tasks=[r.Task(id=task_id, status={"code": code})]),
        owner.key_md,
    )
    assert_status(res, sc.SUCCESS)


class TestPost:
    async def test_an_order_with_its_task(self, transport, owner):
        desired = timestamp_pb2.Timestamp(seconds=1_900_000_000)
        (made_order,) = await made(
            transport,
            owner,
            order(
                auto_release=True, allow_empty_tag=True, desired_fulfill_time="2030-03-17T17:46:40Z"
            ),
        )
        assert len(made_order.id) == 32
        assert made_order.name == "cats"
        assert made_order.status.code == PENDING
        assert made_order.status.description == "Label order pending QA review"
        assert made_order.auto_release and made_order.allow_empty_tag
        assert made_order.desired_fulfill_time == desired
        assert not made_order.HasField("estimate_fulfill_time")
        assert made_order.created_at.seconds and made_order.modified_at.seconds
        made_task = made_order.task
        assert made_task.label_order_id == made_order.id
        assert made_task.status.code == sc.TASK_IN_PROGRESS
        assert made_task.app_id == owner.app_id and made_task.user_id == owner.user_id
        assert [c.concept.id for c in made_task.concepts] == ["cat"]

        assert await get(transport, owner, made_order.id) == made_order
        got = await transport.call("GetTask", s.GetTaskRequest(task_id=made_task.id), owner.key_md)
        assert_status(got, sc.SUCCESS)
        assert got.task == made_task

    async def test_given_ids(self, transport, owner):
        (o,) = await made(transport, owner, order(id="o1", task=task(id="t1")))
        assert (o.id, o.task.id, o.task.label_order_id) == ("o1", "t1", "o1")

    async def test_an_order_needs_a_task(self, transport, owner):
        res = await post(transport, owner, order(id="a"), r.LabelOrder(id="b", name="no task"))
        assert_invalid(res, "label_orders[1].task is required")
        assert await listed_orders(transport, owner) == []

    async def test_one_bad_task_writes_nothing(self, transport, owner):
        bad = order(task=task(concepts=[{"concept": {"id": "ghost"}}]))
        res = await post(transport, owner, order(id="fine"), bad)
        assert_status(res, sc.CONN_DOES_NOT_EXIST, "label_orders[1].task.concepts[0].concept.id")
        assert not res.label_orders
        res = await post(transport, owner, order(id="fine"), order(task=task(worker={})))
        assert_invalid(res, "label_orders[1].task.worker.strategy is required")
        assert await listed_orders(transport, owner) == []
        assert await listed_tasks(transport, owner, including_label_order_tasks=True) == []

    async def test_ids_are_unique_in_the_app(self, transport, owner):
        await made(transport, owner, order(id="o1", task=task(id="t1")))
        res = await post(transport, owner, order(id="o2"), order(id="o1"))
        assert_status(res, sc.DATABASE_DUPLICATE_KEY, "label_orders[1].id 'o1'")
        res = await post(transport, owner, order(id="o2"), order(id="o2"))
        assert_status(res, sc.DATABASE_DUPLICATE_KEY, "label_orders[1].id 'o2' is repeated")
        res = await post(transport, owner, order(id="o2", task=task(id="t1")))
        assert_status(res, sc.TASK_CONFLICT, "label_orders[0].task.id 't1'")
        res = await post(
            transport, owner, order(id="o2", task=task(id="t2")), order(task=task(id="t2"))
        )
        assert_status(res, sc.TASK_CONFLICT, "label_orders[1].task.id 't2' is repeated")
        assert await listed_orders(transport, owner) == ["o1"]

    async def test_bad_fields(self, transport, owner):
        cases = [
            (order(status={"code": IN_PROGRESS}), "label_orders[0].status.code 55002"),
            (order(id="bad id!"), "label_orders[0].id"),
            (
                order(estimate_fulfill_time="9999-12-31T23:59:59Z"),
                None,  # the latest valid time is fine
            ),
        ]
        for sent, words in cases:
            res = await post(transport, owner, sent)
            if words is None:
                assert_status(res, sc.SUCCESS)
            else:
                assert_invalid(res, words)
        if transport.name == "grpc":  # JSON cannot carry a time out of range
            bad_time = order()
            bad_time.desired_fulfill_time.seconds = 10**12
            res = await post(transport, owner, bad_time)
            assert_invalid(res, "label_orders[0].desired_fulfill_time", "not a valid time")

    async def test_a_new_order_may_say_pending(self, transport, owner):
        (o,) = await made(transport, owner, order(status={"code": PENDING}))
        assert o.status.code == PENDING


class TestGetAndList:
    async def test_missing(self, transport, owner):
        res = await transport.call(
            "GetLabelOrder", s.GetLabelOrderRequest(label_order_id="ghost"), owner.key_md
        )
        assert_missing(res, "label_order_id", "label order 'ghost' not found")
        assert not res.HasField("label_order")

    async def test_other_app_invisible(self, transport, owner, new_account):
        (o,) = await made(transport, owner, order())
        other = await new_account()
        res = await transport.call(
            "GetLabelOrder", s.GetLabelOrderRequest(label_order_id=o.id), other.key_md
        )
        assert_missing(res, o.id)
        assert await listed_orders(transport, other) == []

    async def test_newest_first_by_page(self, transport, owner):
        first = await made(transport, owner, *(order(id=f"o{n}") for n in range(3)))
        later = await made(transport, owner, *(order(id=f"o{n}") for n in range(3, 5)))
        assert [o.id for o in first + later] == ["o0", "o1", "o2", "o3", "o4"]
        assert await listed_orders(transport, owner) == ["o4", "o3", "o2", "o1", "o0"]
        assert await listed_orders(transport, owner, page=2, per_page=2) == ["o2", "o1"]
        assert await listed_orders(transport, owner, page=3, per_page=2) == ["o0"]
        assert await listed_orders(transport, owner, page=4, per_page=2) == []
        res = await transport.call(
            "ListLabelOrders", s.ListLabelOrdersRequest(per_page=2), owner.key_md
        )
        assert [o.task.label_order_id for o in res.label_orders] == ["o4", "o3"]
        assert res.label_orders[0] == await get(transport, owner, "o4")

    async def test_list_tasks_leaves_order_tasks_out_unless_asked(self, transport, owner):
        res = await transport.call(
            "PostTasks",
            json_format.ParseDict({"tasks": [task(id="plain")]}, s.PostTasksRequest()),
            owner.key_md,
        )
        assert_status(res, sc.SUCCESS)
        await made(
            transport, owner, order(id="o1", task=task(id="t1")), order(id="o2", task=task(id="t2"))
        )
        assert await listed_tasks(transport, owner) == ["plain"]
        everything = await listed_tasks(transport, owner, including_label_order_tasks=True)
        assert everything == ["plain", "t1", "t2"]
        assert await listed_tasks(transport, owner, label_order_ids=["o2"]) == ["t2"]
        assert await listed_tasks(transport, owner, label_order_ids=["o1", "o2"]) == ["t1", "t2"]
        assert await listed_tasks(transport, owner, label_order_ids=["ghost"]) == []
        assert await listed_tasks(transport, owner, ids=["t1"]) == []
        assert await listed_tasks(
            transport, owner, ids=["t1"], including_label_order_tasks=True
        ) == ["t1"]


class TestStatusFlow:
    async def test_pending_in_progress_success(self, transport, owner):
        (o,) = await made(transport, owner, order())
        res = await move(transport, owner, o.id, IN_PROGRESS)
        assert_status(res, sc.SUCCESS)
        assert res.label_orders[0].status.code == IN_PROGRESS
        assert res.label_orders[0].name == "cats"
        assert res.label_orders[0].task == o.task
        res = await move(transport, owner, o.id, SUCCESS)
        assert res.label_orders[0].status.code == SUCCESS
        assert (await get(transport, owner, o.id)).status.code == SUCCESS
        for code in (PENDING, IN_PROGRESS, CANCELED):
            res = await move(transport, owner, o.id, code)
            assert_invalid(res, "label_orders[0].status.code", "it is final")
        assert (await get(transport, owner, o.id)).status.code == SUCCESS

    async def test_canceled_from_pending_or_in_progress(self, transport, owner):
        a, b = await made(transport, owner, order(id="a"), order(id="b"))
        assert_status(await move(transport, owner, "b", IN_PROGRESS), sc.SUCCESS)
        res = await patch(
            transport,
            owner,
            "merge",
            r.LabelOrder(id="a", status={"code": CANCELED}),
            r.LabelOrder(id="b", status={"code": CANCELED}),
        )
        assert_status(res, sc.SUCCESS)
        assert [o.status.code for o in res.label_orders] == [CANCELED, CANCELED]
        res = await move(transport, owner, "a", PENDING)
        assert_invalid(res, "cannot move from LABEL_ORDER_CANCELED", "it is final")

    async def test_refused_moves_name_the_next_statuses(self, transport, owner):
        await made(transport, owner, order(id="a"), order(id="b"))
        res = await patch(
            transport,
            owner,
            "merge",
            r.LabelOrder(id="a", status={"code": IN_PROGRESS}),
            r.LabelOrder(id="b", status={"code": SUCCESS}),
        )
        assert_invalid(
            res,
            "label_orders[1].status.code",
            "from LABEL_ORDER_PENDING to LABEL_ORDER_SUCCESS",
            "LABEL_ORDER_IN_PROGRESS or LABEL_ORDER_CANCELED",
        )
        # Atomic: the first order did not move either.
        assert (await get(transport, owner, "a")).status.code == PENDING
        res = await move(transport, owner, "a", sc.TASK_DONE)
        assert_invalid(res, "label_orders[0].status.code 54002 is not a label order status")

    async def test_the_same_status_again_is_no_move(self, transport, owner):
        (o,) = await made(transport, owner, order())
        res = await move(transport, owner, o.id, PENDING)
        assert_status(res, sc.SUCCESS)
        assert res.label_orders[0].status.code == PENDING


class TestAutoRelease:
    async def test_a_done_task_releases_its_order(self, transport, owner):
        released, kept = await made(
            transport,
            owner,
            order(id="auto", auto_release=True, task=task(id="t-auto")),
            order(id="manual", task=task(id="t-manual")),
        )
        for o in (released, kept):
            assert_status(await move(transport, owner, o.id, IN_PROGRESS), sc.SUCCESS)
        await set_task_status(transport, owner, "t-auto", sc.TASK_DONE)
        await set_task_status(transport, owner, "t-manual", sc.TASK_DONE)
        assert (await get(transport, owner, "auto")).status.code == SUCCESS
        assert (await get(transport, owner, "manual")).status.code == IN_PROGRESS

    async def test_only_an_order_in_progress_is_released(self, transport, owner):
        (o,) = await made(transport, owner, order(id="o", auto_release=True, task=task(id="t")))
        await set_task_status(transport, owner, "t", sc.TASK_DONE)
        assert (await get(transport, owner, "o")).status.code == PENDING
        # Moved IN_PROGRESS over a task already DONE: released at once.
        res = await move(transport, owner, "o", IN_PROGRESS)
        assert_status(res, sc.SUCCESS)
        assert res.label_orders[0].status.code == SUCCESS
        assert (await get(transport, owner, "o")).status.code == SUCCESS

    async def test_a_task_not_done_releases_nothing(self, transport, owner):
        await made(transport, owner, order(id="o", auto_release=True, task=task(id="t")))
        assert_status(await move(transport, owner, "o", IN_PROGRESS), sc.SUCCESS)
        await set_task_status(transport, owner, "t", sc.TASK_WONT_DO)
        assert (await get(transport, owner, "o")).status.code == IN_PROGRESS

    async def test_done_and_in_progress_at_once(self, transport, owner):
        """The task set DONE while the order is moved IN_PROGRESS: whichever
        commits second sees the other's write, so every order is released."""
        n = 12
        await made(
            transport,
            owner,
            *(order(id=f"o{i}", auto_release=True, task=task(id=f"t{i}")) for i in range(n)),
        )

        async def done(i: int) -> None:
            await set_task_status(transport, owner, f"t{i}", sc.TASK_DONE)

        async def start(i: int) -> None:
            assert_status(await move(transport, owner, f"o{i}", IN_PROGRESS), sc.SUCCESS)

        await asyncio.gather(
            *(f(i) for i in range(n) for f in ((done, start) if i % 2 else (start, done)))
        )
        statuses = [(await get(transport, owner, f"o{i}")).status.code for i in range(n)]
        assert statuses == [SUCCESS] * n

    async def test_auto_release_given_later(self, transport, owner):
        await made(transport, owner, order(id="o", task=task(id="t")))
        assert_status(await move(transport, owner, "o", IN_PROGRESS), sc.SUCCESS)
        await set_task_status(transport, owner, "t", sc.TASK_DONE)
        assert (await get(transport, owner, "o")).status.code == IN_PROGRESS
        res = await patch(transport, owner, "merge", r.LabelOrder(id="o", auto_release=True))
        assert res.label_orders[0].status.code == SUCCESS


class TestTheOrdersTask:
    async def test_patch_tasks_changes_it_and_it_stays_the_orders(self, transport, owner):
        (o,) = await made(transport, owner, order(id="o", task=task(id="t")))
        sent = r.Task()
        sent.CopyFrom(o.task)
        sent.name = "Annotate cats again"
        sent.label_order_id = "elsewhere"  # the server's field: not taken from the client
        res = await transport.call(
            "PatchTasks", s.PatchTasksRequest(action="overwrite", tasks=[sent]), owner.key_md
        )
        assert_status(res, sc.SUCCESS)
        assert res.tasks[0].label_order_id == "o"
        got = await get(transport, owner, "o")
        assert got.task.name == "Annotate cats again"
        assert got.task == res.tasks[0]


class TestPatch:
    async def test_merge_changes_what_is_sent(self, transport, owner):
        (o,) = await made(
            transport,
            owner,
            order(auto_release=True, estimate_fulfill_time="2031-01-01T00:00:00Z"),
        )
        res = await patch(transport, owner, "merge", r.LabelOrder(id=o.id, name="dogs"))
        assert_status(res, sc.SUCCESS)
        got = res.label_orders[0]
        assert got.name == "dogs"
        assert got.auto_release and got.estimate_fulfill_time == o.estimate_fulfill_time
        assert got.modified_at.ToDatetime() >= o.modified_at.ToDatetime()
        assert await get(transport, owner, o.id) == got

    async def test_overwrite_sets_every_setting(self, transport, owner):
        (o,) = await made(
            transport,
            owner,
            order(
                auto_release=True, allow_empty_tag=True, desired_fulfill_time="2031-01-01T00:00:00Z"
            ),
        )
        assert_status(await move(transport, owner, o.id, IN_PROGRESS), sc.SUCCESS)
        sent = json_format.ParseDict(
            {"id": o.id, "name": "dogs", "estimate_fulfill_time": "2032-02-02T00:00:00Z"},
            r.LabelOrder(),
        )
        res = await patch(transport, owner, "overwrite", sent)
        assert_status(res, sc.SUCCESS)
        got = res.label_orders[0]
        assert got.name == "dogs"
        assert not got.auto_release and not got.allow_empty_tag
        assert not got.HasField("desired_fulfill_time")
        assert got.estimate_fulfill_time.ToJsonString() == "2032-02-02T00:00:00Z"
        # A status left out stays.
        assert got.status.code == IN_PROGRESS

    async def test_the_task_is_not_patched_through_the_order(self, transport, owner):
        (o,) = await made(transport, owner, order())
        for action in ("merge", "overwrite"):
            res = await patch(transport, owner, action, o)
            assert_invalid(res, "label_orders[0].task", "PatchTasks")
        assert await get(transport, owner, o.id) == o

    async def test_bad_requests(self, transport, owner):
        (o,) = await made(transport, owner, order())
        res = await patch(transport, owner, "remove", r.LabelOrder(id=o.id))
        assert_invalid(res, "action 'remove' is not allowed for label orders")
        res = await patch(transport, owner, "", r.LabelOrder(id=o.id))
        assert_invalid(res, "action is required")
        res = await patch(transport, owner, "merge", r.LabelOrder(id=o.id), r.LabelOrder(id="x"))
        assert_missing(res, "label_orders[1].id", "label order 'x' not found")
        res = await patch(transport, owner, "merge", r.LabelOrder(name="no id"))
        assert_invalid(res, "label_orders[0].id is required")
        res = await patch(transport, owner, "merge")
        assert_invalid(res, "label_orders: at least one is required")
        if transport.name == "grpc":  # JSON cannot carry a time out of range
            late = r.LabelOrder(id=o.id)
            late.estimate_fulfill_time.nanos = -1
            res = await patch(transport, owner, "merge", late)
            assert_invalid(res, "label_orders[0].estimate_fulfill_time")
        assert await get(transport, owner, o.id) == o


class TestDelete:
    async def test_the_task_goes_with_the_order(self, transport, owner):
        await made(
            transport, owner, order(id="a", task=task(id="ta")), order(id="b", task=task(id="tb"))
        )
        res = await transport.call(
            "DeleteLabelOrders", s.DeleteLabelOrdersRequest(ids=["a"]), owner.key_md
        )
        assert_status(res, sc.SUCCESS)
        assert await listed_orders(transport, owner) == ["b"]
        got = await transport.call("GetTask", s.GetTaskRequest(task_id="ta"), owner.key_md)
        assert_status(got, sc.TASK_MISSING)
        assert await listed_tasks(transport, owner, including_label_order_tasks=True) == ["tb"]

    async def test_unknown_ids_delete_nothing(self, transport, owner):
        await made(transport, owner, order(id="a"))
        res = await transport.call(
            "DeleteLabelOrders", s.DeleteLabelOrdersRequest(ids=["a", "ghost"]), owner.key_md
        )
        assert_missing(res, "ids[1]", "label order 'ghost' not found")
        res = await transport.call("DeleteLabelOrders", s.DeleteLabelOrdersRequest(), owner.key_md)
        assert_invalid(res, "ids: at least one is required")
        assert await listed_orders(transport, owner) == ["a"]

    async def test_delete_tasks_refuses_an_orders_task(self, transport, owner):
        await made(transport, owner, order(id="o", task=task(id="t")))
        res = await transport.call("DeleteTasks", s.DeleteTasksRequest(ids=["t"]), owner.key_md)
        assert_status(
            res,
            sc.TASK_CONFLICT,
            "ids[0]",
            "task 't' belongs to label order 'o'",
            "delete the order",
        )
        got = await transport.call("GetTask", s.GetTaskRequest(task_id="t"), owner.key_md)
        assert_status(got, sc.SUCCESS)
        assert got.task.label_order_id == "o"
