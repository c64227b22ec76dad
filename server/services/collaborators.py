"""PostCollaborators, ListCollaborators, PatchCollaborators,
DeleteCollaborators, ListCollaborations."""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy import func

from server import patch
from server.convert import ts
from server.dispatch import Call
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.services.apps import app_proto
from server.services.keys import check_grants
from server.services.users import user_proto
from server.status import ApiError, Code, not_found
from storage import apps as app_store
from storage import collaborators as collaborator_store
from storage import users as user_store
from storage.collaborators import Collaborator


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


async def _render(call: Call, rows: list[Collaborator]) -> list[resources_pb2.Collaborator]:
    app = await app_store.get_by_pk(call.session, call.app.pk)
    users = await user_store.get_many(call.session, [c.user_id for c in rows])
    return [collaborator_proto(c, app, users.get(c.user_id)) for c in rows]


@rpc
async def PostCollaborators(call: Call, request: service_pb2.PostCollaboratorsRequest):
    if not request.collaborators:
        raise ApiError(Code.CONN_INVALID_REQUEST, "collaborators: at least one is required")
    made: list[Collaborator] = []
    seen: set[str] = set()
    for n, sent in enumerate(request.collaborators):
        field = f"collaborators[{n}]"
        user_id = sent.user.id
        if not user_id:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{field}.user.id is required")
        if await user_store.get(call.session, user_id) is None:
            raise not_found("user", user_id)
        if user_id == call.app.user_id:
            raise ApiError(
                Code.CONN_INVALID_REQUEST, f"{field}.user.id '{user_id}' owns the app already"
            )
        if user_id in seen or await collaborator_store.live_grant(
            call.session, call.app.pk, user_id
        ):
            raise ApiError(
                Code.DATABASE_DUPLICATE_KEY, f"{field}: '{user_id}' is a collaborator already"
            )
        seen.add(user_id)
        if not sent.scopes and not sent.endpoints:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"{field}.scopes: give at least one scope")
        check_grants(list(sent.scopes), list(sent.endpoints), field)
        row = Collaborator(
            id=sent.id or new_id(),
            app_pk=call.app.pk,
            user_id=user_id,
            scopes=list(sent.scopes),
            endpoints=list(sent.endpoints),
        )
        call.session.add(row)
        made.append(row)
    await call.session.flush()
    for row in made:
        await call.session.refresh(row)
    return service_pb2.MultiCollaboratorsResponse(collaborators=await _render(call, made))


@rpc
async def ListCollaborators(call: Call, request: service_pb2.ListCollaboratorsRequest):
    page = page_of(request)
    rows = await collaborator_store.for_app(
        call.session,
        call.app,
        include_deleted=request.list_all_collaborators,
        limit=page.limit,
        offset=page.offset,
    )
    owner = await user_store.get(call.session, call.app.user_id)
    return service_pb2.MultiCollaboratorsResponse(
        collaborators=await _render(call, rows), app_owner=user_proto(owner)
    )


def _match(rows: list[Collaborator], sent: resources_pb2.Collaborator) -> Collaborator | None:
    for row in rows:
        if (sent.id and row.id == sent.id) or (sent.user.id and row.user_id == sent.user.id):
            return row
    return None


@rpc
async def PatchCollaborators(call: Call, request: service_pb2.PatchCollaboratorsRequest):
    patch.check_action(request.action, (patch.OVERWRITE,), "collaborators")
    if not request.collaborators:
        raise ApiError(Code.CONN_INVALID_REQUEST, "collaborators: at least one is required")
    live = await collaborator_store.live_for_app(call.session, call.app)
    patched: list[Collaborator] = []
    for n, sent in enumerate(request.collaborators):
        field = f"collaborators[{n}]"
        row = _match(live, sent)
        if row is None:
            raise not_found("collaborator", sent.id or sent.user.id or f"{field} (no id)")
        check_grants(list(sent.scopes), list(sent.endpoints), field)
        row.scopes, row.endpoints = list(sent.scopes), list(sent.endpoints)
        row.modified_at = func.now()
        patched.append(row)
    await call.session.flush()
    for row in patched:
        await call.session.refresh(row)
    return service_pb2.MultiCollaboratorsResponse(collaborators=await _render(call, patched))


@rpc
async def DeleteCollaborators(call: Call, request: service_pb2.DeleteCollaboratorsRequest):
    if not request.collaborator_ids and not request.user_emails:
        raise ApiError(
            Code.CONN_INVALID_REQUEST, "collaborator_ids or user_emails: give at least one"
        )
    live = await collaborator_store.live_for_app(call.session, call.app)
    users = await user_store.get_many(call.session, [c.user_id for c in live])
    by_email = {users[c.user_id].email: c for c in live if users.get(c.user_id)}
    doomed: list[Collaborator] = []
    for n, ident in enumerate(request.collaborator_ids):
        row = next((c for c in live if ident in (c.id, c.user_id)), None)
        if row is None:
            raise not_found("collaborator", f"collaborator_ids[{n}] '{ident}'")
        doomed.append(row)
    for n, email in enumerate(request.user_emails):
        if email not in by_email:
            raise not_found("collaborator", f"user_emails[{n}] '{email}'")
        doomed.append(by_email[email])
    for row in doomed:
        row.deleted_at = func.now()
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
