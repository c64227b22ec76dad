"""Alembic environment: runs on the connection the server hands it, under an
advisory lock so several server processes starting together migrate once."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

import storage.schema as schema
from storage.migrate import COMPARE

config = context.config
connection = config.attributes["connection"]

context.configure(connection=connection, target_metadata=schema.metadata, **COMPARE)
with context.begin_transaction():
    connection.execute(text("SELECT pg_advisory_xact_lock(727274)"))
    context.run_migrations()
