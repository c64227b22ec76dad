"""PostAnnotationFilters, GetAnnotationFilter, ListAnnotationFilters,
PatchAnnotationFilters, DeleteAnnotationFilters.

An annotation filter is a search (server/annotation_filtering.py) that
selects which annotations a dataset version holds: a version names one in
its annotation_filter_config, a dataset names one as the default for its
versions. Post and Patch are atomic and check every filter's search as
the search RPCs do; Patch takes "overwrite" only (the reference's one
action): the filter's search becomes the one sent. A filter a dataset
names as its default cannot be deleted (the dataset is named); versions
keep a copy of the filter they were made with, so deleting or changing a
filter leaves them as they are.
"""

from __future__ import annotations

from clarifai.api import service_pb2
from clarifai.api.status import status_pb2

from server import annotation_filtering, patch
from server.checks import Checks
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.wire import annotation_filters as wire

check = Checks(Code.CONN_INVALID_REQUEST)
SPEC = patch.Spec("annotation filters", (patch.OVERWRITE,))
Response = service_pb2.MultiAnnotationFilterResponse


@rpc
async def PostAnnotationFilters(call: Call, request: service_pb2.PostAnnotationFiltersRequest):
    check.batch(request.annotation_filters, "annotation_filters")
    ids = check.new_ids((f.id for f in request.annotation_filters), "annotation_filters")
    values = []
    for n, (sent, filter_id) in enumerate(zip(request.annotation_filters, ids, strict=True)):
        at = f"annotation_filters[{n}]"
        check.implemented(sent, at)
        values.append(
            {"id": filter_id, "search": await annotation_filtering.search_of(call, sent, at)}
        )
    made = await call.store.annotation_filters.create(values)
    check.none_taken(ids, made, "annotation filter", "annotation_filters[{n}].id")
    return Response(annotation_filters=[wire.annotation_filter(r, call.app) for r in made.values()])


@rpc
async def GetAnnotationFilter(call: Call, request: service_pb2.GetAnnotationFilterRequest):
    filter_id = check.required(request.annotation_filter_id, "annotation_filter_id")
    row = check.found(
        await call.store.annotation_filters.get(filter_id), "annotation filter", filter_id
    )
    return service_pb2.SingleAnnotationFilterResponse(
        annotation_filter=wire.annotation_filter(row, call.app)
    )


@rpc
async def ListAnnotationFilters(call: Call, request: service_pb2.ListAnnotationFiltersRequest):
    """The app's filters, newest first."""
    rows = await call.store.annotation_filters.page(page_of(request))
    return Response(annotation_filters=[wire.annotation_filter(r, call.app) for r in rows])


@rpc
async def PatchAnnotationFilters(call: Call, request: service_pb2.PatchAnnotationFiltersRequest):
    action = SPEC.check(request.action)
    check.batch(request.annotation_filters, "annotation_filters")
    ids = check.ids([f.id for f in request.annotation_filters], "annotation_filters[{n}].id")
    stored = await call.store.annotation_filters.get_many(ids, lock=True)
    check.all_known(ids, stored, "annotation filter", "annotation_filters[{n}].id")
    # Every filter is checked before any is written.
    changes = []
    for n, sent in enumerate(request.annotation_filters):
        at = f"annotation_filters[{n}]"
        check.implemented(sent, at)
        search = await annotation_filtering.search_of(call, sent, at)
        changes.append(patch.apply(action, {}, {"search": search}, SPEC))
    rows = [
        await call.store.annotation_filters.update(stored[i], changed)
        for i, changed in zip(ids, changes, strict=True)
    ]
    return Response(annotation_filters=[wire.annotation_filter(r, call.app) for r in rows])


@rpc
async def DeleteAnnotationFilters(call: Call, request: service_pb2.DeleteAnnotationFiltersRequest):
    ids = list(request.annotation_filter_ids)
    check.batch(ids, "annotation_filter_ids")
    check.ids(ids, "annotation_filter_ids[{n}]")
    # Locked first: a dataset made or patched meanwhile to name one of them
    # either commits before this reads who names them, or finds it gone.
    found = await call.store.annotation_filters.get_many(ids, lock=True)
    check.all_known(ids, found, "annotation filter", "annotation_filter_ids[{n}]")
    named = await call.store.datasets.naming_filters([f.pk for f in found.values()])
    for n, filter_id in enumerate(ids):
        dataset_id = named.get(found[filter_id].pk)
        if dataset_id is not None:
            raise ApiError(
                Code.SAVED_SEARCH_MODIFY_FAILED,
                f"annotation_filter_ids[{n}]: annotation filter '{filter_id}' is the "
                f"default_annotation_filter of dataset '{dataset_id}'; patch the dataset first",
            )
    await call.store.annotation_filters.delete([f.pk for f in found.values()])
    return status_pb2.BaseResponse()
