"""PostWorkflowResults: a workflow's graph run over 1..32 inputs (the
reference's most per call), one result per input with an output per node
(server/workflow_runs.py says how nodes chain).

The workflow is the app's, else clarifai/main's (its built-in General,
Universal, ... run for every caller); no workflow_id runs the app's base
workflow; version_id picks a version, else the latest runs. Inputs are
inline media or ids of the app's inputs, as PostModelOutputs takes them.
Each result has its own status: one bad input among good ones answers
MIXED_STATUS, every input failing FAILURE.
"""

from __future__ import annotations

from clarifai.api import service_pb2

from server import workflow_runs, workflows
from server.checks import Checks
from server.dispatch import Call
from server.services import rpc
from server.status import Code, batch_status
from server.wire import workflows as wire

check = Checks(Code.WORKFLOW_INVALID_REQUEST, Code.WORKFLOW_DOES_NOT_EXIST)


@rpc
async def PostWorkflowResults(call: Call, request: service_pb2.PostWorkflowResultsRequest):
    check.batch(request.inputs, "inputs")
    row = await workflows.find(call.store, call.app_row, request.workflow_id)
    graph = await workflows.latest(call.store, row, request.version_id)
    runner = workflow_runs.Runner(call.store, call.blobs, call.fetcher, call.user_id)
    config = request.output_config if request.HasField("output_config") else None
    results = await workflow_runs.run(runner, graph, request.inputs, config)
    return service_pb2.PostWorkflowResultsResponse(
        status=batch_status([r.status for r in results]),
        workflow=wire.workflow(graph),
        results=results,
    )
