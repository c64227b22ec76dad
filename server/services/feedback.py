"""PostModelFeedback, PostSearchFeedback, ListFeedback, GetFeedbackSummary.

Feedback, as the Feedback guide describes it: concept and region feedback on
a model's predictions, and clicks on search hits. Each names what it judges:
an output the model produced, a search the app ran or saved (its `id`);
others are refused. It is stored as sent and
can be read back and counted; it never changes predictions and counts
against no limit.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from google.protobuf import json_format

from server.checks import Checks
from server.convert import request_json
from server.dispatch import Call
from server.domain import regions
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.status import Code, not_found
from server.wire.feedback import entry_proto, summary_proto
from storage.feedback import Filter

EventType = resources_pb2.FeedbackEventType
RegionFeedback = resources_pb2.RegionFeedback

check = Checks(Code.CONN_INVALID_REQUEST)
# The field each event type requires of feedback_info.
REQUIRED_INFO = {EventType.annotation: "output_id", EventType.search_click: "search_id"}


def _check_info(info: resources_pb2.FeedbackInfo, want: int) -> None:
    field = "input.feedback_info"
    check.one_of(
        info.event_type, EventType.values(), f"{field}.event_type", "a feedback event type"
    )
    if info.event_type != want:
        got = EventType.Name(info.event_type)
        hint = "is required" if info.event_type == EventType.undefined else f"'{got}' is wrong"
        raise check.invalid(f"{field}.event_type {hint}: use '{EventType.Name(want)}' here")
    name = REQUIRED_INFO[want]
    check.required(getattr(info, name), f"{field}.{name}")


def _concept_ids(concepts: Any, field: str) -> tuple[list[str], list[str]]:
    positive, negative = [], []
    for n, concept in enumerate(concepts):
        check.required(concept.id, f"{field}[{n}].id")
        (positive if concept.value > 0 else negative).append(concept.id)
    return positive, negative


def _judged(data: resources_pb2.Data) -> tuple[list[str], list[str], list[str]]:
    """Concepts judged present/absent on the input and its regions, and each
    region's judgement, validated."""
    positive, negative = _concept_ids(data.concepts, "input.data.concepts")
    judgements = []
    for n, region in enumerate(data.regions):
        field = f"input.data.regions[{n}]"
        info = region.region_info
        check.one_of(
            info.feedback,
            RegionFeedback.values(),
            f"{field}.region_info.feedback",
            "a region feedback",
        )
        regions.check_region_info(
            json_format.MessageToDict(info, preserving_proto_field_name=True),
            f"{field}.region_info",
            None,
        )
        judgements.append(RegionFeedback.Name(info.feedback))
        p, q = _concept_ids(region.data.concepts, f"{field}.data.concepts")
        positive += p
        negative += q
    return positive, negative, judgements


def _values(call: Call, request_input: resources_pb2.Input, **extra: str) -> dict[str, Any]:
    """The record of a feedback: the input as sent, and what it judges copied
    into columns for the filters and counts."""
    info = request_input.feedback_info
    positive, negative, judgements = _judged(request_input.data)
    return {
        "id": new_id(),
        "user_id": call.user_id,
        "input_id": request_input.id,
        "event_type": EventType.Name(info.event_type),
        "output_id": info.output_id,
        "search_id": info.search_id,
        "end_user_id": info.end_user_id,
        "session_id": info.session_id,
        "positive_concepts": positive,
        "negative_concepts": negative,
        "region_feedback": judgements,
        "input": request_json(request_input, "input", Code.CONN_INVALID_REQUEST),
        **extra,
    }


async def _check_produced(call: Call, request: service_pb2.PostModelFeedbackRequest) -> None:
    """Feedback names an output the model (and version, when given) really
    produced, and that is still kept (CLARIFAI_LOCAL_MODEL_OUTPUT_DAYS)."""
    output_id = request.input.feedback_info.output_id
    produced = await call.store.model_outputs.produced(
        output_id, request.model_id, request.version_id
    )
    if not produced:
        of = f"model '{request.model_id}'" + (
            f" version '{request.version_id}'" if request.version_id else ""
        )
        raise not_found("output", output_id, f"input.feedback_info.output_id (no output of {of})")


@rpc
async def PostModelFeedback(call: Call, request: service_pb2.PostModelFeedbackRequest):
    check.id(request.model_id, "model_id")
    if request.version_id:
        check.id(request.version_id, "version_id")
    check.required(request.HasField("input"), "input")
    if request.input.id:
        check.id(request.input.id, "input.id")
    _check_info(request.input.feedback_info, EventType.annotation)
    if not request.input.data.concepts and not request.input.data.regions:
        raise check.invalid("input.data: give concepts or regions to give feedback on")
    values = _values(
        call, request.input, model_id=request.model_id, model_version_id=request.version_id
    )
    await _check_produced(call, request)
    await call.store.feedback.add(values)
    return status_pb2.BaseResponse()


@rpc
async def PostSearchFeedback(call: Call, request: service_pb2.PostSearchFeedbackRequest):
    check.required(request.HasField("input"), "input")
    check.id(request.input.id, "input.id")
    _check_info(request.input.feedback_info, EventType.search_click)
    values = _values(call, request.input)
    # A search this app ran or saved (runs are kept CLARIFAI_LOCAL_MODEL_OUTPUT_DAYS).
    if not await call.store.searches.issued(values["search_id"]):
        raise not_found("search", values["search_id"], "input.feedback_info.search_id")
    await call.store.feedback.add(values)
    return status_pb2.BaseResponse()


def _filter(f: service_pb2.FeedbackFilter) -> Filter:
    check.one_of(f.event_type, EventType.values(), "filter.event_type", "a feedback event type")
    return Filter(
        model_id=f.model_id,
        model_version_id=f.model_version_id,
        concept_id=f.concept_id,
        event_type=EventType.Name(f.event_type) if f.event_type else "",
        end_user_id=f.end_user_id,
        session_id=f.session_id,
        input_id=f.input_id,
    )


@rpc
async def ListFeedback(call: Call, request: service_pb2.ListFeedbackRequest):
    page = page_of(request)
    rows = await call.store.feedback.page(_filter(request.filter), page)
    return service_pb2.MultiFeedbackResponse(feedback=[entry_proto(r) for r in rows])


@rpc
async def GetFeedbackSummary(call: Call, request: service_pb2.GetFeedbackSummaryRequest):
    counts = await call.store.feedback.counts(_filter(request.filter))
    return service_pb2.SingleFeedbackSummaryResponse(summary=summary_proto(counts))
