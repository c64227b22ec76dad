"""PostDatasets, GetDataset, ListDatasets, PatchDatasets, DeleteDatasets.

PostDatasets and PatchDatasets are atomic: the first error fails the whole
call and writes nothing. A dataset is shown with its latest version. The
inputs of datasets are in dataset_inputs.py, their versions and exports in
dataset_versions.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
from server.wire import annotation_filters as filter_wire
from server.wire import dataset_versions as version_wire
from server.wire import datasets as wire

check = Checks(Code.CONN_INVALID_REQUEST)
# merge: fields sent replace the stored ones and metadata merges; overwrite:
# the same, but metadata is replaced whole; remove: metadata keys sent are
# removed, description and notes sent are cleared, and so are the image and
# the default annotation filter when the stored ones are sent (see _sent).
SPEC = patch.Spec(
    "datasets",
    patch.ACTIONS,
    trees=frozenset({"metadata_"}),
    clearable=frozenset({"description", "notes", "image_url", "default_filter_pk"}),
    clear_to={"default_filter_pk": None},
)


@rpc
async def PostDatasets(call: Call, request: service_pb2.PostDatasetsRequest):
    check.batch(request.datasets, "datasets")
    ids = check.new_ids((d.id for d in request.datasets), "datasets")
    named = await _default_filters(call, request.datasets)
    values = [
        {"id": dataset_id, **_new(sent, f"datasets[{n}]"), "default_filter_pk": _pk(named, sent)}
        for n, (sent, dataset_id) in enumerate(zip(request.datasets, ids, strict=True))
    ]
    made = await call.store.datasets.create(values)
    check.none_taken(ids, made, "dataset", "datasets[{n}].id")
    return service_pb2.MultiDatasetResponse(datasets=await _shown(call, made.values()))


async def _default_filters(call: Call, sent: Sequence[resources_pb2.Dataset]) -> dict[str, Any]:
    """The annotation filters the datasets sent name as their default, by
    id; each must be one of the app's, named by its id, and stays until the
    call ends (DeleteAnnotationFilters waits)."""
    named: dict[int, str] = {}
    for n, dataset in enumerate(sent):
        if not dataset.HasField("default_annotation_filter"):
            continue
        at = f"datasets[{n}].default_annotation_filter"
        given = dataset.default_annotation_filter
        if not given.id:
            raise check.invalid(
                f"{at}.id is required: a dataset names one of the app's annotation filters "
                "(PostAnnotationFilters makes them)"
            )
        if given.HasField("search"):
            raise check.invalid(
                f"{at}.search: name the filter by id only; PatchAnnotationFilters changes it"
            )
        named[n] = given.id
    found = await call.store.annotation_filters.kept(list(named.values()))
    for n, filter_id in named.items():
        if filter_id not in found:
            raise check.missing(
                "annotation filter", filter_id, f"datasets[{n}].default_annotation_filter.id"
            )
    return found


def _pk(named: dict[str, Any], sent: resources_pb2.Dataset) -> int | None:
    """The pk of the default filter the dataset sent names, if it names one."""
    if not sent.HasField("default_annotation_filter"):
        return None
    return named[sent.default_annotation_filter.id].pk


async def _shown(
    call: Call, rows: Iterable[Any], versions: dict[int, resources_pb2.DatasetVersion] | None = None
) -> list[resources_pb2.Dataset]:
    """The datasets as the API shows them: with their default filter, and
    their latest version when given (by dataset pk)."""
    rows = list(rows)
    pks = [r.default_filter_pk for r in rows if r.default_filter_pk is not None]
    filters = await call.store.annotation_filters.by_pk(pks)
    return [
        wire.dataset(
            r,
            call.app,
            (versions or {}).get(r.pk),
            filter_wire.annotation_filter(filters[r.default_filter_pk], call.app)
            if r.default_filter_pk in filters
            else None,
        )
        for r in rows
    ]


def _new(sent: resources_pb2.Dataset, field: str) -> dict[str, Any]:
    """A new dataset's fields, as sent (its default filter apart). A field
    this server does not declare (bookmark_origin, say, from a client of the
    whole reference) is refused, not dropped."""
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
    return await _shown(call, rows, shown)


@rpc
async def PatchDatasets(call: Call, request: service_pb2.PatchDatasetsRequest):
    action = SPEC.check(request.action)
    check.batch(request.datasets, "datasets")
    ids = check.ids([sent.id for sent in request.datasets], "datasets[{n}].id")
    found = await call.store.datasets.get_many(ids)
    check.all_known(ids, found, "dataset", "datasets[{n}].id")
    rows = [found[i] for i in ids]
    named = await _default_filters(call, request.datasets)
    # Every dataset's changes are checked before any is written.
    changes = [
        patch.apply(
            action,
            {"metadata_": row.metadata_},
            _sent(action, sent, row, f"datasets[{n}]", _pk(named, sent)),
            SPEC,
        )
        for n, (sent, row) in enumerate(zip(request.datasets, rows, strict=True))
    ]
    for row, changed in zip(rows, changes, strict=True):
        await call.store.datasets.update(row, changed)
    return service_pb2.MultiDatasetResponse(datasets=await _shown(call, rows))


def _sent(
    action: str, sent: resources_pb2.Dataset, row: Any, field: str, filter_pk: int | None
) -> dict[str, Any]:
    """The fields the request set (empty strings are not set). remove never
    touches the visibility, so it is neither read nor checked then; and it
    clears the image only when the url sent is the stored one, the default
    filter (`filter_pk`, the one sent) likewise. A field this server does
    not declare is refused, not dropped."""
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
    if filter_pk is not None and (action != patch.REMOVE or filter_pk == row.default_filter_pk):
        out["default_filter_pk"] = filter_pk
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
