"""The bases of every family's storage: one class per family, bound to one
call's session and scope.

An app-level family (`InputStorage`, `ConceptStorage`, ...) is built with the app the
call acts on and puts `app_pk = <that app>` into every statement it runs;
a user-level family (`KeyStorage`, `AppStorage`, ...) does the same with the user. A
handler reaches them through `call.store`, never through a session, so a
request for one app cannot read or write another app's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import any_of, any_param

Row = TypeVar("Row")


@cache
def _by_ids(model: Any, lock: bool) -> Select:
    """A family's rows by app and ids, built once (building a statement
    costs more than running it)."""
    q = select(model).where(model.app_pk == bindparam("app_pk"), model.id == any_param("ids"))
    return q.with_for_update() if lock else q


@dataclass(frozen=True)
class AppScope:
    """The app a request acts on. Storage functions of app-owned resources
    take it as a required argument, so one app's request cannot reach
    another app's rows."""

    pk: int
    id: str
    user_id: str


class AppScoped(Generic[Row]):
    """Storage of one app-owned family. `model` is the family's main table
    (with `app_pk` and `id` columns): the helpers below serve it."""

    model: ClassVar[Any]

    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    async def get(self, ident: str) -> Row | None:
        return (await self.get_many([ident])).get(ident)

    async def get_many(self, ids: Iterable[str], *, lock: bool = False) -> dict[str, Row]:
        """The rows with these ids in the app, by id; `lock` holds them FOR
        UPDATE until the transaction ends."""
        ids = sorted(set(ids))
        if not ids:
            return {}
        params = {"app_pk": self.app.pk, "ids": ids}
        return {
            row.id: row for row in await self.session.scalars(_by_ids(self.model, lock), params)
        }

    async def create(self, values: Sequence[dict[str, Any]]) -> dict[str, Row]:
        """New rows, one per dict of column values (`id` included), by id in
        the order given. An id the app already holds, stored before or by a
        concurrent call, is skipped (INSERT ... ON CONFLICT DO NOTHING): the
        caller reports it with `Checks.none_taken`, which fails the call."""
        return await insert_new(self.session, self.model, values, app_pk=self.app.pk)

    async def update(self, row: Row, changes: dict[str, Any]) -> Row:
        """Write `changes` (by attribute or column name) into one of the app's
        rows and read it back; modified_at moves even when nothing else does."""
        table = self.model.__table__
        values = {
            self.model.__mapper__.get_property_by_column(table.c[k]).key if k in table.c else k: v
            for k, v in changes.items()
        }
        q = (
            update(self.model)
            .where(self.model.app_pk == self.app.pk, self.model.pk == row.pk)  # type: ignore[attr-defined]
            .values(values)
            .returning(self.model)
        )
        return await self.session.scalar(q, execution_options={"populate_existing": True})

    async def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` name a row in the app."""
        ids = list(ids)
        if not ids:
            return set()
        q = select(self.model.id).where(
            self.model.app_pk == self.app.pk, self.model.id == any_of(ids)
        )
        return set(await self.session.scalars(q))


class UserScoped:
    """Storage of one user-owned family, bound to the calling user."""

    def __init__(self, session: AsyncSession, user_id: str) -> None:
        self.session = session
        self.user_id = user_id


async def insert_new(
    session: AsyncSession, model: Any, values: Sequence[dict[str, Any]], **scope: Any
) -> dict[str, Any]:
    """Rows of `model` with these column values plus the `scope` column
    (app_pk or user_id), by id in the order given; an id the scope already
    holds is skipped (ON CONFLICT on the unique (scope, id))."""
    if not values:
        return {}
    stmt = (
        insert(model)
        .values([{**v, **scope} for v in values])
        .on_conflict_do_nothing(index_elements=[*scope, "id"])
        .returning(model)
    )
    made = {row.id: row for row in await session.scalars(stmt)}
    return {v["id"]: made[v["id"]] for v in values if v["id"] in made}
