"""Feedback on the wire: stored records as FeedbackEntry, and the counts of
GetFeedbackSummary as a FeedbackSummary."""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server.convert import ts
from storage.feedback import Feedback


def entry_proto(row: Feedback) -> resources_pb2.FeedbackEntry:
    return resources_pb2.FeedbackEntry(
        id=row.id,
        created_at=ts(row.created_at),
        model_id=row.model_id,
        model_version_id=row.model_version_id,
        # Stored as sent: fields a later contract drops are skipped, not fatal.
        input=json_format.ParseDict(row.input, resources_pb2.Input(), ignore_unknown_fields=True),
        user_id=row.user_id,
    )


def _counted(pairs: list[tuple[str, int]]) -> list[resources_pb2.FeedbackCount]:
    return [resources_pb2.FeedbackCount(key=k, total=n) for k, n in pairs]


def summary_proto(c: dict[str, Any]) -> resources_pb2.FeedbackSummary:
    """The summary of FeedbackStorage.counts: per concept, how often it was
    judged present (positive) and absent (negative)."""
    positive, negative = c["positive"], c["negative"]
    return resources_pb2.FeedbackSummary(
        total=c["total"],
        by_model=_counted(c["by_model"]),
        by_event_type=_counted(c["by_event_type"]),
        by_end_user=_counted(c["by_end_user"]),
        by_region_feedback=_counted(c["by_region_feedback"]),
        by_concept=[
            resources_pb2.FeedbackCount(
                key=k,
                total=positive.get(k, 0) + negative.get(k, 0),
                positive=positive.get(k, 0),
                negative=negative.get(k, 0),
            )
            for k in sorted(set(positive) | set(negative))
        ],
    )
