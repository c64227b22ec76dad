"""Imported by the SDK scenarios (in the SDK's environment): the SDK polls
what the server does in the background (GetInputsAddJob after an upload,
ListDatasetVersionMetricsGroups for get_upload_status,
PutDatasetVersionExports for an export), sleeping 1 to 2 s before its
second look. Those sleeps are capped at POLL seconds: the same calls, in
the same order, repeated sooner, and what the SDK returns is the same (it
stops polling on what the server answers, or after a timeout it measures
by the clock)."""

from __future__ import annotations

import time
from typing import Any

from clarifai.client import dataset as sdk_dataset
from clarifai.client import input as sdk_input

POLL = 0.05


class _PacedTime:
    """The time module, with sleep capped at POLL."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(min(seconds, POLL))


def pace() -> None:
    """Cap the sleeps of the SDK's dataset and input clients."""
    for module in (sdk_dataset, sdk_input):
        module.time = _PacedTime()  # type: ignore[assignment]
