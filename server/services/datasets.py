"""PostDatasets, GetDataset, ListDatasets, PatchDatasets, DeleteDatasets.

PostDatasets and PatchDatasets are atomic: the first error fails the whole
call and writes nothing. A dataset is shown with its latest version. The
inputs of datasets are in dataset_inputs.py, their versions and exports in
dataset_versions.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import patch
from server.checks import Checks
from server.convert import from_struct
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import Code
from server.wire import dataset_versions as version_wire
from server.wire import datasets as wire

check = Checks(Code.CONN_INVALID_REQUEST)
# merge: fields sent replace the stored ones and metadata merges; overwrite:
# the same, but metadata is replaced whole; remove: metadata keys sent are
# removed, description and notes sent are cleared, and so is the image when
# its url is sent (see _sent).
SPEC = patch.Spec(
    "datasets",
    patch.ACTIONS,
    trees=frozenset({"metadata_"}),
    clearable=frozenset({"description", "notes", "image_url"}),
)


@rpc
async def PostDatasets(call: Call, request: service_pb2.PostDatasetsRequest):
    check.batch(request.datasets, "datasets")
    ids = check.new_ids((d.id for d in request.datasets), "datasets")
    values = [
        {"id": dataset_id, **_new(sent, f"datasets[{n}]")}
        for n, (sent, dataset_id) in enumerate(zip(request.datasets, ids, strict=True))
    ]
    made = await call.store.datasets.create(values)
    check.none_taken(ids, made, "dataset", "datasets[{n}].id")
    return service_pb2.MultiDatasetResponse(
        datasets=[wire.dataset(r, call.app) for r in made.values()]
    )


def _new(sent: resources_pb2.Dataset, field: str) -> dict[str, Any]:
    """A new dataset's fields, as sent. A field this server does not declare
    (default_annotation_filter, say, from a client of the whole reference) is
    refused, not dropped."""
    check.implemented(sent, field)
    return {
        "description": sent.description,
        "notes": sent.notes,
        "metadata_": from_struct(sent.metadata, f"{field}.metadata"),
        "visibility": check.visibility(sent.visibility.gettable, f"{field}.visibility.gettable"),
        "image_url": sent.image.url,
    }


@rpc
async def GetDataset(call: Call, request: service_pb2.GetDatasetRequest):
    dataset_id = check.required(request.dataset_id, "dataset_id")
    row = check.found(await call.store.datasets.get(dataset_id), "dataset", dataset_id)
    [dataset] = await _with_latest(call, [row])
    return service_pb2.SingleDatasetResponse(dataset=dataset)


@rpc
async def ListDatasets(call: Call, request: service_pb2.ListDatasetsRequest):
    """The app's datasets, each with its latest version; most recently
    modified first unless a sort is asked for."""
    at = page_of(request)
    sort = (request.WhichOneof("sort_by") or "sort_by_modified_at").removeprefix("sort_by_")
    rows = await call.store.datasets.page(at, sort=sort, descending=not request.sort_ascending)
    return service_pb2.MultiDatasetResponse(datasets=await _with_latest(call, rows))


async def _with_latest(call: Call, rows: Sequence[Any]) -> list[resources_pb2.Dataset]:
    """The datasets as the API shows them: each with its latest version."""
    latest = await call.store.dataset_versions.latest_versions([r.pk for r in rows])
    exports = await call.store.dataset_versions.exports_of([v.pk for v in latest.values()])
    dataset_ids = {r.pk: r.id for r in rows}
    shown = {
        v.dataset_pk: version_wire.dataset_version(
            v, dataset_ids[v.dataset_pk], call.app, call.settings, exports[v.pk]
        )
        for v in latest.values()
    }
    return [wire.dataset(r, call.app, shown.get(r.pk)) for r in rows]


@rpc
async def PatchDatasets(call: Call, request: service_pb2.PatchDatasetsRequest):
    action = SPEC.check(request.action)
    check.batch(request.datasets, "datasets")
    ids = check.ids([sent.id for sent in request.datasets], "datasets[{n}].id")
    found = await call.store.datasets.get_many(ids)
    check.all_known(ids, found, "dataset", "datasets[{n}].id")
    rows = [found[i] for i in ids]
    # Every dataset's changes are checked before any is written.
    changes = [
        patch.apply(
            action, {"metadata_": row.metadata_}, _sent(action, sent, row, f"datasets[{n}]"), SPEC
        )
        for n, (sent, row) in enumerate(zip(request.datasets, rows, strict=True))
    ]
    for row, changed in zip(rows, changes, strict=True):
        await call.store.datasets.update(row, changed)
    return service_pb2.MultiDatasetResponse(datasets=[wire.dataset(r, call.app) for r in rows])


def _sent(action: str, sent: resources_pb2.Dataset, row: Any, field: str) -> dict[str, Any]:
    """The fields the request set (empty strings are not set). remove never
    touches the visibility, so it is neither read nor checked then; and it
    clears the image only when the url sent is the stored one. A field this
    server does not declare is refused, not dropped."""
    check.implemented(sent, field)
    out: dict[str, Any] = {
        name: getattr(sent, name) for name in ("description", "notes") if getattr(sent, name)
    }
    if action != patch.REMOVE and sent.HasField("visibility"):
        out["visibility"] = check.visibility(
            sent.visibility.gettable, f"{field}.visibility.gettable"
        )
    if sent.image.url and (action != patch.REMOVE or sent.image.url == row.image_url):
        out["image_url"] = sent.image.url
    if sent.HasField("metadata"):
        out["metadata_"] = from_struct(sent.metadata, f"{field}.metadata")
    return out


@rpc
async def DeleteDatasets(call: Call, request: service_pb2.DeleteDatasetsRequest):
    """The datasets go with their versions and exports; media of deleted
    inputs go with the last version that kept them."""
    ids = list(request.dataset_ids)
    check.batch(ids, "dataset_ids")
    check.ids(ids, "dataset_ids[{n}]")
    found = await call.store.datasets.get_many(ids, lock=True)
    check.all_known(ids, found, "dataset", "dataset_ids[{n}]")
    unused = await call.store.datasets.delete([d.pk for d in found.values()])
    if unused:
        call.after_commit(lambda: call.blobs.delete(unused))
    return status_pb2.BaseResponse()
