"""The request limits (server/limits.py) cover every list a request can hold."""

from __future__ import annotations

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from server import contract, limits
from server.checks import Checks
from server.status import ApiError, Code


def _reachable() -> list[Descriptor]:
    seen: dict[str, Descriptor] = {}

    def walk(d: Descriptor) -> None:
        if d.full_name in seen:
            return
        seen[d.full_name] = d
        for f in d.fields:
            if f.message_type is not None:
                walk(f.message_type)

    for method in contract.methods().values():
        walk(method.descriptor.input_type)
    return list(seen.values())


def _is_list(f: FieldDescriptor) -> bool:
    map_entry = f.message_type is not None and f.message_type.GetOptions().map_entry
    return f.is_repeated and not map_entry


def test_every_repeated_field_of_every_request_has_a_stated_limit():
    missing = [
        f"{d.full_name}.{f.name}"
        for d in _reachable()
        for f in d.fields
        if _is_list(f) and (d.full_name, f.name) not in limits.ITEMS
    ]
    assert missing == []


def test_the_limits_table_names_only_declared_fields():
    declared = {(d.full_name, f.name) for d in _reachable() for f in d.fields}
    assert set(limits.ITEMS) - declared == set()
    assert set(limits.TEXT) - declared == set()


def test_strings_that_reach_an_index_stay_under_the_btree_limit():
    # 4 UTF-8 bytes a character at most; PostgreSQL's btree rows hold ~2,700.
    for message, field in [
        ("clarifai.api.Concept", "name"),
        ("clarifai.api.Concept", "id"),
        ("clarifai.api.App", "name"),
        ("clarifai.api.TaskInputSource", "id"),
        ("clarifai.api.FeedbackInfo", "end_user_id"),
    ]:
        most = limits.most_characters(message, field)
        assert most is not None and most * 4 < 2700, (message, field)


def test_only_metadata_strings_are_unbounded():
    unbounded = sorted(
        (d.full_name, f.name)
        for d in _reachable()
        for f in d.fields
        if f.type == FieldDescriptor.TYPE_STRING
        and limits.most_characters(d.full_name, f.name) is None
    )
    assert unbounded == [
        ("google.protobuf.Struct.FieldsEntry", "key"),
        ("google.protobuf.Value", "string_value"),
    ]


def _refusal(request) -> ApiError:
    try:
        limits.check_request(Checks(Code.CONCEPTS_INVALID_REQUEST), request)
    except ApiError as err:
        return err
    raise AssertionError("the request was accepted")


def test_a_list_over_its_limit_is_refused_naming_it():
    request = s.PostConceptsRequest(concepts=[r.Concept(id=f"c{n}") for n in range(129)])
    err = _refusal(request)
    assert err.code == Code.CONCEPTS_INVALID_REQUEST
    assert err.details == "concepts: at most 128 per request, got 129"


def test_nested_lists_and_strings_are_checked_where_they_are():
    inputs = [r.Input(data=r.Data(concepts=[r.Concept(id="a")] * 129))]
    assert (
        "inputs[0].data.concepts: at most 128"
        in _refusal(s.PostInputsRequest(inputs=inputs)).details
    )
    long = s.PostConceptsRequest(concepts=[r.Concept(id="a"), r.Concept(id="b", name="x" * 257)])
    assert _refusal(long).details == "concepts[1].name: at most 256 characters, got 257"
    ids = s.ListAnnotationsRequest(input_ids=["a", "b" * 49])
    assert _refusal(ids).details == "input_ids[1]: at most 48 characters, got 49"


def test_requests_within_the_limits_pass():
    limits.check_request(
        Checks(),
        s.PostConceptsRequest(concepts=[r.Concept(id="c" * 48, name="n" * 256)] * 128),
    )


def test_every_string_field_of_every_request_has_a_stated_length():
    missing = [
        f"{d.full_name}.{f.name}"
        for d in _reachable()
        for f in d.fields
        if f.type == FieldDescriptor.TYPE_STRING and not limits.declared(d.full_name, f.name)
    ]
    assert missing == []
    assert not limits.declared("clarifai.api.Concept", "no_such_field")
