"""Apps keep the default workflow PostApps sent.

default_workflow_id (the deprecated id) and default_workflow (the Workflow
message as JSON, NULL when none was sent), read back by GetApp and ListApps.

Revision ID: 4c1cdb152c4c
Revises: ec6386f052d5
Create Date: 2026-11-25 17:42:56.821318
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "4c1cdb152c4c"
down_revision = "ec6386f052d5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "apps", sa.Column("default_workflow_id", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "apps",
        sa.Column("default_workflow", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("apps", "default_workflow")
    op.drop_column("apps", "default_workflow_id")
