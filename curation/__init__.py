"""Reproducible corpus curation: raw text seeds in, a versioned Hugging Face dataset out.

The library does the work; :mod:`curation.cli` is a thin layer over it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("curation")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
