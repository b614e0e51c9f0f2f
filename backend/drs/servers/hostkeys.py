"""Parsing and fingerprinting pinned OpenSSH host keys."""

from __future__ import annotations

import asyncssh


def parse_host_key(key_line: str) -> str:
    """Return the normalised `<algorithm> <base64>` line, or raise ValueError."""
    text = key_line.strip()
    if not text or "\n" in text or "\x00" in text:
        raise ValueError("Enter one OpenSSH public key line, e.g. 'ssh-ed25519 AAAA...'.")
    try:
        key = asyncssh.import_public_key(text)
    except (asyncssh.KeyImportError, ValueError, TypeError):
        raise ValueError("Not a valid OpenSSH public key line.") from None
    return key.export_public_key("openssh").decode().strip()


def fingerprint(key_line: str) -> str:
    """SHA256 fingerprint as OpenSSH prints it: `SHA256:...`."""
    return asyncssh.import_public_key(key_line.strip()).get_fingerprint("sha256")
