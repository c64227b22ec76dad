"""API keys and Personal Access Tokens, stored by the SHA-256 of the token.

The token is shown once, in the PostKeys response; afterwards keys are
addressed by the token (hashed on the way in) and listed with a masked id.
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


def masked(prefix: str) -> str:
    return prefix + "*" * 28


class Key(Timestamps, Base):
    __tablename__ = "keys"

    hash: Mapped[str] = mapped_column(primary_key=True)
    # First 4 characters of the token, for recognising a key in lists.
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
        prefix=token[:4],
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
