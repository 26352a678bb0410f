"""Review tests share the contributor tests' temporary checkout."""

from __future__ import annotations

from tests.contribute.conftest import private_check_cache, project  # noqa: F401 (fixtures)
