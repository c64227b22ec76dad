"""Bulk operations and the items each acts on

Revision ID: 51cd31b7d73a
Revises: fbd88339bae4
Create Date: 2026-11-26 10:04:47.272087
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "51cd31b7d73a"
down_revision = "fbd88339bae4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulk_operations",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("sent", sa.LargeBinary(), nullable=False),
        sa.Column("work", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("processed", sa.BigInteger(), nullable=False),
        sa.Column("last_processed_id", sa.Text(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_bulk_operations_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_bulk_operations")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_bulk_operations_app_pk_id")),
    )
    op.create_index(
        "ix_bulk_operations_app_order",
        "bulk_operations",
        ["app_pk", "created_at", "pk"],
        unique=False,
    )
    op.create_table(
        "bulk_operation_items",
        sa.Column("operation_pk", sa.BigInteger(), nullable=False),
        sa.Column("item_pk", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_pk"],
            ["bulk_operations.pk"],
            name=op.f("fk_bulk_operation_items_operation_pk_bulk_operations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("operation_pk", "item_pk", name=op.f("pk_bulk_operation_items")),
    )


def downgrade() -> None:
    op.drop_table("bulk_operation_items")
    op.drop_index("ix_bulk_operations_app_order", table_name="bulk_operations")
    op.drop_table("bulk_operations")
