"""PatchModelIds and PatchWorkflowIds: new ids for some of an app's models
or workflows, all or none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from server.checks import Checks
from server.ids import new_id


async def checked(
    check: Checks, ids: Sequence[Any], storage: Any, kind: str
) -> tuple[list[str], list[str], dict[str, Any]]:
    """The old ids, the new ones (same order) and the rows (locked), each
    id checked: known, given once, and no new id taken by another row."""
    check.batch(ids, "ids")
    olds = check.ids([i.id for i in ids], "ids[{n}].id")
    news = [check.id(i.new_id, f"ids[{n}].new_id") for n, i in enumerate(ids)]
    check.each_once(news, "ids[{n}].new_id")
    stored = await storage.get_many(olds, lock=True)
    check.all_known(olds, stored, kind, "ids[{n}].id")
    taken = await storage.existing_ids(set(news) - set(olds))
    for n, new in enumerate(news):
        if new in taken:
            raise check.invalid(
                f"ids[{n}].new_id '{new}': the app already has a {kind} with this id"
            )
    return olds, news, stored


async def renamed(storage: Any, rows: Sequence[Any], news: Sequence[str]) -> list[Any]:
    """The rows under their new ids: through a free id first, so that
    swapping two ids works."""
    moved = [await storage.update(row, {"id": new_id()}) for row in rows]
    return [await storage.update(row, {"id": n}) for row, n in zip(moved, news, strict=True)]
