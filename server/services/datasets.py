"""Datasets, dataset inputs, dataset versions and their exports.

PostDatasets and PatchDatasets are atomic (the first error fails the whole
call and writes nothing); PostDatasetInputs is not: each input gets its own
status (64100 added, 64101 already there, 30102 no such input) and the call
reports SUCCESS, MIXED_STATUS or FAILURE. PostDatasetVersions freezes the
dataset's inputs and their finished annotations in the request's own
transaction; a background job then computes the version's metrics and marks
it ready. PutDatasetVersionExports queues one archive per format (see
server/exports.py); asking again returns the export's progress.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from server import exports, jobs, patch
from server.config import Settings
from server.convert import from_struct, struct, ts
from server.dispatch import Call
from server.ids import ids_for_new
from server.pagination import page_of
from server.services import rpc
from server.status import (
    ApiError,
    Code,
    batch_status,
    check_batch_size,
    make_status,
    not_found,
)
from server.wire import inputs as input_wire
from storage import datasets as store
from storage.apps import AppScope
from storage.datasets import (
    Dataset,
    DatasetInputStorage,
    DatasetStorage,
    DatasetVersion,
    VersionExport,
)

INVALID = Code.CONN_INVALID_REQUEST
VISIBILITIES = set(resources_pb2.Visibility.Gettable.values())
ORIGINS = set(resources_pb2.DatasetVersionRequestOrigin.values())


# ---- conversions ----


def dataset_proto(
    row: Dataset, app: AppScope, version: resources_pb2.DatasetVersion | None = None
) -> resources_pb2.Dataset:
    out = resources_pb2.Dataset(
        id=row.id,
        app_id=app.id,
        user_id=app.user_id,
        description=row.description,
        notes=row.notes,
        metadata=struct(row.metadata_),
        visibility=resources_pb2.Visibility(gettable=row.visibility),
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        version=version,
    )
    if row.image_url:
        out.image.url = row.image_url
    return out


def export_proto(
    row: VersionExport, settings: Settings, app: AppScope, dataset_id: str, version_id: str
) -> resources_pb2.DatasetVersionExport:
    out = resources_pb2.DatasetVersionExport(
        format=row.format, status=make_status(row.status_code, row.status_details), size=row.size
    )
    if row.status_code == Code.DATASET_VERSION_EXPORT_SUCCESS:
        out.url = exports.download_url(
            settings, app.user_id, app.id, dataset_id, version_id, row.format
        )
    return out


def version_proto(
    row: DatasetVersion,
    dataset_id: str,
    app: AppScope,
    settings: Settings,
    export_rows: Sequence[VersionExport] = (),
) -> resources_pb2.DatasetVersion:
    out = resources_pb2.DatasetVersion(
        id=row.id,
        dataset_id=dataset_id,
        app_id=app.id,
        user_id=app.user_id,
        description=row.description,
        metadata=struct(row.metadata_),
        visibility=resources_pb2.Visibility(gettable=row.visibility),
        request_origin=row.request_origin,
        status=make_status(row.status_code, row.status_details),
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
    )
    for key, counts in row.metrics.items():
        metrics = out.metrics[key]
        for name, value in counts.items():
            getattr(metrics, name).value = value
    for e in export_rows:
        getattr(out.export_info, exports.LAYOUTS[e.format].name).CopyFrom(
            export_proto(e, settings, app, dataset_id, row.id)
        )
    return out


async def _inputs(call: Call, ids: Sequence[str]) -> dict[str, resources_pb2.Input]:
    """These inputs as GetInput shows them, by id (missing ones left out)."""
    rows = await call.store.inputs.get_many(ids)
    concepts = await call.store.annotations.input_concepts(list(rows))
    protos = input_wire.input_protos(list(rows.values()), concepts, call.app, call.settings)
    return {p.id: p for p in protos}


# ---- shared checks ----


def _visibility(value: int, field: str) -> int:
    if value not in VISIBILITIES:
        raise ApiError(INVALID, f"{field} {value} is not a visibility")
    return value or resources_pb2.Visibility.PRIVATE


async def _dataset(call: Call, dataset_id: str, *, keep: bool = False) -> Dataset:
    """`keep` for calls that write rows referring to the dataset: a
    concurrent delete then waits for this call instead of breaking it."""
    if not dataset_id:
        raise ApiError(INVALID, "dataset_id is required")
    row = await call.store.datasets.get(dataset_id, keep=keep)
    if row is None:
        raise not_found("dataset", dataset_id)
    return row


async def _version(
    call: Call, dataset: Dataset, version_id: str, *, keep: bool = False
) -> DatasetVersion:
    if not version_id:
        raise ApiError(INVALID, "dataset_version_id is required")
    row = await call.store.dataset_versions.get_version(dataset.pk, version_id, keep=keep)
    if row is None:
        raise not_found("dataset version", f"{dataset.id}/{version_id}")
    return row


def _check_each(
    ids: Sequence[str], known: Collection[str], at: str, missing: Callable[[str], str]
) -> None:
    """The ids an atomic call acts on: each given, once, and known (`at`
    names the n-th, e.g. "datasets[{n}].id")."""
    seen: set[str] = set()
    for n, value in enumerate(ids):
        where = at.format(n=n)
        if not value:
            raise ApiError(INVALID, f"{where} is required")
        if value in seen:
            raise ApiError(INVALID, f"{where} '{value}' is repeated")
        seen.add(value)
        if value not in known:
            raise ApiError(Code.CONN_DOES_NOT_EXIST, f"{where}: {missing(value)}")


def _refuse_taken(
    ids: Sequence[str], taken: Collection[str], field: str, what: Callable[[str], str]
) -> None:
    """A create call naming an id already in use fails, naming the first."""
    for n, value in enumerate(ids):
        if value in taken:
            raise ApiError(Code.DATABASE_DUPLICATE_KEY, f"{field}[{n}].id: {what(value)}")


# ---- datasets ----


@rpc
async def PostDatasets(call: Call, request: service_pb2.PostDatasetsRequest):
    check_batch_size(request.datasets, "datasets")
    rows: list[Dataset] = []
    new_ids = ids_for_new((d.id for d in request.datasets), "datasets")
    for n, (sent, dataset_id) in enumerate(zip(request.datasets, new_ids, strict=True)):
        field = f"datasets[{n}]"
        rows.append(
            Dataset(
                id=dataset_id,
                description=sent.description,
                notes=sent.notes,
                metadata_=from_struct(sent.metadata, f"{field}.metadata"),
                visibility=_visibility(sent.visibility.gettable, f"{field}.visibility.gettable"),
                image_url=sent.image.url,
            )
        )
    taken = await call.store.datasets.existing_ids(new_ids)
    _refuse_taken(
        new_ids, taken, "datasets", lambda i: f"a dataset with id '{i}' already exists in the app"
    )
    await call.store.datasets.add(rows)
    return service_pb2.MultiDatasetResponse(datasets=[dataset_proto(r, call.app) for r in rows])


@rpc
async def GetDataset(call: Call, request: service_pb2.GetDatasetRequest):
    row = await _dataset(call, request.dataset_id)
    [dataset] = await _with_latest(call, [row])
    return service_pb2.SingleDatasetResponse(dataset=dataset)


async def _with_latest(call: Call, rows: Sequence[Dataset]) -> list[resources_pb2.Dataset]:
    """The datasets as the API shows them: each with its latest version."""
    latest = await call.store.dataset_versions.latest_versions([r.pk for r in rows])
    export_rows = await call.store.dataset_versions.exports_of([v.pk for v in latest.values()])
    out = []
    for row in rows:
        version = latest.get(row.pk)
        version_msg = (
            version_proto(version, row.id, call.app, call.settings, export_rows[version.pk])
            if version is not None
            else None
        )
        out.append(dataset_proto(row, call.app, version_msg))
    return out


async def _versions(
    call: Call, dataset_id: str, rows: Sequence[DatasetVersion]
) -> list[resources_pb2.DatasetVersion]:
    """The versions as the API shows them, with their exports."""
    export_rows = await call.store.dataset_versions.exports_of([r.pk for r in rows])
    return [version_proto(r, dataset_id, call.app, call.settings, export_rows[r.pk]) for r in rows]


_SORTS = {
    "sort_by_created_at": Dataset.created_at,
    "sort_by_modified_at": Dataset.modified_at,
    "sort_by_id": Dataset.id,
}


@rpc
async def ListDatasets(call: Call, request: service_pb2.ListDatasetsRequest):
    """The app's datasets, each with its latest version; most recently
    modified first unless a sort is asked for."""
    page = page_of(request)
    column = _SORTS[request.WhichOneof("sort_by") or "sort_by_modified_at"]
    order = [column.asc() if request.sort_ascending else column.desc(), Dataset.pk.asc()]
    rows = await call.store.datasets.list_(order=order, limit=page.limit, offset=page.offset)
    return service_pb2.MultiDatasetResponse(datasets=await _with_latest(call, rows))


@rpc
async def PatchDatasets(call: Call, request: service_pb2.PatchDatasetsRequest):
    action = patch.check_action(request.action, patch.ACTIONS, "datasets")
    check_batch_size(request.datasets, "datasets")
    ids = [sent.id for sent in request.datasets]
    found = await call.store.datasets.get_many(ids)
    _check_each(ids, found, "datasets[{n}].id", lambda i: f"dataset '{i}' not found")
    rows = [found[i] for i in ids]
    for n, (sent, row) in enumerate(zip(request.datasets, rows, strict=True)):
        _apply(action, row, sent, f"datasets[{n}]")
        row.modified_at = func.now()
    await call.session.flush()  # reads modified_at back
    return service_pb2.MultiDatasetResponse(datasets=[dataset_proto(r, call.app) for r in rows])


def _apply(action: str, row: Dataset, sent: resources_pb2.Dataset, field: str) -> None:
    """merge: fields sent replace the stored ones and metadata merges;
    overwrite: the same, but metadata is replaced whole; remove: metadata
    keys sent are removed, description and notes sent are cleared, and the
    image is cleared when its url is sent."""
    if action == patch.REMOVE:
        row.metadata_ = patch.remove(row.metadata_, from_struct(sent.metadata, f"{field}.metadata"))
        for name in ("description", "notes"):
            if getattr(sent, name):
                setattr(row, name, "")
        if sent.image.url and sent.image.url == row.image_url:
            row.image_url = ""
        return
    for name in ("description", "notes"):
        if getattr(sent, name):
            setattr(row, name, getattr(sent, name))
    if sent.HasField("visibility"):
        row.visibility = _visibility(sent.visibility.gettable, f"{field}.visibility.gettable")
    if sent.image.url:
        row.image_url = sent.image.url
    if sent.HasField("metadata"):
        sent_metadata = from_struct(sent.metadata, f"{field}.metadata")
        row.metadata_ = (
            patch.merge(row.metadata_, sent_metadata) if action == patch.MERGE else sent_metadata
        )


@rpc
async def DeleteDatasets(call: Call, request: service_pb2.DeleteDatasetsRequest):
    ids = list(request.dataset_ids)
    check_batch_size(ids, "dataset_ids")
    found = await call.store.datasets.get_many(ids, lock=True)
    _check_each(ids, found, "dataset_ids[{n}]", lambda i: f"dataset '{i}' not found")
    pks = [d.pk for d in found.values()]
    frozen = await call.store.dataset_versions.drop_frozen(dataset_pks=pks)
    locations = await call.store.dataset_versions.delete_exports(dataset_pks=pks)
    await call.store.datasets.delete_many(pks)
    # Media of deleted inputs go with the last version that kept them.
    locations += await call.store.dataset_versions.unreferenced_blobs(frozen)
    exports.remove_after_commit(call.session, call.settings, locations)
    return status_pb2.BaseResponse()


# ---- dataset inputs ----


async def add_inputs(
    session: AsyncSession, app: AppScope, dataset_ids: list[str], input_ids: list[str]
) -> None:
    """Add inputs (already written in this transaction) to datasets, for
    PostInputs' `dataset_ids`; pairs already linked are left alone. A dataset
    that does not exist fails the call."""
    wanted = list(dict.fromkeys(dataset_ids))
    found = await DatasetStorage(session, app).get_many(wanted, keep=True)
    for n, dataset_id in enumerate(dataset_ids):
        if dataset_id not in found:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST, f"dataset_ids[{n}]: dataset '{dataset_id}' not found"
            )
    await DatasetInputStorage(session, app).link_inputs(
        [found[d].pk for d in wanted], list(dict.fromkeys(input_ids))
    )


@rpc
async def PostDatasetInputs(call: Call, request: service_pb2.PostDatasetInputsRequest):
    dataset = await _dataset(call, request.dataset_id, keep=True)
    check_batch_size(request.dataset_inputs, "dataset_inputs")
    ids = [item.input.id for item in request.dataset_inputs]
    wanted = list(dict.fromkeys(i for i in ids if i))
    inputs = await _inputs(call, wanted)
    # Each input once, in request order; a repeat is reported as a duplicate.
    added = await call.store.dataset_inputs.link_inputs(
        [dataset.pk], [i for i in wanted if i in inputs]
    )

    out = service_pb2.MultiDatasetInputResponse()
    reported: set[str] = set()
    for n, input_id in enumerate(ids):
        item = out.dataset_inputs.add()
        field = f"dataset_inputs[{n}].input.id"
        if not input_id:
            item.input.status.CopyFrom(make_status(INVALID, f"{field} is required"))
        elif input_id not in inputs:
            item.input.id = input_id
            item.input.status.CopyFrom(
                make_status(Code.INPUT_DOES_NOT_EXIST, f"{field}: input '{input_id}' not found")
            )
        elif (dataset.pk, input_id) in added and input_id not in reported:
            reported.add(input_id)
            item.created_at.CopyFrom(ts(added[(dataset.pk, input_id)]))
            item.input.CopyFrom(inputs[input_id])
            item.input.status.CopyFrom(make_status(Code.DATASET_INPUT_SUCCESS))
        else:
            item.input.id = input_id
            item.input.status.CopyFrom(
                make_status(
                    Code.DATASET_INPUT_DUPLICATE,
                    f"{field}: input '{input_id}' is already in dataset '{dataset.id}'",
                )
            )
    out.status.CopyFrom(batch_status([item.input.status for item in out.dataset_inputs]))
    return out


@rpc
async def ListDatasetInputs(call: Call, request: service_pb2.ListDatasetInputsRequest):
    """The dataset's inputs in the order they were added."""
    dataset = await _dataset(call, request.dataset_id)
    page = page_of(request)
    links = await call.store.dataset_inputs.page_links(
        dataset.pk, limit=page.limit, offset=page.offset
    )
    inputs = await _inputs(call, [link.input_id for link in links])
    return service_pb2.MultiDatasetInputResponse(
        dataset_inputs=[
            resources_pb2.DatasetInput(created_at=ts(link.created_at), input=inputs[link.input_id])
            for link in links
            if link.input_id in inputs
        ]
    )


@rpc
async def GetDatasetInput(call: Call, request: service_pb2.GetDatasetInputRequest):
    dataset = await _dataset(call, request.dataset_id)
    if not request.input_id:
        raise ApiError(INVALID, "input_id is required")
    link = await call.store.dataset_inputs.get_link(dataset.pk, request.input_id)
    inputs = await _inputs(call, [request.input_id]) if link is not None else {}
    if link is None or request.input_id not in inputs:
        raise ApiError(
            Code.CONN_DOES_NOT_EXIST,
            f"input '{request.input_id}' is not in dataset '{dataset.id}'",
        )
    return service_pb2.SingleDatasetInputResponse(
        dataset_input=resources_pb2.DatasetInput(
            created_at=ts(link.created_at), input=inputs[request.input_id]
        )
    )


@rpc
async def DeleteDatasetInputs(call: Call, request: service_pb2.DeleteDatasetInputsRequest):
    """Take inputs out of the dataset (the inputs themselves stay)."""
    dataset = await _dataset(call, request.dataset_id)
    ids = list(request.input_ids)
    check_batch_size(ids, "input_ids")
    linked = await call.store.dataset_inputs.linked_input_ids(dataset.pk, ids)
    _check_each(
        ids, linked, "input_ids[{n}]", lambda i: f"input '{i}' is not in dataset '{dataset.id}'"
    )
    await call.store.dataset_inputs.unlink_inputs(dataset.pk, ids)
    return status_pb2.BaseResponse()


# ---- versions ----


@rpc
async def PostDatasetVersions(call: Call, request: service_pb2.PostDatasetVersionsRequest):
    dataset = await _dataset(call, request.dataset_id, keep=True)
    check_batch_size(request.dataset_versions, "dataset_versions")
    rows: list[DatasetVersion] = []
    new_ids = ids_for_new((v.id for v in request.dataset_versions), "dataset_versions")
    for n, (sent, version_id) in enumerate(zip(request.dataset_versions, new_ids, strict=True)):
        field = f"dataset_versions[{n}]"
        rows.append(
            DatasetVersion(
                id=version_id,
                dataset_pk=dataset.pk,
                description=sent.description,
                metadata_=from_struct(sent.metadata, f"{field}.metadata"),
                visibility=_visibility(sent.visibility.gettable, f"{field}.visibility.gettable"),
                request_origin=resources_pb2.MANUAL,
                status_code=Code.DATASET_VERSION_PENDING,
                metrics={},
            )
        )
    taken = await call.store.dataset_versions.versions_by_id(dataset.pk, new_ids)
    _refuse_taken(
        new_ids,
        taken,
        "dataset_versions",
        lambda i: f"dataset '{dataset.id}' already has a version '{i}'",
    )
    await call.store.datasets.add(rows)
    await call.store.dataset_versions.freeze(dataset.pk, [r.pk for r in rows])
    for row in rows:
        jobs.enqueue(call.session, call.app, exports.BUILD, {"version_pk": row.pk})
    return service_pb2.MultiDatasetVersionResponse(
        dataset_versions=[version_proto(r, dataset.id, call.app, call.settings) for r in rows]
    )


@rpc
async def GetDatasetVersion(call: Call, request: service_pb2.GetDatasetVersionRequest):
    dataset = await _dataset(call, request.dataset_id)
    row = await _version(call, dataset, request.dataset_version_id)
    [version] = await _versions(call, dataset.id, [row])
    return service_pb2.SingleDatasetVersionResponse(dataset_version=version)


@rpc
async def ListDatasetVersions(call: Call, request: service_pb2.ListDatasetVersionsRequest):
    """The dataset's versions, newest first."""
    dataset = await _dataset(call, request.dataset_id)
    for n, origin in enumerate(request.request_origins):
        if origin not in ORIGINS:
            raise ApiError(INVALID, f"request_origins[{n}] {origin} is not a request origin")
    page = page_of(request)
    rows = await call.store.dataset_versions.list_versions(
        dataset.pk,
        origins=list(request.request_origins),
        limit=page.limit,
        offset=page.offset,
    )
    return service_pb2.MultiDatasetVersionResponse(
        dataset_versions=await _versions(call, dataset.id, rows)
    )


@rpc
async def PatchDatasetVersions(call: Call, request: service_pb2.PatchDatasetVersionsRequest):
    """overwrite only: description, metadata and visibility as sent. The
    frozen inputs never change."""
    patch.check_action(request.action, (patch.OVERWRITE,), "dataset versions")
    dataset = await _dataset(call, request.dataset_id)
    check_batch_size(request.dataset_versions, "dataset_versions")
    ids = [sent.id for sent in request.dataset_versions]
    found = await call.store.dataset_versions.versions_by_id(dataset.pk, ids)
    _check_each(
        ids,
        found,
        "dataset_versions[{n}].id",
        lambda i: f"dataset '{dataset.id}' has no version '{i}'",
    )
    rows = [found[i] for i in ids]
    for n, (sent, row) in enumerate(zip(request.dataset_versions, rows, strict=True)):
        field = f"dataset_versions[{n}]"
        if sent.description:
            row.description = sent.description
        if sent.HasField("metadata"):
            row.metadata_ = from_struct(sent.metadata, f"{field}.metadata")
        if sent.HasField("visibility"):
            row.visibility = _visibility(sent.visibility.gettable, f"{field}.visibility.gettable")
        row.modified_at = func.now()
    await call.session.flush()  # reads modified_at back
    return service_pb2.MultiDatasetVersionResponse(
        dataset_versions=await _versions(call, dataset.id, rows)
    )


@rpc
async def DeleteDatasetVersions(call: Call, request: service_pb2.DeleteDatasetVersionsRequest):
    dataset = await _dataset(call, request.dataset_id)
    ids = list(request.dataset_version_ids)
    check_batch_size(ids, "dataset_version_ids")
    found = await call.store.dataset_versions.versions_by_id(dataset.pk, ids)
    _check_each(
        ids,
        found,
        "dataset_version_ids[{n}]",
        lambda i: f"dataset '{dataset.id}' has no version '{i}'",
    )
    pks = [v.pk for v in found.values()]
    frozen = await call.store.dataset_versions.drop_frozen(version_pks=pks)
    locations = await call.store.dataset_versions.delete_exports(version_pks=pks)
    await call.store.dataset_versions.delete_versions(pks)
    locations += await call.store.dataset_versions.unreferenced_blobs(frozen)
    exports.remove_after_commit(call.session, call.settings, locations)
    return status_pb2.BaseResponse()


# ---- exports ----


_RETRYABLE = {Code.DATASET_VERSION_EXPORT_FAILED, Code.DATASET_VERSION_EXPORT_UNEXPECTED_ERROR}


@rpc
async def PutDatasetVersionExports(
    call: Call, request: service_pb2.PutDatasetVersionExportsRequest
):
    """Start an export per format, or report the one already under way or
    done (clients poll by calling again); a failed export starts over."""
    dataset = await _dataset(call, request.dataset_id)
    version = await _version(call, dataset, request.dataset_version_id, keep=True)
    check_batch_size(request.exports, "exports")
    formats: list[int] = []
    for n, sent in enumerate(request.exports):
        if sent.format not in exports.LAYOUTS:
            raise ApiError(
                INVALID,
                f"exports[{n}].format {sent.format} is not an export format; use "
                "CLARIFAI_DATA_PROTOBUF, CLARIFAI_DATA_JSON or COCO",
            )
        if sent.format in formats:
            raise ApiError(INVALID, f"exports[{n}].format {sent.format} is repeated")
        formats.append(sent.format)
    if version.status_code == Code.DATASET_VERSION_FAILURE:
        raise ApiError(
            INVALID,
            f"dataset version '{version.id}' failed to build; it cannot be exported",
        )
    out = service_pb2.MultiDatasetVersionExportResponse()
    for fmt in formats:
        created = await call.store.dataset_versions.start_export(version.pk, fmt)
        row = await store.get_export(call.session, call.app.pk, version.pk, fmt, lock=True)
        assert row is not None  # just created or already there, and locked now
        if not created and row.status_code in _RETRYABLE:
            row.status_code = Code.DATASET_VERSION_EXPORT_PENDING
            row.status_details = ""
            row.modified_at = func.now()
            created = True
        if created:
            payload = {"version_pk": version.pk, "format": fmt}
            jobs.enqueue(call.session, call.app, exports.EXPORT, payload)
        out.exports.append(export_proto(row, call.settings, call.app, dataset.id, version.id))
    return out
