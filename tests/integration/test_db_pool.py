"""Each server process pools its share of the database's connections, and
keeps what it opened for its busiest moment: under many calls at once it
does not connect and disconnect again at every burst (each new connection
costs the database a process and the server a handshake)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text

from server.config import Settings
from server.serving import open_database
from storage.db import POOL_KEPT, Database, pool_connections

BESIDES = 7  # what a process holds outside its pool (storage/db.py)


@pytest.mark.parametrize("processes", [1, 2, 3, 4, 8])
def test_the_processes_pools_fit_in_the_database(processes: int) -> None:
    # PostgreSQL's default max_connections, less its 3 reserved ones and a
    # tenth left to other clients.
    shared = 90 - 3
    each = pool_connections(100, processes)
    assert processes * (each + BESIDES) <= shared
    assert processes * (each + BESIDES) > shared - processes  # all of it, but rounding


def test_a_pool_never_has_fewer_than_two() -> None:
    assert pool_connections(100, 64) == 2
    assert pool_connections(10, 1) == 2


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _backends(url: str) -> set[int]:
    """The connections open to this database (but the one asking)."""
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        found = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()
        return {pid for (pid,) in found}


async def _at_once(db: Database, calls: int) -> None:
    """`calls` transactions holding a connection at the same time."""
    held = asyncio.Barrier(calls)

    async def one() -> None:
        async with db.transaction() as session:
            await session.execute(text("SELECT pg_advisory_xact_lock_shared(1, 1)"))  # begins
            await held.wait()

    await asyncio.gather(*(one() for _ in range(calls)))


async def test_a_busy_process_keeps_its_connections(
    fresh_database: str, settings: Settings, tmp_path: Path
) -> None:
    db = open_database(replace(settings, database_url=fresh_database, data_dir=tmp_path), 2)
    with psycopg.connect(_plain(fresh_database), autocommit=True) as conn:
        (most,) = conn.execute("SHOW max_connections").fetchone()
    assert db.connections == pool_connections(int(most), 2)
    try:
        busiest = 16  # more than a pool of 10 (and 20 more opened when needed) kept
        assert busiest <= min(db.connections, POOL_KEPT)
        await _at_once(db, busiest)
        opened = _backends(fresh_database)
        assert len(opened) >= busiest
        for _ in range(3):
            await _at_once(db, busiest)
        assert _backends(fresh_database) == opened  # the same connections, again
    finally:
        await db.close()
