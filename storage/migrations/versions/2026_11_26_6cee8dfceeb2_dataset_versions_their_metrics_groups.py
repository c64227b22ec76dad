"""dataset versions: their metrics groups

Revision ID: 6cee8dfceeb2
Revises: f106b89d1ac9
Create Date: 2026-11-26 10:10:43.885814
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "6cee8dfceeb2"
down_revision = "f106b89d1ac9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataset_version_metrics_groups",
        sa.Column("version_pk", sa.BigInteger(), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("parent_path", sa.Text(), nullable=False),
        sa.Column("type", sa.BigInteger(), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"],
            ["apps.pk"],
            name=op.f("fk_dataset_version_metrics_groups_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["dataset_versions.pk"],
            name=op.f("fk_dataset_version_metrics_groups_version_pk_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "version_pk", "seq", name=op.f("pk_dataset_version_metrics_groups")
        ),
    )
    op.create_index(
        op.f("ix_dataset_version_metrics_groups_app_pk"),
        "dataset_version_metrics_groups",
        ["app_pk"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_dataset_version_metrics_groups_app_pk"),
        table_name="dataset_version_metrics_groups",
    )
    op.drop_table("dataset_version_metrics_groups")
