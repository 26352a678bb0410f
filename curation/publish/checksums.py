"""``SHA256SUMS`` in the format ``sha256sum -c`` reads, over every other file of dist/."""

from __future__ import annotations

import hashlib
from pathlib import Path

SUMS_NAME = "SHA256SUMS"


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


def read_sums(path: Path) -> dict[str, str]:
    """Map of relative path to sha256, from a SHA256SUMS file."""
    sums: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*").strip()] = digest
    return sums
