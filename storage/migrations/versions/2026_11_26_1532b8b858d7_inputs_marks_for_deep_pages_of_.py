"""inputs: marks for deep pages of ListInputs, and the changes since they were built

input_marks keeps every 1024th input's key per app with its place then;
input_changes gets a row per statement adding or removing inputs (statement
triggers on inputs), so a mark's place now is known (storage/input_marks.py).

Revision ID: 1532b8b858d7
Revises: b863ff9f69a9
Create Date: 2026-11-26 06:24:29.838517
"""

import sqlalchemy as sa
from alembic import op

revision = "1532b8b858d7"
down_revision = "b863ff9f69a9"
branch_labels = None
depends_on = None

# As storage/input_marks.py's TRIGGERS were at this revision.
TRIGGERS = (
    """
    CREATE FUNCTION inputs_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO input_changes (app_pk, low_at, low_pk, high_at, high_pk, delta)
        SELECT app_pk, min(created_at), min(pk), max(created_at), max(pk), count(*)
        FROM added GROUP BY app_pk;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION inputs_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO input_changes (app_pk, low_at, low_pk, high_at, high_pk, delta)
        SELECT r.app_pk, min(r.created_at), min(r.pk), max(r.created_at), max(r.pk), -count(*)
        FROM removed r LEFT JOIN LATERAL (
            SELECT m.created_at, m.pk FROM input_marks m
            WHERE m.app_pk = r.app_pk AND (m.created_at, m.pk) >= (r.created_at, r.pk)
            ORDER BY m.created_at, m.pk LIMIT 1
        ) AS mark ON true
        WHERE EXISTS (SELECT FROM apps WHERE apps.pk = r.app_pk)
        GROUP BY r.app_pk, mark.created_at, mark.pk;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER inputs_added AFTER INSERT ON inputs REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION inputs_added()
    """,
    """
    CREATE TRIGGER inputs_removed AFTER DELETE ON inputs REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION inputs_removed()
    """,
)


def upgrade() -> None:
    op.create_table(
        "input_changes",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("low_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("low_pk", sa.BigInteger(), nullable=False),
        sa.Column("high_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("high_pk", sa.BigInteger(), nullable=False),
        sa.Column("delta", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_input_changes_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_input_changes")),
    )
    op.create_index(op.f("ix_input_changes_app_pk"), "input_changes", ["app_pk"], unique=False)
    op.create_table(
        "input_marks",
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pk", sa.BigInteger(), nullable=False),
        sa.Column("ahead", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_input_marks_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("app_pk", "created_at", "pk", name=op.f("pk_input_marks")),
    )
    op.create_index("ix_input_marks_app_ahead", "input_marks", ["app_pk", "ahead"], unique=False)
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER inputs_added ON inputs")
    op.execute("DROP TRIGGER inputs_removed ON inputs")
    op.execute("DROP FUNCTION inputs_added()")
    op.execute("DROP FUNCTION inputs_removed()")
    op.drop_index("ix_input_marks_app_ahead", table_name="input_marks")
    op.drop_table("input_marks")
    op.drop_index(op.f("ix_input_changes_app_pk"), table_name="input_changes")
    op.drop_table("input_changes")
