"""Shared test setup: offline, and hypothesis profiles."""

import atexit
import os
import shutil
import signal
import tempfile
from typing import Any

import pytest

# Never reach the Hub or the web from a test, whoever runs pytest.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
# `build`, `add-seed` and `review` keep a record cache (curation.cache) in the user's
# cache folder: a test run keeps its own, removed at the end.
os.environ["CURATION_CACHE_DIR"] = tempfile.mkdtemp(prefix="curation-test-cache-")

from hypothesis import HealthCheck, settings

# The safety tests send SIGINT to curation, in this process and in children. A shell
# that starts pytest in the background (`cmd &` without job control) ignores SIGINT
# for it, Python then leaves it ignored, and every child inherits that: Ctrl-C would
# do nothing and those tests would fail. Make it Python's default again.
signal.signal(signal.SIGINT, signal.default_int_handler)

atexit.register(shutil.rmtree, os.environ["CURATION_CACHE_DIR"], ignore_errors=True)

# The suite's profile draws the same examples on every run (derandomize): a test
# run is a check of the code, so a failure must come back when it is run again, on
# any machine, rather than appear once in CI and never again. `nox -s property`
# ("thorough") draws new examples each time, which is where new failures are found;
# each one found is pinned with @example beside the test.
settings.register_profile(
    "default",
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("CURATION_HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def groups_written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The language of every Parquet row group written in the test, in order (a kept
    file the writer copies writes none: curation.publish.parquet)."""
    from curation.publish.parquet import ParquetShards

    written: list[str] = []
    write_group = ParquetShards._write_group

    def recorded(self: ParquetShards, language: str, *args: Any) -> None:
        written.append(language)
        write_group(self, language, *args)

    monkeypatch.setattr(ParquetShards, "_write_group", recorded)
    return written
