"""Searches: each one run or saved (its id for feedback, saved searches to
run again), and GIN indexes for search filters: an annotation's concepts
(its own, its regions') and an input's metadata.

Revision ID: e22d66e13499
Revises: 57509c5ad655
Create Date: 2026-11-26 01:35:04.948060
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "e22d66e13499"
down_revision = "57509c5ad655"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "searches",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("saved", sa.Boolean(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("search", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=True),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_searches_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_searches")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_searches_app_pk_id")),
    )
    op.create_index(
        "ix_searches_app_saved_order",
        "searches",
        ["app_pk", "saved", "created_at", "pk"],
        unique=False,
    )
    op.create_index(
        "ix_searches_runs_created_at",
        "searches",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("NOT saved"),
    )
    op.create_index(
        "ix_annotations_concepts",
        "annotations",
        [sa.literal_column("(data -> 'concepts')").label("concepts")],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"concepts": "jsonb_path_ops"},
    )
    op.create_index(
        "ix_annotations_region_concepts",
        "annotations",
        [
            sa.literal_column(
                'jsonb_path_query_array(data, \'$."regions"[*]."data"."concepts"[*]\'::jsonpath)'
            ).label("region_concepts")
        ],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"region_concepts": "jsonb_path_ops"},
    )
    op.create_index(
        "ix_inputs_metadata",
        "inputs",
        [sa.literal_column("(data -> 'metadata')").label("metadata")],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"metadata": "jsonb_path_ops"},
    )


def downgrade() -> None:
    op.drop_index(
        "ix_inputs_metadata",
        table_name="inputs",
        postgresql_using="gin",
        postgresql_ops={"metadata": "jsonb_path_ops"},
    )
    op.drop_index(
        "ix_annotations_region_concepts",
        table_name="annotations",
        postgresql_using="gin",
        postgresql_ops={"region_concepts": "jsonb_path_ops"},
    )
    op.drop_index(
        "ix_annotations_concepts",
        table_name="annotations",
        postgresql_using="gin",
        postgresql_ops={"concepts": "jsonb_path_ops"},
    )
    op.drop_index(
        "ix_searches_runs_created_at", table_name="searches", postgresql_where=sa.text("NOT saved")
    )
    op.drop_index("ix_searches_app_saved_order", table_name="searches")
    op.drop_table("searches")
