"""What add-seed does with the bytes it is given: the three documented conversions, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from curation.contribute.incoming_text import (
    MAX_SEED_BYTES,
    prepare_seed_bytes,
    source_path_problems,
)

TEXT = "Торговля выросла на треть.\nTrade grew by a third.\n"

# (label, submitted bytes, stored bytes, conversions said)
ACCEPTED = [
    ("utf8 as is", TEXT.encode("utf-8"), TEXT.encode("utf-8"), ()),
    (
        "utf16 le with bom",
        b"\xff\xfe" + TEXT.encode("utf-16-le"),
        TEXT.encode("utf-8"),
        ("decoded UTF-16 LE with a byte-order mark to UTF-8",),
    ),
    (
        "utf16 be with bom",
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-8"),
        ("decoded UTF-16 BE with a byte-order mark to UTF-8",),
    ),
    (
        "utf8 bom",
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-8"),
        ("removed the UTF-8 byte-order mark",),
    ),
    (
        "crlf",
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.encode("utf-8"),
        ("converted 2 CRLF line ends to LF",),
    ),
    (
        "lone cr",
        TEXT.replace("\n", "\r").encode("utf-8"),
        TEXT.encode("utf-8"),
        ("converted 2 CR line ends to LF",),
    ),
    (
        "utf16 with crlf",
        TEXT.replace("\n", "\r\n").encode("utf-16"),
        TEXT.encode("utf-8"),
        (
            "decoded UTF-16 LE with a byte-order mark to UTF-8",
            "converted 2 CRLF line ends to LF",
        ),
    ),
    # Negative: looks odd, must stay byte for byte (the pipeline repairs it, visibly).
    (
        "mojibake and odd spaces kept",
        "SchÃ¶n\u00a0 text\u2028end".encode(),
        "SchÃ¶n\u00a0 text\u2028end".encode(),
        (),
    ),
]


@pytest.mark.parametrize(
    ("label", "submitted", "stored", "said"), ACCEPTED, ids=[c[0] for c in ACCEPTED]
)
def test_accepted(label: str, submitted: bytes, stored: bytes, said: tuple[str, ...]) -> None:
    prepared, problems = prepare_seed_bytes(submitted, "in.txt")
    assert problems == []
    assert prepared is not None
    assert prepared.data == stored, label
    assert prepared.text == stored.decode("utf-8")
    assert prepared.conversions == said


# (label, submitted bytes, where, words of the message)
REFUSED = [
    ("windows-1251", "Привет, мир".encode("cp1251"), "in.txt:1:1", "not valid UTF-8"),
    ("binary", b"PK\x03\x04\x00\x00\x00", "in.txt:1:5", "binary"),
    ("utf16 without bom", TEXT.encode("utf-16-le"), "in.txt:1:18", "UTF-16 without a byte-order"),
    ("utf32", TEXT.encode("utf-32"), "in.txt", "UTF-32"),
    ("broken utf16", b"\xff\xfe\x00\xd8a\x00", "in.txt", "not valid UTF-16"),
    ("empty", b"", "in.txt", "empty"),
    ("only whitespace", b" \r\n\t\r\n", "in.txt", "empty"),
    ("utf16 of nothing", "  \n".encode("utf-16"), "in.txt", "empty"),
]


@pytest.mark.parametrize(
    ("label", "submitted", "where", "words"), REFUSED, ids=[c[0] for c in REFUSED]
)
def test_refused(label: str, submitted: bytes, where: str, words: str) -> None:
    prepared, problems = prepare_seed_bytes(submitted, "in.txt")
    assert prepared is None, label
    assert len(problems) == 1
    assert problems[0].where == where
    assert words in problems[0].message


def test_paths(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    seeds = repository / "seeds"
    seeds.mkdir(parents=True)
    inside = repository / "incoming.txt"
    inside.write_text("text", encoding="utf-8")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("text", encoding="utf-8")
    link = repository / "link.txt"
    link.symlink_to(inside)
    escape = repository / "escape"
    escape.symlink_to(tmp_path)
    big = repository / "big.txt"
    big.write_bytes(b"a" * (MAX_SEED_BYTES + 1))
    exactly = repository / "exactly.txt"
    exactly.write_bytes(b"a" * MAX_SEED_BYTES)
    (seeds / "005_0123456789abcdef.txt").write_text("x", encoding="utf-8")

    def message(path: Path) -> str:
        problems = source_path_problems(path, repository, seeds)
        return " ".join(p.message for p in problems)

    assert message(inside) == ""
    assert message(exactly) == ""
    assert "outside the repository" in message(outside)
    assert "symbolic link" in message(link)
    assert "outside the repository" in message(escape / "elsewhere.txt")  # a folder link
    assert "over the limit of 1,048,576 bytes" in message(big)
    assert "no such file" in message(repository / "missing.txt")
    assert "not a regular file" in message(seeds)
    assert "already in the seeds folder" in message(seeds / "005_0123456789abcdef.txt")
