"""Every table, imported in one place for migrations and for `reset`."""

from __future__ import annotations

from storage import (  # noqa: F401  (each module registers its tables or triggers)
    annotation_filters,
    annotations,
    app_duplications,
    apps,
    auth_cache,
    auto_annotations,
    bulk_operations,
    collaborators,
    collectors,
    concepts,
    dataset_inputs,
    dataset_versions,
    datasets,
    embeddings,
    evaluations,
    feedback,
    input_marks,
    inputs,
    inputs_add_jobs,
    inputs_extraction_jobs,
    jobs,
    keys,
    label_orders,
    model_outputs,
    models,
    searches,
    stat_values,
    task_assignments,
    tasks,
    uploads,
    users,
    workflow_runs,
    workflows,
)
from storage.base import Base

metadata = Base.metadata
