"""inputs and annotations

Revision ID: inputs_0001
Revises: 22d0ffb3370b
Create Date: 2026-11-23 00:59:47.646549
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "inputs_0001"
down_revision = "22d0ffb3370b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inputs",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("media_kind", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("blob_key", sa.Text(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("fetch_claimed_at", sa.DateTime(timezone=True), nullable=True),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_inputs_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_inputs")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_inputs_app_pk")),
    )
    op.create_index("ix_inputs_app_order", "inputs", ["app_pk", "created_at", "pk"], unique=False)
    op.create_index("ix_inputs_app_source_url", "inputs", ["app_pk", "source_url"])
    op.create_index(
        "ix_inputs_app_status_order", "inputs", ["app_pk", "status_code", "created_at", "pk"]
    )
    op.create_index(
        "ix_inputs_fetch_queue",
        "inputs",
        ["pk"],
        postgresql_where=sa.text("status_code IN (30001, 30003)"),
    )
    op.create_table(
        "annotations",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("input_id", sa.Text(), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("annotation_info", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("task_id", sa.Text(), nullable=False),
        sa.Column("model_version_id", sa.Text(), nullable=False),
        sa.Column("input_level", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
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
            ["app_pk", "input_id"],
            ["inputs.app_pk", "inputs.id"],
            name=op.f("fk_annotations_app_pk_inputs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_annotations_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotations")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_annotations_app_pk")),
    )
    op.create_index("ix_annotations_app_input", "annotations", ["app_pk", "input_id"], unique=False)
    op.create_index(
        "ix_annotations_app_order", "annotations", ["app_pk", "created_at", "pk"], unique=False
    )
    op.create_index("ix_annotations_app_task", "annotations", ["app_pk", "task_id"])


def downgrade() -> None:
    op.drop_index("ix_annotations_app_task", table_name="annotations")
    op.drop_index("ix_annotations_app_order", table_name="annotations")
    op.drop_index("ix_annotations_app_input", table_name="annotations")
    op.drop_table("annotations")
    op.drop_index("ix_inputs_fetch_queue", table_name="inputs")
    op.drop_index("ix_inputs_app_status_order", table_name="inputs")
    op.drop_index("ix_inputs_app_source_url", table_name="inputs")
    op.drop_index("ix_inputs_app_order", table_name="inputs")
    op.drop_table("inputs")
