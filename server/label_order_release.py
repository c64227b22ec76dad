"""An order releases itself: once its task is TASK_DONE while the order is
LABEL_ORDER_IN_PROGRESS with auto_release, the order is
LABEL_ORDER_SUCCESS. Whatever makes a task DONE calls `release_done` in
the same transaction (PatchTasks does; so does the assignment code when a
task's last input is labeled), and PatchLabelOrders calls it for the orders
it changes (an order moved IN_PROGRESS, or given auto_release, over a task
already DONE is released at once).

Locks: a caller setting a task DONE holds the task row (FOR UPDATE) before
this updates the order; PatchLabelOrders locks its orders' tasks before the
orders. So the two never wait on each other in a cycle, and whichever
commits second sees what the first wrote: no release is missed."""

from __future__ import annotations

from collections.abc import Sequence

from storage.store import Store


async def release_done(store: Store, task_pks: Sequence[int]) -> list[str]:
    """Releases the orders of these tasks (pks of the store's app) that are
    due; answers their ids. Tasks not DONE, or owned by no order, or whose
    order is not IN_PROGRESS with auto_release, change nothing."""
    released = await store.label_orders.release_done(task_pks)
    return sorted(row.id for row in released)
