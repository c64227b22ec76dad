"""server/wire/inputs.py: stored metadata as the Struct a client reads."""

from __future__ import annotations

import pytest
from google.protobuf import struct_pb2

from server.wire.inputs import struct_from_json

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
        struct_from_json(got, value)
        assert got == _updated(value)


def test_values_python_finds_equal_stay_apart() -> None:
    # 1 == 1.0 == True in Python: a memo keyed by equality would answer one
    # kind for the others.
    kinds = []
    for value in ({"n": 1}, {"n": True}, {"n": 1.0}, {"n": True}):
        got = struct_pb2.Struct()
        struct_from_json(got, value)
        kinds.append(got.fields["n"].WhichOneof("kind"))
    assert kinds == ["number_value", "bool_value", "number_value", "bool_value"]
