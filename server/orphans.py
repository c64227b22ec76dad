"""The orphan blob sweep: bytes written by transactions that never committed
(a process killed mid-request leaves its media and archives behind) are
removed once older than CLARIFAI_LOCAL_BLOB_GRACE, at each start and every
CLARIFAI_LOCAL_BLOB_SWEEP_EVERY seconds. A periodic job of the queue, so
one process sweeps at a time however many share the data directory."""

from __future__ import annotations

import logging
from typing import Any

from server.jobs import JobContext, job
from storage import blobs

log = logging.getLogger("clarifai_local.blobs")
KIND = "blobs.sweep"


@job(KIND, every=lambda settings: settings.blob_sweep_every_s, time_limit=3600.0)
async def sweep(ctx: JobContext, payload: dict[str, Any]) -> None:
    store = blobs.store_for(ctx.settings.data_dir)
    removed = await blobs.sweep(ctx.db, store, ctx.settings.blob_grace_s)
    if removed:
        log.info("removed %d blobs no row names", len(removed))
