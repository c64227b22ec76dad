"""Who is calling, which app they act on, and whether they may.

The dispatcher calls `authorize` once per call, with the method's auth type
and depending scopes taken from the contract; handlers never check keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from server.contract import AuthType, Method
from server.status import ApiError, Code, not_found
from storage import apps as app_store
from storage import collaborators as collaborator_store
from storage import keys as key_store
from storage.apps import AppScope

ALL = "All"
MALFORMED = (
    "Empty or malformed authorization header. Please provide an API key or session token."
)


@dataclass(frozen=True)
class Caller:
    user_id: str
    key_type: str
    key_app_pk: int | None
    scopes: frozenset[str]
    endpoints: frozenset[str]

    @property
    def is_app_key(self) -> bool:
        return self.key_type == key_store.APP_KEY


@dataclass
class Access:
    """The outcome of authorization: the caller, the app (when the request
    names one), and the scopes the caller holds there."""

    caller: Caller | None
    app: AppScope | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    endpoints: frozenset[str] = field(default_factory=frozenset)
    is_owner: bool = False


def parse_header(value: str | None) -> str:
    """The token of an `authorization: Key <token>` header."""
    if not value:
        raise ApiError(Code.CONN_INVALID_REQUEST, MALFORMED)
    parts = value.strip().split()
    if len(parts) != 2 or parts[0].lower() not in ("key", "bearer") or not parts[1]:
        raise ApiError(Code.CONN_INVALID_REQUEST, MALFORMED)
    return parts[1]


async def caller_for(session: AsyncSession, header: str | None) -> Caller:
    token = parse_header(header)
    key = await key_store.by_token(session, token)
    now = datetime.now(UTC)
    if key is None or (key.expires_at is not None and key.expires_at <= now):
        raise ApiError(Code.CONN_KEY_INVALID, "API key not found or expired")
    return Caller(
        user_id=key.user_id,
        key_type=key.type,
        key_app_pk=key.app_pk,
        scopes=frozenset(key.scopes),
        endpoints=frozenset(key.endpoints),
    )


def _holds(scopes: frozenset[str], endpoints: frozenset[str], method: Method) -> bool:
    if ALL in scopes or method.path in endpoints:
        return True
    return all(s in scopes for s in method.scopes)


def _intersect(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    if ALL in a:
        return b
    if ALL in b:
        return a
    return a & b


async def authorize(
    session: AsyncSession, method: Method, header: str | None, user_id: str, app_id: str
) -> Access:
    """Resolve and check the caller for `method` acting on user_id/app_id (as
    the request names them; empty when the request has no user_app_id)."""
    if method.auth_type == AuthType.NoAuth:
        return Access(caller=None)
    caller = await caller_for(session, header)
    if method.auth_type in (AuthType.PATAuth, AuthType.SessionTokenAuth) and caller.is_app_key:
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES,
            f"{method.name} needs a Personal Access Token; app-specific keys cannot call it",
        )
    if user_id in ("", "me"):
        user_id = caller.user_id

    app = None
    if caller.is_app_key:
        # An app key implies its app; naming another one is a key/app mismatch.
        key_app = await app_store.get_by_pk(session, caller.key_app_pk or 0)
        if key_app is None:
            raise ApiError(Code.CONN_KEY_INVALID, "the key's app no longer exists")
        if (app_id and app_id != key_app.id) or user_id != key_app.user_id:
            raise ApiError(
                Code.CONN_KEY_INVALID,
                f"this key is for app '{key_app.id}' of user '{key_app.user_id}', "
                f"not app '{app_id or '(none)'}' of user '{user_id}'",
            )
        app = key_app
    elif app_id:
        app = await app_store.get(session, user_id, app_id)
        if app is None:
            raise not_found("app", f"{user_id}/{app_id}")
    elif user_id != caller.user_id:
        raise not_found("user", user_id)

    scopes, endpoints, owner = caller.scopes, caller.endpoints, True
    if app is not None and app.user_id != caller.user_id:
        grant = await collaborator_store.live_grant(session, app.pk, caller.user_id)
        if grant is None:
            raise not_found("app", f"{user_id}/{app_id}")
        scopes = _intersect(scopes, frozenset(grant.scopes))
        endpoints = endpoints & frozenset(grant.endpoints)
        owner = False
    if not _holds(scopes, endpoints, method):
        missing = [s for s in method.scopes if s not in scopes]
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES,
            f"{method.name} needs the scopes {', '.join(missing)} (or the endpoint {method.path})",
        )
    return Access(
        caller=caller,
        app=app_store.scope_of(app) if app is not None else None,
        scopes=scopes,
        endpoints=endpoints,
        is_owner=owner,
    )
