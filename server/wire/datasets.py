"""Datasets on the wire: stored rows as the API shows them, and the
visibility a request sets (datasets and their versions alike)."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import struct, ts
from storage.apps import AppScope
from storage.datasets import Dataset


def dataset(
    row: Dataset,
    app: AppScope,
    version: resources_pb2.DatasetVersion | None = None,
    default_filter: resources_pb2.AnnotationFilter | None = None,
) -> resources_pb2.Dataset:
    """The dataset, with its latest version and its default annotation
    filter when given."""
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
        default_annotation_filter=default_filter,
    )
    if row.image_url:
        out.image.url = row.image_url
    return out
