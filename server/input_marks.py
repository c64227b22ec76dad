"""The periodic sweep of ListInputs' marks (storage/input_marks.py): apps
written to without being listed deep gather a change row per write; past
MAX_CHANGES their marks are forgotten (the next deep read builds them anew),
so the changes table stays small. A periodic job of the queue: one process
sweeps at a time however many share the database."""

from __future__ import annotations

import logging
from typing import Any

from server.jobs import JobContext, job
from storage import input_marks

log = logging.getLogger("clarifai_local.inputs")
KIND = "input_marks.forget"
# Seconds between sweeps: changes gather at one row per write statement.
EVERY_S = 300.0


@job(KIND, every=lambda settings: EVERY_S)
async def forget(ctx: JobContext, payload: dict[str, Any]) -> None:
    async with ctx.db.transaction() as session:
        apps = await input_marks.forget(session)
    if apps:
        log.info("forgot the list marks of %d apps", apps)
