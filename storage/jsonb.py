"""How jsonb values are read back: with orjson, about four times json's
speed. A page of inputs decodes two jsonb values a row (data and the
input-level concepts), which with json took a sixth of ListInputs' CPU.

A text orjson refuses is read with json: jsonb holds integers of any
size (a metadata value sent as 1e30 is stored as 1 followed by 30
zeros), which some orjson releases refuse past 64 bits. Writes keep json
(psycopg's Jsonb): orjson writes NaN as null, where json's refusal names
the value; except where the values were checked finite (`dumps`)."""

from __future__ import annotations

import json
from typing import Any

import orjson
from psycopg.types.json import set_json_loads


def loads(text: bytes | str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def install() -> None:
    """Every psycopg connection of the process (SQLAlchemy's, and those of
    storage/prepared.py) reads json and jsonb with `loads`."""
    set_json_loads(loads)


def dumps(value: Any) -> str:
    """The JSON text of `value`, whose numbers the caller checked finite
    (orjson writes NaN as null): a batch of inputs' rows, their metadata
    refused with a non-finite number before (convert.from_struct). orjson:
    33 µs for a 128-input PostInputs' rows, json 360. json writes what
    orjson refuses (integers past 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, check_circular=False)
