"""List order indexes; URL downloads as jobs.

Every List call seeks an index of its order (scope columns, then order
columns, then a unique tie-breaker); single-column indexes those cover are
dropped. URL downloads are queued as jobs, so the inputs table no longer
keeps its own claim column and queue index: downloads still waiting get a
job each.

Revision ID: c6b6b75974a1
Revises: dc8c05ad8db1
Create Date: 2026-11-25 17:24:52.821662
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c6b6b75974a1"
down_revision = "dc8c05ad8db1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_apps_user_id_created_at_pk", "apps", ["user_id", "created_at", "pk"], unique=False
    )
    op.create_index(
        "ix_apps_user_id_modified_at_pk", "apps", ["user_id", "modified_at", "pk"], unique=False
    )
    op.create_index("ix_apps_user_id_name_pk", "apps", ["user_id", "name", "pk"], unique=False)
    op.drop_index(op.f("ix_collaborators_user_id"), table_name="collaborators")
    op.create_index(
        "ix_collaborators_app_pk_created_at_id",
        "collaborators",
        ["app_pk", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_collaborators_user_id_created_at_id",
        "collaborators",
        ["user_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_collectors_app_pk_created_at_pk",
        "collectors",
        ["app_pk", "created_at", "pk"],
        unique=False,
    )
    op.drop_index(op.f("ix_dataset_versions_dataset_created"), table_name="dataset_versions")
    op.create_index(
        "ix_dataset_versions_dataset_created",
        "dataset_versions",
        ["dataset_pk", "created_at", "pk"],
        unique=False,
    )
    op.drop_index(op.f("ix_datasets_app_created"), table_name="datasets")
    op.create_index(
        "ix_datasets_app_created", "datasets", ["app_pk", "created_at", "pk"], unique=False
    )
    op.drop_index(op.f("ix_datasets_app_modified"), table_name="datasets")
    op.create_index(
        "ix_datasets_app_modified", "datasets", ["app_pk", "modified_at", "pk"], unique=False
    )
    op.drop_index(
        op.f("ix_inputs_fetch_queue"),
        table_name="inputs",
        postgresql_where="(status_code = ANY (ARRAY[(30001)::bigint, (30003)::bigint]))",
    )
    op.execute(
        "INSERT INTO jobs (app_pk, kind, payload, attempts, last_error) "
        "SELECT app_pk, 'input.fetch', jsonb_build_object('input_pk', pk), 0, '' "
        "FROM inputs WHERE status_code IN (30001, 30003)"
    )
    op.drop_column("inputs", "fetch_claimed_at")
    op.drop_index(op.f("ix_keys_app_pk"), table_name="keys")
    op.drop_index(op.f("ix_keys_user_id"), table_name="keys")
    op.create_index(
        "ix_keys_app_pk_user_id_created_at_hash",
        "keys",
        ["app_pk", "user_id", "created_at", "hash"],
        unique=False,
    )
    op.create_index(
        "ix_keys_user_id_created_at_hash", "keys", ["user_id", "created_at", "hash"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_keys_user_id_created_at_hash", table_name="keys")
    op.drop_index("ix_keys_app_pk_user_id_created_at_hash", table_name="keys")
    op.create_index(op.f("ix_keys_user_id"), "keys", ["user_id"], unique=False)
    op.create_index(op.f("ix_keys_app_pk"), "keys", ["app_pk"], unique=False)
    op.add_column(
        "inputs",
        sa.Column(
            "fetch_claimed_at",
            postgresql.TIMESTAMP(timezone=True),
            autoincrement=False,
            nullable=True,
        ),
    )
    op.create_index(
        op.f("ix_inputs_fetch_queue"),
        "inputs",
        ["pk"],
        unique=False,
        postgresql_where="(status_code = ANY (ARRAY[(30001)::bigint, (30003)::bigint]))",
    )
    op.drop_index("ix_datasets_app_modified", table_name="datasets")
    op.create_index(
        op.f("ix_datasets_app_modified"), "datasets", ["app_pk", "modified_at"], unique=False
    )
    op.drop_index("ix_datasets_app_created", table_name="datasets")
    op.create_index(
        op.f("ix_datasets_app_created"), "datasets", ["app_pk", "created_at"], unique=False
    )
    op.drop_index("ix_dataset_versions_dataset_created", table_name="dataset_versions")
    op.create_index(
        op.f("ix_dataset_versions_dataset_created"),
        "dataset_versions",
        ["dataset_pk", "created_at"],
        unique=False,
    )
    op.drop_index("ix_collectors_app_pk_created_at_pk", table_name="collectors")
    op.drop_index("ix_collaborators_user_id_created_at_id", table_name="collaborators")
    op.drop_index("ix_collaborators_app_pk_created_at_id", table_name="collaborators")
    op.create_index(op.f("ix_collaborators_user_id"), "collaborators", ["user_id"], unique=False)
    op.drop_index("ix_apps_user_id_name_pk", table_name="apps")
    op.drop_index("ix_apps_user_id_modified_at_pk", table_name="apps")
    op.drop_index("ix_apps_user_id_created_at_pk", table_name="apps")
