from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from drs.servers.choices import SchedulerKind, ServerKind


class Interpreter(models.Model):
    """How a job's program is started, e.g. python3 → `/usr/bin/env python3 -u`."""

    name = models.CharField(max_length=100, unique=True)
    path = models.CharField(max_length=255)
    arguments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def argv(self) -> list[str]:
        return [self.path, *self.arguments]


class Server(models.Model):
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=ServerKind.choices, default=ServerKind.SSH)
    hostname = models.CharField(max_length=253, blank=True)
    port = models.PositiveIntegerField(
        default=22, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    # The pinned OpenSSH public key line of the host. Empty: not trusted, jobs refused.
    host_key = models.TextField(blank=True)
    host_key_fingerprint = models.CharField(max_length=100, blank=True, editable=False)
    jobs_directory = models.CharField(
        max_length=255,
        default=".drs/jobs",
        help_text="Where job directories are created; relative paths start at the login home.",
    )
    interpreters = models.ManyToManyField(Interpreter, blank=True, related_name="servers")
    max_concurrent_jobs = models.PositiveIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    enabled = models.BooleanField(default=True)
    scheduler = models.CharField(
        max_length=10, choices=SchedulerKind.choices, default=SchedulerKind.DIRECT
    )
    # A job's `resources` shape (servers/resources.py); a job's own request overlays it.
    default_resources = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
