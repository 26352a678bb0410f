"""Review tests share the contributor tests' temporary checkout; the browser test has a marker."""

from __future__ import annotations

import pytest

from tests.contribute.conftest import private_check_cache, project  # noqa: F401 (fixtures)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: renders a review page in headless Chromium (Debian's chromium)"
    )
