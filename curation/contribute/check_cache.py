"""What ``curation check`` computes per seed text, kept between runs so the commit hook stays fast.

Language identification reads every byte of a text and MinHash hashes every
shingle: together about 5 ms for a 5 KB seed, so seconds for a thousand seeds,
on every commit. Both depend only on the text's bytes and on settings, so they are
cached by the seed's sha256 in one file per *settings key*, a digest of everything
that could change the result: the source of the modules that compute it, the
``language`` rules file and the versions of py3langid, datasketch and numpy. A
change to any of them starts a new file; a stale answer cannot be read.

The cache is a convenience: it lives outside the repository
(``$CURATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/curation``, else
``~/.cache/curation``; ``CURATION_CACHE_DIR=`` with an empty value turns it off),
is rewritten with only the entries of the last run, and is ignored when it cannot
be read or written. The build's record cache (:mod:`curation.cache`) lives in the
same folder, under ``records/``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import numpy as np

from curation.contribute import declared_language, near_duplicates
from curation.rules import RuleSet
from curation.steps import identify_language
from curation.steps.identify_language import LanguageGuess

CACHE_FORMAT = 1


def settings_key(rules: RuleSet) -> str:
    """A digest of everything a cached answer depends on, besides the text."""
    parts = {
        "format": CACHE_FORMAT,
        "language_rules": rules["language"].sha256,
        "libraries": {name: version(name) for name in ("py3langid", "datasketch", "numpy")},
        "code": {
            module.__name__: hashlib.sha256(Path(module.__file__ or "").read_bytes()).hexdigest()
            for module in (near_duplicates, declared_language, identify_language)
        },
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


class CheckCache:
    """Language guesses and MinHash signatures by seed sha256, for one settings key."""

    def __init__(self, folder: Path | None, rules: RuleSet) -> None:
        self.path = folder / f"check-{settings_key(rules)}.json" if folder else None
        self._old: dict[str, list[object]] = {}
        self._new: dict[str, list[object]] = {}
        if self.path is not None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    self._old = loaded
            except (OSError, ValueError):
                pass  # no cache, or a damaged one: computed afresh and rewritten

    def get(self, sha256: str) -> tuple[LanguageGuess, np.ndarray] | None:
        """The language guess and the MinHash values of the text with this sha256."""
        entry = self._old.get(sha256) or self._new.get(sha256)
        try:
            language, score, letters, signature = entry  # type: ignore[misc]
            guess = LanguageGuess(language, score, letters)  # type: ignore[arg-type]
            data = base64.b64decode(signature)  # type: ignore[arg-type]
            values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
        except (TypeError, ValueError):
            return None
        if len(values) != near_duplicates.NUM_PERM:
            return None
        self._new[sha256] = entry  # type: ignore[assignment]
        return guess, values

    def put(self, sha256: str, guess: LanguageGuess, values: np.ndarray) -> None:
        encoded = base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")
        self._new[sha256] = [guess.language, guess.score, guess.letters, encoded]

    def similarity(self, first: str, second: str, compute: Callable[[], float]) -> float:
        """The exact similarity of the texts with these two sha256s: remembered, or
        ``compute()`` (and remembered).

        Measuring a pair needs both texts' shingle sets, which cost as much as their
        signatures: a corpus with many near-duplicates (or many texts sharing LSH
        bands) spent a third of each ``check`` on pairs it had measured before.
        """
        key = "+".join(sorted((first, second)))
        entry = self._old.get(key) or self._new.get(key)
        if isinstance(entry, list) and len(entry) == 1 and isinstance(entry[0], float):
            value = entry[0]
        else:
            value = compute()
        self._new[key] = [value]
        return value

    def save(self) -> None:
        """Write the entries of this run (only), atomically; say nothing if it fails."""
        if self.path is None or self._new == self._old:
            return
        temporary: Path | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            temporary = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self._new, out, sort_keys=True, separators=(",", ":"))
            temporary.replace(self.path)
        except OSError:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
