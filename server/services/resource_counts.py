"""GetResourceCounts: how many datasets, models, workflows and inputs the
app holds. This server has no pipelines: their count is always 0."""

from __future__ import annotations

from clarifai.api import service_pb2

from server.dispatch import Call
from server.services import rpc


@rpc
async def GetResourceCounts(call: Call, request: service_pb2.GetResourceCountsRequest):
    counts = await call.store.resource_counts.counts()
    return service_pb2.GetResourceCountsResponse(
        datasets=counts.datasets,
        models=counts.models,
        workflows=counts.workflows,
        inputs=counts.inputs,
        pipelines=0,
    )
