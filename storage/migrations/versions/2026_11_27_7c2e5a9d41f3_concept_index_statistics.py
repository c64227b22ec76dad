"""Concept indexes keep 200 values in their statistics (storage/annotations.py)

Revision ID: 7c2e5a9d41f3
Revises: 3a41c0d9e5b2
Create Date: 2026-11-27 08:30:00.000000
"""

from alembic import op

revision = "7c2e5a9d41f3"
down_revision = "3a41c0d9e5b2"
branch_labels = None
depends_on = None

INDEXES = ("ix_annotations_concepts", "ix_annotations_region_concepts")


def upgrade() -> None:
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} ALTER COLUMN 1 SET STATISTICS 200")


def downgrade() -> None:
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} ALTER COLUMN 1 SET STATISTICS -1")
