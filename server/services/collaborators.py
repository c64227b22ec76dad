"""PostCollaborators, ListCollaborators, PatchCollaborators,
DeleteCollaborators, ListCollaborations.

A collaborator is another user given some scopes on an app; with their own
PAT (or an app key they make for the app) they act there with the
intersection of those scopes and their key's. Deleting a collaborator marks
the row deleted: access ends at once, and `list_all_collaborators` still
shows it. Each call is atomic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import patch
from server.checks import Checks
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.wire.collaborators import collaboration_proto, collaborator_proto
from server.wire.keys import grants_of
from server.wire.users import user_proto
from storage import collaborators as collaborator_store
from storage import users as user_store

check = Checks(Code.CONN_INVALID_REQUEST)

SPEC = patch.Spec("collaborators", (patch.OVERWRITE,))
Users = dict[str, user_store.User]


def missing(at: str, value: str, why: str = "not found") -> ApiError:
    return ApiError(Code.CONN_DOES_NOT_EXIST, f"{at} '{value}' {why}")


def _protos(
    call: Call, rows: list[collaborator_store.Collaborator], users: Users
) -> list[resources_pb2.Collaborator]:
    return [collaborator_proto(c, call.app_row, users.get(c.user_id)) for c in rows]


async def _render(
    call: Call, rows: list[collaborator_store.Collaborator]
) -> list[resources_pb2.Collaborator]:
    users = await call.store.users.get_many(c.user_id for c in rows)
    return _protos(call, rows, users)


def _grants(call: Call, sent: resources_pb2.Collaborator, at: str) -> dict[str, list[str]]:
    """The scopes and endpoints given: known ones, and held by the caller."""
    grants = grants_of(sent, at)
    call.access.check_delegable(sent.scopes, sent.endpoints, at)
    return grants


async def _users_named(call: Call, sent: Iterable[resources_pb2.User]) -> Users:
    """The users the request names by id, in one query."""
    return await call.store.users.get_many(u.id for u in sent if u.id)


async def _user_of(call: Call, sent: resources_pb2.User, by_id: Users, at: str) -> user_store.User:
    """The invited user, by user.id (among `by_id`, prefetched) or else by
    user.primary_email."""
    if sent.id:
        user = by_id.get(sent.id)
        if user is None:
            raise missing(f"{at}.id", sent.id)
        return user
    if sent.primary_email:
        found = await call.store.users.by_email(sent.primary_email)
        if len(found) != 1:
            raise missing(f"{at}.primary_email", sent.primary_email)
        return found[0]
    raise check.invalid(f"{at}.id or {at}.primary_email is required")


async def _new_collaborator(
    call: Call, sent: resources_pb2.Collaborator, by_id: Users, sharing: set[str], at: str
) -> dict[str, Any]:
    """The values of one collaborator to add; `sharing` holds the users the
    app is shared with so far (this one is added)."""
    user = await _user_of(call, sent.user, by_id, f"{at}.user")
    if user.id == call.app.user_id:
        raise check.invalid(f"{at}.user '{user.id}' owns the app already")
    if user.id in sharing:
        raise ApiError(
            Code.DATABASE_DUPLICATE_KEY, f"{at}.user '{user.id}' is a collaborator already"
        )
    sharing.add(user.id)
    return {"user_id": user.id, **_grants(call, sent, at)}


async def _check_free(call: Call, ids: list[str]) -> None:
    """Collaborator ids are unique across apps."""
    if taken := await call.store.collaborators.taken_ids(ids):
        n = min(ids.index(t) for t in taken)
        raise ApiError(
            Code.DATABASE_DUPLICATE_KEY, f"collaborators[{n}].id '{ids[n]}' is taken already"
        )


@rpc
async def PostCollaborators(call: Call, request: service_pb2.PostCollaboratorsRequest):
    check.batch(request.collaborators, "collaborators")
    ids = check.new_ids((c.id for c in request.collaborators), "collaborators")
    by_id = await _users_named(call, (c.user for c in request.collaborators))
    sharing = {c.user_id for c in await call.store.collaborators.live_for_app()}
    values = [
        await _new_collaborator(call, sent, by_id, sharing, f"collaborators[{n}]")
        for n, sent in enumerate(request.collaborators)
    ]
    await _check_free(call, ids)
    rows = await call.store.collaborators.create(
        [{**v, "id": i} for v, i in zip(values, ids, strict=True)]
    )
    return service_pb2.MultiCollaboratorsResponse(collaborators=await _render(call, rows))


@rpc
async def ListCollaborators(call: Call, request: service_pb2.ListCollaboratorsRequest):
    rows = await call.store.collaborators.page(
        page_of(request), include_deleted=request.list_all_collaborators
    )
    users = await call.store.users.get_many([call.app.user_id, *(c.user_id for c in rows)])
    return service_pb2.MultiCollaboratorsResponse(
        collaborators=_protos(call, rows, users), app_owner=user_proto(users[call.app.user_id])
    )


async def _match(
    call: Call,
    live: list[collaborator_store.Collaborator],
    by_id: Users,
    sent: resources_pb2.Collaborator,
    at: str,
) -> collaborator_store.Collaborator:
    """A live collaborator of the app, by id, user.id or user.primary_email."""
    if sent.id:
        row = next((c for c in live if c.id == sent.id), None)
        at, ident = f"{at}.id", sent.id
    elif sent.user.id or sent.user.primary_email:
        user = await _user_of(call, sent.user, by_id, f"{at}.user")
        row = next((c for c in live if c.user_id == user.id), None)
        at, ident = f"{at}.user", user.id
    else:
        raise check.invalid(f"{at}.id or {at}.user.id is required")
    if row is None:
        raise missing(at, ident, "is not a collaborator of this app")
    return row


@rpc
async def PatchCollaborators(call: Call, request: service_pb2.PatchCollaboratorsRequest):
    """Overwrite: the scopes and endpoints sent replace the collaborator's."""
    SPEC.check(request.action)
    check.batch(request.collaborators, "collaborators")
    live = await call.store.collaborators.live_for_app()
    by_id = await _users_named(call, (c.user for c in request.collaborators if not c.id))
    patched: list[collaborator_store.Collaborator] = []
    for n, sent in enumerate(request.collaborators):
        at = f"collaborators[{n}]"
        row = await _match(call, live, by_id, sent, at)
        if any(row.id == p.id for p in patched):
            raise check.invalid(f"{at}: collaborator '{row.id}' is repeated")
        # Scopes and endpoints are plain lists, not trees: overwrite sets them.
        changes = patch.apply(request.action, {}, _grants(call, sent, at), SPEC)
        patched.append(await call.store.collaborators.update(row, changes))
    return service_pb2.MultiCollaboratorsResponse(collaborators=await _render(call, patched))


def _by_email(
    live: list[collaborator_store.Collaborator], users: Users, email: str, n: int
) -> collaborator_store.Collaborator:
    for c in live:
        if email and c.user_id in users and users[c.user_id].email.lower() == email.lower():
            return c
    raise missing(f"user_emails[{n}]", email, "is not a collaborator of this app")


def _by_id(
    live: list[collaborator_store.Collaborator], ident: str, n: int
) -> collaborator_store.Collaborator:
    """By collaborator id, or by the collaborator's user id."""
    for c in live:
        if ident in (c.id, c.user_id):
            return c
    raise missing(f"collaborator_ids[{n}]", ident, "is not a collaborator of this app")


@rpc
async def DeleteCollaborators(call: Call, request: service_pb2.DeleteCollaboratorsRequest):
    """By collaborator id (or the collaborator's user id) and by user email."""
    if not request.collaborator_ids and not request.user_emails:
        raise check.invalid("collaborator_ids or user_emails: give at least one")
    live = await call.store.collaborators.live_for_app()
    users = await call.store.users.get_many(c.user_id for c in live)
    doomed = [_by_id(live, ident, n) for n, ident in enumerate(request.collaborator_ids)]
    doomed += [_by_email(live, users, email, n) for n, email in enumerate(request.user_emails)]
    await call.store.collaborators.delete(c.id for c in doomed)
    return status_pb2.BaseResponse()


@rpc
async def ListCollaborations(call: Call, request: service_pb2.ListCollaborationsRequest):
    rows = await call.store.collaborations.page(page_of(request))
    owners = await call.store.users.get_many(app.user_id for _, app in rows)
    return service_pb2.MultiCollaborationsResponse(
        collaborations=[collaboration_proto(c, app, owners[app.user_id]) for c, app in rows]
    )
