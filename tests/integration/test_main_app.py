"""clarifai/main's catalog, written at start: a start finding it whole
writes nothing, one finding rows missing writes them again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select

from server import main_app
from storage import migrate
from storage.concepts import Concept
from storage.db import Database, resolve_url
from storage.models import Model, ModelVersion
from storage.workflows import WorkflowVersion


async def catalog(db: Database) -> tuple[set[str], set[str], set[str], int]:
    """clarifai/main's model ids, model version ids, workflow version ids
    and number of concepts, as stored."""
    async with db.transaction() as session:
        return (
            set(await session.scalars(select(Model.id))),
            set(await session.scalars(select(ModelVersion.id))),
            set(await session.scalars(select(WorkflowVersion.id))),
            await session.scalar(select(func.count()).select_from(Concept)) or 0,
        )


async def test_a_start_writes_again_the_rows_missing(fresh_database: str, tmp_path: Path) -> None:
    db = Database(resolve_url(fresh_database, tmp_path))
    engine = db.sync_engine()
    try:
        migrate.upgrade(engine)
        await main_app.ensure(db)
        whole = await catalog(db)
        assert whole[0] == {i for m in main_app.MODELS for i in m.ids}
        assert whole[3] == len(main_app.vocabulary())
        await main_app.ensure(db)  # found whole: nothing written
        assert await catalog(db) == whole
        model, workflow = main_app.MODELS[0], main_app.WORKFLOWS[0]
        async with db.transaction() as session:
            await session.execute(delete(Model).where(Model.id == model.ids[0]))
            await session.execute(
                delete(WorkflowVersion).where(WorkflowVersion.id == workflow.version_id)
            )
            await session.execute(delete(Concept).where(Concept.id == "face"))
        assert await catalog(db) != whole
        await main_app.ensure(db)
        assert await catalog(db) == whole
    finally:
        engine.dispose()
        await db.close()
