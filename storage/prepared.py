"""Statements compiled once and run straight on the session's psycopg
connection: the hot read paths (GetInput, a list's first page) skip what
SQLAlchemy does per execution (building the statement, its cache key, the
ORM's result machinery), about 0.3 ms a call; psycopg prepares them on the
server after a few runs. They run in the call's transaction like any other
statement. Reads only: writes go through the session, which tracks them."""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import Executable
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from storage.availability import disconnected

_DIALECT = postgresql.dialect(paramstyle="pyformat")


class Prepared:
    """One SELECT with named bind parameters, given at each run."""

    def __init__(self, statement: Executable) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = str(compiled)
        # Values bound in the statement itself (literals), with the run's.
        self._bound = {k: v for k, v in compiled.params.items() if v is not None}

    async def rows(self, session: AsyncSession, **params: Any) -> list[tuple[Any, ...]]:
        conn = await session.connection()
        driver = (await conn.get_raw_connection()).driver_connection
        try:
            cursor = await driver.execute(self.sql, {**self._bound, **params})
            return await cursor.fetchall()
        except psycopg.Error as exc:
            if disconnected(exc):
                await conn.invalidate()  # the pool must not hand it out again
            raise
