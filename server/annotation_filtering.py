"""Annotation filters at work: the search a filter holds, checked as the
search RPCs check one, and what it selects for a dataset version.

Choices where the reference is silent (README, Datasets):
- A filter's search runs as an annotation search (PostAnnotationsSearches'
  filters), over the annotations of the dataset's inputs. Ranks only order
  hits, so a filter with ranks is refused.
- A search that sends only an `id` (no query) names one of the app's saved
  searches: the filter takes a copy of it, as it is then.
- Unless the filter names an annotation status, only finished (SUCCESS)
  annotations count; unless it names a model version, the base workflow's
  predictions stay out, as in a version made without a filter.
- `user_id: "me"` in a filter is whoever makes the version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server import searching
from server.convert import request_json, to_json
from server.status import Code
from server.wire import annotation_filters as wire
from server.wire import searches as search_wire
from storage.search_filters import Selection

if TYPE_CHECKING:
    from server.dispatch import Call
    from storage.datasets import Dataset

check = searching.check
ANNOTATION_SUCCESS = Code.ANNOTATION_SUCCESS
# What a search sent in a filter may carry but the filter does not keep.
_NOT_KEPT = ("created_at", "modified_at", "save", "application_id")


async def search_of(call: Call, sent: resources_pb2.AnnotationFilter, field: str) -> dict[str, Any]:
    """The search a filter sent at `field` holds (a copy of the saved search
    it names, or its own), checked; as the filter row keeps it."""
    at = f"{field}.search"
    if not sent.HasField("search"):
        raise check.invalid(f"{at} is required: the search that selects the annotations")
    search = sent.search
    if search.id and not search.HasField("query"):
        search = search_wire.search_proto(
            await searching.saved(call, search.id, f"{at}.id"), call.app
        )
    plan = searching.plan(search, at, call.user_id)
    if plan.ranks:
        raise check.invalid(
            f"{plan.query_field}.ranks: an annotation filter selects annotations; ranks only "
            "order them"
        )
    kept = resources_pb2.Search()
    kept.CopyFrom(search)
    for name in _NOT_KEPT:
        kept.ClearField(name)
    return request_json(kept, at, check.invalid_code)


def selection(search: dict[str, Any], caller: str) -> Selection:
    """What a stored filter search selects (checked when it was stored)."""
    parsed = json_format.ParseDict(search, resources_pb2.Search(), ignore_unknown_fields=True)
    return searching.plan(parsed, "annotation_filter.search", caller).selection


async def version_config(
    call: Call, dataset: Dataset, sent: resources_pb2.DatasetVersion, field: str
) -> dict[str, Any]:
    """The AnnotationFilterConfig a new version of `dataset` is made with
    (json_format; {} for none): the one sent, its filter by id or carrying
    its own search, or else the dataset's default filter."""
    config = resources_pb2.AnnotationFilterConfig()
    if sent.HasField("annotation_filter_config"):
        at = f"{field}.annotation_filter_config"
        config.ignore_empty_inputs = sent.annotation_filter_config.ignore_empty_inputs
        given = sent.annotation_filter_config.annotation_filter
        if given.id:
            if given.HasField("search"):
                raise check.invalid(
                    f"{at}.annotation_filter: give the filter's id or its search, not both"
                )
            row = (await call.store.annotation_filters.get_many([given.id])).get(given.id)
            if row is None:
                raise check.missing("annotation filter", given.id, f"{at}.annotation_filter.id")
            config.annotation_filter.CopyFrom(wire.annotation_filter(row, call.app))
        elif given.HasField("search"):
            search = await search_of(call, given, f"{at}.annotation_filter")
            json_format.ParseDict(search, config.annotation_filter.search)
    if not config.HasField("annotation_filter") and dataset.default_filter_pk is not None:
        pk = dataset.default_filter_pk
        # Gone only if the dataset stopped naming it meanwhile: then no default.
        default = (await call.store.annotation_filters.by_pk([pk])).get(pk)
        if default is not None:
            config.annotation_filter.CopyFrom(wire.annotation_filter(default, call.app))
    return to_json(config) if config.ByteSize() else {}


async def chosen(
    call: Call, dataset_pk: int, config: dict[str, Any], predicted_by: str
) -> tuple[list[int] | None, bool]:
    """What a version made with `config` holds: the pks of the annotations
    its filter selects among the dataset's inputs (None: no filter, the
    default choice), and whether inputs left without annotations stay out.
    `predicted_by`: the base workflow's model version."""
    ignore_empty = bool(config.get("ignore_empty_inputs"))
    search = (config.get("annotation_filter") or {}).get("search")
    if search is None:
        return None, ignore_empty
    sel = selection(search, call.user_id)
    names_status = any(f.annotation.status_codes for f in sel.filters)
    names_model = any(f.annotation.model_version_ids for f in sel.filters)
    pks = await call.store.searches.dataset_annotation_pks(
        sel,
        dataset_pk,
        status=None if names_status else ANNOTATION_SUCCESS,
        not_by=None if names_model else predicted_by,
    )
    return pks, ignore_empty
