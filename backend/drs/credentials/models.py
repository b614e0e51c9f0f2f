from __future__ import annotations

from django.conf import settings
from django.db import models

from drs.credentials import crypto
from drs.credentials.choices import CredentialKind
from drs.servers.hosts import Login, Secrets
from drs.servers.models import Server


class Credential(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials"
    )
    server = models.ForeignKey(Server, on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(max_length=100, blank=True)
    username = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=CredentialKind.choices)
    public_key = models.TextField(blank=True)
    # Fernet tokens; plaintext never touches the database (see crypto.py).
    private_key_encrypted = models.TextField(blank=True)
    passphrase_encrypted = models.TextField(blank=True)
    password_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["server__name", "username", "id"]
        indexes = [models.Index(fields=["owner", "server"])]

    def __str__(self) -> str:
        return f"{self.username}@{self.server_id} ({self.kind})"

    def set_secrets(self, secrets: Secrets) -> None:
        self.private_key_encrypted = crypto.encrypt(secrets.private_key)
        self.passphrase_encrypted = crypto.encrypt(secrets.passphrase)
        self.password_encrypted = crypto.encrypt(secrets.password)

    def get_secrets(self) -> Secrets:
        return Secrets(
            private_key=crypto.decrypt(self.private_key_encrypted),
            passphrase=crypto.decrypt(self.passphrase_encrypted),
            password=crypto.decrypt(self.password_encrypted),
        )

    def login(self) -> Login:
        """What a host action logs in with (drs.servers.hosts)."""
        return Login(self.username, self.kind, self.get_secrets())
