"""ListAnnotationWorkers: the workers whose annotations the app holds.

A worker is a user (an annotation's user_id, when no model version wrote
it) or a model (an annotation's model_version_id: the model of that
version, in clarifai/main or the app, with the version). Users come first,
then models, each by id; page and per_page page them. The reference lists
"workers that have created trusted annotations" for trusted_only; here an
annotation is trusted when a member of the app wrote it, so trusted_only
lists the users who are the app's owner or live collaborators and have
annotations, and no model. Without additional_fields a worker carries its
ids; "names" (or "all") adds the users' first and last names and the
models' names.
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2

from server import task_counts
from server.checks import Checks
from server.dispatch import Call
from server.pagination import fits_budget, page_of
from server.services import rpc
from server.status import Code

check = Checks(Code.CONN_INVALID_REQUEST)
ADDITIONAL_FIELDS = ("all", "names")


async def _members(call: Call) -> list[str]:
    live = await call.store.collaborators.live_for_app()
    return [call.app.user_id, *(c.user_id for c in live)]


async def _users(call: Call, ids: list[str], names: bool) -> dict[str, resources_pb2.User]:
    known = await call.store.users.get_many(ids) if names else {}
    out = {}
    for user_id in ids:
        user = resources_pb2.User(id=user_id)
        if found := known.get(user_id):
            user.first_name, user.last_name = found.first_name, found.last_name
        out[user_id] = user
    return out


async def _workers(call: Call, found: list, names: bool) -> list[resources_pb2.Worker]:
    users = await _users(call, [w for kind, w in found if kind == 0], names)
    models = await task_counts.worker_models(call, [w for kind, w in found if kind], names=names)
    return [
        resources_pb2.Worker(model=models[w]) if kind else resources_pb2.Worker(user=users[w])
        for kind, w in found
    ]


@rpc
async def ListAnnotationWorkers(call: Call, request: service_pb2.ListAnnotationWorkersRequest):
    page = page_of(request)
    for n, name in enumerate(request.additional_fields):
        check.one_of(name, ADDITIONAL_FIELDS, f"additional_fields[{n}]")
    members = await _members(call) if request.trusted_only else None
    found = await call.store.annotations.workers(page, members)
    workers = await _workers(call, found, bool(request.additional_fields))
    response = service_pb2.MultiWorkerResponse(workers=workers)
    return fits_budget(response, "workers", call.settings.response_max_bytes)
