"""Collaborators: users given access to another user's app, with scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Select, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.apps import App, AppScope
from storage.base import Base, Timestamps
from storage.scoped import AppScoped


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
    )

    id: Mapped[str] = mapped_column(primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[str]]
    endpoints: Mapped[list[str]]
    deleted_at: Mapped[datetime | None]


# Built once: every call a collaborator makes runs it.
_LIVE_GRANT = select(Collaborator).where(
    Collaborator.app_pk == bindparam("app_pk"),
    Collaborator.user_id == bindparam("user_id"),
    Collaborator.deleted_at.is_(None),
)


async def live_grant(session: AsyncSession, app_pk: int, user_id: str) -> Collaborator | None:
    return await session.scalar(_LIVE_GRANT, {"app_pk": app_pk, "user_id": user_id})


async def taken_ids(session: AsyncSession, ids: list[str]) -> set[str]:
    """Which of `ids` name a collaborator already, in any app."""
    return set(await session.scalars(select(Collaborator.id).where(Collaborator.id.in_(ids))))


def _of_app(app: AppScope, include_deleted: bool) -> Select[tuple[Collaborator]]:
    q = select(Collaborator).where(Collaborator.app_pk == app.pk)
    if not include_deleted:
        q = q.where(Collaborator.deleted_at.is_(None))
    return q.order_by(Collaborator.created_at, Collaborator.id)


async def collaborations(
    session: AsyncSession, user_id: str, *, limit: int, offset: int
) -> list[tuple[Collaborator, App]]:
    q = (
        select(Collaborator, App)
        .join(App, App.pk == Collaborator.app_pk)
        .where(Collaborator.user_id == user_id, Collaborator.deleted_at.is_(None))
        .order_by(Collaborator.created_at, Collaborator.id)
        .limit(limit)
        .offset(offset)
    )
    return [(c, a) for c, a in (await session.execute(q)).all()]


class CollaboratorStorage(AppScoped[Collaborator]):
    """The app's collaborators."""

    model = Collaborator

    async def for_app(
        self, *, include_deleted: bool, limit: int, offset: int
    ) -> list[Collaborator]:
        q = _of_app(self.app, include_deleted).limit(limit).offset(offset)
        return list(await self.session.scalars(q))

    async def live_for_app(self) -> list[Collaborator]:
        """Every live collaborator of the app (a handful: one per user shared with)."""
        return list(await self.session.scalars(_of_app(self.app, include_deleted=False)))
