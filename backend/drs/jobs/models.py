from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from drs.credentials.models import Credential
from drs.jobs.choices import TERMINAL_STATUSES, JobStatus, LogPolicy, Stream
from drs.servers.models import Interpreter, Server


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    title = models.CharField(max_length=200, blank=True)
    server = models.ForeignKey(Server, on_delete=models.PROTECT, related_name="jobs")
    # Jobs outlive the credential that started them: history stays readable.
    credential = models.ForeignKey(
        Credential, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, related_name="jobs")
    program = models.TextField()
    arguments = models.JSONField(default=list, blank=True)
    environment = models.JSONField(default=dict, blank=True)
    timeout_seconds = models.PositiveIntegerField(null=True, blank=True)
    log_policy = models.CharField(max_length=10, choices=LogPolicy.choices, default=LogPolicy.LIVE)
    result_patterns = models.JSONField(default=list, blank=True)
    # Batch-scheduler request (servers/resources.py), over the server's default_resources.
    resources = models.JSONField(default=dict, blank=True)
    rerun_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reruns"
    )
    # An application job: the application's name (kept as text, so the job reads the same
    # after the application changes) and the parameter values it was rendered from.
    application = models.CharField(max_length=100, blank=True)
    parameters = models.JSONField(null=True, blank=True)
    sweep = models.ForeignKey(
        "applications.Sweep", on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    notify_email = models.BooleanField(default=False)  # email the owner when the job ends
    schedule = models.ForeignKey(
        "schedules.Schedule", on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )

    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    exit_code = models.SmallIntegerField(null=True, blank=True)
    signal = models.CharField(max_length=16, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)

    # Runner state: where the job lives remotely and how far its logs were persisted.
    remote_directory = models.CharField(max_length=1024, blank=True)
    remote_pgid = models.IntegerField(null=True, blank=True)
    # Liveness: the wrapper's pid and both processes' start times ("" when the host's ps
    # cannot tell), so a dead wrapper is noticed and a reused pid is never signalled.
    remote_pid = models.IntegerField(null=True, blank=True)
    remote_pid_start = models.CharField(max_length=64, blank=True)
    remote_pgid_start = models.CharField(max_length=64, blank=True)
    # Under a batch scheduler: its job id and its own word for the job's state, why it
    # waits and when it expects to start it ("" / null for direct jobs).
    scheduler_job_id = models.CharField(max_length=64, blank=True)
    scheduler_state = models.CharField(max_length=32, blank=True)
    pending_reason = models.CharField(max_length=200, blank=True)
    expected_start_at = models.DateTimeField(null=True, blank=True)
    # Set while the host cannot be reached; the job ends `lost` after the give-up window.
    unreachable_since = models.DateTimeField(null=True, blank=True)
    stdout_offset = models.BigIntegerField(default=0)
    stderr_offset = models.BigIntegerField(default=0)
    last_seq = models.BigIntegerField(default=0)
    line_count = models.BigIntegerField(default=0)  # newlines persisted, both streams
    # Metrics (the job's DRS_METRICS file): bytes of it consumed (stored, skipped or
    # thinned), the last point's n, the lines skipped as invalid, the last point's values
    # and its last `progress`, and a note once the point bound was reached.
    metrics_offset = models.BigIntegerField(default=0)
    metric_count = models.BigIntegerField(default=0)
    metrics_invalid = models.BigIntegerField(default=0)
    metrics_last = models.JSONField(null=True, blank=True)
    progress = models.FloatField(null=True, blank=True)
    metrics_note = models.CharField(max_length=300, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # The list reads newest first by (created_at, id) keyset (common/pagination.py):
        # one index per filter it offers, each ending in that order (jobs 0003).
        indexes = [
            models.Index(fields=["-created_at", "id"], name="job_created_id"),
            models.Index(fields=["owner", "-created_at", "id"], name="job_owner_created_id"),
            models.Index(fields=["status", "-created_at", "id"], name="job_status_created_id"),
            models.Index(
                fields=["owner", "status", "-created_at", "id"], name="job_owner_status_created"
            ),
            models.Index(fields=["server", "-created_at", "id"], name="job_server_created_id"),
            models.Index(fields=["status", "lease_expires_at"], name="job_status_lease"),
            models.Index(fields=["server", "status", "created_at"], name="job_server_status"),
            models.Index(fields=["sweep", "-created_at", "id"], name="job_sweep_created_id"),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.id} ({self.status})"

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class LogChunk(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log_chunks")
    seq = models.BigIntegerField()
    stream = models.CharField(max_length=6, choices=Stream.choices)
    offset = models.BigIntegerField()
    data = models.BinaryField()
    time = models.DateTimeField()
    # 0-based line number (in the combined log of both streams) where this chunk starts:
    # the number of newlines in every chunk before it. Lets a reader number lines of any
    # page without reading what precedes it.
    line = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["job", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["job", "seq"], name="logchunk_job_seq_unique"),
        ]
        # The logs API's stream filter reads one stream's chunks in seq order (jobs 0003).
        indexes = [models.Index(fields=["job", "stream", "seq"], name="logchunk_job_stream_seq")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.seq} {self.stream}@{self.offset}"


class MetricPoint(models.Model):
    """One valid line of a job's DRS_METRICS file: an object of numbers."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="metric_points")
    n = models.BigIntegerField()  # 1, 2, 3... in the order the job wrote them
    time = models.DateTimeField()
    values = models.JSONField()

    class Meta:
        ordering = ["job", "n"]
        constraints = [
            models.UniqueConstraint(fields=["job", "n"], name="metricpoint_job_n_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.n}"


def result_upload_to(instance: Result, filename: str) -> str:
    return f"results/{instance.job_id}/{uuid.uuid4().hex}"


class Result(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="results")
    path = models.CharField(max_length=1024)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=result_upload_to, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["job", "path"], name="result_job_path_unique"),
        ]

    def __str__(self) -> str:
        return self.path


class JobInput(models.Model):
    """A file staged into the job directory at `path` before the program starts: an
    upload or a result of an earlier job. Either source is kept while the job exists."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="inputs")
    path = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.ForeignKey(
        "files.File", on_delete=models.RESTRICT, null=True, blank=True, related_name="job_inputs"
    )
    result = models.ForeignKey(
        Result, on_delete=models.RESTRICT, null=True, blank=True, related_name="job_inputs"
    )

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["job", "path"], name="jobinput_job_path_unique"),
            models.CheckConstraint(
                condition=models.Q(file__isnull=True) ^ models.Q(result__isnull=True),
                name="jobinput_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.path
