"""Password hashes: Argon2id (argon2-cffi's defaults, RFC 9106's second recommended profile).

A password is never stored or logged, only its hash; checking a password against a hash whose
parameters are older than today's tells the caller to store a fresh hash.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from crimeprev.model.errors import InputError

__all__ = ["MIN_LENGTH", "check_password", "hash_password", "needs_rehash", "spend_a_check"]

MIN_LENGTH = 12
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``; a password shorter than 12 characters is refused."""
    if len(password) < MIN_LENGTH:
        raise InputError("password", f"a password needs at least {MIN_LENGTH} characters", field="password")
    return _HASHER.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (in constant time; a malformed hash is no match)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


@cache
def _stand_in() -> str:
    return _HASHER.hash(secrets.token_urlsafe(24))


def spend_a_check(password: str) -> None:
    """Check ``password`` against a hash no account has: a sign-in with an unknown or locked name
    then takes as long as a wrong password, so the time taken does not tell which names exist."""
    check_password(_stand_in(), password)
