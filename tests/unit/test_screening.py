"""The one walk over a request (server/screening.py) finds clean exactly the
requests the exact checks accept: no NUL anywhere (convert.nul_at) and
every list and string within its limit (limits.check_request).

Every RPC's request, filled (tests/bad_input.fill), then broken at one
place at a time: a NUL in a string, a map key or a metadata value; a
string one character over its limit; a list one item over."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from google.protobuf import struct_pb2
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from server import contract, limits, screening
from server.checks import Checks
from server.convert import nul_at
from server.status import ApiError
from tests import bad_input

F = FieldDescriptor
# Places broken per RPC (of the hundreds a filled request has).
PLACES = 12


def _accepted(request: Message) -> bool:
    if nul_at(request) is not None:
        return False
    try:
        limits.check_request(Checks(), request)
    except ApiError:
        return False
    return True


def _places(message: Message) -> Iterator[tuple[Message, FieldDescriptor]]:
    """Every field set in `message` and below, with the message holding it."""
    for field, value in message.ListFields():
        yield message, field
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            if field.message_type.fields_by_name["value"].message_type is not None:
                for item in value.values():
                    yield from _places(item)
        elif field.is_repeated:
            for item in value:
                yield from _places(item)
        else:
            yield from _places(value)


Break = Callable[[Message, FieldDescriptor], None]


def _breaks(owner: Message, field: FieldDescriptor) -> list[Break]:
    """The ways to break this field: a NUL, a string too long, a list too long."""
    name = owner.DESCRIPTOR.full_name
    out: list[Break] = []
    entry = field.message_type
    if entry is not None and entry.GetOptions().map_entry:
        key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
        if key.type == F.TYPE_STRING:
            out.append(lambda m, f: _map_add(m, f, "k\0", value))
            most = limits.most_characters(entry.full_name, "key")
            if most is not None:
                long_key = "k" * (most + 1)
                out.append(lambda m, f: _map_add(m, f, long_key, value))
        if value.type == F.TYPE_STRING:
            out.append(lambda m, f: getattr(m, f.name).__setitem__("v", "v\0"))
        return out
    if field.is_repeated:
        most = limits.most_items(name, field.name)
        out.append(lambda m, f: _grow(getattr(m, f.name), most + 1))
    if field.type == F.TYPE_STRING:
        chars = limits.most_characters(name, field.name)
        texts = ["a\0b"] + ([] if chars is None else ["x" * (chars + 1)])
        for text in texts:
            if field.is_repeated:
                out.append(lambda m, f, t=text: getattr(m, f.name).append(t))
            else:
                out.append(lambda m, f, t=text: setattr(m, f.name, t))
    return out


def _zero(field: FieldDescriptor):
    return "" if field.type == F.TYPE_STRING else field.default_value


def _map_add(message: Message, field: FieldDescriptor, key: str, value: FieldDescriptor) -> None:
    mapping = getattr(message, field.name)
    if value.message_type is not None:
        mapping.get_or_create(key)
    else:
        mapping[key] = _zero(value)


def _grow(items, size: int) -> None:
    first = items[0]
    if isinstance(first, Message):
        while len(items) < size:
            items.add().CopyFrom(first)
    else:
        items.extend([first] * (size - len(items)))


def _filled(method: contract.Method, rng: random.Random) -> Message:
    request = method.request_type()
    bad_input.fill(request, bad_input._plain_leaf, rng, struct={"k": ["a", {"n": 1.5}]})
    return request


@pytest.mark.parametrize("name", sorted(contract.methods()))
def test_the_walk_agrees_with_the_exact_checks(name):
    method = contract.methods()[name]
    rng = random.Random(name)
    request = _filled(method, rng)
    assert screening.clean(request) == _accepted(request)
    places = list(_places(request))
    for n in rng.sample(range(len(places)), min(PLACES, len(places))):
        for k in range(len(_breaks(*places[n]))):
            broken = method.request_type()
            broken.CopyFrom(request)
            owner, field = list(_places(broken))[n]
            _breaks(owner, field)[k](owner, field)
            assert not _accepted(broken), (name, owner.DESCRIPTOR.full_name, field.name, k)
            assert not screening.clean(broken), (name, owner.DESCRIPTOR.full_name, field.name, k)


def _post(metadata: dict) -> s.PostInputsRequest:
    meta = struct_pb2.Struct()
    meta.update(metadata)
    concepts = [r.Concept(id="c1", value=1.0), r.Concept(id="c2", value=0.0)]
    data = r.Data(image=r.Image(url="https://example.com/a.jpg"), metadata=meta, concepts=concepts)
    return s.PostInputsRequest(inputs=[r.Input(id=f"in-{n}", data=data) for n in range(128)])


@pytest.mark.parametrize(
    "metadata",
    [
        {"sku": "a", "price": 3.0, "tags": ["a"], "dims": {"w": 1}},
        # Text protobuf writes with escapes: read value by value instead.
        {"quote": 'say "hi"', "tab": "a\tb", "ключ": ["значение", {"ω": "∞"}]},
    ],
    ids=["ascii", "escaped"],
)
def test_a_full_batch_of_inputs_with_metadata_is_clean(metadata):
    assert screening.clean(_post(metadata))


@pytest.mark.parametrize(
    "metadata",
    [
        {"k\0": 1},
        {"k": "v\0"},
        {"k": [1, {"deep": ["x", "y\0"]}]},
        {"k": {"k2\0": None}},
        {"k": list(range(limits.LIST_VALUES + 1))},
    ],
    ids=["key", "value", "nested-list", "nested-key", "long-list"],
)
def test_metadata_with_a_nul_or_a_list_too_long_is_not_clean(metadata):
    request = _post(metadata)
    assert not _accepted(request)
    assert not screening.clean(request)
