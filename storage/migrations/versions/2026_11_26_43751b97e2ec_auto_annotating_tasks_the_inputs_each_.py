"""Auto-annotating tasks: the inputs each has annotated, and the details of
a status the server set (its skipped inputs).

Revision ID: 43751b97e2ec
Revises: 496b450cb7d0
Create Date: 2026-11-26 03:58:50.499352
"""

import sqlalchemy as sa
from alembic import op

revision = "43751b97e2ec"
down_revision = "496b450cb7d0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_auto_inputs",
        sa.Column("task_pk", sa.BigInteger(), nullable=False),
        sa.Column("input_pk", sa.BigInteger(), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["input_pk"],
            ["inputs.pk"],
            name=op.f("fk_task_auto_inputs_input_pk_inputs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_pk"],
            ["tasks.pk"],
            name=op.f("fk_task_auto_inputs_task_pk_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_pk", "input_pk", name=op.f("pk_task_auto_inputs")),
    )
    op.create_index("ix_task_auto_inputs_input", "task_auto_inputs", ["input_pk"], unique=False)
    op.add_column(
        "tasks", sa.Column("status_details", sa.Text(), server_default="", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("tasks", "status_details")
    op.drop_index("ix_task_auto_inputs_input", table_name="task_auto_inputs")
    op.drop_table("task_auto_inputs")
