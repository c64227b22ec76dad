"""The official clarifai SDK (12.3.5), unchanged, searching an app the SDK
made and filled (scenario_sdk_search.py): `Search(...).query(filters=...,
ranks=...)` with top_k and with pagination, as its users call it."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from server import bootstrap
from tests.clients.test_clarifai_sdk_models import run_sdk

pytestmark = pytest.mark.clients

SCENARIO = Path(__file__).with_name("scenario_sdk_search.py")
IMAGES = Path(__file__).parent.parent / "fixtures" / "images"


def prepare(work: Path) -> None:
    for name in ("astronaut", "chelsea", "coffee"):
        shutil.copy(IMAGES / f"{name}.jpg", work / f"{name}.jpg")
    with Image.open(IMAGES / "chelsea.jpg") as photo:
        photo.resize((photo.width // 2, photo.height // 2)).save(work / "chelsea_small.jpg")


@pytest.fixture(scope="module")
async def seen(sdk, server, tmp_path_factory) -> dict[str, Any]:
    made = await bootstrap.create(server.db, user_id=f"sdks{uuid.uuid4().hex[:10]}")
    work = tmp_path_factory.mktemp("sdk-search")
    prepare(work)
    # The server runs on this event loop: the SDK waits in a thread.
    return await asyncio.to_thread(
        run_sdk, sdk, server.grpc_port, made["user_id"], made["pat"], work, SCENARIO
    )


def test_filters(seen):
    assert seen["concept"] == ["chelsea"]
    assert sorted(seen["metadata"]) == ["astronaut", "chelsea"]
    assert seen["metadata_list"] == ["chelsea"]
    assert sorted(seen["text_type"]) == ["t-cat", "t-kitten", "t-market"]
    # (-29, 40) + 100 km holds (-30, 40), about 85 km away, as the SDK's own test expects.
    assert seen["geo"] == ["astronaut"]
    assert seen["and"] == ["astronaut"]


def test_image_rank_puts_the_near_duplicate_first(seen):
    ranked = seen["image_rank"]
    assert [i for i, _ in ranked][:1] == ["chelsea"], ranked
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert seen["image_rank_filtered"] == ["chelsea", "astronaut"]


def test_text_rank_puts_the_paraphrases_first(seen):
    ranked = [i for i, _ in seen["text_rank"]]
    assert sorted(ranked[:2]) == ["t-cat", "t-kitten"] and ranked[2] == "t-market", ranked


def test_top_k_and_pages(seen):
    assert len(seen["top_k"]) == 2 and set(seen["top_k"]) <= {"astronaut", "chelsea"}
    assert len(seen["page2"]) == 1
    assert sorted(seen["all_pages"]) == ["t-cat", "t-kitten", "t-market"]
