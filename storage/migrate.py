"""Run Alembic migrations in code (at server start and `clarifai-local migrate`),
and write new ones (`clarifai-local revision -m MESSAGE`)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

import storage.schema as schema
from storage.embeddings import HNSW_PREFIX

HERE = Path(__file__).resolve().parent / "migrations"

# How autogenerate compares the models with a database, for new revisions
# (env.py) and for the test that the migrations build what the models say.
# Alembic does not compare an index's WHERE, USING or operator classes; the
# test compares those in the catalog.
# The HNSW indexes on embeddings are made at start where pgvector is
# (server/vectors.py), not by migrations: the comparison leaves them out.


def _compared(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "index" and name is not None and name.startswith(HNSW_PREFIX))


COMPARE = {"compare_type": True, "compare_server_default": True, "include_name": _compared}


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


def revision(engine: Engine, message: str, *, directory: Path | None = None) -> Path:
    """Autogenerate a migration on top of the head: what the models have and
    the database (migrated to the head) lacks. A developer's tool; read what
    it wrote, since autogenerate misses some differences (see COMPARE).
    Written to the versions directory, or to `directory`; returns the file."""
    cfg = config()
    version_path = None
    if directory is not None:
        version_path = str(directory)
        cfg.set_main_option("path_separator", "os")
        cfg.set_main_option(
            "version_locations", os.pathsep.join([str(HERE / "versions"), version_path])
        )
    if importlib.util.find_spec("ruff") is not None:  # a development install: tidy the file
        hooks = {"ruff_fix": "check --fix-only --select I --quiet", "ruff_format": "format --quiet"}
        cfg.set_section_option("post_write_hooks", "hooks", " ".join(hooks))
        for name, options in hooks.items():
            cfg.set_section_option("post_write_hooks", f"{name}.type", "module")
            cfg.set_section_option("post_write_hooks", f"{name}.module", "ruff")
            cfg.set_section_option(
                "post_write_hooks", f"{name}.options", f"{options} REVISION_SCRIPT_FILENAME"
            )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        script = command.revision(
            cfg, message=message, autogenerate=True, version_path=version_path
        )
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
