"""Collectors on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import ts
from server.status import make_status
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
        status=make_status(c.status_code),
    )
    if c.source or c.key_prefix:
        out.collector_source.api_post_model_outputs_collector_source.CopyFrom(source)
    return out
