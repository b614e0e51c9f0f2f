"""Secrets at rest: MultiFernet over DRS_CREDENTIALS_KEY (newest key first)."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in settings.DRS_CREDENTIALS_KEYS])


def encrypt(plaintext: str) -> str:
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("credential cannot be decrypted with DRS_CREDENTIALS_KEY") from None


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (after a key was prepended)."""
    return _fernet().rotate(token.encode()).decode() if token else ""
