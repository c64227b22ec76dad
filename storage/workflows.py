"""Workflows of an app and their versions. A version keeps its graph as
JSON: each node's id, the model version it runs (by pk, so renaming the
model keeps the workflow; with the ids it had, for a version deleted
since), the nodes it takes its input from, suppress_output and the
output_info override, in the order the nodes run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, distinct_on, insert
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.concepts import like_escape
from storage.listing import Order, Page
from storage.models import Model, ModelVersion
from storage.prepared import Prepared
from storage.scoped import AppScope, AppScoped
from storage.tasks import IS_AUTO, Task


class Workflow(Timestamps, Base):
    __tablename__ = "workflows"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index("ix_workflows_app_modified", "app_pk", "modified_at", "pk"),
        Index("ix_workflows_app_created", "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    visibility: Mapped[int] = mapped_column(default=10)
    use_cases: Mapped[list[str]] = mapped_column(default=list)
    check_consents: Mapped[list[str]] = mapped_column(default=list)


class WorkflowVersion(Timestamps, Base):
    __tablename__ = "workflow_versions"
    __table_args__ = (
        UniqueConstraint("workflow_pk", "id"),
        # ListWorkflowVersions and a workflow's latest version: newest first.
        Index("ix_workflow_versions_workflow_created", "workflow_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    # The workflow's app, repeated so a version is scoped like every app-owned row.
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    workflow_pk: Mapped[int] = mapped_column(ForeignKey("workflows.pk", ondelete="CASCADE"))
    id: Mapped[str]
    # [{"id", "model": {"id", "user_id", "app_id", "version_id"}, "version_pk",
    #   "node_inputs": [node id, ...], "suppress_output", "output_info_override"}]
    nodes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    description: Mapped[str] = mapped_column(default="")
    license: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    visibility: Mapped[int] = mapped_column(default=10)
    # The user who made it.
    user_id: Mapped[str] = mapped_column(default="")


def node(
    node_id: str,
    model: Model,
    version: ModelVersion,
    owner: AppScope,
    inputs: Sequence[str] = (),
    *,
    suppress_output: bool = False,
    output_info_override: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One node as a version stores it (WorkflowVersion.nodes)."""
    return {
        "id": node_id,
        "model": {
            "id": model.id,
            "user_id": owner.user_id,
            "app_id": owner.id,
            "version_id": version.id,
        },
        "version_pk": version.pk,
        "node_inputs": list(inputs),
        "suppress_output": suppress_output,
        "output_info_override": output_info_override or {},
    }


@dataclass(frozen=True)
class WorkflowFilter:
    """ListWorkflows' filters, ANDed; empty ones filter nothing."""

    visibility: int = 0
    # Case-insensitive substring of the id, description or notes.
    search: str = ""
    # The id, "*" matching any run of characters.
    id_pattern: str = ""

    def apply(self, q: Select) -> Select:
        if self.visibility:
            q = q.where(Workflow.visibility == self.visibility)
        if self.search:
            pattern = f"%{like_escape(self.search)}%"
            q = q.where(
                or_(
                    *(
                        column.ilike(pattern, escape="\\")
                        for column in (Workflow.id, Workflow.description, Workflow.notes)
                    )
                )
            )
        if self.id_pattern:
            pattern = "%".join(like_escape(p) for p in self.id_pattern.split("*"))
            q = q.where(Workflow.id.ilike(pattern, escape="\\"))
        return q


_SORTS: dict[str, list[Any]] = {
    "created_at": [Workflow.created_at, Workflow.pk],
    "modified_at": [Workflow.modified_at, Workflow.pk],
    "id": [Workflow.id],
}
LIST = {
    (sort, descending): Order(
        f"ListWorkflows by {sort}{' descending' if descending else ''}",
        scope=[Workflow.app_pk],
        columns=columns,
        descending=descending,
    )
    for sort, columns in _SORTS.items()
    for descending in (False, True)
}
LIST_VERSIONS = Order(
    "ListWorkflowVersions",
    scope=[WorkflowVersion.workflow_pk],
    columns=[WorkflowVersion.created_at, WorkflowVersion.pk],
    descending=True,
)


# Whether the app has a workflow of an id (PostInputs asks of its base
# workflow's), compiled once (storage/prepared.py).
_OWN = exists().where(Workflow.app_pk == bindparam("app_pk"), Workflow.id == bindparam("id"))
_HAS = Prepared(select(_OWN))
# And whether one of its tasks auto-annotates: what decides whether new
# inputs get an index job, in one round trip (PostInputs asks each time).
_INDEXING = Prepared(select(_OWN, exists().where(Task.app_pk == bindparam("app_pk"), IS_AUTO)))


class WorkflowStorage(AppScoped[Workflow]):
    """The app's workflows; their versions are in WorkflowVersionStorage."""

    model = Workflow

    async def page(
        self, at: Page, found: WorkflowFilter, sort: str = "modified_at", descending: bool = True
    ) -> list[Workflow]:
        q = found.apply(select(Workflow).where(Workflow.app_pk == self.app.pk))
        return await listing.page(self.session, q, LIST[sort, descending], at)

    async def delete(self, ids: Sequence[str] | None, *, keep: str = "") -> None:
        """Delete these workflows, or all of the app's (None) but `keep`,
        with their versions."""
        q = delete(Workflow).where(Workflow.app_pk == self.app.pk)
        if ids is not None:
            q = q.where(Workflow.id == any_of(ids))
        if keep:
            q = q.where(Workflow.id != keep)
        await self.session.execute(q)

    async def has(self, workflow_id: str) -> bool:
        """Whether the app has a workflow of this id."""
        return bool((await _HAS.rows(self.session, app_pk=self.app.pk, id=workflow_id))[0][0])

    async def indexing(self, workflow_id: str) -> tuple[bool, bool]:
        """Whether the app has a workflow of this id, and whether one of
        its tasks auto-annotates new inputs."""
        ((own, auto),) = await _INDEXING.rows(self.session, app_pk=self.app.pk, id=workflow_id)
        return bool(own), bool(auto)

    async def touch(self, workflow: Workflow) -> Workflow:
        """A new version makes the workflow modified (ListWorkflows' default order)."""
        return await self.update(workflow, {"modified_at": func.now()})


class WorkflowVersionStorage(AppScoped[WorkflowVersion]):
    """The versions of the app's workflows."""

    model = WorkflowVersion

    async def add(self, workflow: Workflow, values: dict[str, Any]) -> WorkflowVersion:
        """A new version of `workflow` (its values by attribute name)."""
        return await self.session.scalar(
            insert(WorkflowVersion)
            .values(app_pk=self.app.pk, workflow_pk=workflow.pk, **values)
            .returning(WorkflowVersion)
        )

    async def latest(self, workflows: Sequence[Workflow]) -> dict[int, WorkflowVersion]:
        """Each workflow's newest version, by workflow pk."""
        if not workflows:
            return {}
        q = (
            select(WorkflowVersion)
            .where(
                WorkflowVersion.app_pk == self.app.pk,
                WorkflowVersion.workflow_pk.in_([w.pk for w in workflows]),
            )
            .ext(distinct_on(WorkflowVersion.workflow_pk))
            .order_by(
                WorkflowVersion.workflow_pk,
                WorkflowVersion.created_at.desc(),
                WorkflowVersion.pk.desc(),
            )
        )
        return {v.workflow_pk: v for v in await self.session.scalars(q)}

    async def of(
        self, workflow: Workflow, ids: Sequence[str], *, lock: bool = False
    ) -> dict[str, WorkflowVersion]:
        """The versions of `workflow` with these ids, by id."""
        if not ids:
            return {}
        q = select(WorkflowVersion).where(
            WorkflowVersion.app_pk == self.app.pk,
            WorkflowVersion.workflow_pk == workflow.pk,
            WorkflowVersion.id == any_of(ids),
        )
        if lock:
            q = q.with_for_update()
        return {v.id: v for v in await self.session.scalars(q)}

    async def page(self, workflow: Workflow, at: Page) -> list[WorkflowVersion]:
        q = select(WorkflowVersion).where(
            WorkflowVersion.app_pk == self.app.pk, WorkflowVersion.workflow_pk == workflow.pk
        )
        return await listing.page(self.session, q, LIST_VERSIONS, at)

    async def count(self, workflow: Workflow) -> int:
        q = select(func.count()).where(
            WorkflowVersion.app_pk == self.app.pk, WorkflowVersion.workflow_pk == workflow.pk
        )
        return int(await self.session.scalar(q) or 0)

    async def delete(self, workflow: Workflow, ids: Sequence[str]) -> None:
        await self.session.execute(
            delete(WorkflowVersion).where(
                WorkflowVersion.app_pk == self.app.pk,
                WorkflowVersion.workflow_pk == workflow.pk,
                WorkflowVersion.id == any_of(ids),
            )
        )

    async def set_visibility(self, workflow: Workflow, ids: Sequence[str], gettable: int) -> None:
        """Publish (PUBLIC) or unpublish (PRIVATE) these versions."""
        await self.session.execute(
            update(WorkflowVersion)
            .where(
                WorkflowVersion.app_pk == self.app.pk,
                WorkflowVersion.workflow_pk == workflow.pk,
                WorkflowVersion.id == any_of(ids),
            )
            .values(visibility=gettable, modified_at=func.now())
        )
