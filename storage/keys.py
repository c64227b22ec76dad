"""API keys and Personal Access Tokens, stored by the SHA-256 of the token.

The token is shown once, in the PostKeys response. Afterwards a key shows a
masked id (its first PREFIX characters, then stars) and is addressed by its
owner with either the full token or that masked id.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, Text, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.apps import App
from storage.base import Base, Timestamps
from storage.scoped import UserScoped

APP_KEY = "app_specific_key"
PAT = "personal_access_token"
KEY_TYPES = (APP_KEY, PAT)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Visible characters of a masked id; unique among one user's keys.
PREFIX = 4
MASK = "*"


def masked(prefix: str, length: int = 32) -> str:
    return prefix + MASK * max(length - len(prefix), 0)


def visible_part(key_id: str) -> str | None:
    """The prefix a masked id shows, or None when `key_id` is not masked."""
    if MASK not in key_id:
        return None
    return key_id.split(MASK, 1)[0]


class Key(Timestamps, Base):
    __tablename__ = "keys"

    hash: Mapped[str] = mapped_column(primary_key=True)
    # First characters of the token: the visible part of the masked id.
    prefix: Mapped[str]
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Set for app-specific keys: the one app they reach.
    app_pk: Mapped[int | None] = mapped_column(
        ForeignKey("apps.pk", ondelete="CASCADE"), index=True
    )
    type: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    scopes: Mapped[list[str]]
    endpoints: Mapped[list[str]]
    expires_at: Mapped[datetime | None]


async def by_token(session: AsyncSession, token: str) -> Key | None:
    return await session.get(Key, token_hash(token))


# Every call runs this, so it is built once: making the statement costs
# about as much as running it. An empty user_id names the key's owner.
_NAMED_USER = func.coalesce(func.nullif(bindparam("user_id", type_=Text()), ""), Key.user_id)
_KEY_AND_APP = (
    select(Key, App)
    .outerjoin(
        App,
        or_(
            App.pk == Key.app_pk,
            and_(
                Key.app_pk.is_(None),
                App.user_id == _NAMED_USER,
                App.id == bindparam("app_id"),
            ),
        ),
    )
    .where(Key.hash == bindparam("hash"))
)


async def with_target_app(
    session: AsyncSession, token: str, user_id: str, app_id: str
) -> tuple[Key | None, App | None]:
    """The key of `token` and, in the same round trip, the app the call acts
    on: an app key's own app; for a PAT, app `app_id` of user `user_id` (of
    the key's owner when empty), if there is one."""
    params = {"hash": token_hash(token), "user_id": user_id, "app_id": app_id}
    row = (await session.execute(_KEY_AND_APP, params)).first()
    return (row[0], row[1]) if row is not None else (None, None)


async def by_prefix(session: AsyncSession, user_id: str, prefix: str) -> list[Key]:
    rows = await session.scalars(
        select(Key).where(Key.user_id == user_id, Key.prefix == prefix).limit(2)
    )
    return list(rows)


async def prefixes(session: AsyncSession, user_id: str) -> set[str]:
    """The visible parts of the masked ids of a user's keys."""
    return set(await session.scalars(select(Key.prefix).where(Key.user_id == user_id)))


async def for_user(
    session: AsyncSession,
    user_id: str,
    *,
    limit: int,
    offset: int,
    app_pk: int | None = None,
    key_type: str = "",
    not_expired_at: datetime | None = None,
) -> list[Key]:
    q = select(Key).where(Key.user_id == user_id)
    if app_pk is not None:
        q = q.where(Key.app_pk == app_pk)
    if key_type:
        q = q.where(Key.type == key_type)
    if not_expired_at is not None:
        q = q.where((Key.expires_at.is_(None)) | (Key.expires_at > not_expired_at))
    rows = await session.scalars(q.order_by(Key.created_at, Key.hash).limit(limit).offset(offset))
    return list(rows)


def new(
    *,
    token: str,
    user_id: str,
    key_type: str,
    app_pk: int | None,
    scopes: list[str],
    endpoints: list[str],
    description: str = "",
    expires_at: datetime | None = None,
) -> Key:
    return Key(
        hash=token_hash(token),
        prefix=token[:PREFIX],
        user_id=user_id,
        app_pk=app_pk,
        type=key_type,
        description=description,
        scopes=scopes,
        endpoints=endpoints,
        expires_at=expires_at,
    )


async def add(session: AsyncSession, keys: list[Key]) -> None:
    session.add_all(keys)
    await session.flush()


class KeyStorage(UserScoped):
    """The calling user's keys."""
