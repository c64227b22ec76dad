"""Dataset versions and their exports on the wire."""

from __future__ import annotations

from collections.abc import Sequence

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server import exports
from server.config import Settings
from server.convert import struct, ts
from server.status import Code, make_status
from storage.apps import AppScope
from storage.dataset_versions import DatasetVersion, MetricsGroup, VersionExport


def export(
    row: VersionExport, settings: Settings, app: AppScope, dataset_id: str, version_id: str
) -> resources_pb2.DatasetVersionExport:
    """An export, with where to download its archive once it is written."""
    out = resources_pb2.DatasetVersionExport(
        format=row.format, status=make_status(row.status_code, row.status_details), size=row.size
    )
    if row.status_code == Code.DATASET_VERSION_EXPORT_SUCCESS:
        out.url = exports.download_url(
            settings, app.user_id, app.id, dataset_id, version_id, row.format
        )
    return out


def dataset_version(
    row: DatasetVersion,
    dataset_id: str,
    app: AppScope,
    settings: Settings,
    export_rows: Sequence[VersionExport] = (),
) -> resources_pb2.DatasetVersion:
    """A version, with its metrics once it is ready and its exports."""
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
    if row.data_config:
        json_format.ParseDict(
            row.data_config, out.annotation_filter_config, ignore_unknown_fields=True
        )
    for key, counts in row.metrics.items():
        _counts(out.metrics[key], counts)
    for e in export_rows:
        getattr(out.export_info, exports.LAYOUTS[e.format].name).CopyFrom(
            export(e, settings, app, dataset_id, row.id)
        )
    return out


def _counts(out: resources_pb2.DatasetVersionMetrics, counts: dict[str, int]) -> None:
    """Every count is set, zeros too: a client reads each one."""
    for name, value in counts.items():
        getattr(out, name).value = value


def metrics_group(row: MetricsGroup) -> resources_pb2.DatasetVersionMetricsGroup:
    out = resources_pb2.DatasetVersionMetricsGroup(parent_path=row.parent_path, type=row.type)
    if isinstance(row.value, str):
        out.value.string_value = row.value
    else:
        out.value.number_value = row.value
    _counts(out.metrics, row.metrics)
    return out
