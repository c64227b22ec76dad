"""task assignments and reviews

Revision ID: 672eba9c6e1f
Revises: 846ed2a9e6ef
Create Date: 2026-11-26 03:50:22.719649
"""

import sqlalchemy as sa
from alembic import op

revision = "672eba9c6e1f"
down_revision = "846ed2a9e6ef"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_assignments",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("task_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("input_pk", sa.BigInteger(), nullable=False),
        sa.Column("worker_user_id", sa.Text(), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=True),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
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
            name=op.f("fk_task_assignments_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["input_pk"],
            ["inputs.pk"],
            name=op.f("fk_task_assignments_input_pk_inputs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_pk"],
            ["tasks.pk"],
            name=op.f("fk_task_assignments_task_pk_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_task_assignments")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_task_assignments_app_pk_id")),
        sa.UniqueConstraint(
            "task_pk", "input_pk", "slot", name=op.f("uq_task_assignments_task_pk_input_pk_slot")
        ),
        sa.UniqueConstraint(
            "task_pk",
            "input_pk",
            "worker_user_id",
            name=op.f("uq_task_assignments_task_pk_input_pk_worker_user_id"),
        ),
    )
    op.create_index("ix_task_assignments_input", "task_assignments", ["input_pk"], unique=False)
    op.create_index(
        "ix_task_assignments_status",
        "task_assignments",
        ["task_pk", "status_code", "pk"],
        unique=False,
    )
    op.create_index(
        "ix_task_assignments_worker",
        "task_assignments",
        ["task_pk", "worker_user_id", "status_code", "input_pk"],
        unique=False,
    )
    op.create_index(
        "ix_task_assignments_worker_input",
        "task_assignments",
        ["task_pk", "worker_user_id", "input_pk"],
        unique=False,
    )
    op.create_index(
        "ix_task_assignments_slot_input",
        "task_assignments",
        ["task_pk", "slot", "input_pk"],
        unique=False,
    )
    op.create_table(
        "task_reviews",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("task_pk", sa.BigInteger(), nullable=False),
        sa.Column("assignment_pk", sa.BigInteger(), nullable=False),
        sa.Column("reviewer_user_id", sa.Text(), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
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
            ["assignment_pk"],
            ["task_assignments.pk"],
            name=op.f("fk_task_reviews_assignment_pk_task_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_pk"],
            ["tasks.pk"],
            name=op.f("fk_task_reviews_task_pk_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_task_reviews")),
        sa.UniqueConstraint(
            "assignment_pk",
            "reviewer_user_id",
            name=op.f("uq_task_reviews_assignment_pk_reviewer_user_id"),
        ),
        sa.UniqueConstraint(
            "assignment_pk", "slot", name=op.f("uq_task_reviews_assignment_pk_slot")
        ),
    )
    op.create_index(
        "ix_task_reviews_reviewer",
        "task_reviews",
        ["task_pk", "reviewer_user_id", "status_code"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_task_reviews_reviewer", table_name="task_reviews")
    op.drop_table("task_reviews")
    op.drop_index("ix_task_assignments_slot_input", table_name="task_assignments")
    op.drop_index("ix_task_assignments_worker_input", table_name="task_assignments")
    op.drop_index("ix_task_assignments_worker", table_name="task_assignments")
    op.drop_index("ix_task_assignments_status", table_name="task_assignments")
    op.drop_index("ix_task_assignments_input", table_name="task_assignments")
    op.drop_table("task_assignments")
