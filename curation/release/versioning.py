"""Dataset version numbers, and the rule that says how far a change moves them.

The rule is TensorFlow Datasets' rule, read from the side of someone who loads the
records (:data:`VERSIONING_RULE` is the text the data card and the README show):

- **PATCH** (1.0.0 → 1.0.1): a client reads the same records as before; only the
  serialization (Parquet encoding, library versions) or the metadata (card,
  manifest) changed.
- **MINOR** (1.0.0 → 1.1.0): every existing record is unchanged; records, columns
  or configs were added.
- **MAJOR** (1.0.0 → 2.0.0): an existing record's text or metadata changed, or a
  record, a column or a config was removed, or a column changed type.

``curation release`` computes the smallest bump a change needs
(:meth:`curation.release.diff.DatasetDiff.required_bump`) and refuses a smaller one.
A larger one is allowed: a maintainer may call a big addition a major version.

>>> Version.parse("1.2.3").bumped(Bump.MINOR)
Version(major=1, minor=3, patch=0)
>>> str(Version.parse("1.2.3").bumped(Bump.MAJOR))
'2.0.0'
>>> Version.parse("1.2.3").tag
'v1.2.3'
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

# Semantic versioning's core form, without pre-release or build suffixes: a dataset
# release is either out or not, and tags must sort by plain numbers.
_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")

VERSIONING_RULE = """\
Versions follow one rule (that of TensorFlow Datasets), seen from someone who loads the records:

- **PATCH** (1.0.0 → 1.0.1): the same records as read by a client; only the
  serialization (Parquet encoding, library versions) or the metadata (card,
  manifest) changed.
- **MINOR** (1.0.0 → 1.1.0): every existing record unchanged; records, columns or
  configs added.
- **MAJOR** (1.0.0 → 2.0.0): an existing record's text or metadata changed, or a
  record, column or config removed, or a column changed type.

`curation release` computes the smallest bump a change needs and refuses a smaller
one. Records are compared by `id`, field by field."""


class Bump(enum.IntEnum):
    """How far a release moves the version; larger values are larger bumps."""

    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Bump:
        """``"minor"`` → ``Bump.MINOR``; raises ``ValueError`` naming the choices."""
        try:
            return cls[text.upper()]
        except KeyError:
            choices = ", ".join(str(b) for b in cls)
            raise ValueError(f"unknown bump {text!r}: choose one of {choices}") from None


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _VERSION.match(text)
        if match is None:
            raise ValueError(f"not a version MAJOR.MINOR.PATCH (e.g. 1.0.0): {text!r}")
        major, minor, patch = (int(part) for part in match.groups())
        return cls(major, minor, patch)

    @classmethod
    def from_tag(cls, tag: str) -> Version | None:
        """The version a release tag names (``v1.2.0``), or None for any other tag.

        >>> Version.from_tag("v1.2.0"), Version.from_tag("nightly"), Version.from_tag("v1.2")
        (Version(major=1, minor=2, patch=0), None, None)
        """
        if not tag.startswith("v"):
            return None
        try:
            return cls.parse(tag[1:])
        except ValueError:
            return None

    def bumped(self, bump: Bump) -> Version:
        if bump is Bump.MAJOR:
            return Version(self.major + 1, 0, 0)
        if bump is Bump.MINOR:
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)

    @property
    def tag(self) -> str:
        """The git (and Hub) tag of this version."""
        return f"v{self}"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


_TABLE_HEADER = re.compile(r"^\s*\[")
_VERSION_LINE = re.compile(
    r'^(?P<lead>\s*version\s*=\s*)(?P<quote>["\'])(?P<value>[^"\']*)(?P=quote)'
)


def set_pyproject_version(text: str, version: Version) -> str:
    """``text`` (a pyproject.toml) with ``version`` in its ``[tool.curation]`` table.

    A precise edit of that one line, not a re-dump of the TOML: comments, order and
    formatting stay as the maintainer wrote them. Raises ``ValueError`` when the
    table or its ``version`` line is missing.

    >>> text = (
    ...     '[project]\\nversion = "0.1.0"\\n\\n'
    ...     '[tool.curation]\\nname = "x"\\nversion = "1.0.0"  # set by release\\n'
    ... )
    >>> print(set_pyproject_version(text, Version(1, 1, 0)), end="")
    [project]
    version = "0.1.0"
    <BLANKLINE>
    [tool.curation]
    name = "x"
    version = "1.1.0"  # set by release
    """
    lines = text.splitlines(keepends=True)
    in_table = False
    for index, line in enumerate(lines):
        if _TABLE_HEADER.match(line):
            in_table = line.strip().replace(" ", "") == "[tool.curation]"
            continue
        if in_table:
            match = _VERSION_LINE.match(line)
            if match:
                quote = match["quote"]
                lines[index] = f"{match['lead']}{quote}{version}{quote}{line[match.end() :]}"
                return "".join(lines)
    raise ValueError('no `version = "…"` line in the [tool.curation] table')
