"""storage/jsonb.py: what jsonb texts read back as."""

from __future__ import annotations

import json
import math

from storage.jsonb import dumps, loads


def test_values_as_json_reads_them():
    text = b'{"a": [1, 2.5, -0.1, "x", null, true], "b": {"c": 1000000000000000000000000000000}}'
    got = loads(text)
    assert got == {"a": [1, 2.5, -0.1, "x", None, True], "b": {"c": 1e30}}
    assert isinstance(got["a"][0], int)


def test_a_text_orjson_refuses_is_read_by_json():
    assert math.isnan(loads("[NaN]")[0])


def test_dumps_writes_what_loads_reads_back_big_integers_too():
    value = [{"id": "a", "data": {"metadata": {"big": 10**30, "x": [1.5, "ü", None, True]}}}]
    text = dumps(value)
    assert isinstance(text, str)
    assert json.loads(text) == value  # the big integer written whole, as jsonb keeps it
