"""PostDatasetInputs, GetDatasetInput, ListDatasetInputs, DeleteDatasetInputs:
which of the app's inputs a dataset holds.

PostDatasetInputs is not atomic: each input gets its own status (64100
added, 64101 already there, 11101 no such input) and the call reports
SUCCESS, MIXED_STATUS or FAILURE. Inputs are shown as GetInput shows them.
Instead of listing inputs, a request may send a search (or a saved
search's id): the inputs it finds are added, at most FROM_SEARCH at once,
in one call (the reference answers with a bulk operation; this server adds
them before it answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import auto_annotation, input_views, searching
from server.checks import Checks
from server.dispatch import Call
from server.pagination import fits_budget, page_of
from server.services import rpc
from server.status import Code, batch_status, make_status, not_found
from server.wire import dataset_inputs as wire

check = Checks(Code.CONN_INVALID_REQUEST)
# Inputs one PostDatasetInputs may add from a search (per_page's most: the
# answer lists each).
FROM_SEARCH = 1000


async def _dataset(call: Call, dataset_id: str, *, keep: bool = False):
    """`keep` for calls that write rows referring to the dataset: a
    concurrent delete then waits for this call instead of breaking it."""
    row = await call.store.datasets.get(check.required(dataset_id, "dataset_id"), keep=keep)
    return check.found(row, "dataset", dataset_id)


async def _inputs(call: Call, ids: Sequence[str]) -> dict[str, resources_pb2.Input]:
    """These inputs as lists show them, by id (missing ones left out; texts
    longer than Settings.inline_text_bytes without raw)."""
    inline_text = call.settings.inline_text_bytes
    rows = await call.store.inputs.get_many(ids, inline_text=inline_text)
    protos = await input_views.shown(call, list(rows.values()), inline_text)
    return {p.id: p for p in protos}


async def _found(call: Call, search: resources_pb2.Search) -> list[str]:
    """The inputs a search finds: the one sent, or the saved one it names by
    id alone (as of its saving)."""
    search = await searching.sent_or_saved(call, search, "search")
    p = searching.plan(search, "search", call.user_id)
    return await searching.input_ids(call, p, FROM_SEARCH, "search")


@rpc
async def PostDatasetInputs(call: Call, request: service_pb2.PostDatasetInputsRequest):
    dataset = await _dataset(call, request.dataset_id, keep=True)
    if request.HasField("search"):
        if request.dataset_inputs:
            raise check.invalid("dataset_inputs and search: send one of them")
        ids = await _found(call, request.search)
    else:
        check.batch(request.dataset_inputs, "dataset_inputs")
        ids = [item.input.id for item in request.dataset_inputs]
    wanted = list(dict.fromkeys(i for i in ids if i))
    inputs = await _inputs(call, wanted)
    # Each input once, in request order; a repeat is reported as a duplicate.
    added = await call.store.dataset_inputs.link_inputs(
        [dataset.pk], [i for i in wanted if i in inputs]
    )
    out = service_pb2.MultiDatasetInputResponse()
    for n, input_id in enumerate(ids):
        at = added.pop((dataset.pk, input_id), None)
        out.dataset_inputs.append(_added(n, input_id, inputs.get(input_id), at, dataset.id))
    out.status.CopyFrom(batch_status([item.input.status for item in out.dataset_inputs]))
    await auto_annotation.queue_dataset(call, dataset.id)  # its tasks annotate them
    return out


def _added(
    n: int, input_id: str, shown: resources_pb2.Input | None, at: datetime | None, dataset_id: str
) -> resources_pb2.DatasetInput:
    """The n-th item's outcome: the input `shown` (None: not found) added at
    `at` (None: not by this item)."""
    field = f"dataset_inputs[{n}].input.id"
    item = resources_pb2.DatasetInput()
    if not input_id:
        item.input.status.CopyFrom(check.invalid(f"{field} is required").to_status())
        return item
    item.input.id = input_id
    if shown is None:
        item.input.status.CopyFrom(not_found("input", input_id, field).to_status())
    elif at is None:
        details = f"{field}: input '{input_id}' is already in dataset '{dataset_id}'"
        item.input.status.CopyFrom(make_status(Code.DATASET_INPUT_DUPLICATE, details))
    else:
        item.CopyFrom(wire.dataset_input(at, shown))
        item.input.status.CopyFrom(make_status(Code.DATASET_INPUT_SUCCESS))
    return item


@rpc
async def ListDatasetInputs(call: Call, request: service_pb2.ListDatasetInputsRequest):
    """The dataset's inputs in the order they were added."""
    dataset = await _dataset(call, request.dataset_id)
    links = await call.store.dataset_inputs.page(dataset.pk, page_of(request))
    inputs = await _inputs(call, [link.input_id for link in links])
    response = service_pb2.MultiDatasetInputResponse(
        dataset_inputs=[
            wire.dataset_input(link.created_at, inputs[link.input_id])
            for link in links
            if link.input_id in inputs
        ]
    )
    return fits_budget(response, "dataset_inputs", call.settings.response_max_bytes)


@rpc
async def GetDatasetInput(call: Call, request: service_pb2.GetDatasetInputRequest):
    dataset = await _dataset(call, request.dataset_id)
    input_id = check.required(request.input_id, "input_id")
    link = await call.store.dataset_inputs.get_link(dataset.pk, input_id)
    inputs = await _inputs(call, [input_id]) if link is not None else {}
    if input_id not in inputs:
        raise check.missing(f"dataset '{dataset.id}' input", input_id)
    return service_pb2.SingleDatasetInputResponse(
        dataset_input=wire.dataset_input(link.created_at, inputs[input_id])
    )


@rpc
async def DeleteDatasetInputs(call: Call, request: service_pb2.DeleteDatasetInputsRequest):
    """Take inputs out of the dataset (the inputs themselves stay)."""
    dataset = await _dataset(call, request.dataset_id)
    ids = list(request.input_ids)
    check.batch(ids, "input_ids")
    check.ids(ids, "input_ids[{n}]")
    linked = await call.store.dataset_inputs.linked(dataset.pk, ids)
    check.all_known(ids, linked, f"dataset '{dataset.id}' input", "input_ids[{n}]")
    await call.store.dataset_inputs.unlink(dataset.pk, ids)
    return status_pb2.BaseResponse()
