"""tasks

Revision ID: tasks_0001
Revises: 22d0ffb3370b
Create Date: 2026-11-23 02:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "tasks_0001"
down_revision = "22d0ffb3370b"
branch_labels = None
depends_on = None

NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("task", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("worker_user_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("reviewer_user_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("input_source_type", sa.BigInteger(), nullable=False),
        sa.Column("input_source_id", sa.Text(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_tasks_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tasks")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_tasks_app_pk")),
    )
    op.create_index("ix_tasks_app_order", "tasks", ["app_pk", "created_at", "pk"])
    op.create_index(
        "ix_tasks_worker_user_ids", "tasks", ["worker_user_ids"], postgresql_using="gin"
    )
    op.create_index(
        "ix_tasks_reviewer_user_ids", "tasks", ["reviewer_user_ids"], postgresql_using="gin"
    )
    op.create_index(
        "ix_tasks_app_input_source", "tasks", ["app_pk", "input_source_type", "input_source_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_app_input_source", table_name="tasks")
    op.drop_index("ix_tasks_reviewer_user_ids", table_name="tasks")
    op.drop_index("ix_tasks_worker_user_ids", table_name="tasks")
    op.drop_index("ix_tasks_app_order", table_name="tasks")
    op.drop_table("tasks")
