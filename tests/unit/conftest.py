"""Lines a test wants shown after the run, such as the contract's coverage.

pytest captures print(); the terminal summary is always shown, so `make test`
ends with these lines.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

SUMMARY = pytest.StashKey[list[str]]()


@pytest.fixture
def summary_line(request: pytest.FixtureRequest) -> Callable[[str], None]:
    def add(line: str) -> None:
        print(line)
        request.config.stash.setdefault(SUMMARY, []).append(line)

    return add


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    for line in config.stash.get(SUMMARY, []):
        terminalreporter.write_line(line)
