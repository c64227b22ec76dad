"""Inputs shown from kept bytes (server.wire.inputs.input_protos): an input
shown again after any change it shows is shown as it now is, field for field
the Input that building it afresh gives."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from clarifai.api import resources_pb2

from server import http_extra
from server.config import Settings
from server.wire import inputs as wire
from storage.inputs import Row
from storage.scoped import AppScope

APP = AppScope(pk=1, id="main", user_id="u1")
WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def row(**changes) -> Row:
    base = Row(
        pk=7,
        id="in-7",
        data={"text": {"raw": "a small red car"}, "metadata": {"camera": "cam-07", "year": 2024}},
        media_kind="text",
        source_url="",
        blob_key="ab/cd0007",
        status_code=30000,
        status_details="",
        created_at=WHEN,
        modified_at=WHEN,
    )
    return base._replace(**changes)


CONCEPTS = [{"id": "cat", "value": 1.0}]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, rest_port=8080)


def shown(
    rows: list[Row], concepts: list, app: AppScope, settings: Settings, inline_text: int = 0
) -> list[resources_pb2.Input]:
    """As a list answers them: built in a response's own messages."""
    into = [resources_pb2.Input() for _ in rows]
    wire.input_protos(rows, {r.id: concepts for r in rows}, app, settings, inline_text, into)
    return into


def built(r: Row, concepts: list, app: AppScope, settings: Settings, inline_text: int = 0):
    return wire.input_proto(r, concepts, app, settings, inline_text)


Change = Callable[[Settings], tuple[Row, list, AppScope, Settings, int]]

CHANGES: dict[str, Change] = {
    "status": lambda s: (row(status_code=30002), CONCEPTS, APP, s, 0),
    "status details": lambda s: (row(status_details="resized"), CONCEPTS, APP, s, 0),
    "metadata": lambda s: (
        row(data={"text": {"raw": "a small red car"}, "metadata": {"camera": "cam-08"}}),
        CONCEPTS, APP, s, 0,
    ),
    "text": lambda s: (row(data={"text": {"raw": "a big car"}}), CONCEPTS, APP, s, 0),
    "concept value": lambda s: (row(), [{"id": "cat", "value": 0.0}], APP, s, 0),
    "concept name": lambda s: (row(), [{"id": "cat", "name": "Cat", "value": 1.0}], APP, s, 0),
    "modified": lambda s: (row(modified_at=WHEN + timedelta(seconds=1)), CONCEPTS, APP, s, 0),
    "another app": lambda s: (row(), CONCEPTS, AppScope(pk=2, id="other", user_id="u1"), s, 0),
    "another user": lambda s: (row(), CONCEPTS, AppScope(pk=3, id="main", user_id="u2"), s, 0),
    "no hosted copy": lambda s: (row(blob_key=""), CONCEPTS, APP, s, 0),
    "text past the limit": lambda s: (row(), CONCEPTS, APP, s, 4),
    "public url": lambda s: (
        row(), CONCEPTS, APP, dataclasses.replace(s, public_url="https://media.example"), 0,
    ),
}  # fmt: skip


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_an_input_shown_again_after_a_change_shows_it(settings: Settings, change: Change):
    # Shown three times: built, then built and kept (a second sighting), then
    # read from what was kept.
    for _ in range(3):
        (first,) = shown([row()], CONCEPTS, APP, settings)
        assert first == built(row(), CONCEPTS, APP, settings)
    r, concepts, app, changed_settings, inline_text = change(settings)
    for _ in range(3):
        (again,) = shown([r], concepts, app, changed_settings, inline_text)
        assert again != first
        assert again == built(r, concepts, app, changed_settings, inline_text)


def test_a_hosted_copys_url_is_signed_again_once_its_step_has_passed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    now = 1_800_000_000.0
    monkeypatch.setattr(http_extra.time, "time", lambda: now)
    (first,) = shown([row()], CONCEPTS, APP, settings)
    assert f"Expires={http_extra.url_expiry(settings, now)}&" in first.data.text.url
    for _ in range(2):  # kept, then read from what was kept
        (same,) = shown([row()], CONCEPTS, APP, settings)
        assert same.data.text.url == first.data.text.url
    now += settings.url_expiry_s
    (later,) = shown([row()], CONCEPTS, APP, settings)
    assert f"Expires={http_extra.url_expiry(settings, now)}&" in later.data.text.url
    assert later.data.text.url != first.data.text.url


def test_an_input_is_kept_once_it_is_shown_a_second_time(settings: Settings):
    r = row(id="in-seen-twice")
    before = wire._kept.cache_info()
    shown([r], CONCEPTS, APP, settings)  # built, not kept
    assert wire._kept.cache_info().currsize == before.currsize
    shown([r], CONCEPTS, APP, settings)  # built and kept
    assert wire._kept.cache_info().misses == before.misses + 1
    (third,) = shown([r], CONCEPTS, APP, settings)  # from what was kept
    assert wire._kept.cache_info().hits == before.hits + 1
    assert third == built(r, CONCEPTS, APP, settings)


@pytest.mark.parametrize(
    "data",
    [
        {"text": {"raw": "x" * 5000}},  # more JSON than is kept
        {"text": {"raw": "big"}, "metadata": {"n": 2**70}},  # no JSON text for it
    ],
    ids=["long", "huge integer"],
)
def test_inputs_not_kept_are_built_each_time(settings: Settings, data: dict):
    r = row(data=data)
    assert shown([r], CONCEPTS, APP, settings) == [built(r, CONCEPTS, APP, settings)]
    changed = r._replace(status_code=30002)
    assert shown([changed], CONCEPTS, APP, settings) == [built(changed, CONCEPTS, APP, settings)]
