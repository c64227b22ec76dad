"""PostCollaborators, ListCollaborators, PatchCollaborators,
DeleteCollaborators, ListCollaborations.

A collaborator is another user given some scopes on an app; with their own
PAT (or an app key they make for the app) they act there with the
intersection of those scopes and their key's. Deleting a collaborator marks
the row deleted: access ends at once, and `list_all_collaborators` still
shows it. Each call is atomic.
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy import func

from server import patch
from server.convert import ts
from server.dispatch import Call
from server.ids import id_or_new
from server.pagination import page_of
from server.services import rpc
from server.services.apps import app_proto
from server.services.keys import check_grants
from server.services.users import user_proto
from server.status import ApiError, Code, check_batch_size
from storage import apps as app_store
from storage import collaborators as collaborator_store
from storage import users as user_store
from storage.collaborators import Collaborator

MAX_BATCH = 128


def missing(at: str, value: str, why: str = "not found") -> ApiError:
    return ApiError(Code.CONN_DOES_NOT_EXIST, f"{at} '{value}' {why}")


def collaborator_proto(
    c: Collaborator, app: app_store.App, user: user_store.User | None
) -> resources_pb2.Collaborator:
    return resources_pb2.Collaborator(
        id=c.id,
        app=app_proto(app),
        user=user_proto(user) if user else resources_pb2.User(id=c.user_id),
        scopes=c.scopes,
        endpoints=c.endpoints,
        created_at=ts(c.created_at),
        modified_at=ts(c.modified_at),
        deleted_at=ts(c.deleted_at),
    )


def _protos(
    call: Call, rows: list[Collaborator], users: dict[str, user_store.User]
) -> list[resources_pb2.Collaborator]:
    return [collaborator_proto(c, call.app_row, users.get(c.user_id)) for c in rows]


async def _render(call: Call, rows: list[Collaborator]) -> list[resources_pb2.Collaborator]:
    users = await user_store.get_many(call.session, [c.user_id for c in rows])
    return _protos(call, rows, users)


def _check_scopes(call: Call, sent: resources_pb2.Collaborator, at: str) -> None:
    if not sent.scopes and not sent.endpoints:
        raise ApiError(
            Code.CONN_INVALID_REQUEST, f"{at}.scopes: give at least one scope or endpoint"
        )
    check_grants(list(sent.scopes), list(sent.endpoints), at)
    call.access.check_delegable(sent.scopes, sent.endpoints, at)


async def _users_named(call: Call, sent: list[resources_pb2.User]) -> dict[str, user_store.User]:
    """The users the request names by id, in one query."""
    return await user_store.get_many(call.session, [u.id for u in sent if u.id])


async def _user_of(
    call: Call, sent: resources_pb2.User, by_id: dict[str, user_store.User], at: str
) -> user_store.User:
    """The invited user, by user.id (among `by_id`, prefetched) or else by
    user.primary_email."""
    if sent.id:
        user = by_id.get(sent.id)
        if user is None:
            raise missing(f"{at}.id", sent.id)
        return user
    if sent.primary_email:
        found = await user_store.by_email(call.session, sent.primary_email)
        if len(found) != 1:
            raise missing(f"{at}.primary_email", sent.primary_email)
        return found[0]
    raise ApiError(Code.CONN_INVALID_REQUEST, f"{at}.id or {at}.primary_email is required")


@rpc
async def PostCollaborators(call: Call, request: service_pb2.PostCollaboratorsRequest):
    check_batch_size(request.collaborators, "collaborators", MAX_BATCH)
    by_id = await _users_named(call, [c.user for c in request.collaborators])
    live = await call.store.collaborators.live_for_app()
    sharing = {c.user_id for c in live}
    made: list[Collaborator] = []
    ids: dict[str, int] = {}
    for n, sent in enumerate(request.collaborators):
        at = f"collaborators[{n}]"
        user = await _user_of(call, sent.user, by_id, f"{at}.user")
        if user.id == call.app.user_id:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{at}.user '{user.id}' owns the app already")
        if user.id in sharing:
            raise ApiError(
                Code.DATABASE_DUPLICATE_KEY, f"{at}.user '{user.id}' is a collaborator already"
            )
        sharing.add(user.id)
        _check_scopes(call, sent, at)
        collaborator_id = id_or_new(sent.id, f"{at}.id")
        if collaborator_id in ids:
            raise ApiError(
                Code.DATABASE_DUPLICATE_KEY, f"{at}.id '{collaborator_id}' is taken already"
            )
        ids[collaborator_id] = n
        made.append(
            Collaborator(
                id=collaborator_id,
                app_pk=call.app.pk,
                user_id=user.id,
                scopes=list(sent.scopes),
                endpoints=list(sent.endpoints),
            )
        )
    # Collaborator ids are unique across apps.
    if taken := await collaborator_store.taken_ids(call.session, list(ids)):
        first = min(taken, key=ids.__getitem__)
        raise ApiError(
            Code.DATABASE_DUPLICATE_KEY,
            f"collaborators[{ids[first]}].id '{first}' is taken already",
        )
    call.session.add_all(made)
    await call.session.flush()
    return service_pb2.MultiCollaboratorsResponse(collaborators=await _render(call, made))


@rpc
async def ListCollaborators(call: Call, request: service_pb2.ListCollaboratorsRequest):
    page = page_of(request)
    rows = await call.store.collaborators.for_app(
        include_deleted=request.list_all_collaborators,
        limit=page.limit,
        offset=page.offset,
    )
    users = await user_store.get_many(call.session, [call.app.user_id, *(c.user_id for c in rows)])
    return service_pb2.MultiCollaboratorsResponse(
        collaborators=_protos(call, rows, users), app_owner=user_proto(users[call.app.user_id])
    )


async def _match(
    call: Call,
    live: list[Collaborator],
    by_id: dict[str, user_store.User],
    sent: resources_pb2.Collaborator,
    at: str,
) -> Collaborator:
    """A live collaborator of the app, by id, user.id or user.primary_email."""
    if sent.id:
        row = next((c for c in live if c.id == sent.id), None)
        at, ident = f"{at}.id", sent.id
    elif sent.user.id or sent.user.primary_email:
        user = await _user_of(call, sent.user, by_id, f"{at}.user")
        row = next((c for c in live if c.user_id == user.id), None)
        at, ident = f"{at}.user", user.id
    else:
        raise ApiError(Code.CONN_INVALID_REQUEST, f"{at}.id or {at}.user.id is required")
    if row is None:
        raise missing(at, ident, "is not a collaborator of this app")
    return row


@rpc
async def PatchCollaborators(call: Call, request: service_pb2.PatchCollaboratorsRequest):
    """Overwrite: the scopes and endpoints sent replace the collaborator's."""
    patch.check_action(request.action, (patch.OVERWRITE,), "collaborators")
    check_batch_size(request.collaborators, "collaborators", MAX_BATCH)
    live = await call.store.collaborators.live_for_app()
    by_id = await _users_named(call, [c.user for c in request.collaborators if not c.id])
    patched: list[Collaborator] = []
    for n, sent in enumerate(request.collaborators):
        at = f"collaborators[{n}]"
        row = await _match(call, live, by_id, sent, at)
        if row in patched:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{at}: collaborator '{row.id}' is repeated")
        _check_scopes(call, sent, at)
        row.scopes, row.endpoints = list(sent.scopes), list(sent.endpoints)
        row.modified_at = func.now()
        patched.append(row)
    await call.session.flush()
    return service_pb2.MultiCollaboratorsResponse(collaborators=await _render(call, patched))


@rpc
async def DeleteCollaborators(call: Call, request: service_pb2.DeleteCollaboratorsRequest):
    """By collaborator id (or the collaborator's user id) and by user email."""
    if not request.collaborator_ids and not request.user_emails:
        raise ApiError(
            Code.CONN_INVALID_REQUEST, "collaborator_ids or user_emails: give at least one"
        )
    live = await call.store.collaborators.live_for_app()
    users = await user_store.get_many(call.session, [c.user_id for c in live])
    doomed: list[Collaborator] = []
    for n, ident in enumerate(request.collaborator_ids):
        row = next((c for c in live if ident in (c.id, c.user_id)), None)
        if row is None:
            raise missing(f"collaborator_ids[{n}]", ident, "is not a collaborator of this app")
        doomed.append(row)
    for n, email in enumerate(request.user_emails):
        row = next(
            (
                c
                for c in live
                if email and c.user_id in users and users[c.user_id].email.lower() == email.lower()
            ),
            None,
        )
        if row is None:
            raise missing(f"user_emails[{n}]", email, "is not a collaborator of this app")
        doomed.append(row)
    for row in doomed:
        row.deleted_at = func.now()
        row.modified_at = func.now()
    return status_pb2.BaseResponse()


@rpc
async def ListCollaborations(call: Call, request: service_pb2.ListCollaborationsRequest):
    page = page_of(request)
    rows = await collaborator_store.collaborations(
        call.session, call.user_id, limit=page.limit, offset=page.offset
    )
    owners = await user_store.get_many(call.session, [a.user_id for _, a in rows])
    return service_pb2.MultiCollaborationsResponse(
        collaborations=[
            resources_pb2.Collaboration(
                app=app_proto(app),
                app_owner=user_proto(owners[app.user_id]),
                scopes=c.scopes,
                endpoints=c.endpoints,
                created_at=ts(c.created_at),
            )
            for c, app in rows
        ]
    )
