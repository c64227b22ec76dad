"""collectors

Revision ID: collectors_0001
Revises: 22d0ffb3370b
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "collectors_0001"
down_revision = "22d0ffb3370b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collectors",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("pre_queue_workflow_id", sa.Text(), nullable=False),
        sa.Column("pre_queue_random_sample", sa.Float(), nullable=False),
        sa.Column("post_queue_workflow_id", sa.Text(), nullable=False),
        sa.Column("collect_outputs", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("source", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("key_hash", sa.Text(), nullable=True),
        sa.Column("key_prefix", sa.Text(), nullable=False),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_collectors_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["key_hash"],
            ["keys.hash"],
            name=op.f("fk_collectors_key_hash_keys"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_collectors")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_collectors_app_pk")),
    )


def downgrade() -> None:
    op.drop_table("collectors")
