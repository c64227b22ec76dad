"""server/classifiers.py: heads fitted over vectors, their artifact, their
errors, and cross-validated metrics."""

from __future__ import annotations

import numpy as np
import pytest
from clarifai.api import resources_pb2
from clarifai.api.status import status_code_pb2
from google.protobuf import json_format

from server import classifiers as clf

Code = status_code_pb2.StatusCode


def _data(n: int = 40, dims: int = 16, exclusive: bool = True, seed: int = 1) -> clf.Data:
    """Two separable clusters, 'red' and 'blue'."""
    rng = np.random.default_rng(seed)
    half = n // 2
    centre = np.zeros(dims)
    centre[0] = 4.0
    x = np.vstack([rng.normal(centre, 1.0, (half, dims)), rng.normal(-centre, 1.0, (half, dims))])
    labels = np.zeros((n, 2), dtype=bool)
    labels[:half, 0] = True
    labels[half:, 1] = True
    return clf.Data([f"in{i}" for i in range(n)], x, labels, ["red", "blue"], ["Red", "Blue"])


def _code(exc: pytest.ExceptionInfo[clf.TrainingError]) -> int:
    return exc.value.code


@pytest.mark.parametrize("exclusive", [False, True])
def test_a_fitted_head_predicts_its_concepts(exclusive: bool) -> None:
    data = _data()
    artifact = clf.dumps(clf.fit(data, clf.Params(mutually_exclusive=exclusive), "image-embedding"))
    out = clf.predict(artifact, data.vectors[[0, -1]])
    assert [c.id for c in out[0]] == ["red", "blue"]
    assert [c.id for c in out[1]] == ["blue", "red"]
    assert out[0][0].value > 0.9 and out[0][0].name == "Red"
    assert out[0][0].value >= out[0][1].value
    if exclusive:
        assert sum(c.value for c in out[0]) == pytest.approx(1.0, abs=1e-5)
    assert clf.embedder(artifact) == "image-embedding"


def test_predict_takes_one_vector() -> None:
    artifact = clf.dumps(clf.fit(_data(), clf.Params(), "text-embedding"))
    assert len(clf.predict(artifact, _data().vectors[0])) == 1


def test_params_read_train_info_over_hyper_params() -> None:
    p = clf.params(
        {
            "outputConfig": {
                "hyperParams": {"C": 2, "max_iter": 50},
                "conceptsMutuallyExclusive": True,
            }
        },
        {"params": {"C": 0.5, "class_weight": "balanced"}},
    )
    assert p == clf.Params(C=0.5, max_iter=50, class_weight="balanced", mutually_exclusive=True)
    assert clf.params({}, {}) == clf.Params()
    assert clf.params({"output_config": {"hyper_params": '{"max_iter": 10}'}}, {}).max_iter == 10


@pytest.mark.parametrize(
    "sent",
    [{"C": -1}, {"C": "x"}, {"max_iter": 1.5}, {"class_weight": "heavy"}, {"min_examples": 0}],
)
def test_bad_hyper_params_are_refused(sent: dict) -> None:
    with pytest.raises(clf.TrainingError) as exc:
        clf.params({}, {"params": sent})
    assert _code(exc) == Code.MODEL_TRAINING_INVALID_PARAMS


def test_hyper_params_must_be_an_object() -> None:
    with pytest.raises(clf.TrainingError) as exc:
        clf.params({"outputConfig": {"hyperParams": "[1"}}, {})
    assert _code(exc) == Code.MODEL_TRAINING_INVALID_PARAMS


def test_training_errors() -> None:
    data = _data()
    empty = clf.Data([], np.zeros((0, 16)), np.zeros((0, 2), dtype=bool), ["a", "b"], ["a", "b"])
    with pytest.raises(clf.TrainingError) as exc:
        clf.fit(empty, clf.Params(), "image-embedding")
    assert _code(exc) == Code.MODEL_TRAINING_NO_DATA
    labels = data.labels.copy()
    labels[:, 1] = False
    no_blue = clf.Data(data.input_ids, data.vectors, labels, data.concept_ids, data.concept_names)
    with pytest.raises(clf.TrainingError) as exc:
        clf.fit(no_blue, clf.Params(), "image-embedding")
    assert _code(exc) == Code.MODEL_TRAINING_NO_POSITIVES and "'blue'" in exc.value.details
    with pytest.raises(clf.TrainingError) as exc:
        clf.fit(data, clf.Params(min_examples=21), "image-embedding")
    assert _code(exc) == Code.MODEL_TRAINING_INSUFFICIENT_DATA


def test_one_concept_needs_negatives() -> None:
    data = _data()
    only = clf.Data(data.input_ids, data.vectors, np.ones((40, 1), bool), ["red"], ["Red"])
    with pytest.raises(clf.TrainingError) as exc:
        clf.fit(only, clf.Params(), "image-embedding")
    assert _code(exc) == Code.MODEL_TRAINING_INSUFFICIENT_DATA


def test_cross_validation_metrics_on_separable_data() -> None:
    data = _data()
    p = clf.Params()
    scores = clf.cross_validate(data, p)
    assert scores.shape == (40, 2)
    found = json_format.ParseDict(clf.metrics(data, scores, p), resources_pb2.EvalMetrics())
    assert found.summary.macro_avg_roc_auc > 0.95
    assert found.summary.macro_avg_f1_score > 0.9
    assert [b.concept.id for b in found.binary_metrics] == ["red", "blue"]
    red = found.binary_metrics[0]
    assert (red.num_pos, red.num_neg, red.num_tot) == (20, 20, 40)
    assert len(red.roc_curve.fpr) == len(red.roc_curve.tpr) == len(red.roc_curve.thresholds)
    assert len(red.precision_recall_curve.precision) > 0
    assert len(found.test_set) == 40
    assert found.test_set[0].ground_truth_concepts[0].id == "red"
    diagonal = sum(e.value for e in found.confusion_matrix.matrix if e.predicted == e.actual)
    assert diagonal >= 38
    assert [c.count for c in found.label_counts.positive_label_counts] == [20, 20]


def test_cross_validation_is_repeatable() -> None:
    data = _data()
    p = clf.Params(mutually_exclusive=True)
    assert np.array_equal(clf.cross_validate(data, p), clf.cross_validate(data, p))


def test_cross_validation_needs_two_examples_per_class() -> None:
    data = _data()
    labels = data.labels.copy()
    labels[1:20, 0] = False  # one red left
    few = clf.Data(data.input_ids, data.vectors, labels, data.concept_ids, data.concept_names)
    with pytest.raises(clf.TrainingError) as exc:
        clf.cross_validate(few, clf.Params())
    assert _code(exc) == Code.MODEL_EVALUATION_FAILED
