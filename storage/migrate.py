"""Run Alembic migrations in code (at server start and `clarifai-local migrate`),
and write new ones (`clarifai-local revision -m MESSAGE`)."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).resolve().parent / "migrations"

# How autogenerate compares the models with a database, for new revisions
# (env.py) and for the test that the migrations build what the models say.
# Alembic does not compare an index's WHERE, USING or operator classes; the
# test compares those in the catalog.
# The HNSW indexes on embeddings are made at start where pgvector is
# (server/vectors.py), not by migrations: the comparison leaves them out.


def _compared(name: str | None, type_: str, parent_names: object) -> bool:
    from storage.embeddings import HNSW_PREFIX  # noqa: PLC0415 (the models load with it)

    return not (type_ == "index" and name is not None and name.startswith(HNSW_PREFIX))


COMPARE = {"compare_type": True, "compare_server_default": True, "include_name": _compared}


def config() -> Config:
    # Alembic takes about 0.1 s to import: loaded when a migration runs.
    from alembic.config import Config  # noqa: PLC0415

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return cfg


def upgrade(engine: Engine) -> None:
    """Migrate to the newest revision. A database there already (every
    start but the first after an upgrade) costs a query, without Alembic
    or the models (the supervisor of several workers checks it so, before
    its workers have loaded the server)."""
    with engine.begin() as conn:
        newest = head()
        if newest is not None and _stored(conn) == [newest]:
            return
        from alembic import command  # noqa: PLC0415

        cfg = config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


# A revision file's id and the ids it revises, as script.py.mako writes them
# (ruff may have turned the quotes double).
_REVISION = re.compile(r"""^revision\b[^=]*= *["'](\w+)["']""", re.M)
_REVISES = re.compile(r"^down_revision\b[^=]*=(.*)$", re.M)
_QUOTED = re.compile(r"""["'](\w+)["']""")


def head() -> str | None:
    """The newest revision's id, read from the version files without
    Alembic: the one revision no other revises. None when that is not one
    (Alembic then decides, and says what is wrong)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (HERE / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(_REVISION.findall(source))
        for value in _REVISES.findall(source):
            revised.update(_QUOTED.findall(value))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def _stored(conn: Connection) -> list[str]:
    """The revisions the database says it is at (none before the first)."""
    if conn.scalar(text("SELECT to_regclass('alembic_version')")) is None:
        return []
    return list(conn.scalars(text("SELECT version_num FROM alembic_version")))


def reset(engine: Engine) -> None:
    """Empty every table (the schema stays), for harnesses between runs."""
    import storage.schema as schema  # noqa: PLC0415 (every model: not needed to migrate)

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
    from alembic import command  # noqa: PLC0415

    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        script = command.revision(
            cfg, message=message, autogenerate=True, version_path=version_path
        )
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
