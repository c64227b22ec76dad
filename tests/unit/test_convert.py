"""Stored JSON <-> protobuf conversions (server/convert.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from clarifai.api import resources_pb2 as r
from google.protobuf import json_format, struct_pb2, timestamp_pb2

from server.convert import f32, fill_parsed, fill_struct, from_struct, request_json, ts
from server.status import ApiError, Code


def test_f32_gives_the_value_meant() -> None:
    stored = r.Concept(value=0.7).value  # 0.699999988 as a double
    assert f32(stored) == 0.7
    assert f32(r.GeoPoint(longitude=-122.419418).longitude) == -122.41942
    assert f32(0.0) == 0.0 and f32(1.0) == 1.0


def test_from_struct_is_what_json_holds() -> None:
    value = struct_pb2.Struct()
    value.update({"a": 1, "b": {"c": [1, "x", None, True]}, "d": None})
    assert from_struct(value) == {"a": 1, "b": {"c": [1, "x", None, True]}, "d": None}


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_from_struct_refuses_numbers_json_cannot_hold(number: float) -> None:
    value = struct_pb2.Struct()
    value.update({"ok": 1, "deep": {"list": [0, {"x": 0}]}})
    value["deep"]["list"][1]["x"] = number
    with pytest.raises(ApiError) as caught:
        from_struct(value, "items[2].metadata", Code.INPUT_INVALID_REQUEST)
    assert caught.value.code == Code.INPUT_INVALID_REQUEST
    assert caught.value.details.startswith("items[2].metadata.deep.list[1].x ")


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 11, 23, 1, 2, 3, 456789, tzinfo=UTC),
        datetime(1960, 1, 1, 0, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_ts_is_from_datetime(when: datetime) -> None:
    expected = timestamp_pb2.Timestamp()
    expected.FromDatetime(when.astimezone(UTC))
    assert ts(when) == expected
    assert ts(None) is None


def test_request_json_names_where_a_struct_is_not_json() -> None:
    data = r.Data(concepts=[r.Concept(id="a"), r.Concept(id="b")])
    data.regions.add().data.concepts.add(id="c").metadata["w"] = float("nan")
    assert request_json(r.Data(concepts=[r.Concept(id="a")]), "x", 1) == {
        "concepts": [{"id": "a", "value": 0.0}]
    }
    with pytest.raises(ApiError) as caught:
        request_json(data, "annotations[1].data", Code.ANNOTATION_INVALID_ARGUMENT)
    assert caught.value.code == Code.ANNOTATION_INVALID_ARGUMENT
    assert caught.value.details.startswith(
        "annotations[1].data.regions[0].data.concepts[0].metadata.w "
    )


# ---- stored metadata as the Struct a client reads ----

STORED = [
    {"category": "cat-03", "source": {"camera": "c-7", "year": 2019}, "tags": ["a", "b"]},
    {"empty": {}, "none": None, "list": [], "mixed": [1, "x", None, True, {"k": [2.5]}]},
    {"ünïcode": "日本語", "quote": 'a "b" \\ c'},
    # jsonb keeps integers of any size (a value sent as 1e30).
    {"big": 10**30, "small": -(10**25)},
    {"long": "x" * 5000},  # past what is kept
]


def _updated(value: dict) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(value)
    return out


@pytest.mark.parametrize("value", STORED)
def test_stored_metadata_reads_as_the_struct_it_was(value: dict) -> None:
    for _ in range(2):  # built, then from what was kept
        got = struct_pb2.Struct()
        fill_struct(got, value)
        assert got == _updated(value)


def test_values_python_finds_equal_stay_apart() -> None:
    # 1 == 1.0 == True in Python: a memo keyed by equality would answer one
    # kind for the others.
    kinds = []
    for value in ({"n": 1}, {"n": True}, {"n": 1.0}, {"n": True}):
        got = struct_pb2.Struct()
        fill_struct(got, value)
        kinds.append(got.fields["n"].WhichOneof("kind"))
    assert kinds == ["number_value", "bool_value", "number_value", "bool_value"]


PARSED = [
    (r.Data, {"concepts": [{"id": "cat", "name": "cat", "value": 1.0, "app_id": "main"}]}),
    (r.Data, {"concepts": [{"id": "cat", "name": "cat", "value": 0.0, "app_id": "main"}]}),
    (r.Data, {"regions": [{"id": "r1", "regionInfo": {"boundingBox": {"topRow": 0.1}}}]}),
    (r.Data, {"concepts": [{"id": "cat"}], "unknownField": 1}),  # ignored, as json_format does
    (r.Data, {"text": {"raw": "x" * 5000}}),  # past what is kept
    (r.Data, {"metadata": {"n": 2**70}}),  # no JSON text for it
    (r.Concept, {"id": "cat", "name": "cat"}),  # the same text, another message
    (r.Input, {"id": "cat", "name": "cat"}),
]


@pytest.mark.parametrize(("kind", "value"), PARSED)
def test_stored_messages_read_as_json_format_parses_them(kind, value: dict) -> None:
    expected = json_format.ParseDict(value, kind(), ignore_unknown_fields=True)
    for _ in range(2):  # built, then from what was kept
        got = kind()
        fill_parsed(got, value)
        assert got == expected
