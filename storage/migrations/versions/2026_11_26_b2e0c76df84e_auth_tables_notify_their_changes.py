"""keys, apps, collaborators, users: notify their changes (the authorization
caches of every server process listen; storage/auth_cache.py)

Revision ID: b2e0c76df84e
Revises: 1532b8b858d7
Create Date: 2026-11-26 06:40:00.000000
"""

from alembic import op

revision = "b2e0c76df84e"
down_revision = "1532b8b858d7"
branch_labels = None
depends_on = None

TABLES = ("keys", "apps", "collaborators", "users")
# A frozen copy of storage/auth_cache.py's TRIGGERS.
TRIGGERS = (
    """
    CREATE FUNCTION notify_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('clarifai_local.auth_changed', 'on', true);
        PERFORM pg_notify('clarifai_local_auth', txid_current()::text);
        RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER {table}_notify_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change()"
        for table in TABLES
    ),
)


def upgrade() -> None:
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_notify_auth ON {table}")
    op.execute("DROP FUNCTION notify_auth_change()")
