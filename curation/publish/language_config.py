"""Which language config (``data/<language>/``) a record is published in.

Kept apart from the Parquet writer so that what reads it (the build summary, which
``curation check`` reaches) does not load pyarrow.
"""

from __future__ import annotations

from curation.record import AnyRecord

UNKNOWN_LANGUAGE = "und"  # BCP 47 "undetermined"


def language_folder(record: AnyRecord) -> str:
    """The config of ``record``: its language, or ``und`` when none was decided."""
    return record.language or UNKNOWN_LANGUAGE
