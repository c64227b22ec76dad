"""An input's labels changed by a patch action: its metadata and geo (kept in
the input's data) and its concepts (kept in its input-level annotation).

PatchInputs (server/services/inputs.py) and bulk operations
(server/bulk_operations.py) both change inputs through here: the fields a
change sends are SPEC's, `patched` works out the new data and concepts of
one input, `write` stores those of many at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from clarifai.api import resources_pb2

from server import patch
from server.convert import f32
from server.domain import regions
from server.status import ApiError
from storage import inputs as input_store
from storage.annotations import InputLevel
from storage.store import Store

# Metadata and concepts are patched as one tree, "labels", so that remove
# drops concepts by id (patch.remove walks objects, and lists only inside
# them); remove clears geo when it is sent.
SPEC = patch.Spec(
    "inputs",
    patch.ACTIONS,
    trees=frozenset({"labels"}),
    clearable=frozenset({"geo"}),
    clear_to={"geo": None},
)

Labels = tuple[dict[str, Any], list[dict[str, Any]]]


# ---- what a change sends, checked (failing with the caller's `code`) ----


def concepts(where: str, sent: Sequence[resources_pb2.Concept], code: int) -> list[dict[str, Any]]:
    """Concepts as the input-level annotation keeps them: {id, value, name
    (when given)}, checked as any annotation's concepts are."""
    out: list[dict[str, Any]] = []
    for c in sent:
        item: dict[str, Any] = {"id": c.id, "value": f32(c.value)}
        if c.name:
            item["name"] = c.name
        out.append(item)
    regions.check_concepts(out, where, code)
    return out


def geo(where: str, sent: resources_pb2.Geo, code: int) -> dict[str, Any]:
    """An input's geo: one point."""
    if sent.HasField("geo_limit") or sent.geo_box:
        extra = "geo_limit" if sent.HasField("geo_limit") else "geo_box"
        raise ApiError(
            code, f"{where}.{extra}: an input has one geo_point; a radius or a box is for searches"
        )
    point = sent.geo_point
    if not -180.0 <= point.longitude <= 180.0:
        raise ApiError(
            code, f"{where}.geo_point.longitude {point.longitude:g} is outside -180..180"
        )
    if not -90.0 <= point.latitude <= 90.0:
        raise ApiError(code, f"{where}.geo_point.latitude {point.latitude:g} is outside -90..90")
    return {"geo_point": {"longitude": f32(point.longitude), "latitude": f32(point.latitude)}}


# ---- the change ----


def patched(
    action: str, sent: Mapping[str, Any], data: dict[str, Any], concepts: list[dict[str, Any]]
) -> Labels:
    """The input's data and concepts after `action` with the fields `sent`
    (SPEC's: "labels" {metadata, concepts}, "geo"); a geo or metadata
    patched away leaves the data without it."""
    stored = {
        "labels": {"metadata": data.get("metadata", {}), "concepts": concepts},
        "geo": data.get("geo"),
    }
    new = patch.apply(action, stored, sent, SPEC)
    labels = new.get("labels", stored["labels"])
    changed = {
        k: v
        for k, v in {"metadata": labels["metadata"], "geo": new.get("geo", stored["geo"])}.items()
        if v
    }
    out = {k: v for k, v in data.items() if k not in ("metadata", "geo")}
    return {**out, **changed}, labels["concepts"]


async def name_concepts(store: Store, lists: Sequence[list[dict[str, Any]]]) -> None:
    """Create the concepts these lists name that the app lacks (name
    defaults to id), and give each item its concept's stored name."""
    names = await store.concepts.ensure(
        [(c["id"], c.get("name", "")) for items in lists for c in items]
    )
    for items in lists:
        for c in items:
            c["name"] = names[c["id"]]


async def locked(
    store: Store, ids: Sequence[str], *, concepts: bool = True
) -> tuple[dict[str, input_store.Row], dict[str, InputLevel]]:
    """The inputs with these ids, locked as writers lock them, with their
    input-level annotations, to patch and `write`: the concepts are read
    once, with the annotations that keep them. `concepts` False reads
    neither, for a change that leaves the concepts alone."""
    rows = await store.inputs.locked(ids)
    if not concepts:
        return rows, {}
    levels = await store.annotations.input_level(list(rows))
    return {
        i: row._replace(concepts=levels[i].concepts if i in levels else [])
        for i, row in rows.items()
    }, levels


async def write(
    store: Store,
    user_id: str,
    rows: Mapping[str, input_store.Row],
    levels: Mapping[str, InputLevel],
    new: Mapping[str, Labels],
) -> dict[str, input_store.Row]:
    """Store the new data and concepts of inputs (by id; their rows, with
    their concepts, and input-level annotations as read, locked, before):
    each only where it changed, concepts into the input-level annotations
    (one made by `user_id` for an input without; `levels` may leave out
    inputs whose concepts do not change, and an input read without its
    concepts keeps them). Returns the rows as they now are."""
    new_data = {rows[i].pk: data for i, (data, _) in new.items() if data != rows[i].data}
    modified = await store.inputs.set_data(new_data)
    await store.annotations.set_input_concepts(user_id, _concept_changes(rows, new), levels)
    return {i: _fresh(rows[i], new_data, modified) for i in new}


async def changing(
    store: Store, rows: Mapping[str, input_store.Row], new: Mapping[str, Labels]
) -> dict[str, InputLevel]:
    """Ready for `write` the concepts `new` changes, of inputs read with
    their concepts (InputStorage.locked): named (those the app lacks
    created), and their inputs' input-level annotations read, which it
    returns. A change of metadata or geo alone reads neither."""
    changes = _concept_changes(rows, new)
    await name_concepts(store, list(changes.values()))
    return await store.annotations.input_level(list(changes))


def _concept_changes(
    rows: Mapping[str, input_store.Row], new: Mapping[str, Labels]
) -> dict[str, list[dict[str, Any]]]:
    """The new concepts of the inputs (read with their concepts) whose
    concepts `new` changes, by id."""
    return {
        i: c for i, (_, c) in new.items() if rows[i].concepts is not None and c != rows[i].concepts
    }


def _fresh(
    row: input_store.Row, new_data: dict[int, dict[str, Any]], modified: dict[int, datetime]
) -> input_store.Row:
    """The row as patched (itself when its data did not change)."""
    if row.pk not in modified:
        return row
    return row._replace(data=new_data[row.pk], modified_at=modified[row.pk])
