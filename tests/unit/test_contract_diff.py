"""The differ itself: it must see every kind of difference the conformance
test relies on. A small reference file is built in memory and altered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from clarifai.api.utils import extensions_pb2
from clarifai.auth.types import types_pb2
from clarifai.auth.util import extension_pb2
from google.api import annotations_pb2
from google.protobuf import descriptor_pb2, text_format

from tests.unit.contract_diff import coverage, diff

FDP = descriptor_pb2.FileDescriptorProto
F = descriptor_pb2.FieldDescriptorProto

REFERENCE = text_format.Parse(
    """
    name: "ref.proto" package: "clarifai.api" syntax: "proto3"
    message_type {
      name: "Thing"
      field { name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
      field { name: "tags" number: 2 label: LABEL_REPEATED type: TYPE_STRING
              options { [clarifai.api.utils.cl_show_if_empty]: true } }
      field { name: "secret" number: 3 label: LABEL_OPTIONAL type: TYPE_STRING
              options { [clarifai.auth.util.cl_private_field]: true deprecated: true } }
      field { name: "kind" number: 4 label: LABEL_OPTIONAL type: TYPE_ENUM
              type_name: ".clarifai.api.Kind" }
      field { name: "url" number: 6 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
      field { name: "raw" number: 7 label: LABEL_OPTIONAL type: TYPE_BYTES oneof_index: 0 }
      field { name: "score" number: 8 label: LABEL_OPTIONAL type: TYPE_FLOAT oneof_index: 1
              proto3_optional: true }
      oneof_decl { name: "source" }
      oneof_decl { name: "_score" }
      nested_type { name: "Part" field { name: "id" number: 1 label: LABEL_OPTIONAL
                                         type: TYPE_STRING } }
      reserved_range { start: 5 end: 6 }
      reserved_name: "old"
    }
    message_type { name: "GetThingRequest"
      field { name: "thing_id" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING } }
    message_type { name: "ThingResponse"
      field { name: "thing" number: 1 label: LABEL_OPTIONAL type: TYPE_MESSAGE
              type_name: ".clarifai.api.Thing" } }
    enum_type {
      name: "Kind"
      value { name: "KIND_NOT_SET" number: 0 }
      value { name: "SMALL" number: 1 }
      value { name: "LARGE" number: 2 options { deprecated: true } }
      reserved_range { start: 3 end: 3 }
    }
    service {
      name: "V2"
      method {
        name: "GetThing" input_type: ".clarifai.api.GetThingRequest"
        output_type: ".clarifai.api.ThingResponse"
        options {
          [google.api.http] {
            get: "/v2/things/{thing_id}"
            additional_bindings { get: "/v2/users/{user_app_id.user_id}/things/{thing_id}" }
            additional_bindings { post: "/v2/things/{thing_id}/get" body: "*" }
          }
          [clarifai.auth.util.cl_depending_scopes]: [Inputs_Get, Concepts_Get]
          [clarifai.auth.util.cl_auth_type]: KeyAuth
        }
      }
      method {
        name: "DropThing" input_type: ".clarifai.api.GetThingRequest"
        output_type: ".clarifai.api.ThingResponse"
        options {
          [google.api.http] { delete: "/v2/things/{thing_id}" }
          [clarifai.auth.util.cl_auth_type]: PATAuth
          [clarifai.auth.util.cl_private_rpc]: true
        }
      }
    }
    extension { name: "cl_flag" extendee: ".google.protobuf.FieldOptions" number: 80400
                label: LABEL_OPTIONAL type: TYPE_BOOL }
    """,
    FDP(),
)


def altered(change: Callable[[FDP], object]) -> list[str]:
    """The differences after applying `change` to a copy of the reference."""
    ours = FDP()
    ours.CopyFrom(REFERENCE)
    change(ours)
    return diff([REFERENCE], [ours])


def thing(f: FDP) -> descriptor_pb2.DescriptorProto:
    return f.message_type[0]


def field(f: FDP, name: str) -> F:
    return next(x for x in thing(f).field if x.name == name)


def get_thing(f: FDP) -> descriptor_pb2.MethodDescriptorProto:
    return f.service[0].method[0]


def one(differences: list[str], *words: str) -> None:
    assert len(differences) == 1, differences
    for word in words:
        assert word in differences[0], differences


def test_identical_files_do_not_differ() -> None:
    assert altered(lambda f: None) == []


def test_a_subset_does_not_differ() -> None:
    def subset(f: FDP) -> None:
        del thing(f).field[1:3]
        del f.enum_type[0].value[2]
        del f.service[0].method[1]
        del thing(f).nested_type[0]

    assert altered(subset) == []


def test_changed_field_number() -> None:
    one(altered(lambda f: setattr(field(f, "id"), "number", 9)), "Thing.id", "number", "1", "9")


def test_field_at_a_number_the_reference_uses_elsewhere() -> None:
    one(altered(lambda f: setattr(field(f, "id"), "name", "ident")), "Thing.ident = 1", "Thing.id")


def test_wrong_type() -> None:
    one(
        altered(lambda f: setattr(field(f, "id"), "type", F.TYPE_BYTES)),
        "Thing.id",
        "type",
        "TYPE_STRING",
        "TYPE_BYTES",
    )


def test_wrong_type_name() -> None:
    one(
        altered(lambda f: setattr(field(f, "kind"), "type_name", ".clarifai.api.Other")),
        "Thing.kind",
        "type_name",
    )


def test_wrong_label() -> None:
    one(
        altered(lambda f: setattr(field(f, "tags"), "label", F.LABEL_OPTIONAL)),
        "Thing.tags",
        "label",
        "LABEL_REPEATED",
    )


def test_oneof_membership() -> None:
    one(
        altered(lambda f: field(f, "raw").ClearField("oneof_index")), "Thing.raw", "oneof", "source"
    )


def test_proto3_optional() -> None:
    def plain(f: FDP) -> None:
        field(f, "score").ClearField("oneof_index")
        field(f, "score").proto3_optional = False

    differences = altered(plain)
    assert any("Thing.score: oneof is '_score'" in d for d in differences), differences
    assert any("Thing.score: proto3_optional" in d for d in differences), differences


@pytest.mark.parametrize(
    ("name", "clear", "option"),
    [
        ("tags", extensions_pb2.cl_show_if_empty, "cl_show_if_empty"),
        ("secret", extension_pb2.cl_private_field, "cl_private_field"),
    ],
)
def test_missing_field_option(name: str, clear, option: str) -> None:
    one(altered(lambda f: field(f, name).options.ClearExtension(clear)), f"Thing.{name}", option)


def test_added_field_option() -> None:
    def moretags(f: FDP) -> None:
        field(f, "id").options.Extensions[extensions_pb2.cl_moretags] = 'json:"x"'

    one(altered(moretags), "Thing.id", "cl_moretags", "unset in the reference")


def test_field_deprecation() -> None:
    one(
        altered(lambda f: setattr(field(f, "secret").options, "deprecated", False)),
        "Thing.secret",
        "deprecated",
    )


def test_message_nested_elsewhere() -> None:
    # The same full name, clarifai.api.Thing.Part, from a package instead of
    # from inside the message Thing.
    ours = FDP()
    ours.CopyFrom(REFERENCE)
    del thing(ours).nested_type[0]
    other = FDP(name="other.proto", package="clarifai.api.Thing", syntax="proto3")
    other.message_type.add().CopyFrom(thing(REFERENCE).nested_type[0])
    one(
        diff([REFERENCE], [ours, other]),
        "clarifai.api.Thing.Part",
        "message clarifai.api.Thing",
        "package clarifai.api.Thing",
    )


def test_message_where_the_reference_has_an_enum() -> None:
    one(altered(lambda f: f.message_type.add(name="Kind")), "clarifai.api.Kind", "enum", "message")


def test_added_message_under_a_new_name() -> None:
    assert altered(lambda f: f.message_type.add(name="Feedback")) == []


def test_added_field_at_a_free_number() -> None:
    def add(f: FDP) -> None:
        thing(f).field.add(name="note", number=1000, label=F.LABEL_OPTIONAL, type=F.TYPE_STRING)

    assert altered(add) == []


def test_added_field_reusing_a_reserved_number() -> None:
    def reuse(f: FDP) -> None:
        del thing(f).reserved_range[:]
        thing(f).field.add(name="note", number=5, label=F.LABEL_OPTIONAL, type=F.TYPE_STRING)

    assert altered(reuse) == []


def test_added_field_at_a_number_the_reference_uses() -> None:
    def clash(f: FDP) -> None:
        thing(f).field.add(name="note", number=8, label=F.LABEL_OPTIONAL, type=F.TYPE_STRING)

    one(altered(clash), "Thing.note = 8", "Thing.score")


def test_reserved_numbers_and_names_are_kept() -> None:
    def drop(f: FDP) -> None:
        del thing(f).reserved_range[:]
        del thing(f).reserved_name[:]

    differences = altered(drop)
    assert any("reserves 5; reserve it here too" in d for d in differences), differences
    assert any("['old']" in d for d in differences), differences


def test_reserving_what_the_reference_does_not() -> None:
    one(altered(lambda f: thing(f).reserved_range.add(start=20, end=30)), "reserves 20 to 29")


def test_enum_value_number() -> None:
    one(altered(lambda f: setattr(f.enum_type[0].value[1], "number", 7)), "Kind.SMALL", "7")


def test_enum_value_deprecation() -> None:
    one(
        altered(lambda f: f.enum_type[0].value[2].ClearField("options")), "Kind.LARGE", "deprecated"
    )


def test_enum_value_added_at_a_used_number() -> None:
    one(
        altered(lambda f: f.enum_type[0].value.add(name="HUGE", number=2)), "Kind.HUGE = 2", "LARGE"
    )


def test_enum_reserved_numbers_are_kept() -> None:
    one(altered(lambda f: f.enum_type[0].ClearField("reserved_range")), "Kind", "reserves 3")


def test_missing_additional_binding() -> None:
    def drop(f: FDP) -> None:
        del get_thing(f).options.Extensions[annotations_pb2.http].additional_bindings[1]

    one(altered(drop), "V2.GetThing", "missing additional binding POST /v2/things/{thing_id}/get")


def test_extra_additional_binding() -> None:
    def add(f: FDP) -> None:
        get_thing(f).options.Extensions[annotations_pb2.http].additional_bindings.add(get="/v2/t")

    one(altered(add), "V2.GetThing", "GET /v2/t", "not in the reference")


def test_changed_body() -> None:
    def body(f: FDP) -> None:
        get_thing(f).options.Extensions[annotations_pb2.http].additional_bindings[1].body = ""

    differences = altered(body)
    assert any(
        "missing additional binding POST /v2/things/{thing_id}/get body=*" in d for d in differences
    ), differences


def test_changed_main_route() -> None:
    def route(f: FDP) -> None:
        get_thing(f).options.Extensions[annotations_pb2.http].get = "/v2/thing/{thing_id}"

    one(altered(route), "V2.GetThing", "main route")


def test_changed_auth_type() -> None:
    def auth(f: FDP) -> None:
        get_thing(f).options.Extensions[extension_pb2.cl_auth_type] = types_pb2.PATAuth

    one(altered(auth), "V2.GetThing", "cl_auth_type", "KeyAuth", "PATAuth")


def test_scopes_in_another_order() -> None:
    def swap(f: FDP) -> None:
        scopes = get_thing(f).options.Extensions[extension_pb2.cl_depending_scopes]
        scopes[0], scopes[1] = scopes[1], scopes[0]

    one(altered(swap), "cl_depending_scopes", "[Inputs_Get, Concepts_Get]")


def test_missing_scope() -> None:
    def drop(f: FDP) -> None:
        del get_thing(f).options.Extensions[extension_pb2.cl_depending_scopes][1]

    one(altered(drop), "V2.GetThing", "cl_depending_scopes")


def test_private_rpc_flag() -> None:
    def public(f: FDP) -> None:
        f.service[0].method[1].options.ClearExtension(extension_pb2.cl_private_rpc)

    one(altered(public), "V2.DropThing", "cl_private_rpc")


def test_changed_request_type() -> None:
    one(
        altered(lambda f: setattr(get_thing(f), "input_type", ".clarifai.api.Thing")),
        "V2.GetThing",
        "input_type",
    )


def test_added_rpc_under_a_new_name_and_route() -> None:
    def add(f: FDP) -> None:
        method = f.service[0].method.add()
        method.CopyFrom(get_thing(f))
        method.name = "PostThingFeedback"
        rule = method.options.Extensions[annotations_pb2.http]
        rule.Clear()
        rule.post, rule.body = "/v2/things/{thing_id}/feedback", "*"

    assert altered(add) == []


def test_added_rpc_on_a_reference_route() -> None:
    def add(f: FDP) -> None:
        method = f.service[0].method.add()
        method.CopyFrom(f.service[0].method[1])
        method.name = "RemoveThing"

    one(altered(add), "V2.RemoveThing", "DELETE /v2/things/{thing_id}", "V2.DropThing")


def test_extension_number() -> None:
    one(altered(lambda f: setattr(f.extension[0], "number", 80401)), "cl_flag", "number")


def test_coverage_counts_reference_rpcs_we_declare() -> None:
    ours = FDP()
    ours.CopyFrom(REFERENCE)
    del ours.service[0].method[1]
    ours.service[0].method.add(name="Extra")
    assert coverage([REFERENCE], [ours]) == (1, 2)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def test_an_option_no_one_here_knows_still_counts() -> None:
    # Field option 90000 = 1, an extension neither side's modules declare.
    unknown = _varint(90000 << 3) + _varint(1)
    one(altered(lambda f: field(f, "id").options.MergeFromString(unknown)), "Thing.id", "#90000")
