"""label orders; tasks name their order

Revision ID: 496b450cb7d0
Revises: 672eba9c6e1f
Create Date: 2026-11-26 03:54:32.968483
"""

import sqlalchemy as sa
from alembic import op

revision = "496b450cb7d0"
down_revision = "672eba9c6e1f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "label_orders",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("auto_release", sa.Boolean(), nullable=False),
        sa.Column("allow_empty_tag", sa.Boolean(), nullable=False),
        sa.Column("desired_fulfill_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("estimate_fulfill_time", sa.DateTime(timezone=True), nullable=True),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_label_orders_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_label_orders")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_label_orders_app_pk_id")),
    )
    op.create_index(
        "ix_label_orders_app_order", "label_orders", ["app_pk", "created_at", "pk"], unique=False
    )
    op.add_column("tasks", sa.Column("label_order_id", sa.Text(), nullable=True))
    op.create_unique_constraint(
        op.f("uq_tasks_app_pk_label_order_id"), "tasks", ["app_pk", "label_order_id"]
    )
    op.create_foreign_key(
        op.f("fk_tasks_app_pk_label_order_id_label_orders"),
        "tasks",
        "label_orders",
        ["app_pk", "label_order_id"],
        ["app_pk", "id"],
        ondelete="CASCADE",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_tasks_app_pk_label_order_id_label_orders"), "tasks", type_="foreignkey"
    )
    op.drop_constraint(op.f("uq_tasks_app_pk_label_order_id"), "tasks", type_="unique")
    op.drop_column("tasks", "label_order_id")
    op.drop_index("ix_label_orders_app_order", table_name="label_orders")
    op.drop_table("label_orders")
