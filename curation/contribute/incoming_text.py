"""The file a contributor hands to ``curation add-seed``: where it may come from, and its bytes.

A seed is stored byte for byte as submitted, with exactly three exceptions, each
said on the terminal and written into the sidecar's ``provenance``:

- UTF-16 with a byte-order mark (what Windows Notepad and Word's "Unicode text"
  save) is decoded and stored as UTF-8: the text is the same, and every seed can
  then be read one way. UTF-16 without a byte-order mark, UTF-32 and legacy
  encodings (Windows-1251, GBK, ...) are refused: guessing them would be a guess.
- A UTF-8 byte-order mark is removed: it is not text.
- CRLF and lone CR line ends become LF, so that git's line-end settings on the
  contributor's machine cannot change the bytes (and the sha256) after the fact.

Everything else (spaces, hyphens, mojibake, boilerplate) is kept: repairing it is
the pipeline's job, and the review page shows every repair.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from curation.errors import InvalidInput, Problem
from curation.seeds import MAX_SEED_BYTES as MAX_SEED_BYTES  # the limit lives with the validator
from curation.seeds import decode_seed_bytes, file_kind, size_problem

_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class PreparedText:
    """The bytes that go into ``seeds/``, their text, and what was changed on the way."""

    data: bytes
    text: str
    conversions: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def source_path_problems(path: Path, repository: Path, seeds_dir: Path) -> list[Problem]:
    """Why ``path`` cannot be read as a new seed: missing, a link, outside the checkout, ..."""
    where = str(path)
    if path.is_symlink():
        return [
            Problem(
                where,
                f"is a symbolic link (to {path.resolve()}); add-seed copies only regular files, "
                "so that what is committed is what you looked at",
                "pass the file itself, or copy it into the checkout",
            )
        ]
    if not path.exists():
        return [Problem(where, "no such file")]
    if not path.is_file():
        return [Problem(where, f"is {file_kind(path)}, not a regular file: pass one text file")]
    resolved = path.resolve()
    root = repository.resolve()
    if not resolved.is_relative_to(root):
        return [
            Problem(
                where,
                f"is outside the repository ({root}): add-seed only reads files inside the "
                "checkout, so that nothing else on your disk ends up in a commit by a typo",
                f"copy it in first, e.g. `mkdir -p incoming && cp '{path}' incoming/`",
            )
        ]
    if resolved.is_relative_to(seeds_dir.resolve()):
        return [
            Problem(
                where,
                "is already in the seeds folder: add-seed copies a new file into it",
                "run `curation check` to validate the seeds folder",
            )
        ]
    problem = size_problem(path, path.stat().st_size)
    return [problem] if problem else []


def _line_ends_to_lf(text: str) -> tuple[str, list[str]]:
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    notes = []
    if crlf:
        notes.append(f"converted {crlf} CRLF line end{'s' if crlf != 1 else ''} to LF")
    if lone_cr:
        notes.append(f"converted {lone_cr} CR line end{'s' if lone_cr != 1 else ''} to LF")
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    """Zero bytes at odd (or even) offsets only, and the whole file reads as UTF-16 text.

    The zeros are the high bytes of ASCII characters in UTF-16: even Cyrillic or
    Greek text has spaces and punctuation, one character in ten or more, while
    binary files have zeros at both parities. The parity test alone is weak on a
    short file (a few zeros, or none, pass it), so the file must also decode, in the
    byte order the zeros point to, to text without control characters: random
    bytes almost never do.

    >>> _looks_like_utf16_without_bom("Plain words".encode("utf-16-le"))
    True
    >>> _looks_like_utf16_without_bom(bytes(range(0x80, 0x90)))
    False
    """
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < max(1, len(sample) // 32) or min(even, odd) > len(sample) // 512:
        return False
    try:
        text = data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\t\n\r\f" for c in text)


def prepare_seed_bytes(data: bytes, where: str) -> tuple[PreparedText | None, list[Problem]]:
    """Decode a submitted file and apply the documented conversions; or say why not.

    >>> data = "Line one\\r\\nLine two\\r\\n".encode("utf-16")
    >>> prepared, problems = prepare_seed_bytes(data, "x")
    >>> prepared.data, prepared.conversions
    (b'Line one\\nLine two\\n', ('decoded UTF-16 LE with a byte-order mark to UTF-8', \
'converted 2 CRLF line ends to LF'))
    """
    notes: list[str] = []
    if data.startswith(_UTF32_BOMS):  # FF FE 00 00 would otherwise pass for UTF-16 LE
        return None, decode_seed_bytes(data, where)[1]
    for bom, codec in _UTF16_BOMS.items():
        if data.startswith(bom):
            try:
                decoded = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                return None, [
                    Problem(
                        where,
                        f"starts with a UTF-16 byte-order mark but is not valid UTF-16 "
                        f"(byte offset {error.start + len(bom)}): {error.reason}",
                        "save it again as UTF-8",
                    )
                ]
            data = decoded.encode("utf-8")  # strict decoding left no lone surrogates
            label = "LE" if codec.endswith("le") else "BE"
            notes.append(f"decoded UTF-16 {label} with a byte-order mark to UTF-8")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
        notes.append("removed the UTF-8 byte-order mark")
    text, problems = decode_seed_bytes(data, where)
    if text is None:
        if _looks_like_utf16_without_bom(data):
            problems = [
                Problem(
                    p.where,
                    f"{p.message}; it looks like UTF-16 without a byte-order mark",
                    "save it as UTF-8 (or as UTF-16 with a byte-order mark, which add-seed "
                    "converts)",
                )
                for p in problems
            ]
        return None, problems
    text, line_notes = _line_ends_to_lf(text)
    notes += line_notes
    if line_notes:
        data = text.encode("utf-8")
    return PreparedText(data, text, tuple(notes)), []


def read_submission(path: Path, repository: Path, seeds_dir: Path) -> PreparedText:
    """Read a file offered as a new seed; raise :class:`InvalidInput` listing every problem."""
    problems = source_path_problems(path, repository, seeds_dir)
    if problems:
        raise InvalidInput(problems)
    prepared, problems = prepare_seed_bytes(path.read_bytes(), str(path))
    if prepared is None:
        raise InvalidInput(problems)
    return prepared
