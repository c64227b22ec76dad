"""The PARTITIONED rule (server/domain/assignment.py): every input goes to
exactly workers_per_input distinct workers, shares follow the weights,
and the rule run in SQL (storage/task_assignments.py) agrees with it."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from server.domain import assignment


@pytest.mark.parametrize(
    ("weights", "per_input"),
    [
        ({"a": 9, "b": 1}, 1),
        ({"a": 90, "b": 10}, 1),
        ({"a": 1, "b": 1, "c": 1}, 2),
        ({"a": 5, "b": 3, "c": 2, "d": 2}, 2),
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1, "h": 1}, 3),
    ],
)
def test_each_input_gets_exactly_k_workers_and_shares_follow_weights(weights, per_input):
    workers = list(weights)
    spread = assignment.intervals(workers, weights, per_input)
    assert spread[-1].upper == per_input and spread[0].lower == 0
    counts: Counter[str] = Counter()
    n = 20_000
    for pk in range(1, n + 1):
        chosen = assignment.workers_of(pk, spread)
        assert len(chosen) == per_input == len(set(chosen))
        counts.update(chosen)
    want = {w: per_input * s for w, s in assignment.shares(workers, weights).items()}
    assert assignment.spread_error(counts, want, n) < 0.002


def test_weights_are_relative():
    a = assignment.intervals(["a", "b"], {"a": 9, "b": 1}, 1)
    b = assignment.intervals(["a", "b"], {"a": 90, "b": 10}, 1)
    assert a == b


def test_inputs_added_later_follow_the_shares_and_keep_their_workers():
    spread = assignment.intervals(["a", "b"], {"a": 3, "b": 1}, 1)
    first = {pk: assignment.workers_of(pk, spread) for pk in range(1, 1001)}
    later = Counter(w for pk in range(5000, 6000) for w in assignment.workers_of(pk, spread))
    assert abs(later["a"] / 1000 - 0.75) < 0.01
    assert first == {pk: assignment.workers_of(pk, spread) for pk in range(1, 1001)}


def test_evenly_when_no_weights():
    assert assignment.shares(["a", "b", "c", "d"], None) == dict.fromkeys("abcd", 0.25)


def test_positions_are_exact_decimals_in_unit_interval():
    for pk in (1, 2, 10**6, 10**12):
        u = assignment.position(pk)
        assert isinstance(u, Decimal) and 0 <= u < 1
