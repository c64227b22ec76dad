"""PostDatasetVersions, GetDatasetVersion, ListDatasetVersions,
PatchDatasetVersions, DeleteDatasetVersions, PutDatasetVersionExports,
ListDatasetVersionMetricsGroups.

PostDatasetVersions freezes the dataset's inputs and their annotations in
the request's own transaction: the finished ones, or those its annotation
filter selects (annotation_filter_config, else the dataset's
default_annotation_filter; server/annotation_filtering.py), leaving out
inputs with none when ignore_empty_inputs asks. A background job then
computes the version's metrics and metrics groups and marks it ready. PutDatasetVersionExports
queues one archive per format (see server/exports.py); asking again returns
the export's progress.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from google.protobuf import struct_pb2

from server import annotation_filtering, exports, indexing, patch
from server.checks import Checks
from server.convert import from_struct
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.wire import dataset_versions as wire

check = Checks(Code.CONN_INVALID_REQUEST)
# overwrite only: description (when sent), metadata and visibility as sent.
# The frozen inputs never change.
SPEC = patch.Spec("dataset versions", (patch.OVERWRITE,), trees=frozenset({"metadata_"}))
ORIGINS = frozenset(resources_pb2.DatasetVersionRequestOrigin.values())
# A failed export starts over when asked for again.
RETRYABLE = (Code.DATASET_VERSION_EXPORT_FAILED, Code.DATASET_VERSION_EXPORT_UNEXPECTED_ERROR)
FORMATS = "an export format; use CLARIFAI_DATA_PROTOBUF, CLARIFAI_DATA_JSON or COCO"


async def _dataset(call: Call, dataset_id: str, *, keep: bool = False):
    """`keep` for calls that write rows referring to the dataset: a
    concurrent delete then waits for this call instead of breaking it."""
    row = await call.store.datasets.get(check.required(dataset_id, "dataset_id"), keep=keep)
    return check.found(row, "dataset", dataset_id)


async def _version(call: Call, dataset: Any, version_id: str, *, keep: bool = False):
    """`keep`: as for `_dataset`."""
    check.required(version_id, "dataset_version_id")
    row = await call.store.dataset_versions.get_version(dataset.pk, version_id, keep=keep)
    return check.found(row, "dataset version", f"{dataset.id}/{version_id}")


async def _shown(
    call: Call, dataset_id: str, rows: Sequence[Any]
) -> list[resources_pb2.DatasetVersion]:
    """The versions as the API shows them, with their exports."""
    exports_of = await call.store.dataset_versions.exports_of([r.pk for r in rows])
    return [
        wire.dataset_version(r, dataset_id, call.app, call.settings, exports_of[r.pk]) for r in rows
    ]


@rpc
async def PostDatasetVersions(call: Call, request: service_pb2.PostDatasetVersionsRequest):
    dataset = await _dataset(call, request.dataset_id, keep=True)
    check.batch(request.dataset_versions, "dataset_versions")
    ids = check.new_ids((v.id for v in request.dataset_versions), "dataset_versions")
    values = []
    for n, (sent, version_id) in enumerate(zip(request.dataset_versions, ids, strict=True)):
        at = f"dataset_versions[{n}]"
        config = await annotation_filtering.version_config(call, dataset, sent, at)
        values.append({"id": version_id, **_new(sent, at), "data_config": config})
    taken = await call.store.dataset_versions.versions_by_id(dataset.pk, ids)
    for n, version_id in enumerate(ids):
        if version_id in taken:
            raise ApiError(
                Code.DATABASE_DUPLICATE_KEY,
                f"dataset_versions[{n}].id: dataset '{dataset.id}' already has a version "
                f"'{version_id}'",
            )
    rows = await call.store.dataset_versions.add(dataset.pk, values)
    await _freeze(call, dataset.pk, rows)
    # Built once the request that made them commits: one statement queues all.
    await call.enqueue(exports.BUILD, [{"version_pk": row.pk} for row in rows])
    return service_pb2.MultiDatasetVersionResponse(
        dataset_versions=[
            wire.dataset_version(r, dataset.id, call.app, call.settings) for r in rows
        ]
    )


async def _freeze(call: Call, dataset_pk: int, rows: Sequence[Any]) -> None:
    """Fill the new versions with what their filter configs select; versions
    made alike are frozen by one statement, from one reading."""
    predicted_by = indexing.general_version_id()
    alike: dict[str, list[Any]] = {}
    for row in rows:
        alike.setdefault(json.dumps(row.data_config, sort_keys=True), []).append(row)
    for same in alike.values():
        chosen, ignore_empty = await annotation_filtering.chosen(
            call, dataset_pk, same[0].data_config, predicted_by
        )
        await call.store.dataset_versions.freeze(
            dataset_pk,
            [r.pk for r in same],
            predicted_by,
            annotation_pks=chosen,
            ignore_empty=ignore_empty,
        )


def _new(sent: resources_pb2.DatasetVersion, field: str) -> dict[str, Any]:
    """A new version's fields, as sent (its annotation filter config apart);
    it is made by this call (MANUAL) and pending until its job builds it. A
    field this server does not declare (model_predict_config, say, from a
    client of the whole reference) is refused: the version could not honour
    it."""
    check.implemented(sent, field)
    return {
        "description": sent.description,
        "metadata_": from_struct(sent.metadata, f"{field}.metadata"),
        "visibility": check.visibility(sent.visibility.gettable, f"{field}.visibility.gettable"),
        "request_origin": resources_pb2.MANUAL,
        "status_code": Code.DATASET_VERSION_PENDING,
        "metrics": {},
    }


@rpc
async def GetDatasetVersion(call: Call, request: service_pb2.GetDatasetVersionRequest):
    dataset = await _dataset(call, request.dataset_id)
    row = await _version(call, dataset, request.dataset_version_id)
    [version] = await _shown(call, dataset.id, [row])
    return service_pb2.SingleDatasetVersionResponse(dataset_version=version)


@rpc
async def ListDatasetVersions(call: Call, request: service_pb2.ListDatasetVersionsRequest):
    """The dataset's versions, newest first."""
    dataset = await _dataset(call, request.dataset_id)
    origins = list(request.request_origins)
    for n, origin in enumerate(origins):
        check.one_of(origin, ORIGINS, f"request_origins[{n}]", "a request origin")
    rows = await call.store.dataset_versions.page(dataset.pk, page_of(request), origins=origins)
    return service_pb2.MultiDatasetVersionResponse(
        dataset_versions=await _shown(call, dataset.id, rows)
    )


@rpc
async def PatchDatasetVersions(call: Call, request: service_pb2.PatchDatasetVersionsRequest):
    SPEC.check(request.action)
    dataset = await _dataset(call, request.dataset_id)
    check.batch(request.dataset_versions, "dataset_versions")
    ids = check.ids([sent.id for sent in request.dataset_versions], "dataset_versions[{n}].id")
    found = await call.store.dataset_versions.versions_by_id(dataset.pk, ids)
    check.all_known(ids, found, f"dataset '{dataset.id}' version", "dataset_versions[{n}].id")
    rows = [found[i] for i in ids]
    changes = [
        patch.apply(request.action, {}, _sent(sent, f"dataset_versions[{n}]"), SPEC)
        for n, sent in enumerate(request.dataset_versions)
    ]
    for row, changed in zip(rows, changes, strict=True):
        await call.store.dataset_versions.update(row, changed)
    return service_pb2.MultiDatasetVersionResponse(
        dataset_versions=await _shown(call, dataset.id, rows)
    )


def _sent(sent: resources_pb2.DatasetVersion, field: str) -> dict[str, Any]:
    """The fields the request set (an empty description is not set); one
    this server does not declare is refused, not dropped, and so is a
    filter config: what a version holds is fixed when it is made."""
    check.implemented(sent, field)
    if sent.HasField("annotation_filter_config"):
        raise check.invalid(
            f"{field}.annotation_filter_config: a version's content is fixed when it is made; "
            "make a new version"
        )
    out: dict[str, Any] = {}
    if sent.description:
        out["description"] = sent.description
    if sent.HasField("metadata"):
        out["metadata_"] = from_struct(sent.metadata, f"{field}.metadata")
    if sent.HasField("visibility"):
        out["visibility"] = check.visibility(
            sent.visibility.gettable, f"{field}.visibility.gettable"
        )
    return out


@rpc
async def DeleteDatasetVersions(call: Call, request: service_pb2.DeleteDatasetVersionsRequest):
    """The versions go with their exports; media of deleted inputs go with
    the last version that kept them."""
    dataset = await _dataset(call, request.dataset_id)
    ids = list(request.dataset_version_ids)
    check.batch(ids, "dataset_version_ids")
    check.ids(ids, "dataset_version_ids[{n}]")
    found = await call.store.dataset_versions.versions_by_id(dataset.pk, ids)
    check.all_known(ids, found, f"dataset '{dataset.id}' version", "dataset_version_ids[{n}]")
    unused = await call.store.dataset_versions.delete([v.pk for v in found.values()])
    if unused:
        call.after_commit(lambda: call.blobs.delete(unused))
    return status_pb2.BaseResponse()


@rpc
async def PutDatasetVersionExports(
    call: Call, request: service_pb2.PutDatasetVersionExportsRequest
):
    """Start an export per format, or report the one already under way or
    done (clients poll by calling again); a failed export starts over."""
    dataset = await _dataset(call, request.dataset_id)
    version = await _version(call, dataset, request.dataset_version_id, keep=True)
    check.batch(request.exports, "exports")
    formats = [
        check.one_of(sent.format, exports.LAYOUTS, f"exports[{n}].format", FORMATS)
        for n, sent in enumerate(request.exports)
    ]
    check.each_once(formats, "exports[{n}].format")
    if version.status_code == Code.DATASET_VERSION_FAILURE:
        raise check.invalid(
            f"dataset version '{version.id}' failed to build; it cannot be exported"
        )
    out = service_pb2.MultiDatasetVersionExportResponse()
    for fmt in formats:
        row, started = await call.store.dataset_versions.start_export(
            version.pk, fmt, again_if=RETRYABLE
        )
        if started:
            # Written once this request commits (and its version is ready).
            await call.enqueue(exports.EXPORT, [{"version_pk": version.pk, "format": fmt}])
        out.exports.append(wire.export(row, call.settings, call.app, dataset.id, version.id))
    return out


GROUP_TYPES = frozenset(resources_pb2.DatasetVersionMetricsGroupType.values())


@rpc
async def ListDatasetVersionMetricsGroups(
    call: Call, request: service_pb2.ListDatasetVersionMetricsGroupsRequest
):
    """A version's metrics groups, those of the parent paths, types and
    values asked for; none while the version is being built (clients ask
    again until they see them)."""
    dataset = await _dataset(call, request.dataset_id)
    version = await _version(call, dataset, request.dataset_version_id)
    types = list(request.types)
    for n, kind in enumerate(types):
        check.one_of(kind, GROUP_TYPES, f"types[{n}]", "a metrics group type")
    values = [_group_value(v, f"values[{n}]") for n, v in enumerate(request.values)]
    if version.status_code == Code.DATASET_VERSION_FAILURE:
        raise check.invalid(f"dataset version '{version.id}' failed to build; it has no metrics")
    rows = await call.store.dataset_versions.groups_page(
        version.pk,
        page_of(request),
        parent_paths=list(request.parent_paths),
        types=types,
        values=values,
    )
    return service_pb2.MultiDatasetVersionMetricsGroupResponse(
        dataset_version_metrics_groups=[wire.metrics_group(r) for r in rows]
    )


def _group_value(value: struct_pb2.Value, field: str) -> str | float:
    """A group value to filter by: groups' values are strings or numbers."""
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        return value.number_value
    raise check.invalid(f"{field}: a metrics group's value is a string or a number")
