"""Training a classifier head (the `model.train` job): a separable set of
annotated images trains a version that predicts the right concepts; the
reference's training errors for no data, no positives, too few examples
and bad hyper-parameters."""

from __future__ import annotations

import numpy as np
import pytest
from clarifai.api.status import status_code_pb2 as sc

from server import classifiers, indexing
from storage import blobs
from storage.inputs import Input
from tests.helpers import app_scope
from tests.training_fixtures import (
    BLUE,
    RED,
    labelled,
    noisy,
    post_inputs,
    queue_version,
    red_and_blue,
    wait_trained,
)

pytestmark = pytest.mark.timeout(600)


async def _vectors_of(server, account, input_ids: list[str]) -> np.ndarray:
    """The inputs' image-embedding vectors (as predicting will get them)."""
    from sqlalchemy import select

    app = await app_scope(server, account)
    async with server.db.transaction() as session:
        rows = list(
            await session.scalars(
                select(Input).where(Input.app_pk == app.pk, Input.id.in_(input_ids))
            )
        )
        # The session server's blobs (another server started since, e.g.
        # on the embedded database, is the process's default store).
        store = blobs.store_for(server.dispatcher.settings.data_dir)
        by_pk = await indexing.ensure_embeddings(session, app, rows, "image-embedding", store)
    order = {row.id: row.pk for row in rows}
    return np.stack([by_pk[order[i]] for i in input_ids])


async def test_a_trained_version_predicts_the_right_concepts(server, stub, account):
    await red_and_blue(stub, account)
    _, _, pk = await queue_version(server, account, ["red", "blue"])
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINED, row.train_log
    assert row.status_description == "Model is trained and ready"
    assert row.total_input_count == 20
    assert row.completed_at is not None
    assert "20 inputs" in row.train_log and "image-embedding" in row.train_log
    assert row.artifact and row.runtime == ""
    assert classifiers.embedder(row.artifact) == "image-embedding"
    # New inputs, never annotated: each gets its colour's concept first.
    await post_inputs(
        stub,
        account,
        [labelled("new-red", noisy(RED, 999)), labelled("new-blue", noisy(BLUE, 998))],
    )
    found = classifiers.predict(
        row.artifact, await _vectors_of(server, account, ["new-red", "new-blue"])
    )
    assert [found[0][0].id, found[1][0].id] == ["red", "blue"]
    assert found[0][0].value > 0.5 > found[0][1].value


async def test_mutually_exclusive_concepts_share_one_head(server, stub, account):
    await red_and_blue(stub, account, per_class=4)
    _, _, pk = await queue_version(
        server,
        account,
        ["red", "blue"],
        output_config={"concepts_mutually_exclusive": True},
        train_info={"params": {"C": 0.5, "max_iter": 300, "class_weight": "balanced"}},
    )
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINED, row.train_log
    assert "multinomial" in row.train_log and "C=0.5" in row.train_log
    vectors = await _vectors_of(server, account, ["red0"])
    found = classifiers.predict(row.artifact, vectors)[0]
    assert sum(c.value for c in found) == pytest.approx(1.0, abs=1e-4)
    assert found[0].id == "red"


async def test_no_annotated_inputs_is_no_data(server, stub, account):
    _, _, pk = await queue_version(server, account, ["red", "blue"])
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINING_NO_DATA
    assert row.status_description == "Custom model training had no data"
    assert row.artifact is None


async def test_a_concept_without_positives_is_named(server, stub, account):
    await red_and_blue(stub, account, per_class=3)
    _, _, pk = await queue_version(server, account, ["red", "green"])
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINING_NO_POSITIVES
    assert "'green'" in row.train_log


async def test_too_few_examples_is_insufficient_data(server, stub, account):
    await red_and_blue(stub, account, per_class=2)
    _, _, pk = await queue_version(
        server, account, ["red", "blue"], train_info={"params": {"min_examples": 5}}
    )
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINING_INSUFFICIENT_DATA
    assert "'red'" in row.train_log


async def test_bad_hyper_parameters_are_refused(server, stub, account):
    await red_and_blue(stub, account, per_class=2)
    _, _, pk = await queue_version(
        server, account, ["red", "blue"], train_info={"params": {"C": -1}}
    )
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINING_INVALID_PARAMS
    assert row.status_description == "Invalid hyperparameters"
    assert "C must be a positive number" in row.train_log


async def test_a_missing_dataset_is_no_data(server, stub, account):
    await red_and_blue(stub, account, per_class=2)
    _, _, pk = await queue_version(
        server, account, ["red", "blue"], train_info={"dataset": {"id": "nope"}}
    )
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINING_NO_DATA
    assert "dataset 'nope'" in row.train_log


async def test_a_crash_ends_in_training_failed(server, stub, account, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of disk")

    monkeypatch.setattr(classifiers, "fit", broken)
    await red_and_blue(stub, account, per_class=2)
    _, _, pk = await queue_version(server, account, ["red", "blue"])
    row = await wait_trained(server, pk)
    assert row.status_code == sc.MODEL_TRAINING_FAILED
    assert row.status_description == "Model training had an error"
    assert "out of disk" in row.train_log
