"""Searching with the official clarifai SDK (12.3.5), unchanged: run by the
SDK environment's interpreter, never imported by the test process.

    python scenario_sdk_search.py GRPC_PORT USER_ID PAT WORKDIR

WORKDIR holds astronaut.jpg, chelsea.jpg, coffee.jpg and chelsea_small.jpg
(a resized copy of chelsea.jpg). Writes WORKDIR/out.json: the input ids
(and scores) each query gave the user, in order.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from clarifai.client.input import Inputs
from clarifai.client.search import Search
from clarifai.client.user import User
from google.protobuf.struct_pb2 import Struct

port, user_id, pat, workdir = sys.argv[1:5]
work = Path(workdir)
base = f"http://localhost:{port}"
APP = "sdk-search"

TEXTS = {
    "t-cat": "a cat sleeping on a sofa",
    "t-market": "stock markets fell sharply after the announcement",
    "t-kitten": "the kitten naps on the couch",
}


def meta(**values) -> Struct:
    out = Struct()
    out.update(values)
    return out


def ids(responses) -> list[str]:
    return [hit.input.id for response in responses for hit in response.hits]


def scored(responses) -> list[list]:
    return [[hit.input.id, round(hit.score, 4)] for response in responses for hit in response.hits]


def search(**kwargs) -> Search:
    return Search(user_id=user_id, app_id=APP, pat=pat, base_url=base, **kwargs)


def main() -> dict:
    out: dict = {}
    User(user_id=user_id, pat=pat, base_url=base).create_app(app_id=APP, base_workflow="Universal")
    inputs = Inputs(user_id=user_id, app_id=APP, pat=pat, base_url=base)
    photos = [
        Inputs.get_input_from_bytes(
            "astronaut",
            image_bytes=(work / "astronaut.jpg").read_bytes(),
            labels=["person"],
            metadata=meta(kind="photo", tags=["space", "portrait"]),
            geo_info=[-30.0, 40.0],
        ),
        Inputs.get_input_from_bytes(
            "chelsea",
            image_bytes=(work / "chelsea.jpg").read_bytes(),
            labels=["cat"],
            metadata=meta(kind="photo", tags=["pet"]),
            geo_info=[10.0, 50.0],
        ),
        Inputs.get_input_from_bytes(
            "coffee",
            image_bytes=(work / "coffee.jpg").read_bytes(),
            labels=["drink"],
            metadata=meta(kind="still"),
        ),
    ]
    texts = [Inputs.get_text_input(i, raw) for i, raw in TEXTS.items()]
    inputs.upload_inputs(photos + texts, show_log=False)

    top = search(top_k=10, metric="euclidean")
    out["concept"] = ids(top.query(filters=[{"concepts": [{"name": "cat", "value": 1}]}]))
    out["metadata"] = ids(top.query(filters=[{"metadata": {"kind": "photo"}}]))
    out["metadata_list"] = ids(top.query(filters=[{"metadata": {"tags": ["pet"]}}]))
    out["text_type"] = ids(top.query(filters=[{"input_types": ["text"]}]))
    out["geo"] = ids(
        top.query(filters=[{"geo_point": {"longitude": -29.0, "latitude": 40.0, "geo_limit": 100}}])
    )
    out["and"] = ids(
        top.query(
            filters=[
                {"metadata": {"kind": "photo"}},
                {"input_types": ["image"]},
                {"concepts": [{"name": "person", "value": 1}]},
            ]
        )
    )

    # Ranks need the base workflow's embeddings: they are made in the background.
    small = (work / "chelsea_small.jpg").read_bytes()
    deadline = time.monotonic() + 120
    while True:
        found = scored(top.query(ranks=[{"image_bytes": small}]))
        if len(found) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    out["image_rank"] = found
    out["image_rank_filtered"] = ids(
        top.query(ranks=[{"image_bytes": small}], filters=[{"metadata": {"kind": "photo"}}])
    )
    out["text_rank"] = scored(
        top.query(
            ranks=[{"text_raw": "a kitten napping on a couch"}], filters=[{"input_types": ["text"]}]
        )
    )

    two = search(top_k=2, metric="euclidean")
    out["top_k"] = ids(two.query(filters=[{"metadata": {"kind": "photo"}}]))
    pages = search(pagination=True, metric="euclidean")
    out["page2"] = ids(pages.query(filters=[{"input_types": ["text"]}], page_no=2, per_page=2))
    out["all_pages"] = ids(pages.query(filters=[{"input_types": ["text"]}]))
    return out


(work / "out.json").write_text(json.dumps(main()))
