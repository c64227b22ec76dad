"""An app's resource counts (GetResourceCounts): one statement of counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.scoped import AppScope

_COUNTS = text(
    """
    SELECT (SELECT count(*) FROM datasets WHERE app_pk = :app_pk) AS datasets,
           (SELECT count(*) FROM models WHERE app_pk = :app_pk) AS models,
           (SELECT count(*) FROM workflows WHERE app_pk = :app_pk) AS workflows,
           (SELECT count(*) FROM inputs WHERE app_pk = :app_pk) AS inputs
    """
)


@dataclass(frozen=True)
class Counts:
    datasets: int
    models: int
    workflows: int
    inputs: int


class ResourceCountStorage:
    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    async def counts(self) -> Counts:
        row = (await self.session.execute(_COUNTS, {"app_pk": self.app.pk})).one()
        return Counts(row.datasets, row.models, row.workflows, row.inputs)
