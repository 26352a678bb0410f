"""Where the repository keeps things. `curation` is run from a corpus checkout."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
RULES_DIR = PACKAGE_DIR / "rules"
SCHEMA_DIR = REPO_DIR / "schema"
