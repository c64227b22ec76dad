"""uploads: content sent in parts

Revision ID: 1e17a43f4a19
Revises: 7a3b89e19f0f
Create Date: 2026-11-26 10:03:43.750638
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "1e17a43f4a19"
down_revision = "7a3b89e19f0f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("content_name", sa.Text(), nullable=False),
        sa.Column("content_length", sa.BigInteger(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("parts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("content_key", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_uploads_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_uploads")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_uploads_app_pk_id")),
    )
    op.create_index("ix_uploads_app_folder", "uploads", ["app_pk", "folder"], unique=False)
    op.create_index("ix_uploads_app_order", "uploads", ["app_pk", "created_at", "pk"], unique=False)
    op.create_index("ix_uploads_expires_at", "uploads", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_uploads_expires_at", table_name="uploads")
    op.drop_index("ix_uploads_app_order", table_name="uploads")
    op.drop_index("ix_uploads_app_folder", table_name="uploads")
    op.drop_table("uploads")
