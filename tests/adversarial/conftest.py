"""Hypothesis profiles, the in-process network ban, and the example count at the end of the run.

Profiles (``HYPOTHESIS_PROFILE``):
- ``ci`` (default): a few hundred examples in all, derandomized (the same examples every run),
  no example database; about a minute on two cores.
- ``long``: thousands of examples, random, database under ``.hypothesis/``. See docs/testing.md.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from ._support import COUNTS, NETWORK_ATTEMPTS, PROFILE, network_patches


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any socket the linter opens in-process fails, and the attempt fails the test."""
    for module, name, replacement in network_patches():
        monkeypatch.setattr(module, name, replacement)
    NETWORK_ATTEMPTS.clear()
    yield
    assert not NETWORK_ATTEMPTS, f"aiact-lint tried to use the network: {NETWORK_ATTEMPTS[:3]}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COUNTS:
        return
    terminalreporter.write_sep("-", "adversarial tests")
    terminalreporter.write_line(
        f"adversarial: hypothesis profile {PROFILE}: {COUNTS['examples']} examples; "
        f"aiact-lint runs: {COUNTS['in-process runs']} in-process, "
        f"{COUNTS['subprocess runs']} as subprocesses"
    )
