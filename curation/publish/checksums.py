"""``SHA256SUMS`` in the format ``sha256sum -c`` reads, over every other file of dist/."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from curation.errors import DamagedMetadata, Problem

SUMS_NAME = "SHA256SUMS"

# One line as `sha256sum` writes it: 64 hex digits, a space, a space (text mode) or
# "*" (binary mode), the file name. Nothing else is accepted, as `sha256sum --strict`.
_SUMS_LINE = re.compile(r"(?P<digest>[0-9a-fA-F]{64}) [ *](?P<name>[^\x00-\x1f\x7f]+)")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def published_files(root: Path) -> list[Path]:
    """Every file under ``root`` except SHA256SUMS itself, as sorted POSIX-relative paths."""
    return sorted(
        (p.relative_to(root) for p in root.rglob("*") if p.is_file() and p.name != SUMS_NAME),
        key=lambda p: p.as_posix(),
    )


def write_sums(root: Path) -> Path:
    lines = [f"{file_sha256(root / rel)}  {rel.as_posix()}\n" for rel in published_files(root)]
    target = root / SUMS_NAME
    target.write_text("".join(lines), encoding="utf-8", newline="\n")
    return target


def _line_problem(line: bytes, sums: dict[str, str]) -> tuple[str, str] | str:
    """(name, digest) of one line of SHA256SUMS, or what is wrong with it."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = line[error.start : error.start + 1].hex()
        return f"not UTF-8 (byte {error.start + 1} of the line is {bad})"
    match = _SUMS_LINE.fullmatch(text)
    if match is None:
        shown = text if len(text) <= 80 else text[:77] + "..."
        return f"malformed line {shown!r}: expected '<64 hex digits>  <file name>'"
    name = match["name"]
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or "\\" in name:
        return f"file name {name!r} points outside the folder"
    if name in sums:
        return f"{name} is listed twice"
    return name, match["digest"].lower()


def read_sums(path: Path) -> dict[str, str]:
    """Map of relative path to sha256, from a SHA256SUMS file.

    Raise :class:`~curation.errors.DamagedMetadata` naming every line that is not
    UTF-8 or not in `sha256sum`'s format, rather than guessing what it meant.
    """
    sums: dict[str, str] = {}
    problems = []
    lines = path.read_bytes().split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # after the last line's end
    for number, line in enumerate(lines, start=1):
        parsed = _line_problem(line, sums)
        if isinstance(parsed, str):
            problems.append(Problem(f"{path}:{number}", parsed))
        else:
            sums[parsed[0]] = parsed[1]
    if problems:
        raise DamagedMetadata(problems)
    return sums
