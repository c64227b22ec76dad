"""A user's rows counted per table, by what changed: a trigger on every
table of the schema notes each row inserted or deleted (and each table
truncated) in a log, which `Changes.taken()` reads and empties. One small
query where counting the user's rows in every table takes one per table.

For a database of its own (the triggers slow every write a little): see
tests/integration/test_bad_input.py."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import Database
from storage.schema import metadata

LOG = "test_row_changes"

# Scope of a row, as in the rest of the schema: a users row is its user's
# (id), an apps row its user's and its own (pk), other rows their user's
# and their app's (user_id, app_pk); a table with neither column belongs
# to nobody in particular, so its rows count for everyone.
_NOTE = f"""
CREATE FUNCTION {LOG}_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO {LOG} VALUES (TG_TABLE_NAME, TG_OP, NULL, NULL, false);
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
    INSERT INTO {LOG} VALUES (
        TG_TABLE_NAME,
        TG_OP,
        CASE TG_TABLE_NAME WHEN 'users' THEN r ->> 'id' ELSE r ->> 'user_id' END,
        (CASE TG_TABLE_NAME WHEN 'apps' THEN r ->> 'pk' ELSE r ->> 'app_pk' END)::bigint,
        TG_TABLE_NAME IN ('users', 'apps') OR r ? 'user_id' OR r ? 'app_pk'
    );
    RETURN NULL;
END $$
"""

# What the log says of `:user_id`'s rows (of the user, of one of its apps,
# or of a table of nobody in particular), per table: the change in number,
# and whether the table was emptied.
_TAKE = f"""
WITH taken AS (DELETE FROM {LOG} RETURNING *)
SELECT tbl, sum(CASE op WHEN 'INSERT' THEN 1 WHEN 'DELETE' THEN -1 ELSE 0 END),
    bool_or(op = 'TRUNCATE')
FROM taken
WHERE NOT scoped OR user_id = :user_id
    OR app_pk IN (SELECT pk FROM apps WHERE user_id = :user_id)
GROUP BY tbl ORDER BY tbl
"""


async def install(db: Database) -> None:
    """The log and its triggers, on every table of storage.schema."""
    async with db.transaction() as session:
        await session.execute(
            text(
                f"CREATE TABLE {LOG} (tbl text NOT NULL, op text NOT NULL,"
                " user_id text, app_pk bigint, scoped boolean NOT NULL)"
            )
        )
        await session.execute(text(_NOTE))
        for table in metadata.sorted_tables:
            for rows, events in (("ROW", "INSERT OR DELETE"), ("STATEMENT", "TRUNCATE")):
                await session.execute(
                    text(
                        f'CREATE TRIGGER {LOG}_{rows.lower()} AFTER {events} ON "{table.name}" '
                        f"FOR EACH {rows} EXECUTE FUNCTION {LOG}_note()"
                    )
                )


class Changes:
    """The tables where one user's rows changed in number since last asked
    (the log's other rows are dropped as read)."""

    def __init__(self, db: Database, user_id: str) -> None:
        self.db, self.user_id = db, user_id

    async def taken(self) -> list[str]:
        """Each such table with its change: "inputs +3", "keys -1",
        "task_reviews truncated"."""
        async with self.db.transaction() as session:
            rows = await session.execute(text(_TAKE), {"user_id": self.user_id})
            return [
                f"{table} truncated" if truncated else f"{table} {net:+d}"
                for table, net, truncated in rows
                if truncated or net
            ]
