"""What some tests need from the machine: Chromium, nginx, Redis."""

import os

import pytest


def missing(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a missing dependency must not pass silently."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
