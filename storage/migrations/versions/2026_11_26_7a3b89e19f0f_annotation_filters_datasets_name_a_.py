"""annotation filters; datasets name a default one, versions keep their filter config

Revision ID: 7a3b89e19f0f
Revises: b2e0c76df84e
Create Date: 2026-11-26 10:06:19.909846
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "7a3b89e19f0f"
down_revision = "b2e0c76df84e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotation_filters",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("search", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            ["app_pk"],
            ["apps.pk"],
            name=op.f("fk_annotation_filters_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotation_filters")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_annotation_filters_app_pk_id")),
    )
    op.create_index(
        "ix_annotation_filters_app_created",
        "annotation_filters",
        ["app_pk", "created_at", "pk"],
        unique=False,
    )
    # Versions made before filters were made without one.
    op.add_column(
        "dataset_versions",
        sa.Column(
            "data_config",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            server_default=sa.text("'{}'::jsonb"),
        ),
    )
    op.alter_column("dataset_versions", "data_config", server_default=None)
    op.add_column("datasets", sa.Column("default_filter_pk", sa.BigInteger(), nullable=True))
    op.create_index(
        op.f("ix_datasets_default_filter_pk"), "datasets", ["default_filter_pk"], unique=False
    )
    op.create_foreign_key(
        op.f("fk_datasets_default_filter_pk_annotation_filters"),
        "datasets",
        "annotation_filters",
        ["default_filter_pk"],
        ["pk"],
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_datasets_default_filter_pk_annotation_filters"), "datasets", type_="foreignkey"
    )
    op.drop_index(op.f("ix_datasets_default_filter_pk"), table_name="datasets")
    op.drop_column("datasets", "default_filter_pk")
    op.drop_column("dataset_versions", "data_config")
    op.drop_index("ix_annotation_filters_app_created", table_name="annotation_filters")
    op.drop_table("annotation_filters")
