"""Stored client JSON stays servable: values nested past server.convert's
MAX_DEPTH are refused on both transports (nothing written), values at the
limit read back over gRPC from every response that carries them."""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format, struct_pb2

from server.convert import MAX_DEPTH


def assert_refused(res, code: int, *words: str) -> None:
    assert res.status.code == code, res.status
    for word in words:
        assert word in res.status.details, res.status.details


def nested(depth: int) -> dict[str, Any]:
    """A JSON object nesting `depth` levels (objects and a list)."""
    value: Any = [1, "deepest"]
    for n in range(depth - 1):
        value = {f"k{n}": value, "flat": n}
    return value


def as_struct(value: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(value)
    return out


def text_input(input_id: str, metadata: dict[str, Any]) -> r.Input:
    return r.Input(id=input_id, data=r.Data(text=r.Text(raw="hello"), metadata=as_struct(metadata)))


def annotation(input_id: str, metadata: dict[str, Any]) -> r.Annotation:
    """An annotation whose data holds `metadata`: the data, stored whole, is
    one level deeper than the metadata, and annotation_info as deep."""
    return r.Annotation(
        input_id=input_id,
        data=r.Data(metadata=as_struct(metadata)),
        annotation_info=as_struct(metadata),
    )


async def test_values_at_the_limit_read_back_over_grpc(transport, stub, account):
    deepest = nested(MAX_DEPTH)
    res = await transport.call(
        "PostInputs", s.PostInputsRequest(inputs=[text_input("deep", deepest)]), account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    in_data = nested(MAX_DEPTH - 1)
    res = await transport.call(
        "PostAnnotations",
        s.PostAnnotationsRequest(annotations=[annotation("deep", in_data)]),
        account.key_md,
    )
    assert res.status.code == sc.SUCCESS, res.status

    md = account.key_md
    got = await stub.GetInput(s.GetInputRequest(input_id="deep"), metadata=md)
    listed = await stub.ListInputs(s.ListInputsRequest(), metadata=md)
    streamed = await stub.StreamInputs(s.StreamInputsRequest(), metadata=md)
    for shown in (got.input, *listed.inputs, *streamed.inputs):
        assert json_format.MessageToDict(shown.data.metadata) == deepest
    annotations = await stub.ListAnnotations(
        s.ListAnnotationsRequest(input_ids=["deep"]), metadata=md
    )
    (shown,) = [a for a in annotations.annotations if a.data.HasField("metadata")]
    assert json_format.MessageToDict(shown.data.metadata) == in_data
    assert json_format.MessageToDict(shown.annotation_info) == in_data


async def test_values_past_the_limit_are_refused(transport, stub, account):
    too_deep = nested(MAX_DEPTH + 1)
    res = await transport.call(
        "PostInputs",
        s.PostInputsRequest(inputs=[text_input("ok", {}), text_input("deep", too_deep)]),
        account.key_md,
    )
    assert_refused(
        res, sc.INPUT_INVALID_REQUEST, "inputs[1].data.metadata.k", f"deeper than {MAX_DEPTH}"
    )
    listed = await stub.ListInputs(s.ListInputsRequest(), metadata=account.key_md)
    assert listed.status.code == sc.SUCCESS and not listed.inputs

    res = await transport.call(
        "PostInputs", s.PostInputsRequest(inputs=[text_input("in", {})]), account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    res = await transport.call(
        "PatchInputs",
        s.PatchInputsRequest(action="merge", inputs=[text_input("in", too_deep)]),
        account.key_md,
    )
    assert_refused(res, sc.INPUT_INVALID_REQUEST, "inputs[0].data.metadata.k")

    # Annotation data is stored whole: its metadata one level shallower.
    for sent, field in (
        (annotation("in", nested(MAX_DEPTH)), "annotations[0].data.metadata.k"),
        (
            r.Annotation(input_id="in", annotation_info=as_struct(too_deep)),
            "annotations[0].annotation_info.k",
        ),
    ):
        res = await transport.call(
            "PostAnnotations", s.PostAnnotationsRequest(annotations=[sent]), account.key_md
        )
        assert_refused(res, sc.ANNOTATION_INVALID_ARGUMENT, field)
    listed = await stub.ListAnnotations(
        s.ListAnnotationsRequest(input_ids=["in"]), metadata=account.key_md
    )
    assert all(not a.data.HasField("metadata") for a in listed.annotations)
    got = await stub.GetInput(s.GetInputRequest(input_id="in"), metadata=account.key_md)
    assert not got.input.data.metadata.fields

    res = await transport.call(
        "PostConcepts",
        s.PostConceptsRequest(concepts=[r.Concept(id="c", metadata=as_struct(too_deep))]),
        account.key_md,
    )
    assert_refused(res, sc.CONCEPTS_INVALID_REQUEST, "concepts[0].metadata.k")
