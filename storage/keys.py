"""API keys and Personal Access Tokens, stored by the SHA-256 of the token.

The token is shown once, in the PostKeys response. Afterwards a key shows a
masked id (its first PREFIX characters, then stars) and is addressed by its
owner with either the full token or that masked id.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Text, and_, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.apps import App
from storage.base import Base, Timestamps
from storage.listing import Order, Page
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
    __table_args__ = (
        # ListKeys and ListAppKeys (and the foreign keys: leading user_id, app_pk).
        Index("ix_keys_user_id_created_at_hash", "user_id", "created_at", "hash"),
        Index("ix_keys_app_pk_user_id_created_at_hash", "app_pk", "user_id", "created_at", "hash"),
    )

    hash: Mapped[str] = mapped_column(primary_key=True)
    # First characters of the token: the visible part of the masked id.
    prefix: Mapped[str]
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Set for app-specific keys: the one app they reach.
    app_pk: Mapped[int | None] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    type: Mapped[str]
    description: Mapped[str] = mapped_column(default="")
    scopes: Mapped[list[str]]
    endpoints: Mapped[list[str]]
    expires_at: Mapped[datetime | None]


LIST_KEYS = Order("ListKeys", scope=[Key.user_id], columns=[Key.created_at, Key.hash])
LIST_APP_KEYS = Order(
    "ListAppKeys", scope=[Key.app_pk, Key.user_id], columns=[Key.created_at, Key.hash]
)


# Outside a request (authorization, first-run setup) keys are read and made
# with a session of their own.

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

    async def by_token(self, token: str) -> Key | None:
        key = await self.session.get(Key, token_hash(token))
        return key if key is not None and key.user_id == self.user_id else None

    async def by_hash(self, key_hash: str) -> Key | None:
        """The user's key stored under this hash (a collector keeps its
        post-inputs key so)."""
        key = await self.session.get(Key, key_hash)
        return key if key is not None and key.user_id == self.user_id else None

    async def by_prefix(self, prefix: str) -> list[Key]:
        """The keys whose masked id shows `prefix`: at most two, enough to
        tell a match from an ambiguity."""
        q = select(Key).where(Key.user_id == self.user_id, Key.prefix == prefix)
        return list(await self.session.scalars(listing.take(q, 2)))

    async def prefixes(self) -> set[str]:
        """The visible parts of the masked ids of the user's keys."""
        return set(
            await self.session.scalars(select(Key.prefix).where(Key.user_id == self.user_id))
        )

    async def page(
        self, at: Page, *, key_type: str = "", not_expired_at: datetime | None = None
    ) -> list[Key]:
        q = select(Key).where(Key.user_id == self.user_id)
        if key_type:
            q = q.where(Key.type == key_type)
        if not_expired_at is not None:
            q = q.where((Key.expires_at.is_(None)) | (Key.expires_at > not_expired_at))
        return await listing.page(self.session, q, LIST_KEYS, at)

    async def page_for_app(self, app_pk: int, at: Page) -> list[Key]:
        """The user's keys for one app."""
        q = select(Key).where(Key.app_pk == app_pk, Key.user_id == self.user_id)
        return await listing.page(self.session, q, LIST_APP_KEYS, at)

    async def apps_of(self, keys: list[Key]) -> dict[int, App]:
        """The apps of these app-specific keys, by pk (an app shared with the
        user belongs to another user)."""
        pks = sorted({k.app_pk for k in keys if k.app_pk is not None})
        if not pks:
            return {}
        return {a.pk: a for a in await self.session.scalars(select(App).where(App.pk.in_(pks)))}

    async def create(self, values: list[dict[str, Any]]) -> list[Key]:
        """New keys of the user: each dict holds `new`'s arguments but the user."""
        keys = [new(user_id=self.user_id, **v) for v in values]
        await add(self.session, keys)
        return keys

    async def update(self, key: Key, changes: dict[str, Any]) -> Key:
        q = (
            update(Key)
            .where(Key.user_id == self.user_id, Key.hash == key.hash)
            .values(changes)
            .returning(Key)
        )
        return await self.session.scalar(q, execution_options={"populate_existing": True})

    async def delete(self, key: Key) -> None:
        await self.session.execute(
            delete(Key).where(Key.user_id == self.user_id, Key.hash == key.hash)
        )
