"""PostBulkOperations, GetBulkOperation, ListBulkOperations,
CancelBulkOperations, DeleteBulkOperations.

PostBulkOperations is atomic: each operation is checked whole
(server/bulk_operations.py), the first problem fails the call naming its
field, and nothing is written. Each operation then runs in the background;
clients poll GetBulkOperation or ListBulkOperations for its status
(BULK_OPERATION_PENDING, _IN_PROGRESS, then _SUCCESS, _FAILED or
_CANCELLED) and progress (inputs processed, the id of the last).

CancelBulkOperations stops pending and running operations (it waits for
the chunk under way: nothing changes once it answers); one cancelled
already is answered as it is; one that ended otherwise is refused.
DeleteBulkOperations deletes ended operations only. Both are atomic.
"""

from __future__ import annotations

from clarifai.api import service_pb2
from clarifai.api.status import status_pb2

from server import auto_annotation
from server import bulk_operations as bulk
from server.checks import Checks
from server.dispatch import Call
from server.pagination import fits_budget, page_of
from server.services import rpc
from server.status import Code
from server.wire import bulk_operations as wire
from storage import bulk_operations as bulk_store

check = Checks(Code.BULK_OPERATION_INVALID_REQUEST)
_STATES = {
    bulk_store.SUCCESS: "succeeded",
    bulk_store.FAILED: "failed",
    bulk_store.CANCELLED: "was cancelled",
    bulk_store.PENDING: "is pending",
    bulk_store.IN_PROGRESS: "is in progress",
}


def _answer(
    call: Call, rows: list[bulk_store.BulkOperation]
) -> service_pb2.MultiBulkOperationsResponse:
    return service_pb2.MultiBulkOperationsResponse(
        bulk_operation=[wire.bulk_operation(r, call.app) for r in rows]
    )


@rpc
async def PostBulkOperations(call: Call, request: service_pb2.PostBulkOperationsRequest):
    check.batch(request.bulk_operations, "bulk_operations")
    ids = check.new_ids((op.id for op in request.bulk_operations), "bulk_operations")
    made: list[bulk_store.BulkOperation] = []
    for n, sent in enumerate(request.bulk_operations):
        plan = await bulk.planned(call, sent, f"bulk_operations[{n}]")
        row = await call.store.bulk_operations.add(
            {
                "id": ids[n],
                "created_by": call.user_id,
                "sent": wire.sent_bytes(sent),
                "work": plan.work,
            }
        )
        check.none_taken(
            [ids[n]], [row.id] if row else [], "bulk operation", f"bulk_operations[{n}].id"
        )
        assert row is not None
        await call.store.bulk_operations.snapshot(row.pk, plan.items)
        made.append(row)
    await call.enqueue(bulk.KIND, bulk.payloads([r.pk for r in made]))
    return _answer(call, made)


@rpc
async def GetBulkOperation(call: Call, request: service_pb2.GetBulkOperationRequest):
    check.required(request.id, "id")
    row = (await call.store.bulk_operations.shown([request.id])).get(request.id)
    row = check.found(row, "bulk operation", request.id)
    return service_pb2.SingleBulkOperationsResponse(
        bulk_operation=wire.bulk_operation(row, call.app)
    )


@rpc
async def ListBulkOperations(call: Call, request: service_pb2.ListBulkOperationsRequest):
    rows = await call.store.bulk_operations.page(page_of(request))
    return fits_budget(_answer(call, rows), "bulk_operation", call.settings.response_max_bytes)


async def _named(
    call: Call, ids: list[str], *, lock: bool = False
) -> list[bulk_store.BulkOperation]:
    """The operations of `ids`, in order: each must exist."""
    check.batch(ids, "ids")
    check.ids(ids, "ids[{n}]")
    found = await call.store.bulk_operations.shown(ids, lock=lock)
    check.all_known(ids, found, "bulk operation", "ids[{n}]")
    return [found[i] for i in ids]


@rpc
async def CancelBulkOperations(call: Call, request: service_pb2.CancelBulkOperationRequest):
    # Locked: a chunk under way holds its operation's row until it commits.
    rows = await _named(call, list(request.ids), lock=True)
    for n, row in enumerate(rows):
        if row.status_code not in (*bulk_store.RUNNING, bulk_store.CANCELLED):
            raise check.invalid(
                f"ids[{n}]: bulk operation '{row.id}' {_STATES[row.status_code]}: only pending "
                "or running ones can be cancelled"
            )
    stopping = [r for r in rows if r.status_code in bulk_store.RUNNING]
    await call.store.bulk_operations.end([r.pk for r in stopping], bulk_store.CANCELLED)
    for row in stopping:
        # Inputs it added to datasets before it stopped are theirs: tasks
        # auto-annotating those datasets run over them.
        if row.processed and row.work["op"] in ("add_to_dataset", "split_into_datasets"):
            for _, dataset_id, *_ in row.work["datasets"]:
                await auto_annotation.queue_dataset(call, dataset_id)
    rows = await _named(call, list(request.ids))
    return _answer(call, rows)


@rpc
async def DeleteBulkOperations(call: Call, request: service_pb2.DeleteBulkOperationRequest):
    # Not locked: an ended operation never runs again, and a chunk under way
    # shows its operation running.
    rows = await _named(call, list(request.ids))
    for n, row in enumerate(rows):
        if row.status_code not in bulk_store.TERMINATED:
            raise check.invalid(
                f"ids[{n}]: bulk operation '{row.id}' {_STATES[row.status_code]}: only "
                "terminated ones (succeeded, failed or cancelled) can be deleted; cancel it first"
            )
    await call.store.bulk_operations.delete([r.id for r in rows])
    return status_pb2.BaseResponse()
