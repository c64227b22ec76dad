"""First-run setup: a user with an app, a PAT and an app key, ready to use."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.ids import check_id, new_id
from storage import apps as app_store
from storage import files
from storage import keys as key_store
from storage import users as user_store
from storage.db import Database

CREDENTIALS = "bootstrap.json"
# Held while the first start bootstraps (the migrations hold 727274).
FIRST_RUN_LOCK = 727275


async def create(db: Database, user_id: str = "", app_id: str = "") -> dict[str, str]:
    async with db.transaction() as session:
        return await _create(session, user_id, app_id)


async def _create(session: AsyncSession, user_id: str, app_id: str) -> dict[str, str]:
    user_id = check_id(user_id, "user") if user_id else f"user-{new_id()[:8]}"
    app_id = check_id(app_id, "app") if app_id else "main"
    pat, api_key = new_id(), new_id()
    if await user_store.get(session, user_id) is None:
        await user_store.create(session, user_id)
    app = await app_store.get(session, user_id, app_id)
    if app is None:
        app = app_store.App(id=app_id, user_id=user_id, name=app_id)
        await app_store.add(session, [app])
    pat_key = key_store.new(
        token=pat,
        user_id=user_id,
        key_type=key_store.PAT,
        app_pk=None,
        scopes=["All"],
        endpoints=[],
        description="bootstrap PAT",
    )
    app_key = key_store.new(
        token=api_key,
        user_id=user_id,
        key_type=key_store.APP_KEY,
        app_pk=app.pk,
        scopes=["All"],
        endpoints=[],
        description="bootstrap app key",
    )
    await key_store.add(session, [pat_key, app_key])
    return {"user_id": user_id, "app_id": app_id, "pat": pat, "api_key": api_key}


async def first_run(db: Database, data_dir: Path) -> dict[str, str] | None:
    """Bootstrap once, on an empty database: return what it created, also
    kept in the data directory (readable by its owner only). None when the
    database has users already: the credentials are shown once, by the
    start that made them."""
    saved = data_dir / CREDENTIALS
    async with db.transaction() as session:
        # Processes starting together on an empty database take turns: the
        # first makes the user, the others find it.
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FIRST_RUN_LOCK})
        if await user_store.any_exist(session):
            return None
        info = await _create(session, "", "")
        files.private_dir(data_dir)
        fd = files.create_private(saved, exclusive=False)
        with os.fdopen(fd, "w") as out:
            json.dump(info, out)
        os.chmod(saved, 0o600)  # the file may be older than this run
    return info


async def saved(db: Database, data_dir: Path) -> dict[str, str] | None:
    """The first run's credentials kept in the data directory, if its PAT
    still opens its user's account on this database."""
    path = data_dir / CREDENTIALS
    try:
        info = json.loads(path.read_text())
        pat, user_id = info["pat"], info["user_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    async with db.transaction() as session:
        key, _ = await key_store.with_target_app(session, pat, "", "")
    return info if key is not None and key.user_id == user_id else None
