from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from drs.credentials.models import Credential
from drs.jobs.choices import LogPolicy
from drs.servers.models import Interpreter, Server


class Application(models.Model):
    """A curated launcher: a program and its argv/environment templates, whose `{name}`
    placeholders are filled from typed parameters (a JSON Schema) at submission."""

    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)  # Markdown
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.PROTECT, related_name="applications"
    )
    program = models.TextField()
    arguments = models.JSONField(default=list, blank=True)
    environment = models.JSONField(default=dict, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    # The order the author wrote the parameters in: PostgreSQL's jsonb keeps object keys
    # in its own order, and the form shows fields in this one.
    parameter_order = models.JSONField(default=list, blank=True)
    result_patterns = models.JSONField(default=list, blank=True)
    servers = models.ManyToManyField(Server, blank=True, related_name="applications")
    default_resources = models.JSONField(default=dict, blank=True)
    timeout_seconds = models.PositiveIntegerField(null=True, blank=True)
    log_policy = models.CharField(max_length=10, choices=LogPolicy.choices, default=LogPolicy.LIVE)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "name"]

    def __str__(self) -> str:
        return self.name


class Sweep(models.Model):
    """Jobs of one application over the cartesian product of `vary`. The sweep owns its
    jobs (each job's `sweep`), while each job is still dispatched and run on its own: a
    scheduler that can submit them as one array may do so without changing this shape."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sweeps"
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="sweeps")
    title = models.CharField(max_length=200, blank=True)
    server = models.ForeignKey(Server, on_delete=models.PROTECT, related_name="sweeps")
    credential = models.ForeignKey(
        Credential, on_delete=models.SET_NULL, null=True, blank=True, related_name="sweeps"
    )
    parameters = models.JSONField(default=dict, blank=True)  # the fixed values
    vary = models.JSONField(default=dict)  # name -> values, in the order given
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="sweep_owner_created")]

    def __str__(self) -> str:
        return f"sweep of {self.count} jobs"
