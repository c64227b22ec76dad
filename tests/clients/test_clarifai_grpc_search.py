"""The official Python client, clarifai-grpc 12.2.11, unchanged, over gRPC
and over its JSON channel: the docs' search examples (filters by concept,
negation, metadata, geo; counts; pages; annotation searches; saved
searches), run by scenario_search_grpc.py in the reference environment."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from clarifai.api.status import status_code_pb2 as sc

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_search_grpc.py")


@pytest.fixture(params=["grpc", "json"])
async def run(request, server, account, reference):
    mode = request.param
    address = f"http://127.0.0.1:{server.rest_port}" if mode == "json" else str(server.grpc_port)
    args = [mode, address, account.user_id, account.pat, f"search-{mode}"]
    proc = await asyncio.to_thread(run_reference, SCENARIO, *args, timeout=300)
    return mode, json.loads(proc.stdout.strip().splitlines()[-1])


def hits(response: dict) -> list[str]:
    assert response["status"]["code"] == sc.SUCCESS, response["status"]
    return [hit["input"]["id"] for hit in response.get("hits", [])]


async def test_the_docs_searches(run):
    mode, out = run
    for name in ("PostApps", "PostInputs", "save", "GetSearch", "ListSearches", "DeleteSearch"):
        assert out[name]["status"]["code"] == sc.SUCCESS, (mode, name, out[name]["status"])
    assert hits(out["by_concept"]) == ["dog1"]
    assert hits(out["by_negative_concept"]) == ["cat1"]
    assert sorted(hits(out["or_within_a_filter"])) == ["car1", "dog1"]
    assert sorted(hits(out["negated"])) == ["car1", "cat1"]
    assert hits(out["by_metadata"]) == ["dog1"]
    assert hits(out["by_metadata_list"]) == ["car1"]
    assert hits(out["by_geo"]) == ["dog1"]
    # Filters only: newest first, every score 1.
    assert out["by_concept"]["hits"][0]["score"] == 1
    assert len(out["by_concept"]["id"]) > 0
    assert out["only_count"]["hit_counts"][0]["estimated_total"] in (3, "3")
    assert "hits" not in out["only_count"]
    assert len(hits(out["paged"])) == 1
    (annotation,) = out["annotations"]["hits"]
    assert annotation["annotation"]["input_id"] == "cat1"


async def test_saved_searches(run):
    mode, out = run
    saved = out["save"]["searches"][0]
    assert (saved["id"], saved["name"]) == ("dogs", "Dogs")
    assert "hits" not in out["save"]  # saving does not run the search
    assert out["GetSearch"]["search"]["id"] == "dogs"
    assert [x["id"] for x in out["ListSearches"]["searches"]] == ["dogs"]
    assert hits(out["ByID"]) == ["dog1"]
    assert out["GetSearch.deleted"]["status"]["code"] == sc.CONN_DOES_NOT_EXIST
