"""Collectors find their source model and count what they collect.

Collectors written before keep no model (their references were never
checked): they show COLLECTOR_INACTIVE and collect nothing until patched.

Revision ID: ff321b56b331
Revises: a3e2fdf7d2a4
Create Date: 2026-11-26 01:55:32.632184
"""

import sqlalchemy as sa
from alembic import op

revision = "ff321b56b331"
down_revision = "a3e2fdf7d2a4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("collectors", sa.Column("model_pk", sa.BigInteger(), nullable=True))
    op.add_column("collectors", sa.Column("version_pk", sa.BigInteger(), nullable=True))
    op.add_column(
        "collectors", sa.Column("caller_user_id", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "collectors",
        sa.Column("collected_count", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "collectors", sa.Column("failed_count", sa.BigInteger(), server_default="0", nullable=False)
    )
    op.add_column(
        "collectors", sa.Column("last_error", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "collectors", sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "collectors", sa.Column("failing", sa.Boolean(), server_default="false", nullable=False)
    )
    op.create_index("ix_collectors_model_pk", "collectors", ["model_pk"], unique=False)
    op.create_foreign_key(
        op.f("fk_collectors_model_pk_models"),
        "collectors",
        "models",
        ["model_pk"],
        ["pk"],
        ondelete="SET NULL",
    )
    op.create_foreign_key(
        op.f("fk_collectors_version_pk_model_versions"),
        "collectors",
        "model_versions",
        ["version_pk"],
        ["pk"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_collectors_version_pk_model_versions"), "collectors", type_="foreignkey"
    )
    op.drop_constraint(op.f("fk_collectors_model_pk_models"), "collectors", type_="foreignkey")
    op.drop_index("ix_collectors_model_pk", table_name="collectors")
    op.drop_column("collectors", "failing")
    op.drop_column("collectors", "last_error_at")
    op.drop_column("collectors", "last_error")
    op.drop_column("collectors", "failed_count")
    op.drop_column("collectors", "collected_count")
    op.drop_column("collectors", "caller_user_id")
    op.drop_column("collectors", "version_pk")
    op.drop_column("collectors", "model_pk")
