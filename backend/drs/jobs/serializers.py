from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from drs.common.validators import ENV_NAME, result_pattern_error
from drs.credentials.models import Credential
from drs.credentials.selectors import credential_list
from drs.jobs.choices import LogPolicy, Stream
from drs.jobs.models import Job, Result
from drs.servers.choices import ServerKind
from drs.servers.models import Interpreter, Server


class JobSummarySerializer(serializers.ModelSerializer[Job]):
    """The job as lists and `/ws/jobs/` show it: everything but the program and its inputs."""

    owner = serializers.CharField(source="owner.username", read_only=True)
    server_name = serializers.CharField(source="server.name", read_only=True)
    interpreter_name = serializers.CharField(source="interpreter.name", read_only=True)
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)
    cancel_requested = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "title", "owner", "server", "server_name", "credential", "interpreter",
            "interpreter_name", "status", "exit_code", "signal", "error", "log_policy",
            "timeout_seconds", "created_at", "started_at", "finished_at", "duration_seconds",
            "cancel_requested", "rerun_of", "last_seq",
        ]  # fmt: skip
        read_only_fields = fields

    def get_cancel_requested(self, job: Job) -> bool:
        return job.cancel_requested_at is not None


class JobSerializer(JobSummarySerializer):
    """One job in full, as retrieve/create/cancel/rerun return it."""

    class Meta(JobSummarySerializer.Meta):
        fields = [
            *JobSummarySerializer.Meta.fields,
            "program", "arguments", "environment", "result_patterns", "remote_directory",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class OwnCredentialField(serializers.PrimaryKeyRelatedField[Credential]):
    """Only the caller's credentials exist here: another user's id reads as unknown."""

    def get_queryset(self) -> QuerySet[Credential]:
        request = self.context.get("request")
        if request is None:
            return Credential.objects.none()
        return credential_list(user=request.user)


def validate_result_pattern(value: str) -> None:
    if error := result_pattern_error(value):
        raise serializers.ValidationError(error)


class JobCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    server = serializers.PrimaryKeyRelatedField(queryset=Server.objects.all())
    credential = OwnCredentialField(help_text="One of your credentials for this server.")
    interpreter = serializers.PrimaryKeyRelatedField(queryset=Interpreter.objects.all())
    program = serializers.CharField(
        allow_blank=False, trim_whitespace=False, help_text="The script the interpreter runs."
    )
    arguments = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=65536),
        required=False, default=list, max_length=1000,
        help_text="argv passed to the program, each item quoted for the shell.",
    )  # fmt: skip
    environment = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=65536),
        required=False, default=dict,
        help_text="Environment variables; names match [A-Za-z_][A-Za-z0-9_]*.",
    )  # fmt: skip
    timeout_seconds = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        max_value=settings.DRS_MAX_TIMEOUT_SECONDS, help_text="Kill the job after this long.",
    )  # fmt: skip
    log_policy = serializers.ChoiceField(choices=LogPolicy.choices, default=LogPolicy.LIVE)
    result_patterns = serializers.ListField(
        child=serializers.CharField(max_length=1024, validators=[validate_result_pattern]),
        required=False, default=list, max_length=200,
        help_text="Globs relative to the job dir; '!glob' excludes; the last match wins.",
    )  # fmt: skip

    def validate_program(self, value: str) -> str:
        limit = settings.DRS_MAX_PROGRAM_BYTES
        if len(value.encode()) > limit:
            raise serializers.ValidationError(f"The program is larger than {limit} bytes.")
        return value

    def validate_environment(self, value: dict[str, str]) -> dict[str, str]:
        bad = [name for name in value if not ENV_NAME.fullmatch(name)]
        if bad:
            raise serializers.ValidationError(
                f"Invalid variable name {bad[0]!r}: use letters, digits and _, not starting with a digit."
            )
        if len(value) > 200:
            raise serializers.ValidationError("At most 200 variables.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        server: Server = attrs["server"]
        credential: Credential = attrs["credential"]
        if credential.server_id != server.pk:
            raise serializers.ValidationError(
                {"credential": ["This credential is for another server."]}
            )
        if not server.enabled:
            raise serializers.ValidationError({"server": ["This server is disabled."]})
        request = self.context.get("request")
        if server.kind == ServerKind.LOCAL and not (request and request.user.is_staff):
            # A local job runs as the DRS service user on the worker host (README).
            raise serializers.ValidationError(
                {"server": ["Only staff may run jobs on a local server."]}
            )
        if not server.interpreters.filter(pk=attrs["interpreter"].pk).exists():
            raise serializers.ValidationError({"interpreter": ["Not available on this server."]})
        return attrs


# Documents one log chunk for the schema; `selectors.log_chunks` builds the rows directly.
class LogChunkSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    stream = serializers.ChoiceField(choices=Stream.choices)
    offset = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, help_text="Byte offset of `data` in its stream."
    )
    time = serializers.DateTimeField()
    data = serializers.CharField(help_text="UTF-8 text; invalid bytes replaced.")  # type: ignore[assignment]


class LogPageSerializer(serializers.Serializer[Any]):
    results = LogChunkSerializer(many=True)
    next_after = serializers.IntegerField(help_text="Pass as `after` to read on.")
    complete = serializers.BooleanField(help_text="The job has ended and this is its last chunk.")


class LogQuerySerializer(serializers.Serializer[Any]):
    after = serializers.IntegerField(min_value=0, default=0, help_text="Chunks with seq > after.")
    limit = serializers.IntegerField(min_value=1, max_value=5000, default=1000)


class LogTextQuerySerializer(serializers.Serializer[Any]):
    stream = serializers.ChoiceField(choices=["stdout", "stderr", "all"], default="all")
    download = serializers.BooleanField(default=False, help_text="Send as an attachment.")


class ResultSerializer(serializers.ModelSerializer[Result]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Result
        fields = ["id", "path", "size", "sha256", "created_at", "download_url"]

    def get_download_url(self, result: Result) -> str:
        return f"/api/jobs/{result.job_id}/results/{result.pk}/download/"
