"""annotations: an index of their workers

Revision ID: b863ff9f69a9
Revises: 43751b97e2ec
Create Date: 2026-11-26 04:05:43.837214
"""

from alembic import op

revision = "b863ff9f69a9"
down_revision = "43751b97e2ec"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_annotations_app_worker",
        "annotations",
        ["app_pk", "model_version_id", "user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_annotations_app_worker", table_name="annotations")
