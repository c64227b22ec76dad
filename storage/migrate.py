"""Run Alembic migrations in code (at server start and `clarifai-local migrate`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

import storage.schema as schema

HERE = Path(__file__).resolve().parent / "migrations"


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return cfg


def upgrade(engine: Engine) -> None:
    with engine.begin() as conn:
        cfg = config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def reset(engine: Engine) -> None:
    """Empty every table (the schema stays), for harnesses between runs."""
    names = ", ".join(f'"{t.name}"' for t in schema.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the models (a developer's tool)."""
    with engine.begin() as conn:
        cfg = config()
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)
