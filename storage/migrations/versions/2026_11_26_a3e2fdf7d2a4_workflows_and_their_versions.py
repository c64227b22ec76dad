"""Workflows and their versions: an app's graphs of models, each version
keeping its nodes as JSON (PostWorkflows, PostWorkflowResults).

Revision ID: a3e2fdf7d2a4
Revises: e22d66e13499
Create Date: 2026-11-26 01:18:06.572965
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a3e2fdf7d2a4"
down_revision = "e22d66e13499"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workflows",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("use_cases", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("check_consents", postgresql.ARRAY(sa.Text()), nullable=False),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_workflows_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_workflows")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_workflows_app_pk_id")),
    )
    op.create_index(
        "ix_workflows_app_created", "workflows", ["app_pk", "created_at", "pk"], unique=False
    )
    op.create_index(
        "ix_workflows_app_modified", "workflows", ["app_pk", "modified_at", "pk"], unique=False
    )
    op.create_table(
        "workflow_versions",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("workflow_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("nodes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("license", sa.Text(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
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
            ["app_pk"],
            ["apps.pk"],
            name=op.f("fk_workflow_versions_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_pk"],
            ["workflows.pk"],
            name=op.f("fk_workflow_versions_workflow_pk_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_workflow_versions")),
        sa.UniqueConstraint("workflow_pk", "id", name=op.f("uq_workflow_versions_workflow_pk_id")),
    )
    op.create_index(
        op.f("ix_workflow_versions_app_pk"), "workflow_versions", ["app_pk"], unique=False
    )
    op.create_index(
        "ix_workflow_versions_workflow_created",
        "workflow_versions",
        ["workflow_pk", "created_at", "pk"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_workflow_versions_workflow_created", table_name="workflow_versions")
    op.drop_index(op.f("ix_workflow_versions_app_pk"), table_name="workflow_versions")
    op.drop_table("workflow_versions")
    op.drop_index("ix_workflows_app_modified", table_name="workflows")
    op.drop_index("ix_workflows_app_created", table_name="workflows")
    op.drop_table("workflows")
