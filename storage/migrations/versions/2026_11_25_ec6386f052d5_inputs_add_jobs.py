"""Inputs add jobs.

A job counts the inputs PostInputs created under one inputs_add_job_id:
outcomes on the job row, waiting and downloading inputs from the inputs
themselves (inputs.add_job_pk, indexed with the status for the counts).

Revision ID: ec6386f052d5
Revises: c6b6b75974a1
Create Date: 2026-11-25 17:43:51.769609
"""

import sqlalchemy as sa
from alembic import op

revision = "ec6386f052d5"
down_revision = "c6b6b75974a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inputs_add_jobs",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("success_count", sa.BigInteger(), nullable=False),
        sa.Column("failed_count", sa.BigInteger(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "modified_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_inputs_add_jobs_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_inputs_add_jobs")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_inputs_add_jobs_app_pk_id")),
    )
    op.create_index(
        "ix_inputs_add_jobs_app_order",
        "inputs_add_jobs",
        ["app_pk", "created_at", "pk"],
        unique=False,
    )
    op.add_column("inputs", sa.Column("add_job_pk", sa.BigInteger(), nullable=True))
    op.create_index(
        "ix_inputs_add_job_status", "inputs", ["add_job_pk", "status_code"], unique=False
    )
    op.create_foreign_key(
        op.f("fk_inputs_add_job_pk_inputs_add_jobs"),
        "inputs",
        "inputs_add_jobs",
        ["add_job_pk"],
        ["pk"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_inputs_add_job_pk_inputs_add_jobs"), "inputs", type_="foreignkey")
    op.drop_index("ix_inputs_add_job_status", table_name="inputs")
    op.drop_column("inputs", "add_job_pk")
    op.drop_index("ix_inputs_add_jobs_app_order", table_name="inputs_add_jobs")
    op.drop_table("inputs_add_jobs")
