"""Fixtures of the integration tests that need more than the session's server."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from clarifai.api import service_pb2_grpc

from server import bootstrap
from server.config import Settings
from server.main import Running, open_database, start
from storage import embedded
from tests.conftest import Account
from tests.processes import new_database

EMBEDDED_PG = Path(tempfile.gettempdir()) / "clarifai-local-test-pg"


@dataclass
class Side:
    """A server, a stub to it and an account on it."""

    server: Running
    stub: service_pb2_grpc.V2Stub
    account: Account


@pytest.fixture(scope="module")
async def pgvector_side(tmp_path_factory) -> AsyncIterator[Side]:
    """A server on the embedded PostgreSQL, whose wheel ships pgvector."""
    with new_database(embedded.start(EMBEDDED_PG), "clarifai_vectors") as url:
        settings = Settings(
            grpc_port=0,
            rest_port=0,
            host="127.0.0.1",
            database_url=url,
            data_dir=tmp_path_factory.mktemp("vectors"),
        )
        running = await start(settings, open_database(settings))
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{running.grpc_port}") as channel:
                account = Account(**await bootstrap.create(running.db))
                yield Side(running, service_pb2_grpc.V2Stub(channel), account)
        finally:
            await running.stop(0)
