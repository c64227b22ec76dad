"""Stored JSON <-> protobuf conversions (server/convert.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from clarifai.api import resources_pb2 as r
from google.protobuf import struct_pb2, timestamp_pb2

from server.convert import f32, from_struct, request_json, ts
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
