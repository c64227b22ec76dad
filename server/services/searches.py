"""PostInputsSearches, PostAnnotationsSearches, PostSearches, PostSearchesByID,
GetSearch, ListSearches, PatchSearches, PatchInputsSearches,
PatchAnnotationsSearches, DeleteSearch.

A search (server/searching.py) selects the app's inputs, or annotations,
with filters and orders them with ranks; a request carries one. Every
answer names its search by `id`, recorded with what it asked, who asked and
when, so PostSearchFeedback can name it: a run's id is kept
CLARIFAI_LOCAL_MODEL_OUTPUT_DAYS, as a prediction's output id is (an `id`
sent with a search that is not saved is not used: each run gets its own).

`save: true` stores the search under its id (the one sent, or a new one)
and answers without running it, as the reference does; PostSearchesByID
runs it again as of its `as_of` (its saving time unless it sets one), so
inputs added since stay out. ListSearches, GetSearch and DeleteSearch see
saved searches only. The Patch calls take "overwrite" only (the reference's
one action): the saved search becomes the one sent, saved anew (as_of the
patch unless it sets one); PatchInputsSearches and PatchAnnotationsSearches
make it a search of inputs or of annotations, PatchSearches keeps its kind.
"""

from __future__ import annotations

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import patch, searching
from server.checks import Checks
from server.dispatch import Call
from server.ids import new_id
from server.pagination import fits_budget, page_of
from server.services import rpc
from server.status import ApiError, Code, not_found
from server.wire import searches as wire
from storage.searches import ANNOTATIONS, INPUTS

check = Checks(Code.SEARCH_INVALID_REQUEST)
SPEC = patch.Spec("saved searches", (patch.OVERWRITE,))
Response = service_pb2.MultiSearchResponse


def _values(call: Call, search: resources_pb2.Search, kind: str, at: str) -> dict:
    """A search's record, but for its id and whether it is saved."""
    return {
        "kind": kind,
        "name": search.name,
        "user_id": call.user_id,
        "search": wire.stored(search, at, check.invalid_code),
        "as_of": check.time(search.as_of, f"{at}.as_of") if search.HasField("as_of") else None,
    }


async def _save(call: Call, search: resources_pb2.Search, kind: str, at: str) -> Response:
    search_id = check.id(search.id, f"{at}.id") if search.id else new_id()
    row = await call.store.searches.record(
        {"id": search_id, "saved": True, **_values(call, search, kind, at)}
    )
    if row is None:
        raise ApiError(
            Code.DATABASE_DUPLICATE_KEY, f"{at}.id '{search_id}': a search with this id exists"
        )
    return Response(id=row.id, searches=[wire.search_proto(row, call.app)])


async def _answer(
    call: Call,
    p: searching.Plan,
    kind: str,
    pagination: service_pb2.Pagination,
    only_count: bool = False,
) -> Response:
    """The hits of one page (or, with only_count, how many there are)."""
    response = Response()
    if only_count:
        response.hit_counts.add(estimated_total=await searching.count(call, p, kind))
    else:
        await searching.hits(call, p, kind, page_of(pagination), response.hits)
    return fits_budget(response, "hits", call.settings.response_max_bytes)


async def _search(
    call: Call,
    search: resources_pb2.Search,
    kind: str,
    pagination: service_pb2.Pagination,
    *,
    only_count: bool = False,
    query_field: str = "",
) -> Response:
    """Run the search sent as searches[0] (or save it), under a new id."""
    at = "searches[0]"
    p = searching.plan(search, at, call.user_id, query_field)
    if search.save:
        return await _save(call, search, kind, at)
    search_id = new_id()
    async with call.store.searches.recording_run(
        {"id": search_id, **_values(call, search, kind, at)}
    ):
        response = await _answer(call, p, kind, pagination, only_count)
    response.id = search_id
    response.searches.add().CopyFrom(search)
    response.searches[0].id = search_id
    return response


@rpc
async def PostInputsSearches(call: Call, request: service_pb2.PostInputsSearchesRequest):
    check.batch(request.searches, "searches")
    return await _search(
        call, request.searches[0], INPUTS, request.pagination, only_count=request.only_count
    )


@rpc
async def PostAnnotationsSearches(call: Call, request: service_pb2.PostAnnotationsSearchesRequest):
    check.batch(request.searches, "searches")
    return await _search(call, request.searches[0], ANNOTATIONS, request.pagination)


@rpc
async def PostSearches(call: Call, request: service_pb2.PostSearchesRequest):
    """The legacy form: `query` (its ands, filters and ranks), or searches."""
    if request.HasField("query"):
        if request.searches:
            raise check.invalid("query and searches: send one or the other")
        search = resources_pb2.Search(query=request.query)
        response = await _search(call, search, INPUTS, request.pagination, query_field="query")
        response.query.CopyFrom(request.query)
        return response
    if not request.searches:
        raise check.invalid("query or searches is required")
    return await _search(call, request.searches[0], INPUTS, request.pagination)


@rpc
async def PostSearchesByID(call: Call, request: service_pb2.PostSearchesByIDRequest):
    row = await searching.saved(call, request.id)
    search = wire.search_proto(row, call.app)
    p = searching.plan(search, "search", call.user_id)
    response = await _answer(call, p, row.kind, request.pagination)
    response.id = row.id
    response.searches.append(search)
    return response


@rpc
async def GetSearch(call: Call, request: service_pb2.GetSearchRequest):
    row = await searching.saved(call, request.id)
    return service_pb2.SingleSearchResponse(search=wire.search_proto(row, call.app))


@rpc
async def ListSearches(call: Call, request: service_pb2.ListSearchesRequest):
    rows = await call.store.searches.page_saved(page_of(request))
    return Response(searches=[wire.search_proto(r, call.app) for r in rows])


async def _patch(
    call: Call,
    request: service_pb2.PatchSearchesRequest
    | service_pb2.PatchInputsSearchesRequest
    | service_pb2.PatchAnnotationsSearchesRequest,
    kind: str = "",
) -> Response:
    """Overwrite saved searches by id (all or none); `kind` they become
    (none: each keeps its own)."""
    SPEC.check(request.action)
    check.batch(request.searches, "searches")
    ids = check.ids([s.id for s in request.searches], "searches[{n}].id")
    stored = await call.store.searches.saved(ids)
    rows = []
    for n, sent in enumerate(request.searches):
        at = f"searches[{n}]"
        row = stored.get(sent.id)
        if row is None:
            raise not_found("saved search", sent.id, f"{at}.id")
        searching.plan(sent, at, call.user_id)
        values = _values(call, sent, kind or row.kind, at)
        as_of = values.pop("as_of")
        changes = patch.apply(request.action, {}, values, SPEC)
        rows.append(await call.store.searches.overwrite(row, changes, as_of))
    return Response(searches=[wire.search_proto(r, call.app) for r in rows])


@rpc
async def PatchSearches(call: Call, request: service_pb2.PatchSearchesRequest):
    return await _patch(call, request)


@rpc
async def PatchInputsSearches(call: Call, request: service_pb2.PatchInputsSearchesRequest):
    return await _patch(call, request, INPUTS)


@rpc
async def PatchAnnotationsSearches(
    call: Call, request: service_pb2.PatchAnnotationsSearchesRequest
):
    return await _patch(call, request, ANNOTATIONS)


@rpc
async def DeleteSearch(call: Call, request: service_pb2.DeleteSearchRequest):
    await call.store.searches.delete(await searching.saved(call, request.id))
    return status_pb2.BaseResponse()
