"""Dataset inputs on the wire."""

from __future__ import annotations

from datetime import datetime

from clarifai.api import resources_pb2

from server.convert import ts


def dataset_input(added_at: datetime, shown: resources_pb2.Input) -> resources_pb2.DatasetInput:
    """An input of a dataset: `shown` as GetInput shows it, and when it was
    added to the dataset."""
    return resources_pb2.DatasetInput(created_at=ts(added_at), input=shown)
