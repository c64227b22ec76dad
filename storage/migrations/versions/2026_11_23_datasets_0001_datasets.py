"""datasets, dataset inputs, versions and exports

Revision ID: datasets_0001
Revises: 22d0ffb3370b
Create Date: 2026-11-23 02:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "datasets_0001"
down_revision = "22d0ffb3370b"
branch_labels = None
depends_on = ("inputs_0001",)

JSONB = postgresql.JSONB(astext_type=sa.Text())


def _timestamps() -> list[sa.Column]:
    return [
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
    ]


def _app_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["app_pk"], ["apps.pk"], name=op.f(f"fk_{table}_app_pk_apps"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("metadata", JSONB, nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("image_url", sa.Text(), nullable=False),
        *_timestamps(),
        _app_fk("datasets"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_datasets")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_datasets_app_pk")),
    )
    op.create_index("ix_datasets_app_modified", "datasets", ["app_pk", "modified_at"])
    op.create_index("ix_datasets_app_created", "datasets", ["app_pk", "created_at"])

    op.create_table(
        "dataset_inputs",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("dataset_pk", sa.BigInteger(), nullable=False),
        sa.Column("input_id", sa.Text(), nullable=False),
        *_timestamps(),
        _app_fk("dataset_inputs"),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_dataset_inputs_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["app_pk", "input_id"],
            ["inputs.app_pk", "inputs.id"],
            name=op.f("fk_dataset_inputs_app_pk_inputs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_dataset_inputs")),
        sa.UniqueConstraint("dataset_pk", "input_id", name=op.f("uq_dataset_inputs_dataset_pk")),
    )
    op.create_index("ix_dataset_inputs_app_input", "dataset_inputs", ["app_pk", "input_id"])
    op.create_index("ix_dataset_inputs_dataset_order", "dataset_inputs", ["dataset_pk", "pk"])

    op.create_table(
        "dataset_versions",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("dataset_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("metadata", JSONB, nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("request_origin", sa.BigInteger(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("metrics", JSONB, nullable=False),
        *_timestamps(),
        _app_fk("dataset_versions"),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_dataset_versions_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_dataset_versions")),
        sa.UniqueConstraint("dataset_pk", "id", name=op.f("uq_dataset_versions_dataset_pk")),
    )
    op.create_index(op.f("ix_dataset_versions_app_pk"), "dataset_versions", ["app_pk"])
    op.create_index(
        "ix_dataset_versions_dataset_created", "dataset_versions", ["dataset_pk", "created_at"]
    )

    op.create_table(
        "dataset_version_inputs",
        sa.Column("version_pk", sa.BigInteger(), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("input_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("input", JSONB, nullable=False),
        sa.Column("blob_key", sa.Text(), nullable=False),
        sa.Column("annotations", JSONB, nullable=False),
        _app_fk("dataset_version_inputs"),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["dataset_versions.pk"],
            name=op.f("fk_dataset_version_inputs_version_pk_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_pk", "input_id", name=op.f("pk_dataset_version_inputs")),
    )
    op.create_index(op.f("ix_dataset_version_inputs_app_pk"), "dataset_version_inputs", ["app_pk"])
    op.create_index(
        "ix_dataset_version_inputs_order", "dataset_version_inputs", ["version_pk", "seq"]
    )
    op.create_index(
        "ix_dataset_version_inputs_app_blob",
        "dataset_version_inputs",
        ["app_pk", "blob_key"],
        postgresql_where=sa.text("blob_key <> ''"),
    )

    op.create_table(
        "dataset_version_exports",
        sa.Column("version_pk", sa.BigInteger(), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("format", sa.BigInteger(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        *_timestamps(),
        _app_fk("dataset_version_exports"),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["dataset_versions.pk"],
            name=op.f("fk_dataset_version_exports_version_pk_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_pk", "format", name=op.f("pk_dataset_version_exports")),
    )
    op.create_index(
        op.f("ix_dataset_version_exports_app_pk"), "dataset_version_exports", ["app_pk"]
    )


def downgrade() -> None:
    op.drop_table("dataset_version_exports")
    op.drop_table("dataset_version_inputs")
    op.drop_table("dataset_versions")
    op.drop_table("dataset_inputs")
    op.drop_table("datasets")
