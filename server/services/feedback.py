"""PostModelFeedback, PostSearchFeedback, ListFeedback, GetFeedbackSummary.

Feedback, as the Feedback guide describes it: concept and region feedback on
a model's predictions, and clicks on search hits. It is stored as sent and
can be read back and counted; it never changes predictions and counts
against no limit.
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2
from google.protobuf import json_format

from server.convert import ts
from server.dispatch import Call
from server.domain import regions
from server.ids import check_id, new_id
from server.pagination import page_of
from server.rest_json import request_json
from server.services import rpc
from server.status import ApiError, Code
from storage import feedback as feedback_store

EventType = resources_pb2.FeedbackEventType
RegionFeedback = resources_pb2.RegionFeedback


def _invalid(details: str) -> ApiError:
    return ApiError(Code.CONN_INVALID_REQUEST, details)


def _check_info(info: resources_pb2.FeedbackInfo, want: int) -> None:
    field = "input.feedback_info"
    if info.event_type not in EventType.values():
        raise _invalid(f"{field}.event_type {info.event_type} is not a feedback event type")
    if info.event_type != want:
        got = EventType.Name(info.event_type)
        hint = "is required" if info.event_type == EventType.undefined else f"'{got}' is wrong"
        raise _invalid(f"{field}.event_type {hint}: use '{EventType.Name(want)}' here")
    if want == EventType.annotation and not info.output_id:
        raise _invalid(f"{field}.output_id is required for annotation feedback")
    if want == EventType.search_click and not info.search_id:
        raise _invalid(f"{field}.search_id is required for search_click feedback")


def _concept_ids(concepts: Any, field: str) -> tuple[list[str], list[str]]:
    positive, negative = [], []
    for n, concept in enumerate(concepts):
        if not concept.id:
            raise _invalid(f"{field}[{n}].id is required")
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
        if info.feedback not in RegionFeedback.values():
            raise _invalid(f"{field}.region_info.feedback {info.feedback} is not a region feedback")
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


def _row(call: Call, request_input: resources_pb2.Input, **extra: str) -> dict[str, Any]:
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


@rpc
async def PostModelFeedback(call: Call, request: service_pb2.PostModelFeedbackRequest):
    check_id(request.model_id, "model_id")
    if request.version_id:
        check_id(request.version_id, "version_id")
    if not request.HasField("input"):
        raise _invalid("input is required")
    if request.input.id:
        check_id(request.input.id, "input.id")
    _check_info(request.input.feedback_info, EventType.annotation)
    if not request.input.data.concepts and not request.input.data.regions:
        raise _invalid("input.data: give concepts or regions to give feedback on")
    row = _row(call, request.input, model_id=request.model_id, model_version_id=request.version_id)
    await call.store.feedback.add(row)
    return status_pb2.BaseResponse()


@rpc
async def PostSearchFeedback(call: Call, request: service_pb2.PostSearchFeedbackRequest):
    if not request.HasField("input"):
        raise _invalid("input is required")
    check_id(request.input.id, "input.id")
    _check_info(request.input.feedback_info, EventType.search_click)
    await call.store.feedback.add(_row(call, request.input))
    return status_pb2.BaseResponse()


def _filter(f: service_pb2.FeedbackFilter) -> feedback_store.Filter:
    if f.event_type not in EventType.values():
        raise _invalid(f"filter.event_type {f.event_type} is not a feedback event type")
    return feedback_store.Filter(
        model_id=f.model_id,
        model_version_id=f.model_version_id,
        concept_id=f.concept_id,
        event_type=EventType.Name(f.event_type) if f.event_type else "",
        end_user_id=f.end_user_id,
        session_id=f.session_id,
        input_id=f.input_id,
    )


def _entry(row: feedback_store.Feedback) -> resources_pb2.FeedbackEntry:
    return resources_pb2.FeedbackEntry(
        id=row.id,
        created_at=ts(row.created_at),
        model_id=row.model_id,
        model_version_id=row.model_version_id,
        # Stored as sent: fields a later contract drops are skipped, not fatal.
        input=json_format.ParseDict(row.input, resources_pb2.Input(), ignore_unknown_fields=True),
        user_id=row.user_id,
    )


@rpc
async def ListFeedback(call: Call, request: service_pb2.ListFeedbackRequest):
    page = page_of(request)
    rows = await call.store.feedback.list_(
        _filter(request.filter), limit=page.limit, offset=page.offset
    )
    return service_pb2.MultiFeedbackResponse(feedback=[_entry(r) for r in rows])


@rpc
async def GetFeedbackSummary(call: Call, request: service_pb2.GetFeedbackSummaryRequest):
    c = await call.store.feedback.counts(_filter(request.filter))

    def counted(pairs: list[tuple[str, int]]) -> list[resources_pb2.FeedbackCount]:
        return [resources_pb2.FeedbackCount(key=k, total=n) for k, n in pairs]

    concepts = sorted(set(c["positive"]) | set(c["negative"]))
    return service_pb2.SingleFeedbackSummaryResponse(
        summary=resources_pb2.FeedbackSummary(
            total=c["total"],
            by_model=counted(c["by_model"]),
            by_event_type=counted(c["by_event_type"]),
            by_end_user=counted(c["by_end_user"]),
            by_region_feedback=counted(c["by_region_feedback"]),
            by_concept=[
                resources_pb2.FeedbackCount(
                    key=k,
                    total=c["positive"].get(k, 0) + c["negative"].get(k, 0),
                    positive=c["positive"].get(k, 0),
                    negative=c["negative"].get(k, 0),
                )
                for k in concepts
            ],
        )
    )
