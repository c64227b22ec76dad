"""Users: the accounts that own apps and keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, any_of
from storage.scoped import UserScoped

# Owns clarifai/main (server/main_app.py).
BUILTIN_USER = "clarifai"


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(default="")
    first_name: Mapped[str] = mapped_column(default="")
    last_name: Mapped[str] = mapped_column(default="")
    company_name: Mapped[str] = mapped_column(default="")
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


# First-run setup reads and makes users with a session of its own:


async def get(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def create(session: AsyncSession, user_id: str, email: str = "") -> User:
    user = User(id=user_id, email=email)
    session.add(user)
    await session.flush()
    return user


async def any_exist(session: AsyncSession) -> bool:
    """Whether anyone has an account (the built-in clarifai user, owner of
    clarifai/main, does not count)."""
    q = select(exists().where(User.id != BUILTIN_USER))
    return bool(await session.scalar(q))


class UserStorage(UserScoped):
    """The calling user and the users it names."""

    async def me(self) -> User | None:
        return await get(self.session, self.user_id)

    async def get_many(self, user_ids: Iterable[str]) -> dict[str, User]:
        user_ids = list(user_ids)
        if not user_ids:
            return {}
        rows = await self.session.scalars(select(User).where(User.id == any_of(user_ids)))
        return {u.id: u for u in rows}

    async def by_email(self, email: str) -> list[User]:
        """Users with this email (compared case-insensitively); at most two,
        enough to tell a match from an ambiguity."""
        q = select(User).where(func.lower(User.email) == email.lower())
        return list(await self.session.scalars(listing.take(q, 2)))
