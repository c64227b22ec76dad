"""periodic jobs of no app; inputs indexed by blob key

A job of the whole server (the orphan blob sweep) has no app: jobs.app_pk
becomes nullable, and ux_jobs_periodic keeps one row per such kind. The
sweep asks whether an input refers to a blob: ix_inputs_app_blob.

Revision ID: a27a0b62aad0
Revises: 4c1cdb152c4c
Create Date: 2026-11-25 18:19:46.413978
"""

import sqlalchemy as sa
from alembic import op

revision = "a27a0b62aad0"
down_revision = "4c1cdb152c4c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("jobs", "app_pk", existing_type=sa.BigInteger(), nullable=True)
    op.create_index(
        "ux_jobs_periodic",
        "jobs",
        ["kind"],
        unique=True,
        postgresql_where=sa.text("app_pk IS NULL"),
    )
    op.create_index(
        "ix_inputs_app_blob",
        "inputs",
        ["app_pk", "blob_key"],
        unique=False,
        postgresql_where=sa.text("blob_key <> ''"),
    )


def downgrade() -> None:
    op.drop_index("ix_inputs_app_blob", table_name="inputs")
    op.drop_index("ux_jobs_periodic", table_name="jobs")
    op.execute("DELETE FROM jobs WHERE app_pk IS NULL")
    op.alter_column("jobs", "app_pk", existing_type=sa.BigInteger(), nullable=False)
