"""The rules a workflow's graph follows, checked before it is stored.

A workflow holds 1 to MAX_NODES nodes (the reference's documented most,
docs.clarifai.com "Manage Workflows": "a maximum of 20 nodes in a single
workflow"). Node ids are unique; a node's inputs name other nodes of the
workflow, each once; the graph has no cycle. Nodes run in an order where
each comes after its inputs: the order given wherever it allows, as the
reference reorders a graph for its dependencies ("the order returned by
this endpoint will be used").

Chaining: a node without inputs reads the workflow's input (any medium: a
model of the wrong medium answers nothing for it). A node with inputs must
take a Data field one of them gives (ModelType input_fields and
output_fields): concepts into a concept thresholder, regions into an image
crop. "any" takes or gives whatever arrives. A classifier over embeddings
(trainable types, clarifai/main's general model) also follows an embedder,
as the docs' auto-annotation workflow chains them; it classifies the
input's media, which that embedder embedded.

Nothing here reads the database: callers pass each node's fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from server.status import ApiError, Code

MAX_NODES = 20
ANY = "any"


@dataclass(frozen=True)
class Node:
    """One node as the rules see it: its id, the ids of its inputs and its
    model type's fields (`follows_embedder`: a classifier of embeddings)."""

    id: str
    inputs: tuple[str, ...]
    takes: tuple[str, ...]
    gives: tuple[str, ...]
    follows_embedder: bool = False


def check_shape(nodes: Sequence[Node], field: str) -> None:
    """The count, the node ids and the inputs' ids (before any model is
    looked up, so a bad graph is refused first)."""
    if not nodes:
        raise ApiError(Code.WORKFLOW_INVALID_ARGUMENT, f"{field}: a workflow needs a node")
    if len(nodes) > MAX_NODES:
        raise ApiError(
            Code.WORKFLOW_INVALID_ARGUMENT,
            f"{field}: at most {MAX_NODES} nodes in a workflow, got {len(nodes)}",
        )
    seen: dict[str, int] = {}
    for n, node in enumerate(nodes):
        if node.id in seen:
            raise ApiError(
                Code.WORKFLOW_INVALID_ARGUMENT,
                f"{field}[{n}].id '{node.id}' is repeated: a duplicate of {field}[{seen[node.id]}]",
            )
        seen[node.id] = n
    for n, node in enumerate(nodes):
        _check_inputs(node, seen, f"{field}[{n}].node_inputs")


def _check_inputs(node: Node, ids: dict[str, int], field: str) -> None:
    for k, other in enumerate(node.inputs):
        where = f"{field}[{k}].node_id"
        if not other:
            raise ApiError(Code.WORKFLOW_INVALID_ARGUMENT, f"{where} is required")
        if other == node.id:
            raise ApiError(Code.WORKFLOW_INVALID_GRAPH, f"{where}: node '{other}' is its own input")
        if other not in ids:
            raise ApiError(
                Code.WORKFLOW_NO_MATCHING_INPUT,
                f"{where}: '{other}' is not a node of this workflow",
            )
        if other in node.inputs[:k]:
            raise ApiError(
                Code.WORKFLOW_INVALID_ARGUMENT, f"{where}: node '{other}' is named twice"
            )


def run_order(nodes: Sequence[Node], field: str) -> list[int]:
    """The nodes' indices in the order they run (check_shape passed): each
    after its inputs, otherwise as given. A cycle is refused, naming it."""
    index = {node.id: n for n, node in enumerate(nodes)}
    waiting = {n: {index[i] for i in node.inputs} for n, node in enumerate(nodes)}
    order: list[int] = []
    while len(order) < len(nodes):
        ready = next((n for n, deps in waiting.items() if not deps), None)
        if ready is None:
            raise ApiError(Code.WORKFLOW_INVALID_GRAPH, _cycle(nodes, waiting, field))
        order.append(ready)
        del waiting[ready]
        for deps in waiting.values():
            deps.discard(ready)
    return order


def _cycle(nodes: Sequence[Node], waiting: dict[int, set[int]], field: str) -> str:
    """Words naming one cycle among the nodes left waiting."""
    start = min(waiting)
    path = [start]
    while (step := min(waiting[path[-1]])) not in path:
        path.append(step)
    loop = path[path.index(step) :] + [step]
    names = " -> ".join(f"'{nodes[n].id}'" for n in reversed(loop))
    return f"{field}[{start}]: the graph has a cycle ({names}); a workflow is acyclic"


def check_types(nodes: Sequence[Node], order: Sequence[int], field: str) -> None:
    """Each node with inputs takes a field one of its inputs gives."""
    gives: dict[str, set[str]] = {}
    for n in order:
        node = nodes[n]
        arriving = set().union(*(gives[i] for i in node.inputs)) if node.inputs else {ANY}
        if node.inputs and not _accepts(node, arriving):
            raise ApiError(
                Code.WORKFLOW_INVALID_GRAPH,
                f"{field}[{n}]: node '{node.id}' takes {_words(node.takes)} but its inputs "
                f"give {_words(sorted(arriving))}",
            )
        gives[node.id] = arriving if ANY in node.gives else set(node.gives)


def _accepts(node: Node, arriving: set[str]) -> bool:
    if ANY in node.takes or ANY in arriving or arriving & set(node.takes):
        return True
    return node.follows_embedder and "embeddings" in arriving


def _words(fields: Sequence[str]) -> str:
    return " or ".join(fields) or "nothing"
