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
from importlib.metadata import version
from pathlib import Path

from datasketch import MinHash

from curation.contribute import declared_language, near_duplicates
from curation.contribute.near_duplicates import signature_bytes, signature_from_bytes
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

    def get(self, sha256: str) -> tuple[LanguageGuess, MinHash] | None:
        entry = self._old.get(sha256) or self._new.get(sha256)
        try:
            language, score, letters, signature = entry  # type: ignore[misc]
            guess = LanguageGuess(language, score, letters)  # type: ignore[arg-type]
            result = guess, signature_from_bytes(base64.b64decode(signature))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        self._new[sha256] = entry  # type: ignore[assignment]
        return result

    def put(self, sha256: str, guess: LanguageGuess, signature: MinHash) -> None:
        encoded = base64.b64encode(signature_bytes(signature)).decode("ascii")
        self._new[sha256] = [guess.language, guess.score, guess.letters, encoded]

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
