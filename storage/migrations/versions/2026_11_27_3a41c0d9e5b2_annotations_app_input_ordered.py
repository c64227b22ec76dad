"""An input's annotations indexed in the order they were made

Revision ID: 3a41c0d9e5b2
Revises: 51cd31b7d73a
Create Date: 2026-11-27 00:10:00.000000
"""

from alembic import op

revision = "3a41c0d9e5b2"
down_revision = "51cd31b7d73a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_annotations_app_input", table_name="annotations")
    op.create_index(
        "ix_annotations_app_input", "annotations", ["app_pk", "input_id", "pk"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_annotations_app_input", table_name="annotations")
    op.create_index("ix_annotations_app_input", "annotations", ["app_pk", "input_id"], unique=False)
