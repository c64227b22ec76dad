"""Inputs a base workflow's graph has run on, by workflow version: the index
job runs a version's graph once per input (server/indexing.py).

Revision ID: 846ed2a9e6ef
Revises: ff321b56b331
Create Date: 2026-11-26 02:07:07.481824
"""

import sqlalchemy as sa
from alembic import op

revision = "846ed2a9e6ef"
down_revision = "ff321b56b331"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workflow_input_runs",
        sa.Column("input_pk", sa.BigInteger(), nullable=False),
        sa.Column("workflow_version_pk", sa.BigInteger(), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"],
            ["apps.pk"],
            name=op.f("fk_workflow_input_runs_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["input_pk"],
            ["inputs.pk"],
            name=op.f("fk_workflow_input_runs_input_pk_inputs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_version_pk"],
            ["workflow_versions.pk"],
            name=op.f("fk_workflow_input_runs_workflow_version_pk_workflow_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "input_pk", "workflow_version_pk", name=op.f("pk_workflow_input_runs")
        ),
    )
    op.create_index(
        op.f("ix_workflow_input_runs_app_pk"), "workflow_input_runs", ["app_pk"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_workflow_input_runs_app_pk"), table_name="workflow_input_runs")
    op.drop_table("workflow_input_runs")
