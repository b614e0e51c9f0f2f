"""The SSH cipher preference of every DRS connection (and of the bench's raw baseline,
which imports it without Django)."""

from __future__ import annotations

import asyncssh

# AES-GCM first: one AEAD call per packet on AES hardware (both ends), where asyncssh's
# default chacha20-poly1305 makes three plus Python glue; the rest of the default list
# follows for servers without it.
ENCRYPTION_ALGS = [
    "aes128-gcm@openssh.com",
    "aes256-gcm@openssh.com",
    *[
        name.decode()
        for name in asyncssh.encryption.get_default_encryption_algs()
        if not name.endswith(b"-gcm@openssh.com")
    ],
]
