"""Searching with the official Python client, clarifai-grpc 12.2.11,
unchanged, the docs' way: run by the reference environment's interpreter,
never imported by the test process.

    python scenario_search_grpc.py grpc|json ADDRESS USER_ID PAT NEW_APP

Makes NEW_APP (base workflow Empty: these searches need no embeddings),
adds inputs with concepts, metadata and geo, then searches. Prints one
JSON object: every response as the client parsed it, keyed by step.
"""

from __future__ import annotations

import json
import sys

from clarifai_grpc.grpc.api import resources_pb2 as r
from clarifai_grpc.grpc.api import service_pb2 as s
from scenario_steps import Steps, struct

mode, address, user_id, pat, new_app = sys.argv[1:6]
steps = Steps(mode, address, pat)
out, step = steps.out, steps.step
mine = r.UserAppIDSet(user_id=user_id, app_id=new_app)


def text(input_id: str, raw: str, concepts=(), geo=None, **meta) -> r.Input:
    return r.Input(
        id=input_id,
        data=r.Data(
            text=r.Text(raw=raw),
            concepts=[r.Concept(id=c, value=v) for c, v in concepts],
            metadata=struct(**meta),
            geo=geo,
        ),
    )


def point(longitude: float, latitude: float) -> r.Geo:
    return r.Geo(geo_point=r.GeoPoint(longitude=longitude, latitude=latitude))


def searches(*filters: r.Filter, **kw) -> list[r.Search]:
    return [r.Search(query=r.Query(filters=list(filters)), **kw)]


def concept_filter(*pairs, negate=False) -> r.Filter:
    concepts = [r.Concept(name=name, value=value) for name, value in pairs]
    return r.Filter(annotation=r.Annotation(data=r.Data(concepts=concepts)), negate=negate)


step(
    "PostApps",
    "PostApps",
    s.PostAppsRequest(
        user_app_id=r.UserAppIDSet(user_id=user_id),
        apps=[r.App(id=new_app, default_workflow_id="Empty")],
    ),
)
step(
    "PostInputs",
    "PostInputs",
    s.PostInputsRequest(
        user_app_id=mine,
        inputs=[
            text("dog1", "a dog", [("dog", 1)], point(-30, 40), type="animal", size={"h": 1}),
            text("cat1", "a cat", [("cat", 1), ("dog", 0)], point(10, 50), type="animal"),
            text("car1", "a car", [("car", 1)], type="vehicle", tags=["red", "fast"]),
        ],
    ),
)

# The docs' Filter page: by concept, negated, by metadata (nested, list subset), by geo.
step(
    "by_concept",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(user_app_id=mine, searches=searches(concept_filter(("dog", 1)))),
)
step(
    "by_negative_concept",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(user_app_id=mine, searches=searches(concept_filter(("dog", 0)))),
)
step(
    "or_within_a_filter",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(
        user_app_id=mine, searches=searches(concept_filter(("dog", 1), ("car", 1)))
    ),
)
step(
    "negated",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(
        user_app_id=mine, searches=searches(concept_filter(("dog", 1), negate=True))
    ),
)
meta_filter = r.Filter(
    annotation=r.Annotation(data=r.Data(metadata=struct(type="animal", size={"h": 1})))
)
step(
    "by_metadata",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(user_app_id=mine, searches=searches(meta_filter)),
)
list_filter = r.Filter(annotation=r.Annotation(data=r.Data(metadata=struct(tags=["fast"]))))
step(
    "by_metadata_list",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(user_app_id=mine, searches=searches(list_filter)),
)
geo = r.Geo(
    geo_point=r.GeoPoint(longitude=-29, latitude=40),
    geo_limit=r.GeoLimit(type="withinKilometers", value=100),
)
step(
    "by_geo",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(
        user_app_id=mine, searches=searches(r.Filter(annotation=r.Annotation(data=r.Data(geo=geo))))
    ),
)
step(
    "only_count",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(
        user_app_id=mine,
        searches=searches(r.Filter(input=r.Input(data=r.Data(text=r.Text())))),
        only_count=True,
    ),
)
step(
    "paged",
    "PostInputsSearches",
    s.PostInputsSearchesRequest(
        user_app_id=mine,
        searches=searches(r.Filter(input=r.Input(data=r.Data(text=r.Text())))),
        pagination=s.Pagination(page=2, per_page=2),
    ),
)
step(
    "annotations",
    "PostAnnotationsSearches",
    s.PostAnnotationsSearchesRequest(
        user_app_id=mine, searches=searches(concept_filter(("cat", 1)))
    ),
)

# Saved searches: save, read back, run again by id, delete.
saved = step(
    "save",
    "PostSearches",
    s.PostSearchesRequest(
        user_app_id=mine,
        searches=searches(concept_filter(("dog", 1)), id="dogs", name="Dogs", save=True),
    ),
)
step("GetSearch", "GetSearch", s.GetSearchRequest(user_app_id=mine, id="dogs"))
step("ListSearches", "ListSearches", s.ListSearchesRequest(user_app_id=mine))
step("ByID", "PostSearchesByID", s.PostSearchesByIDRequest(user_app_id=mine, id="dogs"))
step("DeleteSearch", "DeleteSearch", s.DeleteSearchRequest(user_app_id=mine, id="dogs"))
step("GetSearch.deleted", "GetSearch", s.GetSearchRequest(user_app_id=mine, id="dogs"))
print(json.dumps(out))
