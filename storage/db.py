"""Engines and sessions. The dispatcher owns each request's transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import embedded


def resolve_url(database_url: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) for DATABASE_URL, or for an
    embedded server when it is unset."""
    raw = database_url or embedded.start(data_dir)
    url = make_url(raw)
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        # hide_parameters: a failing statement's exception (logged with its
        # traceback) names the SQL but not the values bound to it, which
        # hold user text and key hashes.
        self.engine: AsyncEngine = create_async_engine(
            url, pool_size=10, max_overflow=20, hide_parameters=True
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def sync_engine(self) -> Engine:
        return create_engine(self.url, hide_parameters=True)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session, session.begin():
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
