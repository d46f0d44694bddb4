"""Edit keys: how the maker of a playlist built without a sign-in proves it is theirs.

``POST /playlist`` without a sign-in (deployed) answers once with a random key; the record keeps
only its SHA-256 (``edit_key_sha256``), so neither the store nor a backup can hand the key out.
A change to that playlist must send it back in the ``Edit-Key`` header; the comparison takes the
same time whatever the guess. The key never enters a log line (headers are not logged).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "edit-key"
DIGEST_FIELD = "edit_key_sha256"  # in PlaylistRecord.data; never answered, never archived
KEY_BYTES = 32  # 256 bits: guessing is hopeless even without the rate limit


def issue() -> tuple[str, str]:
    """A new key and the digest to store in its place."""
    key = secrets.token_urlsafe(KEY_BYTES)
    return key, digest(key)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def matches(key: str, stored: object) -> bool:
    """Whether ``key`` is the one whose digest was stored (constant time; no digest: never)."""
    if not isinstance(stored, str) or not stored:
        return False
    return hmac.compare_digest(digest(key), stored)
