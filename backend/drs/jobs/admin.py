from django.contrib import admin
from django.http import HttpRequest

from drs.jobs.models import Job, LogChunk, Result


class ResultInline(admin.TabularInline[Result, Job]):
    model = Result
    extra = 0
    readonly_fields = ["path", "size", "sha256", "file", "created_at"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ["id", "title", "owner", "server", "status", "exit_code", "created_at"]
    list_filter = ["status", "server", "log_policy"]
    search_fields = ["title", "id", "owner__username"]
    date_hierarchy = "created_at"
    raw_id_fields = ["credential", "rerun_of"]
    readonly_fields = [
        "status", "exit_code", "signal", "error", "started_at", "finished_at", "remote_directory",
        "remote_pgid", "stdout_offset", "stderr_offset", "last_seq", "lease_owner",
        "lease_expires_at", "heartbeat_at", "cancel_requested_at",
    ]  # fmt: skip
    # What a job runs, as whom and where is fixed at submission: editing the program or
    # swapping the owner/credential here would run code under someone else's login.
    input_fields = [
        "owner", "server", "credential", "interpreter", "program", "arguments", "environment",
        "result_patterns", "rerun_of",
    ]  # fmt: skip
    inlines = [ResultInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Job | None = None) -> list[str]:
        return [*self.input_fields, *self.readonly_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are submitted through the API, which validates and enqueues them


@admin.register(LogChunk)
class LogChunkAdmin(admin.ModelAdmin[LogChunk]):
    list_display = ["job", "seq", "stream", "offset", "time"]
    raw_id_fields = ["job"]
    show_full_result_count = False


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin[Result]):
    list_display = ["job", "path", "size", "sha256"]
    raw_id_fields = ["job"]
