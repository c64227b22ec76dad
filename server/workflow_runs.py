"""Running a workflow's graph over inputs (PostWorkflowResults; callable
outside a request too, by a background job with a Store of its own).

Each input is resolved once (inline media, a URL downloaded, or an app
input by id: server/prediction.py). The nodes run in the graph's order,
each node over all inputs at once, through the same runtimes as
PostModelOutputs:
- a node without inputs reads the workflow's input; one whose model reads
  another medium than the input's (a text embedder given an image) answers
  nothing for it;
- a node with inputs reads their outputs' Data merged (concepts, regions,
  metadata, ...) over the input's media: a thresholder reads the concepts
  of the node before it, an image crop that node's regions and the image;
- an input a node answered nothing for (a thresholder that kept no
  concept, a random sample that dropped it) goes no further down that
  branch: the nodes after it answer nothing for it either;
- an input that failed (its media could not be read, a model refused it)
  fails every node after, with the reason.

Every node's output has its own status; an input's result is SUCCESS when
every node succeeded for it, else the first failure's status. The
request's output_config (max_concepts, min_value, select_concepts,
sample_ms) applies to every node, else each version's own; a node's
output_info_override replaces its version's concepts and merges over its
params. Output ids are kept for feedback as PostModelOutputs' are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from clarifai.api import resources_pb2
from clarifai.api.status.status_pb2 import Status
from google.protobuf.timestamp_pb2 import Timestamp

from server import prediction
from server.convert import ts
from server.ids import new_id
from server.runtimes import Failure, Item, Outcome
from server.status import ApiError, Code, make_status
from server.wire import models as models_wire
from server.workflows import Graph, Node, NodeModel

if TYPE_CHECKING:
    from server.fetch import Fetcher
    from storage.blobs import BlobStore
    from storage.store import Store

Data = resources_pb2.Data
# Where a sent output_config is named in details.
CONFIG_FIELD = "output_config"


@dataclass(frozen=True)
class Runner:
    """What a run reads and writes: the storage of the app it acts on (its
    inputs named by id; what operators read and write), the blob store
    holding their media, the URL downloader (None: none), the caller."""

    store: Store
    blobs: BlobStore
    fetcher: Fetcher | None
    user_id: str


async def run(
    runner: Runner,
    graph: Graph,
    inputs: Sequence[resources_pb2.Input],
    config: resources_pb2.OutputConfig | None = None,
    *,
    keep_ids: bool = True,
) -> list[resources_pb2.WorkflowResult]:
    """One result per input, in order, each with an output per node not
    suppressed; their ids are kept for feedback unless `keep_ids` is False
    (a background run nobody sees the outputs of)."""
    runnable = [_runnable(node) for node in graph.nodes]
    resolved = await prediction.resolve(inputs, runner.store.inputs, runner.blobs, runner.fetcher)
    sent = resources_pb2.OutputInfo(output_config=config) if config is not None else None
    answers: dict[str, list[Outcome]] = {}
    for node, found in zip(graph.nodes, runnable, strict=True):
        answers[node.id] = await _run_node(runner, node, found, resolved, answers, sent)
    shown = [(n, f) for n, f in zip(graph.nodes, runnable, strict=True) if not n.suppress]
    results = _results(graph, inputs, resolved, answers, shown)
    for k, (_, found) in enumerate(shown if keep_ids else []):
        ok = [
            (r.outputs[k].id, r.input.id)
            for r in results
            if r.outputs[k].status.code == Code.SUCCESS
        ]
        await runner.store.model_outputs.record(found.version.pk, ok)
    return results


def _runnable(node: Node) -> NodeModel:
    """The node's model version, refused before anything runs when it is
    gone, cannot predict or has nothing here to run it."""
    if node.found is None:
        made = node.stored["model"]
        raise ApiError(
            Code.MODEL_DOES_NOT_EXIST,
            f"node '{node.id}': model '{made['id']}' version '{made['version_id']}' was "
            "deleted; this workflow version is deprecated",
        )
    prediction.ready(node.found.model, node.found.version)
    prediction.runtime(node.found.model, node.found.version)
    return node.found


async def _run_node(
    runner: Runner,
    node: Node,
    found: NodeModel,
    resolved: Sequence[prediction.Resolved],
    answers: dict[str, list[Outcome]],
    sent: resources_pb2.OutputInfo | None,
) -> list[Outcome]:
    stored = models_wire.output_info(found.version.output_info)
    config = prediction.config_of(sent or resources_pb2.OutputInfo(), stored, CONFIG_FIELD)
    data = node.override.data if node.override.HasField("data") else None
    ctx = prediction.context(
        found.version, node.override, config, runner.store, runner.user_id, data
    )
    given = [_given(node, found, n, r, answers) for n, r in enumerate(resolved)]
    runnable: list[prediction.Resolved] = [g for g in given if not isinstance(g, Data)]
    ran = iter(await prediction.run(prediction.runtime(found.model, found.version), ctx, runnable))
    out: list[Outcome] = [g if isinstance(g, Data) else next(ran) for g in given]
    for outcome in out:
        if isinstance(outcome, Data):
            prediction.apply(config, outcome)
    return out


def _given(
    node: Node,
    found: NodeModel,
    n: int,
    resolved: prediction.Resolved,
    answers: dict[str, list[Outcome]],
) -> Item | Failure | Data:
    """What the node reads for input `n`: an Item to run on, the failure it
    inherits, or the Data it answers without running (nothing)."""
    if isinstance(resolved, Failure):
        return resolved
    if node.inputs:
        before = [(i, answers[i][n]) for i in node.inputs]
        failed = next(((i, a) for i, a in before if isinstance(a, Failure)), None)
        if failed is not None:
            return Failure(failed[1].code, f"input node '{failed[0]}' failed: {failed[1].details}")
        merged = Data()
        for _, answer in before:
            merged.MergeFrom(answer)
        if not merged.ByteSize():
            return Data()
        resolved = Item(
            resolved.input_id, merged, resolved.kind, resolved.media, resolved.text, resolved.stored
        )
    media = found.media()
    if media and resolved.kind and resolved.kind not in media:
        return Data()
    return resolved


def _results(
    graph: Graph,
    inputs: Sequence[resources_pb2.Input],
    resolved: Sequence[prediction.Resolved],
    answers: dict[str, list[Outcome]],
    shown: Sequence[tuple[Node, NodeModel]],
) -> list[resources_pb2.WorkflowResult]:
    """One result per input; an output per node shown (not suppressed)."""
    now = ts(datetime.now(UTC))
    models = [(node, found.proto()) for node, found in shown]
    results = []
    for n, sent in enumerate(inputs):
        result = resources_pb2.WorkflowResult(id=new_id(), created_at=now)
        result.input.CopyFrom(prediction.echoed(sent))
        for node, model in models:
            result.outputs.append(_output(model, answers[node.id][n], now))
        result.status.CopyFrom(_status(graph, answers, n, resolved[n]))
        results.append(result)
    return results


def _output(
    model: resources_pb2.Model, outcome: Outcome, now: Timestamp | None
) -> resources_pb2.Output:
    out = resources_pb2.Output(id=new_id(), created_at=now, model=model)
    if isinstance(outcome, Failure):
        out.status.CopyFrom(make_status(outcome.code, outcome.details))
    else:
        out.data.CopyFrom(outcome)
        out.status.CopyFrom(make_status(Code.SUCCESS))
    return out


def _status(
    graph: Graph, answers: dict[str, list[Outcome]], n: int, resolved: prediction.Resolved
) -> Status:
    """SUCCESS when every node (shown or not) succeeded for input `n`, else
    the first failure's status."""
    if isinstance(resolved, Failure):
        return make_status(resolved.code, resolved.details)
    for node in graph.nodes:
        answer = answers[node.id][n]
        if isinstance(answer, Failure):
            return make_status(answer.code, f"node '{node.id}': {answer.details}")
    return make_status(Code.SUCCESS)
