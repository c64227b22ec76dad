"""An app to search, and how tests search it.

`build` fills an app whose base workflow is Empty (nothing to index) with
five inputs, each posted on its own so they are listed newest first as
e, d, c, b, a:

    id  medium  own concepts         metadata                                  geo        datasets
    a   text    dog                  color red, tags [1,2,3], nested {k, list}  -30, 40    d1
    b   text    dog (no), cat        color blue                                 10, 10     d2
    c   image   cat                  color red, tags [2]                        -          d1, d2
    d   image   -                    -                                          -          -
    e   text    -                    -                                          -          -

and annotations besides the input-level ones:

    on  by      region         concepts                  status   task
    a   owner   point          bird (no), in the region  success  -
    c   guest   mask           cat, not in the region    success  -
    d   owner   bounding box   bird, in the region       success  -
    e   owner   polygon        fish, in the region       pending  t1

(e's annotation_info is {"source": "tool", "round": 2}).

The concept dog is named "Doggo". The tests state each expected set by
hand from these tables.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from tests.helpers import app_of, png, share

NEWEST_FIRST = ["e", "d", "c", "b", "a"]


@dataclass
class World:
    owner: Any
    guest: Any
    # Annotation ids by (input id, worker): "owner" or "guest".
    annotations: dict[tuple[str, str], str] = field(default_factory=dict)


def _input(input_id: str, data: dict[str, Any], datasets: list[str] = ()) -> dict[str, Any]:
    return {"id": input_id, "data": data, "dataset_ids": list(datasets)}


def _image() -> dict[str, Any]:
    return {"base64": base64.b64encode(png()).decode()}


INPUTS = [
    _input(
        "a",
        {
            "text": {"raw": "alpha"},
            "concepts": [{"id": "dog", "value": 1}],
            "metadata": {"color": "red", "tags": [1, 2, 3], "nested": {"k": "v", "list": [4, 5]}},
            "geo": {"geo_point": {"longitude": -30, "latitude": 40}},
        },
        ["d1"],
    ),
    _input(
        "b",
        {
            "text": {"raw": "bravo"},
            "concepts": [{"id": "dog", "value": 0}, {"id": "cat", "value": 1}],
            "metadata": {"color": "blue"},
            "geo": {"geo_point": {"longitude": 10, "latitude": 10}},
        },
        ["d2"],
    ),
    _input(
        "c",
        {
            "image": _image(),
            "concepts": [{"id": "cat", "value": 1}],
            "metadata": {"color": "red", "tags": [2]},
        },
        ["d1", "d2"],
    ),
    _input("d", {"image": _image()}),
    _input("e", {"text": {"raw": "echo"}}),
]


def region(shape: str, concept: str, value: float) -> dict[str, Any]:
    shapes = {
        "point": {"point": {"row": 0.5, "col": 0.5}},
        "bounding_box": {
            "bounding_box": {"top_row": 0.1, "left_col": 0.1, "bottom_row": 0.5, "right_col": 0.5}
        },
        "polygon": {
            "polygon": {
                "points": [
                    {"row": 0.1, "col": 0.1},
                    {"row": 0.1, "col": 0.5},
                    {"row": 0.5, "col": 0.3},
                ]
            }
        },
    }
    return {"region_info": shapes[shape], "data": {"concepts": [{"id": concept, "value": value}]}}


async def call(stub, rpc: str, cls, body: dict[str, Any], md, account=None):
    request = json_format.ParseDict(body, cls())
    if account is not None:
        request.user_app_id.CopyFrom(app_of(account))
    res = await getattr(stub, rpc)(request, metadata=md)
    assert res.status.code == sc.SUCCESS, (rpc, res.status)
    return res


async def empty_workflow(stub, account) -> None:
    """The account's app indexes nothing (its base workflow is Empty)."""
    await call(
        stub,
        "PatchApps",
        s.PatchAppsRequest,
        {
            "user_app_id": {"user_id": account.user_id},
            "apps": [{"id": account.app_id, "default_workflow_id": "Empty"}],
            "action": "overwrite",
        },
        account.md(),
    )


async def post_inputs(stub, account, *inputs: dict[str, Any]) -> None:
    for sent in inputs:
        await call(stub, "PostInputs", s.PostInputsRequest, {"inputs": [sent]}, account.key_md)


async def annotate(stub, account, input_id: str, md=None, **fields: Any) -> str:
    res = await call(
        stub,
        "PostAnnotations",
        s.PostAnnotationsRequest,
        {"annotations": [{"input_id": input_id, **fields}]},
        md or account.md(),
        account,
    )
    return res.annotations[0].id


async def build(stub, owner, guest) -> World:
    world = World(owner, guest)
    await empty_workflow(stub, owner)
    await share(stub, owner, guest)
    await call(
        stub,
        "PostDatasets",
        s.PostDatasetsRequest,
        {"datasets": [{"id": "d1"}, {"id": "d2"}]},
        owner.key_md,
    )
    await call(
        stub,
        "PostConcepts",
        s.PostConceptsRequest,
        {"concepts": [{"id": "dog", "name": "Doggo"}]},
        owner.key_md,
    )
    await post_inputs(stub, owner, *INPUTS)
    world.annotations["a", "owner"] = await annotate(
        stub, owner, "a", data={"regions": [region("point", "bird", 0)]}
    )
    mask = {"region_info": {"mask": {"image": {"url": "https://example.com/mask.png"}}}}
    world.annotations["c", "guest"] = await annotate(
        stub,
        owner,
        "c",
        guest.md(),
        data={"concepts": [{"id": "cat", "value": 1}], "regions": [mask]},
    )
    world.annotations["d", "owner"] = await annotate(
        stub, owner, "d", data={"regions": [region("bounding_box", "bird", 1)]}
    )
    world.annotations["e", "owner"] = await annotate(
        stub,
        owner,
        "e",
        data={"regions": [region("polygon", "fish", 1)]},
        status={"code": "ANNOTATION_PENDING"},
        task_id="t1",
        annotation_info={"source": "tool", "round": 2},
    )
    return world


# ---- searching ----


def query(*filters: dict[str, Any], ranks: list[dict[str, Any]] | None = None, **search: Any):
    """A search of these filters (and ranks), as a request body's searches."""
    return {"searches": [{"query": {"filters": list(filters), "ranks": ranks or []}, **search}]}


def searched(cls, body: dict[str, Any], account):
    request = json_format.ParseDict(body, cls())
    request.user_app_id.CopyFrom(app_of(account))
    return request


async def search_inputs(transport, account, body: dict[str, Any], md=None):
    """PostInputsSearches of `body`, answered with SUCCESS."""
    request = searched(s.PostInputsSearchesRequest, body, account)
    res = await transport.call("PostInputsSearches", request, md or account.key_md)
    assert res.status.code == sc.SUCCESS, res.status
    return res


async def input_ids(transport, account, *filters: dict[str, Any], **search: Any) -> list[str]:
    """The ids of the inputs hit by a search of these filters, in order
    (one page of at most 100)."""
    body = {**query(*filters, **search), "pagination": {"per_page": 100}}
    res = await search_inputs(transport, account, body)
    return [h.input.id for h in res.hits]


def concepts(*items: tuple[str, float], by: str = "id") -> dict[str, Any]:
    """An annotation filter on concepts (by id or name, with their values)."""
    return {"annotation": {"data": {"concepts": [{by: c, "value": v} for c, v in items]}}}


def metadata(**values: Any) -> dict[str, Any]:
    return {"annotation": {"data": {"metadata": values}}}


def refused(res, code: int, *words: str) -> None:
    assert res.status.code == code, res.status
    for word in words:
        assert word in res.status.details, res.status.details
    assert list(res.hits) == [] and not res.id


def request_of(rpc: str, body: dict[str, Any], account):
    cls = getattr(s, f"{rpc}Request")
    return searched(cls, body, account)


def input_types(*kinds: str) -> dict[str, Any]:
    return {"input": {"data": {k: {} for k in kinds}}}


def ranked(concept_id: str, value: float = 1) -> dict[str, Any]:
    """A concept rank (the world's labels score 1 or 0 by it: no embeddings needed)."""
    return {"annotation": {"data": {"concepts": [{"id": concept_id, "value": value}]}}}
