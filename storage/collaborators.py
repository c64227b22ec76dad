"""Collaborators: users given access to another user's app, with scopes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Select, bindparam, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.apps import App
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.scoped import AppScoped, UserScoped


class Collaborator(Timestamps, Base):
    __tablename__ = "collaborators"
    __table_args__ = (
        # One live grant per user and app; deleted ones stay for listing.
        Index(
            "uq_collaborators_live",
            "app_pk",
            "user_id",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # ListCollaborators and ListCollaborations (and the user_id foreign key).
        Index("ix_collaborators_app_pk_created_at_id", "app_pk", "created_at", "id"),
        Index("ix_collaborators_user_id_created_at_id", "user_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scopes: Mapped[list[str]]
    endpoints: Mapped[list[str]]
    deleted_at: Mapped[datetime | None]


LIST_COLLABORATORS = Order(
    "ListCollaborators",
    scope=[Collaborator.app_pk],
    columns=[Collaborator.created_at, Collaborator.id],
)
LIST_COLLABORATIONS = Order(
    "ListCollaborations",
    scope=[Collaborator.user_id],
    columns=[Collaborator.created_at, Collaborator.id],
)

# Built once: every call a collaborator makes runs it.
_LIVE_GRANT = select(Collaborator).where(
    Collaborator.app_pk == bindparam("app_pk"),
    Collaborator.user_id == bindparam("user_id"),
    Collaborator.deleted_at.is_(None),
)


async def live_grant(session: AsyncSession, app_pk: int, user_id: str) -> Collaborator | None:
    """Authorization's look-up (before any storage is bound to the call)."""
    return await session.scalar(_LIVE_GRANT, {"app_pk": app_pk, "user_id": user_id})


class CollaboratorStorage(AppScoped[Collaborator]):
    """The app's collaborators."""

    model = Collaborator

    def _of_app(self, include_deleted: bool) -> Select[tuple[Collaborator]]:
        q = select(Collaborator).where(Collaborator.app_pk == self.app.pk)
        if not include_deleted:
            q = q.where(Collaborator.deleted_at.is_(None))
        return q

    async def page(self, at: Page, *, include_deleted: bool) -> list[Collaborator]:
        return await listing.page(
            self.session, self._of_app(include_deleted), LIST_COLLABORATORS, at
        )

    async def live_for_app(self) -> list[Collaborator]:
        """Every live collaborator of the app (a handful: one per user shared with)."""
        q = self._of_app(include_deleted=False).order_by(*LIST_COLLABORATORS.by())
        return list(await self.session.scalars(q))

    async def taken_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` name a collaborator already, in any app (the ids
        are unique across apps)."""
        ids = list(ids)
        if not ids:
            return set()
        q = select(Collaborator.id).where(Collaborator.id == any_of(ids))
        return set(await self.session.scalars(q))

    async def create(self, values: list[dict[str, Any]]) -> list[Collaborator]:
        """New collaborators of the app: id, user_id, scopes and endpoints each."""
        rows = [Collaborator(app_pk=self.app.pk, **v) for v in values]
        self.session.add_all(rows)
        await self.session.flush()
        return rows

    async def update(self, row: Collaborator, changes: dict[str, Any]) -> Collaborator:
        q = (
            update(Collaborator)
            .where(Collaborator.app_pk == self.app.pk, Collaborator.id == row.id)
            .values(changes)
            .returning(Collaborator)
        )
        return await self.session.scalar(q, execution_options={"populate_existing": True})

    async def delete(self, ids: Iterable[str]) -> None:
        """Mark these collaborators deleted: their access ends, and they
        still show in ListCollaborators with list_all_collaborators."""
        q = (
            update(Collaborator)
            .where(
                Collaborator.app_pk == self.app.pk,
                Collaborator.id == any_of(ids),
                Collaborator.deleted_at.is_(None),
            )
            .values(deleted_at=func.now())
        )
        await self.session.execute(q, execution_options={"synchronize_session": False})


class CollaborationStorage(UserScoped):
    """The apps other users share with the calling user."""

    def _live(self) -> Select[tuple[Collaborator, App]]:
        return (
            select(Collaborator, App)
            .join(App, App.pk == Collaborator.app_pk)
            .where(Collaborator.user_id == self.user_id, Collaborator.deleted_at.is_(None))
        )

    async def page(self, at: Page) -> list[tuple[Collaborator, App]]:
        rows = await listing.page(self.session, self._live(), LIST_COLLABORATIONS, at)
        return [(c, a) for c, a in rows]

    async def app(self, owner_id: str, app_id: str) -> App | None:
        """App `app_id` of user `owner_id`, if shared with the user now."""
        found = await self.shared(owner_id, app_id)
        return found[1] if found is not None else None

    async def shared(self, owner_id: str, app_id: str) -> tuple[Collaborator, App] | None:
        """App `app_id` of user `owner_id` with the user's grant there, if
        shared with the user now."""
        q = self._live().where(App.user_id == owner_id, App.id == app_id)
        row = (await self.session.execute(q)).first()
        return (row[0], row[1]) if row is not None else None
