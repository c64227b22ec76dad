"""Model outputs found by id: PostModelFeedback checks an output id whose
model may be another app's (clarifai/main), so by the id alone.

Revision ID: 57509c5ad655
Revises: 68441d9cc1c6
Create Date: 2026-11-25 21:47:46.564241
"""

from alembic import op

revision = "57509c5ad655"
down_revision = "68441d9cc1c6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_model_outputs_id", "model_outputs", ["id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_model_outputs_id", table_name="model_outputs")
