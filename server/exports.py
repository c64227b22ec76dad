"""Dataset version jobs and export archives.

Two background jobs: `dataset_version.build` turns a version's frozen inputs
into its metrics and metrics groups and marks it ready (64005 pending → 64010 in progress →
64015 ready, or 64020 failure); `dataset_version.export` writes a ZIP archive
of a ready version into the blob store (64201 pending → 64203 in progress →
64200 success, or 64202 failed). Archives are served on the REST port at
presigned URLs, and to callers allowed to read the version who send
credentials (server/http_extra.py).

Archive layouts, as the reference's clients read them:
- CLARIFAI_DATA_PROTOBUF / CLARIFAI_DATA_JSON: a first, uncompressed
  `mimetype` entry ("application/x.clarifai-data+protobuf" / "+json"), then
  batches `all/batch_<k>_n<count>` of an InputBatch (serialized, or JSON) of
  inputs carrying only id and data.
- COCO: `annotations/instances.json`, a COCO detection document.
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO, Any

from aiohttp import web
from clarifai.api import resources_pb2
from google.protobuf import json_format
from sqlalchemy.ext.asyncio import AsyncSession

from server import http_extra, jobs, media
from server.config import Settings
from server.domain import datasets as domain
from server.status import ApiError, Code
from storage import apps as app_store
from storage import blobs
from storage.apps import AppScope
from storage.dataset_versions import DatasetVersionStorage, VersionInput
from storage.datasets import DatasetStorage

log = logging.getLogger("clarifai_local.exports")

BUILD = "dataset_version.build"
EXPORT = "dataset_version.export"

Fmt = resources_pb2.DatasetVersionExportFormat


@dataclass(frozen=True)
class Layout:
    name: str  # the DatasetVersionExportInfo field, and the download's file name
    mimetype: str


LAYOUTS: dict[int, Layout] = {
    Fmt.CLARIFAI_DATA_PROTOBUF: Layout(
        "clarifai_data_protobuf", "application/x.clarifai-data+protobuf"
    ),
    Fmt.CLARIFAI_DATA_JSON: Layout("clarifai_data_json", "application/x.clarifai-data+json"),
    Fmt.COCO: Layout("coco", "application/json"),
}
BY_NAME = {layout.name: fmt for fmt, layout in LAYOUTS.items()}
BATCH_SIZE = 1000  # inputs per InputBatch file
COCO_ENTRY = "annotations/instances.json"
# Archives are stored apart from input media ("<app_pk>/exports/<name>"),
# out of reach of the media route, which serves "<app_pk>/<name>" only.
EXPORTS_FOLDER = "exports"
DOWNLOAD_PATH = (
    "/exports/users/{user_id}/apps/{app_id}/datasets/{dataset_id}/versions/{version_id}/{name}"
)


def download_url(
    settings: Settings, user_id: str, app_id: str, dataset_id: str, version_id: str, fmt: int
) -> str:
    """The archive's presigned URL: it downloads without credentials until
    it expires, as the reference's export URLs do."""
    path = DOWNLOAD_PATH.format(
        user_id=user_id,
        app_id=app_id,
        dataset_id=dataset_id,
        version_id=version_id,
        name=f"{LAYOUTS[fmt].name}.zip",
    )
    return http_extra.signed_url(settings, path)


def blob_store(settings: Settings) -> blobs.BlobStore:
    return blobs.store_for(settings.data_dir)


async def _versions(session: AsyncSession, app_pk: int) -> DatasetVersionStorage | None:
    """The app's versions, for a job (which carries the app's pk); None once
    the app is gone, and its versions with it."""
    app = await app_store.get_by_pk(session, app_pk)
    return DatasetVersionStorage(session, app_store.scope_of(app)) if app is not None else None


# ---- building a version ----


async def _build(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    version_pk = payload["version_pk"]
    async with ctx.db.transaction() as session:
        versions = await _versions(session, ctx.app_pk)
        if versions is None:
            return  # the app is gone, and its versions with it
        version = await versions.by_pk(version_pk)
        if version is None:
            return  # deleted before it was built
        if version.status_code == Code.DATASET_VERSION_READY:
            return  # built by a run whose process died before it could finish the job
        await versions.update(version, {"status_code": Code.DATASET_VERSION_IN_PROGRESS})
        app = versions.app
    metrics, groups = domain.Metrics(), domain.Groups()
    async with ctx.db.transaction() as session:
        async for row in DatasetVersionStorage(session, app).frozen_inputs(version_pk):
            data = domain.export_data(row.input.get("data") or {}, row.annotations)
            metrics.add(data)
            groups.add(data)
    async with ctx.db.transaction() as session:
        versions = DatasetVersionStorage(session, app)
        version = await versions.by_pk(version_pk)
        if version is None:
            return
        ready = {
            "metrics": {domain.ROOT: metrics.counts},
            "status_code": Code.DATASET_VERSION_READY,
            "status_details": "",
        }
        await versions.update(version, ready)
        await versions.add_groups(version_pk, _groups(groups))
        # Exports asked for before the version was ready can start now.
        await jobs.run_now(session, EXPORT, {"version_pk": version_pk})


def _groups(groups: domain.Groups) -> list[dict[str, Any]]:
    """The metrics groups' rows: every group is one of the whole version's
    ("/"), the key of its metrics in DatasetVersion.metrics."""
    return [
        {
            "parent_path": domain.ROOT,
            "type": resources_pb2.DatasetVersionMetricsGroupType.Value(kind),
            "value": value,
            "metrics": counts,
        }
        for kind, value, counts in groups.listed()
    ]


async def _build_failed(ctx: jobs.JobContext, payload: dict[str, Any], error: str) -> None:
    async with ctx.db.transaction() as session:
        versions = await _versions(session, ctx.app_pk)
        if versions is None:
            return
        version = await versions.by_pk(payload["version_pk"])
        if version is not None:
            failed = {
                "status_code": Code.DATASET_VERSION_FAILURE,
                "status_details": f"building the version failed: {error}",
            }
            await versions.update(version, failed)


jobs.job(BUILD, on_give_up=_build_failed)(_build)


# ---- exporting a version ----


def _input_message(row: VersionInput, settings: Settings, app: AppScope) -> resources_pb2.Input:
    """An exported input: only its id and data, with the hosted URL of its
    media (clients download the media from there, with credentials: the
    archive outlives any signature)."""
    data = domain.export_data(row.input.get("data") or {}, row.annotations)
    out = resources_pb2.Input(id=row.input_id)
    json_format.ParseDict(data, out.data, ignore_unknown_fields=True)
    kind = row.input.get("media_kind", "")
    media.show_hosted(out.data, settings, app, kind, row.blob_key, signed=False)
    return out


class _Archive:
    """A ZIP file being written in a temporary file, off the event loop."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (closed in close())
        self.zip = zipfile.ZipFile(self.file, "w", compression=zipfile.ZIP_DEFLATED)

    async def write(self, name: str, data: bytes, *, stored: bool = False) -> None:
        compress = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        await asyncio.to_thread(self.zip.writestr, name, data, compress)

    async def finish(self) -> None:
        await asyncio.to_thread(self.zip.close)
        await asyncio.to_thread(self.file.seek, 0)

    async def chunks(self) -> AsyncIterator[bytes]:
        while chunk := await asyncio.to_thread(self.file.read, blobs.CHUNK):
            yield chunk

    def close(self) -> None:
        self.zip.close()
        self.file.close()


async def _write_batches(
    archive: _Archive,
    rows: AsyncIterator[VersionInput],
    fmt: int,
    settings: Settings,
    app: AppScope,
) -> None:
    batch = resources_pb2.InputBatch()
    number = 0

    async def flush() -> None:
        nonlocal batch, number
        if fmt == Fmt.CLARIFAI_DATA_PROTOBUF:
            body = batch.SerializeToString()
        else:
            js = json_format.MessageToDict(batch, preserving_proto_field_name=True)
            body = json.dumps(js, ensure_ascii=False).encode()
        await archive.write(f"all/batch_{number}_n{len(batch.inputs)}", body)
        number += 1
        batch = resources_pb2.InputBatch()

    async for row in rows:
        batch.inputs.append(_input_message(row, settings, app))
        if len(batch.inputs) >= BATCH_SIZE:
            await flush()
    if batch.inputs:
        await flush()


async def _write_coco(archive: _Archive, rows: AsyncIterator[VersionInput], title: str) -> None:
    coco = domain.Coco()
    async for row in rows:
        coco.add(row.input_id, domain.export_data(row.input.get("data") or {}, row.annotations))
    body = json.dumps(coco.document(title), ensure_ascii=False).encode()
    await archive.write(COCO_ENTRY, body)


async def _export(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    version_pk, fmt = payload["version_pk"], payload["format"]
    async with ctx.db.transaction() as session:
        started = await _start_export(session, ctx.app_pk, version_pk, fmt)
    if started is None:
        return
    app, title = started
    key, size = await _write_archive(ctx, app, version_pk, fmt, title)
    async with ctx.db.transaction() as session:
        stale = await _record_archive(
            DatasetVersionStorage(session, app), version_pk, fmt, key, size
        )
    await blob_store(ctx.settings).delete(stale)


async def _start_export(
    session: AsyncSession, app_pk: int, version_pk: int, fmt: int
) -> tuple[AppScope, str] | None:
    """Mark the export in progress once its version is ready; the app and
    the archive's title, or None when there is nothing to write."""
    versions = await _versions(session, app_pk)
    if versions is None:
        return None
    export = await versions.get_export(version_pk, fmt, lock=True)
    version = await versions.by_pk(version_pk)
    if export is None or version is None:
        return None  # deleted meanwhile
    if export.status_code == Code.DATASET_VERSION_EXPORT_SUCCESS:
        return None  # written by a run whose process died before it could finish the job
    if version.status_code == Code.DATASET_VERSION_FAILURE:
        failed = {
            "status_code": Code.DATASET_VERSION_EXPORT_FAILED,
            "status_details": "the dataset version failed to build; nothing to export",
        }
        await versions.update_export(export, failed)
        return None
    if version.status_code != Code.DATASET_VERSION_READY:
        raise jobs.Defer(0.5)
    await versions.update_export(export, {"status_code": Code.DATASET_VERSION_EXPORT_IN_PROGRESS})
    return versions.app, f"dataset version {version.id}"


async def _write_archive(
    ctx: jobs.JobContext, app: AppScope, version_pk: int, fmt: int, title: str
) -> tuple[str, int]:
    """Write the version's archive in this format into the blob store; its
    key and size."""
    archive = _Archive()
    try:
        async with ctx.db.transaction() as session:
            rows = DatasetVersionStorage(session, app).frozen_inputs(version_pk)
            if fmt == Fmt.COCO:
                await _write_coco(archive, rows, title)
            else:
                await archive.write("mimetype", LAYOUTS[fmt].mimetype.encode(), stored=True)
                await _write_batches(archive, rows, fmt, ctx.settings, app)
        await archive.finish()
        key = blobs.new_key(app.pk, "application/zip", folder=EXPORTS_FOLDER)
        return key, await blob_store(ctx.settings).put(key, archive.chunks())
    finally:
        archive.close()


async def _record_archive(
    versions: DatasetVersionStorage, version_pk: int, fmt: int, key: str, size: int
) -> list[str]:
    """Record the export's new archive; returns the archives no export names
    any more (the one just written when the export is gone meanwhile)."""
    export = await versions.get_export(version_pk, fmt, lock=True)
    if export is None:
        return [key]
    stale = [export.location] if export.location else []
    written = {
        "location": key,
        "size": size,
        "status_code": Code.DATASET_VERSION_EXPORT_SUCCESS,
        "status_details": "",
    }
    await versions.update_export(export, written)
    return stale


async def _export_failed(ctx: jobs.JobContext, payload: dict[str, Any], error: str) -> None:
    async with ctx.db.transaction() as session:
        versions = await _versions(session, ctx.app_pk)
        if versions is None:
            return
        export = await versions.get_export(payload["version_pk"], payload["format"], lock=True)
        if export is not None:
            failed = {
                "status_code": Code.DATASET_VERSION_EXPORT_FAILED,
                "status_details": f"writing the archive failed: {error}",
            }
            await versions.update_export(export, failed)


jobs.job(EXPORT, on_give_up=_export_failed)(_export)


# ---- downloads ----


@http_extra.download(DOWNLOAD_PATH)
async def download(request: web.Request) -> web.StreamResponse:
    """An export's archive, for callers who may read the dataset version."""
    dispatcher = request.app[http_extra.DISPATCHER]
    m = request.match_info
    name = m["name"].removesuffix(".zip")
    if name not in BY_NAME or not m["name"].endswith(".zip"):
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"no export named '{m['name']}'")
    fmt = BY_NAME[name]
    async with dispatcher.db.transaction() as session:
        access = await http_extra.authorize_as(
            session, request, "GetDatasetVersion", m["user_id"], m["app_id"]
        )
        versions = DatasetVersionStorage(session, access.app)
        dataset = await DatasetStorage(session, access.app).get(m["dataset_id"])
        version = dataset and await versions.get_version(dataset.pk, m["version_id"])
        export = version and await versions.get_export(version.pk, fmt)
        if not export or export.status_code != Code.DATASET_VERSION_EXPORT_SUCCESS:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST,
                f"dataset '{m['dataset_id']}' version '{m['version_id']}' has no finished "
                f"{name} export",
            )
        location = export.location
    filename = f"{m['dataset_id']}-{m['version_id']}-{name}.zip"
    return await http_extra.stream_blob(
        request,
        blob_store(dispatcher.settings),
        location,
        {
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
