"""keys, apps, collaborators, users: notify their changes (the authorization
caches of every server process listen; storage/auth_cache.py)

Revision ID: b2e0c76df84e
Revises: b863ff9f69a9
Create Date: 2026-11-26 06:40:00.000000
"""

from alembic import op

revision = "b2e0c76df84e"
down_revision = "b863ff9f69a9"
branch_labels = None
depends_on = None

TABLES = ("keys", "apps", "collaborators", "users")


def upgrade() -> None:
    # Statement-level: one notification per changing statement, delivered
    # when its transaction commits (none if it rolls back), naming the
    # transaction; the transaction is marked, so that the server process
    # that committed it waits for its own notification before answering.
    op.execute(
        """
        CREATE FUNCTION notify_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM set_config('clarifai_local.auth_changed', 'on', true);
            PERFORM pg_notify('clarifai_local_auth', txid_current()::text);
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_notify_auth ON {table}")
    op.execute("DROP FUNCTION notify_auth_change()")
