"""Workflows and their versions as the API shows them: a workflow with its
latest version's nodes (and that version in `version`)."""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2

from server.convert import struct, ts
from server.workflows import Graph
from storage.workflows import Workflow, WorkflowVersion


def version(graph: Graph) -> resources_pb2.WorkflowVersion:
    row = graph.version
    return resources_pb2.WorkflowVersion(
        id=row.id,
        workflow_id=graph.workflow.id,
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        visibility=resources_pb2.Visibility(gettable=row.visibility),
        nodes=graph.node_protos(),
        metadata=struct(row.metadata_),
        app_id=graph.app.id,
        user_id=graph.app.user_id,
        description=row.description,
        license=row.license,
        is_deprecated=graph.deprecated,
    )


def workflow(graph: Graph) -> resources_pb2.Workflow:
    """The workflow with its latest version (`graph`) and that version's nodes."""
    row = graph.workflow
    shown = version(graph)
    return resources_pb2.Workflow(
        id=row.id,
        app_id=graph.app.id,
        user_id=graph.app.user_id,
        created_at=ts(row.created_at),
        modified_at=ts(row.modified_at),
        nodes=shown.nodes,
        metadata=struct(row.metadata_),
        visibility=resources_pb2.Visibility(gettable=row.visibility),
        version=shown,
        description=row.description,
        notes=row.notes,
        use_cases=row.use_cases,
        check_consents=row.check_consents,
    )


def values(row: Workflow) -> dict[str, Any]:
    """The stored values PatchWorkflows may change, named as the request names them."""
    return {
        "description": row.description,
        "notes": row.notes,
        "metadata": row.metadata_,
        "visibility": row.visibility,
        "use_cases": row.use_cases,
        "check_consents": row.check_consents,
    }


def version_values(row: WorkflowVersion) -> dict[str, Any]:
    """The stored values PatchWorkflowVersions may change."""
    return {
        "description": row.description,
        "license": row.license,
        "metadata": row.metadata_,
        "visibility": row.visibility,
    }
