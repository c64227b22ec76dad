"""initial schema: every table, constraint and index

Besides plain tables and btree indexes this creates identity primary keys
(`pk`), `now()` server defaults, partial indexes (uq_collaborators_live,
ix_inputs_fetch_queue, ix_dataset_version_inputs_app_blob), expression indexes
(ix_concepts_app_language_name and ix_concept_languages_app_language_name on
lower(name) with text_pattern_ops, uq_concept_relations_pair on least/greatest)
and GIN indexes on text arrays (ix_feedback_concepts, ix_tasks_worker_user_ids,
ix_tasks_reviewer_user_ids).

Revision ID: dc8c05ad8db1
Revises:
Create Date: 2026-11-25 16:59:41.973006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "dc8c05ad8db1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("company_name", sa.Text(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_table(
        "apps",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("default_language", sa.Text(), nullable=False),
        sa.Column("sample_ms", sa.BigInteger(), nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            ["user_id"], ["users.id"], name=op.f("fk_apps_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_apps")),
        sa.UniqueConstraint("user_id", "id", name=op.f("uq_apps_user_id_id")),
    )
    op.create_table(
        "collaborators",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("scopes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("endpoints", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_collaborators_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_collaborators_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collaborators")),
    )
    op.create_index(op.f("ix_collaborators_user_id"), "collaborators", ["user_id"], unique=False)
    op.create_index(
        "uq_collaborators_live",
        "collaborators",
        ["app_pk", "user_id"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "concepts",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("vocab_id", sa.Text(), nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_concepts_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_concepts")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_concepts_app_pk_id")),
    )
    op.create_index(
        "ix_concepts_app_language_name",
        "concepts",
        ["app_pk", "language", sa.literal_column("lower(name)").label("lower_name")],
        unique=False,
        postgresql_ops={"lower_name": "text_pattern_ops"},
    )
    op.create_index(
        "ix_concepts_app_order", "concepts", ["app_pk", "created_at", "pk"], unique=False
    )
    op.create_table(
        "datasets",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("image_url", sa.Text(), nullable=False),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_datasets_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_datasets")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_datasets_app_pk_id")),
    )
    op.create_index("ix_datasets_app_created", "datasets", ["app_pk", "created_at"], unique=False)
    op.create_index("ix_datasets_app_modified", "datasets", ["app_pk", "modified_at"], unique=False)
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
    op.create_index("ix_feedback_app_model", "feedback", ["app_pk", "model_id"], unique=False)
    op.create_index(
        "ix_feedback_app_order", "feedback", ["app_pk", "created_at", "pk"], unique=False
    )
    op.create_index(
        "ix_feedback_concepts",
        "feedback",
        ["positive_concepts", "negative_concepts"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "inputs",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("media_kind", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("blob_key", sa.Text(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("fetch_claimed_at", sa.DateTime(timezone=True), nullable=True),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_inputs_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_inputs")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_inputs_app_pk_id")),
    )
    op.create_index("ix_inputs_app_order", "inputs", ["app_pk", "created_at", "pk"], unique=False)
    op.create_index("ix_inputs_app_source_url", "inputs", ["app_pk", "source_url"], unique=False)
    op.create_index(
        "ix_inputs_app_status_order",
        "inputs",
        ["app_pk", "status_code", "created_at", "pk"],
        unique=False,
    )
    op.create_index(
        "ix_inputs_fetch_queue",
        "inputs",
        ["pk"],
        unique=False,
        postgresql_where=sa.text("status_code IN (30001, 30003)"),
    )
    op.create_table(
        "jobs",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attempts", sa.BigInteger(), nullable=False),
        sa.Column(
            "run_after", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_jobs_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_app_pk"), "jobs", ["app_pk"], unique=False)
    op.create_index("ix_jobs_due", "jobs", ["run_after", "pk"], unique=False)
    op.create_table(
        "keys",
        sa.Column("hash", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=True),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("scopes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("endpoints", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_keys_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_keys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_keys")),
    )
    op.create_index(op.f("ix_keys_app_pk"), "keys", ["app_pk"], unique=False)
    op.create_index(op.f("ix_keys_user_id"), "keys", ["user_id"], unique=False)
    op.create_table(
        "tasks",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("task", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("worker_user_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("reviewer_user_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("input_source_type", sa.BigInteger(), nullable=False),
        sa.Column("input_source_id", sa.Text(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
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
            ["app_pk"], ["apps.pk"], name=op.f("fk_tasks_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tasks")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_tasks_app_pk_id")),
    )
    op.create_index(
        "ix_tasks_app_input_source",
        "tasks",
        ["app_pk", "input_source_type", "input_source_id"],
        unique=False,
    )
    op.create_index("ix_tasks_app_order", "tasks", ["app_pk", "created_at", "pk"], unique=False)
    op.create_index(
        "ix_tasks_reviewer_user_ids",
        "tasks",
        ["reviewer_user_ids"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_tasks_worker_user_ids",
        "tasks",
        ["worker_user_ids"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "annotations",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("input_id", sa.Text(), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("annotation_info", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("task_id", sa.Text(), nullable=False),
        sa.Column("model_version_id", sa.Text(), nullable=False),
        sa.Column("input_level", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
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
            ["app_pk", "input_id"],
            ["inputs.app_pk", "inputs.id"],
            name=op.f("fk_annotations_app_pk_input_id_inputs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_annotations_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_annotations")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_annotations_app_pk_id")),
    )
    op.create_index("ix_annotations_app_input", "annotations", ["app_pk", "input_id"], unique=False)
    op.create_index(
        "ix_annotations_app_order", "annotations", ["app_pk", "created_at", "pk"], unique=False
    )
    op.create_index("ix_annotations_app_task", "annotations", ["app_pk", "task_id"], unique=False)
    op.create_table(
        "collectors",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("pre_queue_workflow_id", sa.Text(), nullable=False),
        sa.Column("pre_queue_random_sample", sa.Double(), nullable=False),
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
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_collectors_app_pk_id")),
    )
    op.create_table(
        "concept_languages",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("concept_pk", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
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
            name=op.f("fk_concept_languages_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["concept_pk"],
            ["concepts.pk"],
            name=op.f("fk_concept_languages_concept_pk_concepts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_concept_languages")),
        sa.UniqueConstraint(
            "concept_pk", "language", name=op.f("uq_concept_languages_concept_pk_language")
        ),
    )
    op.create_index(
        "ix_concept_languages_app_language_name",
        "concept_languages",
        ["app_pk", "language", sa.literal_column("lower(name)").label("lower_name")],
        unique=False,
        postgresql_ops={"lower_name": "text_pattern_ops"},
    )
    op.create_table(
        "concept_relations",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("subject_pk", sa.BigInteger(), nullable=False),
        sa.Column("object_pk", sa.BigInteger(), nullable=False),
        sa.Column("predicate", sa.Text(), nullable=False),
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
            name=op.f("fk_concept_relations_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["object_pk"],
            ["concepts.pk"],
            name=op.f("fk_concept_relations_object_pk_concepts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_pk"],
            ["concepts.pk"],
            name=op.f("fk_concept_relations_subject_pk_concepts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_concept_relations")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_concept_relations_app_pk_id")),
    )
    op.create_index("ix_concept_relations_object", "concept_relations", ["object_pk"], unique=False)
    op.create_index(
        "ix_concept_relations_subject", "concept_relations", ["subject_pk"], unique=False
    )
    op.create_index(
        "uq_concept_relations_pair",
        "concept_relations",
        [
            "app_pk",
            sa.literal_column("least(subject_pk, object_pk)"),
            sa.literal_column("greatest(subject_pk, object_pk)"),
        ],
        unique=True,
    )
    op.create_table(
        "dataset_inputs",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("dataset_pk", sa.BigInteger(), nullable=False),
        sa.Column("input_id", sa.Text(), nullable=False),
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
            ["app_pk", "input_id"],
            ["inputs.app_pk", "inputs.id"],
            name=op.f("fk_dataset_inputs_app_pk_input_id_inputs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_dataset_inputs_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_dataset_inputs_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_dataset_inputs")),
        sa.UniqueConstraint(
            "dataset_pk", "input_id", name=op.f("uq_dataset_inputs_dataset_pk_input_id")
        ),
    )
    op.create_index(
        "ix_dataset_inputs_app_input", "dataset_inputs", ["app_pk", "input_id"], unique=False
    )
    op.create_index(
        "ix_dataset_inputs_dataset_order", "dataset_inputs", ["dataset_pk", "pk"], unique=False
    )
    op.create_table(
        "dataset_versions",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("dataset_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("visibility", sa.BigInteger(), nullable=False),
        sa.Column("request_origin", sa.BigInteger(), nullable=False),
        sa.Column("status_code", sa.BigInteger(), nullable=False),
        sa.Column("status_details", sa.Text(), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            name=op.f("fk_dataset_versions_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.pk"],
            name=op.f("fk_dataset_versions_dataset_pk_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_dataset_versions")),
        sa.UniqueConstraint("dataset_pk", "id", name=op.f("uq_dataset_versions_dataset_pk_id")),
    )
    op.create_index(
        op.f("ix_dataset_versions_app_pk"), "dataset_versions", ["app_pk"], unique=False
    )
    op.create_index(
        "ix_dataset_versions_dataset_created",
        "dataset_versions",
        ["dataset_pk", "created_at"],
        unique=False,
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
            name=op.f("fk_dataset_version_exports_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["dataset_versions.pk"],
            name=op.f("fk_dataset_version_exports_version_pk_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_pk", "format", name=op.f("pk_dataset_version_exports")),
    )
    op.create_index(
        op.f("ix_dataset_version_exports_app_pk"),
        "dataset_version_exports",
        ["app_pk"],
        unique=False,
    )
    op.create_table(
        "dataset_version_inputs",
        sa.Column("version_pk", sa.BigInteger(), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("input_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("input", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("blob_key", sa.Text(), nullable=False),
        sa.Column("annotations", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_pk"],
            ["apps.pk"],
            name=op.f("fk_dataset_version_inputs_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_pk"],
            ["dataset_versions.pk"],
            name=op.f("fk_dataset_version_inputs_version_pk_dataset_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_pk", "input_id", name=op.f("pk_dataset_version_inputs")),
    )
    op.create_index(
        "ix_dataset_version_inputs_app_blob",
        "dataset_version_inputs",
        ["app_pk", "blob_key"],
        unique=False,
        postgresql_where=sa.text("blob_key <> ''"),
    )
    op.create_index(
        op.f("ix_dataset_version_inputs_app_pk"), "dataset_version_inputs", ["app_pk"], unique=False
    )
    op.create_index(
        "ix_dataset_version_inputs_order",
        "dataset_version_inputs",
        ["version_pk", "seq"],
        unique=False,
    )


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints.
    op.drop_table("dataset_version_inputs")
    op.drop_table("dataset_version_exports")
    op.drop_table("dataset_versions")
    op.drop_table("dataset_inputs")
    op.drop_table("concept_relations")
    op.drop_table("concept_languages")
    op.drop_table("collectors")
    op.drop_table("annotations")
    op.drop_table("tasks")
    op.drop_table("keys")
    op.drop_table("jobs")
    op.drop_table("inputs")
    op.drop_table("feedback")
    op.drop_table("datasets")
    op.drop_table("concepts")
    op.drop_table("collaborators")
    op.drop_table("apps")
    op.drop_table("users")
