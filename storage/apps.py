"""Apps. Every app-owned row references apps.pk with ON DELETE CASCADE, so
deleting an app removes everything under it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.scoped import AppScope, UserScoped, insert_new
from storage.users import BUILTIN_USER

# Visibility.PUBLIC: an app (and its models) every caller may read.
PUBLIC = 50
# clarifai/main's id (its owner is storage/users.py's BUILTIN_USER).
MAIN_APP_ID = "main"


class App(Timestamps, Base):
    __tablename__ = "apps"
    __table_args__ = (
        UniqueConstraint("user_id", "id"),
        # ListApps sorted by name, modified_at or created_at (by id: the
        # unique constraint above).
        Index("ix_apps_user_id_name_pk", "user_id", "name", "pk"),
        Index("ix_apps_user_id_modified_at_pk", "user_id", "modified_at", "pk"),
        Index("ix_apps_user_id_created_at_pk", "user_id", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    id: Mapped[str]
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(default="")
    description: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")
    default_language: Mapped[str] = mapped_column(default="en")
    sample_ms: Mapped[int] = mapped_column(default=0)
    visibility: Mapped[int] = mapped_column(default=10)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    # As PostApps sent them: the id, and the Workflow message as JSON (None
    # when none was sent).
    default_workflow_id: Mapped[str] = mapped_column(default="", server_default="")
    default_workflow: Mapped[dict[str, Any] | None] = mapped_column(default=None)


# ListApps: by any of these columns, either way; ties (on all but the unique
# id) in the order the apps were made.
SORTS = ("name", "modified_at", "created_at", "id")
LIST_APPS = {
    (sort, descending): Order(
        f"ListApps by {sort}" + (", descending" if descending else ""),
        scope=[App.user_id],
        columns=[App.id] if sort == "id" else [getattr(App, sort), App.pk],
        descending=descending,
    )
    for sort in SORTS
    for descending in (False, True)
}


def scope_of(app: App) -> AppScope:
    return AppScope(pk=app.pk, id=app.id, user_id=app.user_id)


# Outside a request (authorization, first-run setup, background jobs) apps
# are read and made with a session of their own:


async def get(session: AsyncSession, user_id: str, app_id: str) -> App | None:
    return await session.scalar(select(App).where(App.user_id == user_id, App.id == app_id))


async def main_scope(session: AsyncSession) -> AppScope:
    """clarifai/main, written at every start (server/main_app.py)."""
    app = await get(session, BUILTIN_USER, MAIN_APP_ID)
    if app is None:
        raise LookupError("clarifai/main is not written yet (server/main_app.py ensures it)")
    return scope_of(app)


async def get_by_pk(session: AsyncSession, pk: int) -> App | None:
    return await session.get(App, pk)


async def add(session: AsyncSession, apps: list[App]) -> None:
    session.add_all(apps)
    await session.flush()


class AppStorage(UserScoped):
    """The calling user's apps."""

    async def get(self, app_id: str) -> App | None:
        return await get(self.session, self.user_id, app_id)

    async def get_many(self, app_ids: Iterable[str]) -> dict[str, App]:
        app_ids = list(app_ids)
        if not app_ids:
            return {}
        q = select(App).where(App.user_id == self.user_id, App.id == any_of(app_ids))
        return {a.id: a for a in await self.session.scalars(q)}

    async def create(self, values: list[dict[str, Any]]) -> dict[str, App]:
        """New apps of the user, one per dict of column values (id included),
        by id; ids the user already holds are skipped, as AppScoped.create
        does for app-owned rows."""
        return await insert_new(self.session, App, values, user_id=self.user_id)

    async def page(
        self,
        at: Page,
        *,
        sort: str = "modified_at",
        descending: bool = True,
        name: str = "",
        app_id: str = "",
    ) -> list[App]:
        """The page `at` of the user's apps whose name and id contain `name`
        and `app_id` (any case)."""
        q = select(App).where(App.user_id == self.user_id)
        if name:
            q = q.where(App.name.ilike(f"%{name}%"))
        if app_id:
            q = q.where(App.id.ilike(f"%{app_id}%"))
        return await listing.page(self.session, q, LIST_APPS[sort, descending], at)

    async def update(self, app: App, changes: dict[str, Any]) -> App:
        """Write `changes` (column values by attribute name) into one of the
        user's apps; modified_at moves even when nothing else does."""
        q = (
            update(App)
            .where(App.user_id == self.user_id, App.pk == app.pk)
            .values(changes)
            .returning(App)
        )
        return await self.session.scalar(q, execution_options={"populate_existing": True})

    async def delete(self, app: AppScope) -> None:
        await self.session.execute(delete(App).where(App.user_id == self.user_id, App.pk == app.pk))
