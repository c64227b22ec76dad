"""Users: the accounts that own apps and keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.scoped import UserScoped


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(default="")
    first_name: Mapped[str] = mapped_column(default="")
    last_name: Mapped[str] = mapped_column(default="")
    company_name: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


async def get(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def by_email(session: AsyncSession, email: str) -> list[User]:
    """Users with this email (compared case-insensitively); at most two, enough
    to tell a match from an ambiguity."""
    rows = await session.scalars(
        select(User).where(func.lower(User.email) == email.lower()).limit(2)
    )
    return list(rows)


async def get_many(session: AsyncSession, user_ids: list[str]) -> dict[str, User]:
    rows = await session.scalars(select(User).where(User.id.in_(user_ids)))
    return {u.id: u for u in rows}


async def create(session: AsyncSession, user_id: str, email: str = "") -> User:
    user = User(id=user_id, email=email)
    session.add(user)
    await session.flush()
    return user


class UserStorage(UserScoped):
    """The calling user and the users it names."""
