"""PostApps, GetApp, ListApps, PatchApps, DeleteApp."""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from sqlalchemy import func

from server import patch
from server.convert import from_struct, struct, ts
from server.dispatch import Call
from server.ids import ids_for_new
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, check_batch_size, not_found
from storage import apps as app_store
from storage import blobs
from storage.apps import App

APP_ID_MAX = 32
VISIBILITIES = set(resources_pb2.Visibility.Gettable.values())


def app_proto(app: App) -> resources_pb2.App:
    return resources_pb2.App(
        id=app.id,
        name=app.name,
        user_id=app.user_id,
        description=app.description,
        notes=app.notes,
        default_language=app.default_language,
        sample_ms=app.sample_ms,
        visibility=resources_pb2.Visibility(gettable=app.visibility),
        metadata=struct(app.metadata_),
        created_at=ts(app.created_at),
        modified_at=ts(app.modified_at),
    )


def _check_visibility(value: int, field: str) -> int:
    if value not in VISIBILITIES:
        raise ApiError(Code.CONN_INVALID_REQUEST, f"{field} {value} is not a visibility")
    return value or resources_pb2.Visibility.PRIVATE


@rpc
async def PostApps(call: Call, request: service_pb2.PostAppsRequest):
    check_batch_size(request.apps, "apps")
    rows: list[App] = []
    # ids_for_new checks the characters; app ids are also shorter than others.
    app_ids = ids_for_new((a.id for a in request.apps), "apps")
    for n, (sent, app_id) in enumerate(zip(request.apps, app_ids, strict=True)):
        if len(app_id) > APP_ID_MAX:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"apps[{n}].id '{app_id}' is longer than {APP_ID_MAX} characters",
            )
        rows.append(
            App(
                id=app_id,
                user_id=call.user_id,
                name=sent.name or app_id,
                description=sent.description,
                notes=sent.notes,
                default_language=sent.default_language or "en",
                sample_ms=sent.sample_ms,
                visibility=_check_visibility(sent.visibility.gettable, f"apps[{n}].visibility"),
                metadata_=from_struct(sent.metadata, f"apps[{n}].metadata"),
            )
        )
    taken = await app_store.existing_ids(call.session, call.user_id, app_ids)
    if taken:
        raise ApiError(
            Code.DATABASE_DUPLICATE_KEY,
            f"apps: an app with id '{sorted(taken)[0]}' already exists for user '{call.user_id}'",
        )
    await app_store.add(call.session, rows)
    return service_pb2.MultiAppResponse(apps=[app_proto(a) for a in rows])


@rpc
async def GetApp(call: Call, request: service_pb2.GetAppRequest):
    return service_pb2.SingleAppResponse(app=app_proto(call.app_row))


_SORTS = {
    "sort_by_name": App.name,
    "sort_by_modified_at": App.modified_at,
    "sort_by_created_at": App.created_at,
    "sort_by_id": App.id,
}


@rpc
async def ListApps(call: Call, request: service_pb2.ListAppsRequest):
    page = page_of(request)
    column = _SORTS.get(request.WhichOneof("sort_by") or "", App.modified_at)
    order = [column.asc() if request.sort_ascending else column.desc(), App.pk.asc()]
    rows = await app_store.list_(
        call.session,
        call.user_id,
        order=order,
        limit=page.limit,
        offset=page.offset,
        name=request.name,
        app_id=request.id,
    )
    return service_pb2.MultiAppResponse(apps=[app_proto(a) for a in rows])


@rpc
async def PatchApps(call: Call, request: service_pb2.PatchAppsRequest):
    action = patch.check_action(request.action, (patch.OVERWRITE, patch.REMOVE), "apps")
    check_batch_size(request.apps, "apps")
    stored = await app_store.get_many(call.session, call.user_id, [a.id for a in request.apps])
    patched: list[App] = []
    for n, sent in enumerate(request.apps):
        if not sent.id:
            raise ApiError(Code.CONN_INVALID_REQUEST, f"apps[{n}].id is required")
        app = stored.get(sent.id)
        if app is None:
            raise not_found("app", f"{call.user_id}/{sent.id}")
        if action == patch.OVERWRITE:
            # Fields sent replace the stored ones; metadata is replaced whole.
            for field in ("name", "description", "notes", "default_language", "sample_ms"):
                if getattr(sent, field):
                    setattr(app, field, getattr(sent, field))
            if sent.HasField("visibility"):
                app.visibility = _check_visibility(
                    sent.visibility.gettable, f"apps[{n}].visibility"
                )
            if sent.HasField("metadata"):
                app.metadata_ = from_struct(sent.metadata, f"apps[{n}].metadata")
        else:
            app.metadata_ = patch.remove(
                app.metadata_, from_struct(sent.metadata, f"apps[{n}].metadata")
            )
            for field in ("description", "notes"):
                if getattr(sent, field):
                    setattr(app, field, "")
        app.modified_at = func.now()
        patched.append(app)
    await call.session.flush()
    return service_pb2.MultiAppResponse(apps=[app_proto(a) for a in patched])


@rpc
async def DeleteApp(call: Call, request: service_pb2.DeleteAppRequest):
    if not call.access.is_owner:
        raise ApiError(Code.CONN_INSUFFICIENT_SCOPES, "only the app's owner may delete it")
    await app_store.delete_(call.session, call.app)
    store = blobs.store_for(call.settings.data_dir)
    blobs.when_done(call.session, "after_commit", lambda: store.delete_app(call.app.pk))
    return status_pb2.BaseResponse()
