"""Models keep the output_info they were created with (the first version of a
trainable model inherits it).

Revision ID: 68441d9cc1c6
Revises: 82b50eeee550
Create Date: 2026-11-25 21:32:11.515868
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "68441d9cc1c6"
down_revision = "82b50eeee550"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "models",
        sa.Column(
            "output_info",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("models", "output_info")
