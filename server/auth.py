"""Who is calling, which app they act on, and whether they may.

The dispatcher calls `authorize` once per call, with the method's auth type
and depending scopes taken from the contract; handlers never check keys.

Order of the checks, each with the reference's code:
1. the `authorization: Key <token>` header is present and well formed
   (CONN_INVALID_REQUEST), the token is a live key (CONN_KEY_INVALID);
2. PAT-only methods refuse app-specific keys (CONN_INSUFFICIENT_SCOPES);
3. the app or user the request names is the caller's, shared with the caller,
   public (a PAT caller reads a PUBLIC app, such as clarifai/main), or (for an
   app key) the key's own app: otherwise CONN_DOES_NOT_EXIST (a PAT; other
   users' private apps are invisible) or CONN_KEY_INVALID (an app key naming
   another app);
4. every grant on the way (the key's, and the collaborator's when the app is
   shared, or the public grant on a public app) allows the method
   (CONN_INSUFFICIENT_SCOPES).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession

from server import contract
from server.contract import AuthType, Method
from server.status import ApiError, Code, not_found
from storage import apps as app_store
from storage import collaborators as collaborator_store
from storage import keys as key_store
from storage.apps import PUBLIC, App, AppScope
from storage.auth_cache import AuthCache

ALL = "All"
ME = "me"
MALFORMED = "Empty or malformed authorization header. Please provide an API key or session token."
UNKNOWN_KEY = "API key not found, expired or revoked"


@cache
def implied(scope: str) -> tuple[str, ...]:
    """Scopes that come with `scope`: X_Add brings X_Get; X_Delete brings
    X_Add and X_Get (the reference's dependency rules)."""
    resource, _, op = scope.rpartition("_")
    wanted = {"Add": ("Get",), "Delete": ("Add", "Get")}.get(op, ())
    known = set(contract.scope_names())
    return tuple(f"{resource}_{w}" for w in wanted if f"{resource}_{w}" in known)


def closure(scopes: Iterable[str]) -> frozenset[str]:
    out = set(scopes)
    for scope in list(out):
        out.update(implied(scope))
    return frozenset(out)


@dataclass(frozen=True)
class Grant:
    """Scopes and endpoint paths, as a key or a collaborator holds them."""

    scopes: frozenset[str]
    endpoints: frozenset[str]

    @classmethod
    def of(cls, scopes: Iterable[str], endpoints: Iterable[str]) -> Grant:
        return cls(closure(scopes), frozenset(endpoints))

    @property
    def everything(self) -> bool:
        return ALL in self.scopes

    def holds(self, scope: str) -> bool:
        return self.everything or scope in self.scopes

    def allows(self, method: Method) -> bool:
        return method.path in self.endpoints or all(self.holds(s) for s in method.scopes)


# What anyone with a PAT may do in a public app that is not theirs: read it
# and predict with its models (the reference's community models).
PUBLIC_GRANT = Grant.of(("Apps_Get", "Models_Get", "Concepts_Get", "Workflows_Get", "Predict"), ())
# Calls naming another user without an app that list that user's public apps'
# rows (their handlers read Access.named_user).
PUBLIC_USER_LISTS = frozenset({"ListModels"})


@dataclass(frozen=True)
class Caller:
    user_id: str
    key_type: str
    grant: Grant

    @property
    def is_app_key(self) -> bool:
        return self.key_type == key_store.APP_KEY


@dataclass
class Access:
    """The outcome of authorization: the caller, the app (when the request
    names one or the key implies it), and the grants the caller acts under
    there: the key's own, plus the collaborator's on a shared app. A method
    is allowed when every grant allows it, so a collaborator gets the
    intersection of both."""

    caller: Caller | None
    app: AppScope | None = None
    # The app's row as authorization loaded it: handlers read it from here,
    # and holding it keeps it in the session's (weakly referencing) identity
    # map, so loading it by pk again costs no query.
    app_row: App | None = None
    grants: tuple[Grant, ...] = ()
    is_owner: bool = False
    # Another user a call without an app names (PUBLIC_USER_LISTS only).
    named_user: str = ""

    # Without any grant (an open method's call) nothing is held.
    def allows(self, method: Method) -> bool:
        return bool(self.grants) and all(g.allows(method) for g in self.grants)

    def holds(self, scope: str) -> bool:
        return bool(self.grants) and all(g.holds(scope) for g in self.grants)

    @property
    def everything(self) -> bool:
        return bool(self.grants) and all(g.everything for g in self.grants)

    @property
    def scopes(self) -> list[str]:
        """Held scopes, expanded: "All" (when held) then every scope it covers."""
        held = [s for s in contract.scope_names() if s != ALL and self.holds(s)]
        return [ALL, *held] if self.everything else held

    @property
    def endpoints(self) -> list[str]:
        """Paths of the methods these grants let the caller's key call."""
        app_key = self.caller is not None and self.caller.is_app_key
        return [
            m.path
            for m in contract.methods().values()
            if m.auth_type != AuthType.NoAuth
            and not (app_key and m.auth_type != AuthType.KeyAuth)
            and self.allows(m)
        ]

    def sharing(self, collaborator: Grant) -> Access:
        """These grants plus a collaborator's on an app shared with the caller."""
        return Access(self.caller, grants=(*self.grants, collaborator))

    def check_delegable(
        self, scopes: Iterable[str], endpoints: Iterable[str], at: str, where: str = ""
    ) -> None:
        """A caller hands on only what it holds: a key or a collaborator it
        creates gets no scope or endpoint beyond the caller's own here
        (`where` names the app shared with the caller these grants hold on)."""
        refused = [
            f"{at}.scopes[{n}] '{scope}'"
            for n, scope in enumerate(scopes)
            if not (self.everything if scope == ALL else self.holds(scope))
        ]
        if refused:
            verb = "is" if len(refused) == 1 else "are"
            raise ApiError(
                Code.CONN_INSUFFICIENT_SCOPES,
                f"{', '.join(refused)} {verb} not held by the caller{where}, so cannot be given",
            )
        paths = contract.methods_by_path()
        for n, path in enumerate(endpoints):
            if path in paths and not self.allows(paths[path]):
                raise ApiError(
                    Code.CONN_INSUFFICIENT_SCOPES,
                    f"{at}.endpoints[{n}] '{path}' is not allowed to the caller{where}, "
                    "so it cannot be given",
                )


def parse_header(value: str | None) -> str:
    """The token of an `authorization: Key <token>` header."""
    if not value:
        raise ApiError(Code.CONN_INVALID_REQUEST, MALFORMED)
    parts = value.strip().split()
    if len(parts) != 2 or parts[0].lower() not in ("key", "bearer") or not parts[1]:
        raise ApiError(Code.CONN_INVALID_REQUEST, MALFORMED)
    return parts[1]


def _caller(key: key_store.Key | None) -> Caller:
    if key is None or (key.expires_at is not None and key.expires_at <= datetime.now(UTC)):
        raise ApiError(Code.CONN_KEY_INVALID, UNKNOWN_KEY)
    return Caller(
        user_id=key.user_id,
        key_type=key.type,
        grant=Grant.of(key.scopes, key.endpoints),
    )


def _target(caller: Caller, found: App | None, user_id: str, app_id: str) -> App | None:
    """The app the request acts on, or None for a call about the caller
    itself. `found` is what the key's lookup joined: an app key's own app,
    or for a PAT the app named. `user_id` "me" (or empty) is the caller; for
    an app key, the owner of the key's app."""
    if caller.is_app_key:
        if found is None:
            raise ApiError(Code.CONN_KEY_INVALID, UNKNOWN_KEY)
        named = found.user_id if user_id in ("", ME) else user_id
        if named != found.user_id or (app_id and app_id != found.id):
            raise ApiError(
                Code.CONN_KEY_INVALID,
                f"this app-specific key is for app '{found.id}' of user '{found.user_id}', "
                f"not for app '{app_id or found.id}' of user '{named}'",
            )
        return found
    named = caller.user_id if user_id in ("", ME) else user_id
    if app_id:
        if found is None:
            raise not_found("app", f"{named}/{app_id}")
        return found
    if named != caller.user_id:
        # Other users are as invisible as their apps.
        raise not_found("user", named)
    return None


async def _key_and_app(
    session: AsyncSession, cache: AuthCache, token: str, user_id: str, app_id: str
) -> tuple[key_store.Key | None, App | None]:
    """with_target_app through the process's cache. What it keeps leaves the
    session: a call changing the app changes its own copy only."""

    async def read() -> tuple[key_store.Key | None, App | None]:
        found = await key_store.with_target_app(session, token, user_id, app_id)
        for row in found:
            if row is not None:
                session.expunge(row)
        return found

    return await cache.get(("key", token, user_id, app_id), read)


async def authenticate(session: AsyncSession, cache: AuthCache, header: str | None) -> Caller:
    """The caller a header names (check 1 alone): for calls that go no
    further, such as the reference's RPCs this server does not serve."""
    key, _ = await _key_and_app(session, cache, parse_header(header), "", "")
    return _caller(key)


async def authorize(
    session: AsyncSession,
    cache: AuthCache,
    method: Method,
    header: str | None,
    user_id: str,
    app_id: str,
) -> Access:
    """Resolve and check the caller for `method` acting on user_id/app_id (as
    the request names them; empty when the request has no user_app_id)."""
    if method.auth_type == AuthType.NoAuth:
        return Access(caller=None)
    key, found = await _key_and_app(
        session, cache, parse_header(header), "" if user_id == ME else user_id, app_id
    )
    caller = _caller(key)
    if caller.is_app_key and method.auth_type != AuthType.KeyAuth:
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES,
            f"{method.name} needs a Personal Access Token; app-specific keys cannot call it",
        )
    other = _other_user(caller, method, user_id, app_id)
    if other:
        access = Access(caller, grants=(caller.grant, PUBLIC_GRANT), named_user=other)
        return _allowed(access, method, " of another user")
    app = _target(caller, found, user_id, app_id)
    grants: list[Grant] = [caller.grant]
    owner = app is None or app.user_id == caller.user_id
    where = ""
    if not owner:
        assert app is not None
        grant, where = await _guest_grant(session, cache, caller, app)
        grants.append(grant)
    access = Access(
        caller=caller,
        app=app_store.scope_of(app) if app is not None else None,
        app_row=app,
        grants=tuple(grants),
        is_owner=owner,
    )
    return _allowed(access, method, where)


def stored_key_access(key: key_store.Key | None, app: App, method: Method) -> Access:
    """What a stored key (a collector's post-inputs key, found among the
    app owner's keys) lets its holder do in `app`, checked for `method` as
    a call with its token would be: it must still exist, not be expired,
    reach the app, and hold the method's scopes."""
    caller = _caller(key)
    assert key is not None  # _caller refuses a missing key
    if key.app_pk is not None and key.app_pk != app.pk:
        raise ApiError(Code.CONN_KEY_INVALID, f"the key is for another app than '{app.id}'")
    access = Access(
        caller=caller,
        app=app_store.scope_of(app),
        app_row=app,
        grants=(caller.grant,),
        is_owner=caller.user_id == app.user_id,
    )
    return _allowed(access, method, "")


def _other_user(caller: Caller, method: Method, user_id: str, app_id: str) -> str:
    """The other user a PAT's call names without an app, for the calls that
    list another user's public rows; "" otherwise."""
    if caller.is_app_key or app_id or user_id in ("", ME, caller.user_id):
        return ""
    return user_id if method.name in PUBLIC_USER_LISTS else ""


async def _guest_grant(
    session: AsyncSession, cache: AuthCache, caller: Caller, app: App
) -> tuple[Grant, str]:
    """What a caller holds in another user's app: a collaborator's grant, or
    the public grant in a public app (a PAT's; an app key never gets here)."""

    async def read() -> Grant | None:
        shared = await collaborator_store.live_grant(session, app.pk, caller.user_id)
        return None if shared is None else Grant.of(shared.scopes, shared.endpoints)

    shared = await cache.get(("collaborator", app.pk, caller.user_id), read)
    if shared is not None:
        return shared, " in an app shared with you"
    if app.visibility == PUBLIC:
        return PUBLIC_GRANT, " in a public app"
    raise not_found("app", f"{app.user_id}/{app.id}")


def _allowed(access: Access, method: Method, where: str) -> Access:
    if not access.allows(method):
        missing = [s for s in method.scopes if not access.holds(s)]
        raise ApiError(
            Code.CONN_INSUFFICIENT_SCOPES,
            f"{method.name} needs the scopes {', '.join(missing)}{where} "
            f"(or the endpoint {method.path})",
        )
    return access
