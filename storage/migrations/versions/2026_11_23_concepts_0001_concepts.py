"""concepts, their languages and relations

Revision ID: concepts_0001
Revises: 22d0ffb3370b
Create Date: 2026-11-23 02:10:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "concepts_0001"
down_revision = "22d0ffb3370b"
branch_labels = None
depends_on = None


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


def upgrade() -> None:
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
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["app_pk"], ["apps.pk"], name=op.f("fk_concepts_app_pk_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_concepts")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_concepts_app_pk")),
    )
    op.create_index(
        "ix_concepts_app_order", "concepts", ["app_pk", "created_at", "pk"], unique=False
    )
    op.create_index(
        "ix_concepts_app_language_name",
        "concepts",
        ["app_pk", "language", sa.text("lower(name) text_pattern_ops")],
        unique=False,
    )
    op.create_table(
        "concept_languages",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("concept_pk", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        *_timestamps(),
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
        sa.UniqueConstraint("concept_pk", "language", name=op.f("uq_concept_languages_concept_pk")),
    )
    op.create_index(
        "ix_concept_languages_app_language_name",
        "concept_languages",
        ["app_pk", "language", sa.text("lower(name) text_pattern_ops")],
        unique=False,
    )
    op.create_table(
        "concept_relations",
        sa.Column("pk", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("app_pk", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("subject_pk", sa.BigInteger(), nullable=False),
        sa.Column("object_pk", sa.BigInteger(), nullable=False),
        sa.Column("predicate", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["app_pk"],
            ["apps.pk"],
            name=op.f("fk_concept_relations_app_pk_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_pk"],
            ["concepts.pk"],
            name=op.f("fk_concept_relations_subject_pk_concepts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["object_pk"],
            ["concepts.pk"],
            name=op.f("fk_concept_relations_object_pk_concepts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_concept_relations")),
        sa.UniqueConstraint("app_pk", "id", name=op.f("uq_concept_relations_app_pk")),
    )
    op.create_index(
        "uq_concept_relations_pair",
        "concept_relations",
        [
            "app_pk",
            sa.text("least(subject_pk, object_pk)"),
            sa.text("greatest(subject_pk, object_pk)"),
        ],
        unique=True,
    )
    op.create_index(
        "ix_concept_relations_subject", "concept_relations", ["subject_pk"], unique=False
    )
    op.create_index("ix_concept_relations_object", "concept_relations", ["object_pk"], unique=False)


def downgrade() -> None:
    op.drop_table("concept_relations")
    op.drop_table("concept_languages")
    op.drop_table("concepts")
