"""Which inputs an app's base workflow graph has run on, by workflow
version: the index job (server/indexing.py) runs a version's graph once per
input, however often the job itself runs (deferrals, retries, reindexes).
A row goes with its input and with its workflow version."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ForeignKey, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.scoped import AppScope


class WorkflowInputRun(Base):
    __tablename__ = "workflow_input_runs"

    input_pk: Mapped[int] = mapped_column(
        ForeignKey("inputs.pk", ondelete="CASCADE"), primary_key=True
    )
    workflow_version_pk: Mapped[int] = mapped_column(
        ForeignKey("workflow_versions.pk", ondelete="CASCADE"), primary_key=True
    )
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)


_MARK = text(
    """
    INSERT INTO workflow_input_runs (input_pk, workflow_version_pk, app_pk)
    SELECT i.pk, :version_pk, :app_pk
    FROM inputs i WHERE i.app_pk = :app_pk AND i.pk = ANY(CAST(:pks AS bigint[]))
    ON CONFLICT DO NOTHING
    """
)


class WorkflowRunStorage:
    """The app's inputs a workflow version's graph has run on."""

    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    async def ran(self, version_pk: int, input_pks: Sequence[int]) -> set[int]:
        """Those of these inputs the version's graph has run on."""
        if not input_pks:
            return set()
        q = select(WorkflowInputRun.input_pk).where(
            WorkflowInputRun.app_pk == self.app.pk,
            WorkflowInputRun.workflow_version_pk == version_pk,
            WorkflowInputRun.input_pk.in_(list(input_pks)),
        )
        return set(await self.session.scalars(q))

    async def mark(self, version_pk: int, input_pks: Sequence[int]) -> None:
        """The version's graph has run on these inputs (those of the app's
        still there), in one statement."""
        if input_pks:
            await self.session.execute(
                _MARK, {"version_pk": version_pk, "app_pk": self.app.pk, "pks": list(input_pks)}
            )
