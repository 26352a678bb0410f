"""Shared test setup: offline, and hypothesis profiles."""

import os

# Never reach the Hub or the web from a test, whoever runs pytest.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

import atexit
import shutil
import tempfile

# `build`, `add-seed` and `review` keep a record cache (curation.cache) in the user's
# cache folder: a test run keeps its own, which it removes at the end.
_CACHE = tempfile.mkdtemp(prefix="curation-test-cache-")
os.environ["CURATION_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("CURATION_HYPOTHESIS_PROFILE", "default"))
