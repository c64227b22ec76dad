"""Collectors on the wire."""

from __future__ import annotations

from datetime import UTC

from clarifai.api import resources_pb2
from clarifai.api.status import status_pb2

from server.convert import ts
from server.status import Code, make_status
from storage import keys as key_store
from storage.collectors import Collector


def collector_proto(c: Collector) -> resources_pb2.Collector:
    """The post-inputs key shows as the masked id of its prefix, like ListKeys."""
    source = resources_pb2.APIPostModelOutputsCollectorSource(**c.source)
    if c.key_prefix:
        source.post_inputs_key_id = key_store.masked(c.key_prefix)
    out = resources_pb2.Collector(
        id=c.id,
        description=c.description,
        created_at=ts(c.created_at),
        pre_queue_workflow_id=c.pre_queue_workflow_id,
        pre_queue_random_sample=c.pre_queue_random_sample,
        post_queue_workflow_id=c.post_queue_workflow_id,
        collect_outputs=c.collect_outputs,
        status=status(c),
    )
    if c.source or c.key_prefix:
        out.collector_source.api_post_model_outputs_collector_source.CopyFrom(source)
    return out


def status(c: Collector) -> status_pb2.Status:
    """INACTIVE when paused or its source model (or the version it names) is
    gone; POST_INPUT_FAILED while its latest collection failed; else
    ACTIVE. The details count what it collected and name the last error."""
    gone = c.model_pk is None or (c.version_pk is None and "model_version_id" in c.source)
    counts = f"{c.collected_count} inputs collected, {c.failed_count} failed"
    if c.last_error and c.last_error_at is not None:
        at = c.last_error_at.astimezone(UTC)
        counts += f"; last error ({at:%Y-%m-%dT%H:%M:%SZ}): {c.last_error}"
    if gone:
        return make_status(Code.COLLECTOR_INACTIVE, f"its source model was deleted; {counts}")
    if c.status_code == Code.COLLECTOR_INACTIVE:
        return make_status(Code.COLLECTOR_INACTIVE, counts)
    if c.failing:
        return make_status(Code.COLLECTOR_POST_INPUT_FAILED, counts)
    return make_status(Code.COLLECTOR_ACTIVE, counts)
