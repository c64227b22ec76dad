"""Dataset version jobs and export archives.

Two background jobs: `dataset_version.build` turns a version's frozen inputs
into its metrics and marks it ready (64005 pending → 64010 in progress →
64015 ready, or 64020 failure); `dataset_version.export` writes a ZIP archive
of a ready version into the blob store (64201 pending → 64203 in progress →
64200 success, or 64202 failed). Archives are served on the REST port to
callers allowed to read the version, with the same Authorization header.

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
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from server import http_extra, jobs, media
from server.config import Settings
from server.domain import datasets as domain
from server.status import ApiError, Code
from storage import apps as app_store
from storage import blobs
from storage import datasets as store
from storage.apps import AppScope
from storage.datasets import DatasetStorage, DatasetVersionStorage

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
    return media.base_url(settings) + DOWNLOAD_PATH.format(
        user_id=user_id,
        app_id=app_id,
        dataset_id=dataset_id,
        version_id=version_id,
        name=f"{LAYOUTS[fmt].name}.zip",
    )


def blob_store(settings: Settings) -> blobs.BlobStore:
    return blobs.store_for(settings.data_dir)


def remove_after_commit(session: AsyncSession, settings: Settings, locations: list[str]) -> None:
    """Delete stored archives (or media) once the rows naming them are gone
    for good."""
    blobs.delete_when(session, "after_commit", blob_store(settings), locations)


# ---- building a version ----


async def _build(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    version_pk = payload["version_pk"]
    async with ctx.db.transaction() as session:
        version = await store.version_by_pk(session, ctx.app_pk, version_pk)
        if version is None:
            return  # deleted before it was built
        if version.status_code == Code.DATASET_VERSION_READY:
            return  # built by a run whose process died before it could finish the job
        version.status_code = Code.DATASET_VERSION_IN_PROGRESS
        version.modified_at = func.now()
    metrics = domain.Metrics()
    async with ctx.db.transaction() as session:
        async for row in store.frozen_inputs(session, ctx.app_pk, version_pk):
            metrics.add(domain.export_data(row.input.get("data") or {}, row.annotations))
    async with ctx.db.transaction() as session:
        version = await store.version_by_pk(session, ctx.app_pk, version_pk)
        if version is None:
            return
        version.metrics = {domain.ROOT: metrics.counts}
        version.status_code = Code.DATASET_VERSION_READY
        version.status_details = ""
        version.modified_at = func.now()
        # Exports asked for before the version was ready can start now.
        await jobs.run_now(session, EXPORT, {"version_pk": version_pk})


async def _build_failed(ctx: jobs.JobContext, payload: dict[str, Any], error: str) -> None:
    async with ctx.db.transaction() as session:
        version = await store.version_by_pk(session, ctx.app_pk, payload["version_pk"])
        if version is not None:
            version.status_code = Code.DATASET_VERSION_FAILURE
            version.status_details = f"building the version failed: {error}"
            version.modified_at = func.now()


jobs.job(BUILD, on_give_up=_build_failed)(_build)


# ---- exporting a version ----


def _input_message(
    row: store.VersionInput, settings: Settings, app: AppScope
) -> resources_pb2.Input:
    """An exported input: only its id and data, with the hosted URL of its
    media (clients download the media from there)."""
    data = domain.export_data(row.input.get("data") or {}, row.annotations)
    out = resources_pb2.Input(id=row.input_id)
    json_format.ParseDict(data, out.data, ignore_unknown_fields=True)
    media.show_hosted(out.data, settings, app, row.input.get("media_kind", ""), row.blob_key)
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
    rows: AsyncIterator[store.VersionInput],
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


async def _write_coco(
    archive: _Archive, rows: AsyncIterator[store.VersionInput], title: str
) -> None:
    coco = domain.Coco()
    async for row in rows:
        coco.add(row.input_id, domain.export_data(row.input.get("data") or {}, row.annotations))
    body = json.dumps(coco.document(title), ensure_ascii=False).encode()
    await archive.write(COCO_ENTRY, body)


async def _export(ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
    version_pk, fmt = payload["version_pk"], payload["format"]
    async with ctx.db.transaction() as session:
        export = await store.get_export(session, ctx.app_pk, version_pk, fmt, lock=True)
        version = await store.version_by_pk(session, ctx.app_pk, version_pk)
        if export is None or version is None:
            return  # deleted meanwhile
        if export.status_code == Code.DATASET_VERSION_EXPORT_SUCCESS:
            return  # written by a run whose process died before it could finish the job
        if version.status_code == Code.DATASET_VERSION_FAILURE:
            export.status_code = Code.DATASET_VERSION_EXPORT_FAILED
            export.status_details = "the dataset version failed to build; nothing to export"
            return
        if version.status_code != Code.DATASET_VERSION_READY:
            raise jobs.Defer(0.5)
        export.status_code = Code.DATASET_VERSION_EXPORT_IN_PROGRESS
        export.modified_at = func.now()
        title = f"dataset version {version.id}"
        app = app_store.scope_of(await app_store.get_by_pk(session, ctx.app_pk))

    archive = _Archive()
    try:
        async with ctx.db.transaction() as session:
            rows = store.frozen_inputs(session, ctx.app_pk, version_pk)
            if fmt == Fmt.COCO:
                await _write_coco(archive, rows, title)
            else:
                await archive.write("mimetype", LAYOUTS[fmt].mimetype.encode(), stored=True)
                await _write_batches(archive, rows, fmt, ctx.settings, app)
        await archive.finish()
        key = blobs.new_key(ctx.app_pk, "application/zip", folder=EXPORTS_FOLDER)
        size = await blob_store(ctx.settings).put(key, archive.chunks())
    finally:
        archive.close()

    stale: list[str] = []
    async with ctx.db.transaction() as session:
        export = await store.get_export(session, ctx.app_pk, version_pk, fmt, lock=True)
        if export is None:
            stale.append(key)
        else:
            if export.location:
                stale.append(export.location)
            export.location = key
            export.size = size
            export.status_code = Code.DATASET_VERSION_EXPORT_SUCCESS
            export.status_details = ""
            export.modified_at = func.now()
    await blob_store(ctx.settings).delete(stale)


async def _export_failed(ctx: jobs.JobContext, payload: dict[str, Any], error: str) -> None:
    async with ctx.db.transaction() as session:
        export = await store.get_export(
            session, ctx.app_pk, payload["version_pk"], payload["format"], lock=True
        )
        if export is not None:
            export.status_code = Code.DATASET_VERSION_EXPORT_FAILED
            export.status_details = f"writing the archive failed: {error}"
            export.modified_at = func.now()


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
        dataset = await DatasetStorage(session, access.app).get(m["dataset_id"])
        version = dataset and await DatasetVersionStorage(session, access.app).get_version(
            dataset.pk, m["version_id"]
        )
        export = version and await store.get_export(session, access.app.pk, version.pk, fmt)
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
