"""Where the repository keeps things. `curation` is run from a corpus checkout."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
RULES_DIR = PACKAGE_DIR / "rules"
# In a source checkout (and an editable install) the schemas are read where they are
# maintained, at the top of the repository; an installed wheel carries a copy.
_SOURCE_SCHEMA_DIR = REPO_DIR / "schema"
SCHEMA_DIR = (
    _SOURCE_SCHEMA_DIR
    if (_SOURCE_SCHEMA_DIR / "record.schema.json").is_file()
    else PACKAGE_DIR / "_schema"
)
