"""The migrations build exactly what the models (storage/*.py) describe.

Two comparisons on a database migrated from empty:
- Alembic's autogenerate (columns, types, nullability, server defaults,
  identities, unique constraints, indexes with their columns and
  expressions, foreign keys): the diff a new revision would hold. No index is
  left out: on PostgreSQL Alembic compares index expressions too
  (lower(name), least/greatest), it only ignores what the next point covers.
- PostgreSQL's own definitions of every index, constraint, trigger and
  function, against a database the models built with create_all: what
  autogenerate does not look at (a partial index's WHERE, USING gin,
  operator classes such as text_pattern_ops, foreign keys' names, the
  triggers of storage/input_marks.py).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from pprint import pformat

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Integer, MetaData, Table, UniqueConstraint, create_engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.schema import CreateTable

from storage import migrate, schema
from storage.annotations import CONCEPT_INDEXES, CONCEPT_STATISTICS
from storage.base import NAMING
from storage.db import resolve_url
from tests.processes import new_database

# Each object by name (column order is not compared: a column added by a later
# migration comes last, while create_all follows the model).
CATALOG = {
    "indexes": """
        SELECT i.indexrelid::regclass::text, t.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> 'alembic_version'
    """,
    "constraints": """
        SELECT c.conname, t.relname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> 'alembic_version'
    """,
    "columns": """
        SELECT t.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod),
               a.attnotnull::text || ' ' || a.attidentity::text,
               coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE t.relnamespace = 'public'::regnamespace AND t.relkind = 'r'
          AND t.relname <> 'alembic_version' AND a.attnum > 0 AND NOT a.attisdropped
    """,
    "triggers": """
        SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    """,
    # Columns (of tables and indexes) whose statistics keep more or fewer
    # values than the default.
    "statistics": """
        SELECT t.relname || '.' || a.attnum, coalesce(a.attstattarget, -1)::text
        FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
        WHERE t.relnamespace = 'public'::regnamespace AND coalesce(a.attstattarget, -1) >= 0
    """,
    # Our own functions (the triggers'), not those of extensions.
    "functions": """
        SELECT p.proname, pg_get_functiondef(p.oid)
        FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (
            SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    """,
}


def engine_for(url: str, tmp_path: Path) -> Engine:
    return create_engine(resolve_url(url, tmp_path))


def catalog(conn: Connection) -> dict[str, set[tuple[str, ...]]]:
    return {kind: set(map(tuple, conn.exec_driver_sql(sql))) for kind, sql in CATALOG.items()}


def test_one_head() -> None:
    heads = ScriptDirectory.from_config(migrate.config()).get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"


def test_the_head_read_at_start_is_alembics() -> None:
    # Start compares the database's revision with this one, without Alembic.
    assert migrate.head() == ScriptDirectory.from_config(migrate.config()).get_current_head()


def test_a_database_a_revision_behind_is_brought_to_the_head(
    fresh_database: str, tmp_path: Path
) -> None:
    cfg = migrate.config()
    script = ScriptDirectory.from_config(cfg)
    newest = script.get_current_head()
    previous = script.get_revision(newest).down_revision
    engine = engine_for(fresh_database, tmp_path)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, str(previous))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            stored = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()
    assert stored == [(newest,)]


def test_migrations_leave_nothing_for_autogenerate(fresh_database: str, tmp_path: Path) -> None:
    engine = engine_for(fresh_database, tmp_path)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts=migrate.COMPARE)
            diff = compare_metadata(context, schema.metadata)
    finally:
        engine.dispose()
    assert diff == [], "models and migrations differ:\n" + pformat(diff)


def test_migrations_build_the_indexes_and_constraints_of_the_models(
    fresh_database: str, database_url: str, tmp_path: Path
) -> None:
    migrated = engine_for(fresh_database, tmp_path)
    try:
        migrate.upgrade(migrated)
        with migrated.connect() as conn:
            from_migrations = catalog(conn)
    finally:
        migrated.dispose()
    with new_database(database_url, "clarifai_models") as url:
        modelled = engine_for(url, tmp_path)
        try:
            schema.metadata.create_all(modelled)
            with modelled.connect() as conn:
                from_models = catalog(conn)
        finally:
            modelled.dispose()
    for kind in CATALOG:
        assert from_migrations[kind], kind
        only_migrations = from_migrations[kind] - from_models[kind]
        only_models = from_models[kind] - from_migrations[kind]
        assert not only_migrations and not only_models, (
            f"{kind} differ\nmigrations only:\n{pformat(sorted(only_migrations))}"
            f"\nmodels only:\n{pformat(sorted(only_models))}"
        )
    # Concept filters are planned from these (storage/annotations.py).
    kept = str(CONCEPT_STATISTICS)
    assert {(f"{name}.1", kept) for name in CONCEPT_INDEXES} <= from_migrations["statistics"]


def test_revision_on_a_migrated_database_is_empty(fresh_database: str, tmp_path: Path) -> None:
    engine = engine_for(fresh_database, tmp_path)
    try:
        migrate.upgrade(engine)
        path = migrate.revision(engine, "nothing to do", directory=tmp_path / "versions")
    finally:
        engine.dispose()
    assert path.parent == tmp_path / "versions"
    text = path.read_text()
    (head,) = ScriptDirectory.from_config(migrate.config()).get_heads()
    assert f"down_revision = {head!r}".replace("'", '"') in text
    body = re.search(r"def upgrade\(\) -> None:\n(.*?)\n\n\ndef downgrade", text, re.S)
    assert body, text
    statements = [s.strip() for s in body.group(1).splitlines() if not s.strip().startswith("#")]
    assert statements == ["pass"], text


def test_generated_names_spell_every_column_and_are_cut_to_63_the_same_way() -> None:
    metadata = MetaData(naming_convention=NAMING)
    table = Table(
        "a_table_with_a_rather_long_name",
        metadata,
        Column("first_column_of_the_key", Integer),
        Column("second_column_of_the_key", Integer),
        UniqueConstraint("first_column_of_the_key", "second_column_of_the_key"),
    )
    full = "uq_a_table_with_a_rather_long_name_first_column_of_the_key_second_column_of_the_key"
    (unique,) = (c for c in table.constraints if isinstance(c, UniqueConstraint))
    assert unique.name == full
    # Too long for PostgreSQL: SQLAlchemy cuts it to a prefix and a hash of
    # the whole, so every run (and every migration) names it alike.
    cut = full[:55] + "_" + hashlib.md5(full.encode()).hexdigest()[-4:]
    ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))
    assert f"CONSTRAINT {cut} UNIQUE" in ddl, ddl
