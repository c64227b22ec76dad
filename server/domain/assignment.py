"""Who labels an input of a task.

FULL: every worker labels every input. PARTITIONED: each input goes to
exactly `workers_per_input` distinct workers, each worker's share of the
inputs following its weight. DYNAMIC: inputs go to whoever asks first,
`labelers_per_input` workers each (storage/task_assignments.py).

PARTITIONED is decided by a rule of the input alone, so that inputs added
after the task was created are split like the first ones and nothing
already assigned ever moves: systematic sampling over the workers' shares.
Worker i gets the interval [a_i, b_i) of [0, k) (k = workers_per_input),
of length k * share_i, at most 1 (the reference refuses a share above 1/k);
the input at position u in [0, 1) goes to the workers whose interval holds
one of u, u+1, ..., u+k-1: exactly k of them, worker i with probability
k * share_i. Positions are the fractional part of pk * (golden ratio - 1),
a low-discrepancy sequence: inputs added together (consecutive pks) follow
the shares far closer than random draws would. The rule runs in SQL over
numeric (exact decimal arithmetic, storage/task_assignments.py) and here in
Decimal for tests and estimates: both give the same answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

# (sqrt(5) - 1) / 2 to 30 places: positions of consecutive pks spread evenly.
STEP = Decimal("0.618033988749894848204586834366")
# Interval bounds carry this many places (SQL numeric and Decimal agree).
_PLACES = Decimal("1e-12")


@dataclass(frozen=True)
class Interval:
    worker: str
    lower: Decimal
    upper: Decimal


def shares(workers: Sequence[str], weights: Mapping[str, float] | None) -> dict[str, float]:
    """Each worker's share of the inputs: even, or by relative weights."""
    if not weights:
        return {w: 1 / len(workers) for w in workers}
    total = sum(weights.get(w, 0.0) for w in workers)
    return {w: weights.get(w, 0.0) / total for w in workers}


def intervals(
    workers: Sequence[str], weights: Mapping[str, float] | None, per_input: int
) -> list[Interval]:
    """The workers' intervals of [0, per_input), in their order."""
    share = shares(workers, weights)
    out: list[Interval] = []
    lower = Decimal(0)
    for n, worker in enumerate(workers):
        if n == len(workers) - 1:
            upper = Decimal(per_input)  # the last interval ends exactly at k
        else:
            length = min(Decimal(1), Decimal(repr(per_input * share[worker])))
            upper = (lower + length).quantize(_PLACES, rounding=ROUND_FLOOR)
        out.append(Interval(worker, lower, upper))
        lower = upper
    return out


def position(pk: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        x = pk * STEP
        return x - x.to_integral_value(rounding=ROUND_FLOOR)


def _ceil(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_CEILING))


def chosen(interval: Interval, u: Decimal) -> bool:
    """Whether the input at position u goes to this interval's worker: one
    of u, u+1, ... lies in [lower, upper)."""
    return _ceil(interval.upper - u) - _ceil(interval.lower - u) == 1


def workers_of(pk: int, spread: Sequence[Interval]) -> list[str]:
    u = position(pk)
    return [i.worker for i in spread if chosen(i, u)]


def spread_error(counts: Mapping[str, int], want: Mapping[str, float], inputs: int) -> float:
    """The largest gap between a worker's share of the inputs and the share
    its weight asks for (benchmarks print it)."""
    if not inputs:
        return 0.0
    return max(math.fabs(counts.get(w, 0) / inputs - s) for w, s in want.items())
