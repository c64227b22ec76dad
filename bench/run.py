"""`make bench`: every bench/bench_*.py in turn (or those named), their
output passed through, then one line per goal the scripts reported
(harness.goal): figure, goal, met or not.

Usage: .venv/bin/python bench/run.py [bench_inputs ...]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness import GOAL_MARK

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = [HERE / f"{n.removesuffix('.py')}.py" for n in names] or sorted(
        HERE.glob("bench_*.py")
    )
    goals: list[str] = []
    failed: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        proc = subprocess.Popen(
            [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=HERE.parent
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            if line.startswith(GOAL_MARK):
                goals.append(f"{script.stem}: {line[len(GOAL_MARK) :].strip()}")
        if proc.wait() != 0:
            failed.append(script.name)
    print("\n== summary: goal | figure | target | outcome")
    for line in goals:
        print(line)
    for name in failed:
        print(f"{name}: FAILED (exit status not 0)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
