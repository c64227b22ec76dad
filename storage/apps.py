"""Apps. Every app-owned row references apps.pk with ON DELETE CASCADE, so
deleting an app removes everything under it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Identity, UniqueConstraint, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps
from storage.scoped import AppScope, UserScoped


class App(Timestamps, Base):
    __tablename__ = "apps"
    __table_args__ = (UniqueConstraint("user_id", "id"),)

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


def scope_of(app: App) -> AppScope:
    return AppScope(pk=app.pk, id=app.id, user_id=app.user_id)


async def get(session: AsyncSession, user_id: str, app_id: str) -> App | None:
    return await session.scalar(select(App).where(App.user_id == user_id, App.id == app_id))


async def get_by_pk(session: AsyncSession, pk: int) -> App | None:
    return await session.get(App, pk)


async def get_many_by_pk(session: AsyncSession, pks: list[int]) -> dict[int, App]:
    rows = await session.scalars(select(App).where(App.pk.in_(pks)))
    return {a.pk: a for a in rows}


async def get_many(session: AsyncSession, user_id: str, app_ids: list[str]) -> dict[str, App]:
    rows = await session.scalars(select(App).where(App.user_id == user_id, App.id.in_(app_ids)))
    return {a.id: a for a in rows}


async def existing_ids(session: AsyncSession, user_id: str, app_ids: list[str]) -> set[str]:
    rows = await session.scalars(select(App.id).where(App.user_id == user_id, App.id.in_(app_ids)))
    return set(rows)


async def add(session: AsyncSession, apps: list[App]) -> None:
    session.add_all(apps)
    await session.flush()


async def list_(
    session: AsyncSession,
    user_id: str,
    *,
    order: list[Any],
    limit: int,
    offset: int,
    name: str = "",
    app_id: str = "",
) -> list[App]:
    q = select(App).where(App.user_id == user_id)
    if name:
        q = q.where(App.name.ilike(f"%{name}%"))
    if app_id:
        q = q.where(App.id.ilike(f"%{app_id}%"))
    rows = await session.scalars(q.order_by(*order).limit(limit).offset(offset))
    return list(rows)


async def delete_(session: AsyncSession, app: AppScope) -> None:
    await session.execute(delete(App).where(App.pk == app.pk))


class AppStorage(UserScoped):
    """The calling user's apps."""
