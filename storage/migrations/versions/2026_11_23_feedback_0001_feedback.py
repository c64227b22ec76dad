"""feedback

Revision ID: feedback_0001
Revises: 22d0ffb3370b
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "feedback_0001"
down_revision = "22d0ffb3370b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("model_id", sa.Text(), nullable=False),
        sa.Column("model_version_id", sa.Text(), nullable=False),
        sa.Column("input_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("output_id", sa.Text(), nullable=False),
        sa.Column("search_id", sa.Text(), nullable=False),
        sa.Column("end_user_id", sa.Text(), nullable=False),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("positive_concepts", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("negative_concepts", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("region_feedback", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("input", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_feedback_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_feedback")),
        sa.UniqueConstraint("id", name=op.f("uq_feedback_id")),
    )
    op.create_index("ix_feedback_app_order", "feedback", ["app_pk", "created_at", "pk"])
    op.create_index("ix_feedback_app_model", "feedback", ["app_pk", "model_id"])
    op.create_index(
        "ix_feedback_concepts",
        "feedback",
        ["positive_concepts", "negative_concepts"],
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_table("feedback")
