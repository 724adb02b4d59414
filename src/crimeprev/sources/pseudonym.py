"""Keyed pseudonyms for person identifiers.

A person identifier (victim, suspect, person) is replaced on ingest by HMAC-SHA-256 of the
identifier under a secret key, so that the same person links across records and files while the
raw identifier never reaches the store, and nobody without the key can test a guessed identifier
against the store (a plain hash would allow that). Keys are per deployment; the demo uses its own
fixed, public key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crimeprev.model.errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa

KEY_ENV = "CRIMEPREV_PSEUDONYM_KEY"
PREFIX = "p_"
_DIGEST_CHARS = 24  # 96 bits: collision-free for any force's population, short enough to read


@dataclass(slots=True)
class Pseudonymiser:
    """Maps raw identifiers to stable pseudonyms under one key (memoised: people repeat)."""

    key: bytes
    _memo: dict[str, str] = field(default_factory=dict, repr=False)

    def pseudonym(self, raw: str) -> str:
        """The pseudonym of one raw identifier (surrounding blanks ignored)."""
        value = raw.strip()
        found = self._memo.get(value)
        if found is None:
            digest = hmac.new(self.key, value.encode("utf-8"), hashlib.sha256).hexdigest()
            found = PREFIX + digest[:_DIGEST_CHARS]
            self._memo[value] = found
        return found

    def pseudonymise(self, column: pa.Array | pa.ChunkedArray) -> pa.Array:
        """Pseudonymise a string column; blank or null cells become null."""
        import pyarrow as pa

        values = column.to_pylist()
        return pa.array(
            [None if v is None or not v.strip() else self.pseudonym(v) for v in values],
            type=pa.string(),
        )


PUBLIC_DEMO_KEY = "crimeprev-demo-key-not-secret"
"""The synthetic demo's key: public, so good for the demo's made-up people only."""


def find_key(key_file: Path | None = None) -> bytes | None:
    """The pseudonymisation key from ``key_file`` if given, else the environment, else ``None``.

    Raises :class:`ConfigError` for an unreadable key file or a key shorter than 16 characters.
    """
    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as e:
            raise ConfigError(f"cannot read the pseudonymisation key file {key_file}: {e.strerror}") from None
    else:
        key = os.environ.get(KEY_ENV, "").encode("utf-8")
        if not key:
            return None
    if len(key) < 16:
        raise ConfigError(f"the pseudonymisation key must be at least 16 characters (set {KEY_ENV} or --key-file)")
    return key


def require_key(key: bytes | None, what: str, *, dataset: str = "") -> Pseudonymiser:
    """A pseudonymiser for ``key``; without a key, refuse: identifiers are never stored raw.

    The demo's key is published in crimeprev's source, so anyone could re-create pseudonyms made
    with it from a list of likely identifiers: it is refused for any dataset but the demo's
    (datasets named ``*-demo-*``).
    """
    if key is None:
        raise ConfigError(
            f"{what} holds person identifiers, which are pseudonymised on ingest with a secret key: "
            f"set {KEY_ENV} or pass --key-file"
        )
    if key == PUBLIC_DEMO_KEY.encode("utf-8") and "-demo-" not in dataset:
        raise ConfigError(
            f"{what}: the pseudonymisation key is crimeprev's public demo key, which anyone can use to reverse "
            f"the pseudonyms: set a secret key of your own in {KEY_ENV} or a --key-file"
        )
    return Pseudonymiser(key)
