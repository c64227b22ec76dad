"""Evaluations (EvalMetrics) on the wire.

The stored metrics are EvalMetrics' JSON (server/classifiers.py computes
them); a response carries the status and summary, and the heavy parts
(confusion matrix, label counts, binary metrics with their curves, the test
set) only where the request's `fields` asks for them, as the reference."""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server.convert import struct
from server.status import make_status
from server.wire import models as models_wire
from storage.evaluations import Evaluation
from storage.models import ModelVersion
from storage.scoped import AppScope

# FieldsValue's flags and the stored metrics' parts they select.
PARTS = {
    "confusion_matrix": "confusionMatrix",
    "label_counts": "labelCounts",
    "binary_metrics": "binaryMetrics",
    "test_set": "testSet",
    "metrics_by_class": "binaryMetrics",
}


def _selected(metrics: dict[str, Any], fields: resources_pb2.FieldsValue | None) -> dict:
    out: dict[str, Any] = {}
    if "summary" in metrics:
        out["summary"] = metrics["summary"]
    for flag, part in PARTS.items():
        if fields is not None and getattr(fields, flag) and part in metrics:
            out["metricsByClass" if flag == "metrics_by_class" else part] = metrics[part]
    return out


def eval_metrics(
    row: Evaluation,
    app: AppScope,
    model_id: str,
    model_type_id: str,
    version_id: str,
    fields: resources_pb2.FieldsValue | None = None,
) -> resources_pb2.EvalMetrics:
    """One evaluation: status, summary, and the parts `fields` selects."""
    out = resources_pb2.EvalMetrics()
    json_format.ParseDict(_selected(row.metrics or {}, fields), out, ignore_unknown_fields=True)
    out.status.CopyFrom(make_status(row.status_code, row.status_description))
    out.id = row.id
    out.user_id = app.user_id
    out.app_id = app.id
    out.model.id = model_id
    out.model.app_id = app.id
    out.model.user_id = app.user_id
    out.model.model_type_id = model_type_id
    out.model.model_version.id = version_id
    params = (row.eval_info or {}).get("params")
    if params:
        out.eval_info.params.CopyFrom(struct(params))
    return out


def version_with_metrics(
    version: ModelVersion, app: AppScope, metrics: resources_pb2.EvalMetrics | None
) -> resources_pb2.ModelVersion:
    """The version as GetModelVersionMetrics shows it: with its metrics."""
    out = models_wire.version(version, app)
    if metrics is not None:
        out.metrics.CopyFrom(metrics)
    return out
