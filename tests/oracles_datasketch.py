"""datasketch's own objects made of our MinHash values, kept to check our numbers and
candidates against datasketch's (``tests/contribute/test_near_duplicates.py``,
``tests/test_cache_memos.py``).

``check``, ``add-seed``, ``review`` and the build work on the values alone
(:func:`curation.contribute.near_duplicates.minhash_values`) and never import
datasketch, whose package imports scipy; until c91a21a these helpers lived in
``curation/contribute/near_duplicates.py``, where ``NearDuplicateIndex`` fed
datasketch's ``MinHashLSH`` with them.
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from curation.contribute.near_duplicates import (
    MINHASH_SEED,
    NUM_PERM,
    Fingerprint,
    _permutations,
    minhash_values,
)


def _identity(value: int) -> int:
    return value


def minhash(shingles: np.ndarray, num_perm: int = NUM_PERM, seed: int = MINHASH_SEED) -> MinHash:
    """The MinHash signature of a shingle set as datasketch's ``MinHash(scheme="affine32")``
    (its 64-bit hashes cut to 32 bits), with :func:`minhash_values`'s numbers."""
    signature = MinHash(
        num_perm=num_perm,
        seed=seed,
        hashfunc=_identity,
        permutations=_permutations(num_perm, seed),
        scheme="affine32",
    )
    if len(shingles):
        signature.hashvalues = minhash_values(shingles, num_perm, seed)
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    """A signature's 128 uint32 values as bytes (little-endian)."""
    return bytes(signature.hashvalues.astype("<u4").tobytes())


def signature_from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=MINHASH_SEED,
        hashfunc=_identity,
        hashvalues=np.frombuffer(data, dtype="<u4").astype(np.uint32),
        permutations=_permutations(NUM_PERM, MINHASH_SEED),
        scheme="affine32",
    )


def signature(fingerprint: Fingerprint) -> MinHash:
    """A fingerprint's values as datasketch's ``MinHash`` (what its ``MinHashLSH`` takes)."""
    return signature_from_bytes(fingerprint.values.astype("<u4").tobytes())
