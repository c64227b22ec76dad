"""App duplications (the record a caller polls) and stat values (a caller's
tagged time series).

Revision ID: fbd88339bae4
Revises: 6cee8dfceeb2
Create Date: 2026-11-26 10:09:32.105423
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "fbd88339bae4"
down_revision = "6cee8dfceeb2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_duplications",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("source_app_pk", sa.BigInteger(), nullable=True),
        sa.Column("dest_app_pk", sa.BigInteger(), nullable=True),
        sa.Column("dest_user_id", sa.Text(), nullable=False),
        sa.Column("dest_app_id", sa.Text(), nullable=False),
        sa.Column("new_app", sa.Boolean(), nullable=False),
        sa.Column("filter", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("progress", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
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
            ["dest_app_pk"],
            ["apps.pk"],
            name=op.f("fk_app_duplications_dest_app_pk_apps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_app_pk"],
            ["apps.pk"],
            name=op.f("fk_app_duplications_source_app_pk_apps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_app_duplications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_app_duplications")),
        sa.UniqueConstraint("user_id", "id", name=op.f("uq_app_duplications_user_id_id")),
    )
    op.create_index(
        op.f("ix_app_duplications_dest_app_pk"), "app_duplications", ["dest_app_pk"], unique=False
    )
    op.create_index(
        op.f("ix_app_duplications_source_app_pk"),
        "app_duplications",
        ["source_app_pk"],
        unique=False,
    )
    op.create_index(
        "ix_app_duplications_user_created",
        "app_duplications",
        ["user_id", "created_at", "pk"],
        unique=False,
    )
    op.create_table(
        "stat_values",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.REAL(), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_stat_values_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_stat_values")),
    )
    op.create_index("ix_stat_values_app_time", "stat_values", ["app_pk", "time"], unique=False)
    op.create_index(
        "ix_stat_values_tags", "stat_values", ["tags"], unique=False, postgresql_using="gin"
    )


def downgrade() -> None:
    op.drop_index("ix_stat_values_tags", table_name="stat_values", postgresql_using="gin")
    op.drop_index("ix_stat_values_app_time", table_name="stat_values")
    op.drop_table("stat_values")
    op.drop_index("ix_app_duplications_user_created", table_name="app_duplications")
    op.drop_index(op.f("ix_app_duplications_source_app_pk"), table_name="app_duplications")
    op.drop_index(op.f("ix_app_duplications_dest_app_pk"), table_name="app_duplications")
    op.drop_table("app_duplications")
