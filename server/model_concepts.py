"""The concepts a model outputs, as (id, name) named as its app names them:
a version's output_info concepts, else a built-in runtime's vocabulary.
ListModelConcepts, GetModelOutputInfo and PostConceptsSearches' model
source read them here."""

from __future__ import annotations

from typing import Any

from server import model_rows, runtimes
from server.dispatch import Call


async def of_version(
    call: Call, version: Any | None, info: dict[str, Any]
) -> list[tuple[str, str]]:
    """Those of `info` (a version's, or the model's output_info)."""
    listed = (info.get("data") or {}).get("concepts") or []
    if not listed and version is not None and version.runtime:
        return runtimes.builtin_concepts(version.runtime)
    ids = [c.get("id", "") for c in listed if c.get("id")]
    stored = await call.store.concepts.get_many(ids)
    sent = {c["id"]: c.get("name", "") for c in listed if c.get("id")}
    return [(i, stored[i].name if i in stored else sent[i] or i) for i in ids]


async def of_model(
    call: Call, row: Any, version_id: str = "", field: str = "version_id"
) -> list[tuple[str, str]]:
    """Those of the model's version `version_id`, else of its newest."""
    if version_id:
        version = await model_rows.version(call, row, version_id, field)
    else:
        version = (await call.store.models.latest_versions([row])).get(row.pk)
    info = version.output_info if version is not None else row.output_info
    return await of_version(call, version, info)
