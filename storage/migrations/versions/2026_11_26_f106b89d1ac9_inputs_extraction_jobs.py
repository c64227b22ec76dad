"""Inputs extraction jobs: one per data source of PostInputsDataSources.

Revision ID: f106b89d1ac9
Revises: 1e17a43f4a19
Create Date: 2026-11-26 10:07:17.074999
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "f106b89d1ac9"
down_revision = "1e17a43f4a19"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inputs_extraction_jobs",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("add_job_pk", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("source", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("conflict_resolution", sa.BigInteger(), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("files", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("file_cursor", sa.BigInteger(), nullable=False),
        sa.Column("member_cursor", sa.BigInteger(), nullable=False),
        sa.Column("opened_file", sa.BigInteger(), nullable=False),
        sa.Column("files_failed", sa.BigInteger(), nullable=False),
        sa.Column("image_count", sa.BigInteger(), nullable=False),
        sa.Column("video_count", sa.BigInteger(), nullable=False),
        sa.Column("audio_count", sa.BigInteger(), nullable=False),
        sa.Column("text_count", sa.BigInteger(), nullable=False),
        sa.Column("failed_count", sa.BigInteger(), nullable=False),
        sa.Column("archives_pending", sa.BigInteger(), nullable=False),
        sa.Column("archives_in_progress", sa.BigInteger(), nullable=False),
        sa.Column("archives_completed", sa.BigInteger(), nullable=False),
        sa.Column("archives_failed", sa.BigInteger(), nullable=False),
        sa.Column("failures", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            ["add_job_pk"],
            ["inputs_add_jobs.pk"],
            name=op.f("fk_inputs_extraction_jobs_add_job_pk_inputs_add_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["app_pk"],
            ["apps.pk"],
            name=op.f("fk_inputs_extraction_jobs_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_inputs_extraction_jobs")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_inputs_extraction_jobs_app_pk_id")),
    )
    op.create_index(
        op.f("ix_inputs_extraction_jobs_add_job_pk"),
        "inputs_extraction_jobs",
        ["add_job_pk"],
        unique=False,
    )
    op.create_index(
        "ix_inputs_extraction_jobs_app_order",
        "inputs_extraction_jobs",
        ["app_pk", "created_at", "pk"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_inputs_extraction_jobs_app_order", table_name="inputs_extraction_jobs")
    op.drop_index(op.f("ix_inputs_extraction_jobs_add_job_pk"), table_name="inputs_extraction_jobs")
    op.drop_table("inputs_extraction_jobs")
