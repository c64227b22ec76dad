"""API keys and Personal Access Tokens, stored by the SHA-256 of the token.

The token is shown once, in the PostKeys response. Afterwards a key shows a
masked id (its first PREFIX characters, then stars) and is addressed by its
owner with either the full token or that masked id.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps

APP_KEY = "app_specific_key"
PAT = "personal_access_token"


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


async def by_prefix(session: AsyncSession, user_id: str, prefix: str) -> list[Key]:
    rows = await session.scalars(
        select(Key).where(Key.user_id == user_id, Key.prefix == prefix).limit(2)
    )
    return list(rows)


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


async def create(
    session: AsyncSession,
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
    key = Key(
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
    session.add(key)
    await session.flush()
    return key
