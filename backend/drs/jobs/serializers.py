from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from drs.common.fields import StrictCharField, StrictIntegerField, StrictPrimaryKeyRelatedField
from drs.common.validators import env_name_error, result_pattern_error
from drs.credentials.models import Credential
from drs.credentials.selectors import credential_list
from drs.files.models import File
from drs.jobs.choices import LogPolicy, Stream
from drs.jobs.defaults import notify_email_default
from drs.jobs.inputs import MAX_INPUTS, InputSpec, collision_error, path_error
from drs.jobs.jobdir import job_command_error
from drs.jobs.models import Job, JobInput, Result
from drs.jobs.rules import job_refusal
from drs.servers.choices import SchedulerKind
from drs.servers.models import Interpreter, Server
from drs.servers.resources import INTEGER_KEYS, STRING_KEYS, resources_error


@extend_schema_field({"type": ["object", "null"], "additionalProperties": True})
class NullableObjectField(serializers.JSONField):
    """A JSON object or null (a model JSONField with null=True): one schema, not a `oneOf`
    of "anything" and null, which null matches twice."""


class JobSummarySerializer(serializers.ModelSerializer[Job]):
    """The job as lists and `/ws/jobs/` show it: everything but the program and its inputs."""

    owner = serializers.CharField(source="owner.username", read_only=True)
    server_name = serializers.CharField(source="server.name", read_only=True)
    interpreter_name = serializers.CharField(source="interpreter.name", read_only=True)
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)
    cancel_requested = serializers.SerializerMethodField()
    parameters = NullableObjectField(
        read_only=True, help_text="An application job's parameter values; null otherwise."
    )
    progress = serializers.FloatField(
        read_only=True, allow_null=True, help_text="The last `progress` metric (0-1)."
    )
    metrics_last = serializers.DictField(
        child=serializers.FloatField(),
        read_only=True,
        allow_null=True,
        help_text="The last metric point's values.",
    )

    class Meta:
        model = Job
        fields = [
            "id", "title", "owner", "server", "server_name", "credential", "interpreter",
            "interpreter_name", "status", "exit_code", "signal", "error", "log_policy",
            "timeout_seconds", "created_at", "started_at", "finished_at", "duration_seconds",
            "cancel_requested", "rerun_of", "last_seq", "application", "parameters", "sweep",
            "scheduler_job_id", "scheduler_state", "pending_reason", "expected_start_at",
            "progress", "metrics_last",
        ]  # fmt: skip
        read_only_fields = fields

    def get_cancel_requested(self, job: Job) -> bool:
        return job.cancel_requested_at is not None


class JobInputSerializer(serializers.ModelSerializer[JobInput]):
    result_job = serializers.SerializerMethodField(help_text="The job the result came from.")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = JobInput
        fields = ["path", "size", "sha256", "file", "result", "result_job", "download_url"]
        read_only_fields = fields

    def get_result_job(self, item: JobInput) -> str | None:
        return str(item.result.job_id) if item.result is not None else None

    def get_download_url(self, item: JobInput) -> str:
        if item.result is not None:
            return f"/api/jobs/{item.result.job_id}/results/{item.result_id}/download/"
        return f"/api/files/{item.file_id}/download/"


class JobSerializer(JobSummarySerializer):
    """One job in full, as retrieve/create/cancel/rerun return it."""

    inputs = serializers.SerializerMethodField()

    class Meta(JobSummarySerializer.Meta):
        fields = [
            *JobSummarySerializer.Meta.fields,
            "program", "arguments", "environment", "result_patterns", "remote_directory",
            "resources",
            "inputs",
            "notify_email", "schedule",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(JobInputSerializer(many=True))
    def get_inputs(self, job: Job) -> list[dict[str, Any]]:
        return list(JobInputSerializer(job.inputs.select_related("result"), many=True).data)


@functools.cache
def _shared(serializer_class: type[serializers.ModelSerializer[Job]]) -> Any:
    return serializer_class()


def represent(serializer_class: type[serializers.ModelSerializer[Job]], job: Job) -> dict[str, Any]:
    """The job as `serializer_class` shows it, through one shared read-only serializer: a
    new serializer builds all its fields first (a cost paid for each submitted job's
    response and each of its status events); showing an instance reads them only."""
    return dict(_shared(serializer_class).to_representation(job))


@extend_schema_field(OpenApiTypes.INT)
class OwnCredentialField(StrictPrimaryKeyRelatedField[Credential]):
    """Only the caller's credentials exist here: another user's id reads as unknown."""

    def get_queryset(self) -> QuerySet[Credential]:
        request = self.context.get("request")
        if request is None:
            return Credential.objects.none()
        return credential_list(user=request.user)


@extend_schema_field(OpenApiTypes.UUID)
class VisibleJobField(serializers.PrimaryKeyRelatedField[Job]):
    """A job the caller may see (their own; staff: any): another user's id reads as unknown."""

    def get_queryset(self) -> QuerySet[Job]:
        from drs.jobs.selectors import job_list

        request = self.context.get("request")
        if request is None:
            return Job.objects.none()
        return job_list(user=request.user)


def validate_result_pattern(value: str) -> None:
    if error := result_pattern_error(value):
        raise serializers.ValidationError(error)


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            **{k: {"type": "string", "minLength": 1, "maxLength": 128} for k in STRING_KEYS},
            **{k: {"type": "integer", "minimum": low} for k, low in INTEGER_KEYS.items()},
        },
        "additionalProperties": False,
    }
)
class ResourcesField(serializers.JSONField):
    """A resource request (servers/resources.py): refused whole, naming the field."""

    def to_internal_value(self, data: Any) -> Any:
        if error := resources_error(data):
            raise serializers.ValidationError(error)
        return dict(data)


class JobInputSpecSerializer(serializers.Serializer[Any]):
    file = serializers.UUIDField(required=False, allow_null=True, help_text="An upload's id.")
    result = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
        help_text="A result of one of your earlier jobs.",
    )  # fmt: skip
    path = serializers.CharField(
        required=False, trim_whitespace=False, max_length=1024,
        help_text="Where it goes, relative to the job directory (default: its base name).",
    )  # fmt: skip


def resolve_inputs(items: list[dict[str, Any]], user: Any) -> list[InputSpec]:
    """Each input's source (the user's own file or result) and checked path, in order."""
    if len(items) > MAX_INPUTS:
        raise serializers.ValidationError(f"At most {MAX_INPUTS} inputs.")
    file_ids = {item["file"] for item in items if item.get("file")}
    result_ids = {item["result"] for item in items if item.get("result")}
    # Only the submitter's own: another user's file or result reads as unknown.
    files = {f.pk: f for f in File.objects.filter(owner=user, pk__in=file_ids)}
    results = {r.pk: r for r in Result.objects.filter(job__owner=user, pk__in=result_ids)}
    specs = []
    for number, item in enumerate(items, 1):
        file_id, result_id = item.get("file"), item.get("result")
        if (file_id is None) == (result_id is None):
            raise serializers.ValidationError(f"Input {number}: give a `file` or a `result`.")
        if file_id is not None:
            if (file := files.get(file_id)) is None:
                raise serializers.ValidationError(f"Input {number}: no file {file_id} of yours.")
            default, size, sha256 = file.name, file.size, file.sha256
        else:
            if (result := results.get(int(result_id or 0))) is None:
                raise serializers.ValidationError(
                    f"Input {number}: no result {result_id} of your jobs."
                )
            default, size, sha256 = result.path.rsplit("/", 1)[-1], result.size, result.sha256
        path = item.get("path") or default
        if error := path_error(path):
            raise serializers.ValidationError(f"Input {number}: {error}")
        specs.append(InputSpec(path, size, sha256, file_id=file_id, result_id=result_id))
    if error := collision_error(spec.path for spec in specs):
        raise serializers.ValidationError(error)
    return specs


class JobCreateSerializer(serializers.Serializer[Any]):
    title = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    server = StrictPrimaryKeyRelatedField(queryset=Server.objects.all())
    credential = OwnCredentialField(help_text="One of your credentials for this server.")
    interpreter = StrictPrimaryKeyRelatedField(queryset=Interpreter.objects.all())
    program = StrictCharField(
        allow_blank=False, trim_whitespace=False, help_text="The script the interpreter runs."
    )
    arguments = serializers.ListField(
        child=StrictCharField(allow_blank=True, trim_whitespace=False, max_length=65536),
        required=False, default=list, max_length=1000,
        help_text="argv passed to the program, each item quoted for the shell.",
    )  # fmt: skip
    environment = serializers.DictField(
        child=StrictCharField(allow_blank=True, trim_whitespace=False, max_length=65536),
        required=False, default=dict,
        help_text="Environment variables; names match [A-Za-z_][A-Za-z0-9_]*.",
    )  # fmt: skip
    timeout_seconds = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        max_value=settings.DRS_MAX_TIMEOUT_SECONDS, help_text="Kill the job after this long.",
    )  # fmt: skip
    log_policy = serializers.ChoiceField(choices=LogPolicy.choices, default=LogPolicy.LIVE)
    result_patterns = serializers.ListField(
        child=StrictCharField(max_length=1024, validators=[validate_result_pattern]),
        required=False, default=list, max_length=200,
        help_text="Globs relative to the job dir; '!glob' excludes; the last match wins.",
    )  # fmt: skip
    resources = ResourcesField(
        required=False, default=dict,
        help_text="Batch-scheduler request (scheduler servers only), over the server's "
        "default_resources: partition, account, qos, reservation, constraint, nodes, ntasks, "
        "cpus_per_task, memory_mb, gpus. timeout_seconds is the walltime.",
    )  # fmt: skip
    inputs = JobInputSpecSerializer(
        many=True, required=False, default=list,
        help_text="Files staged into the job directory before the program starts.",
    )  # fmt: skip

    def validate_inputs(self, value: list[dict[str, Any]]) -> list[InputSpec]:
        request = self.context.get("request")
        return resolve_inputs(value, request.user) if request and value else []

    notify_email = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text="Email the owner when the job ends (default: the owner's setting; "
        "ignored when the installation sends no email).",
    )  # fmt: skip
    rerun_of = VisibleJobField(
        required=False, allow_null=True, default=None, pk_field=serializers.UUIDField(),
        help_text="The job this one was edited from (\"Edit and rerun\"); kept as `rerun_of`.",
    )  # fmt: skip

    def validate_program(self, value: str) -> str:
        limit = settings.DRS_MAX_PROGRAM_BYTES
        if len(value.encode()) > limit:
            raise serializers.ValidationError(f"The program is larger than {limit} bytes.")
        return value

    def validate_environment(self, value: dict[str, str]) -> dict[str, str]:
        if error := env_name_error(value):
            raise serializers.ValidationError(error)
        if len(value) > 200:
            raise serializers.ValidationError("At most 200 variables.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        server: Server = attrs["server"]
        request = self.context.get("request")
        refusal = job_refusal(
            owner=request.user if request is not None else AnonymousUser(),
            server=server,
            credential=attrs["credential"],
            interpreter=attrs["interpreter"],
        )
        if refusal is not None:
            raise serializers.ValidationError({refusal.field: [refusal.message]})
        arguments, environment = attrs.get("arguments", []), attrs.get("environment", {})
        if reason := job_command_error(attrs["interpreter"].argv, arguments, environment):
            fields = [name for name in ("arguments", "environment") if attrs.get(name)]
            raise serializers.ValidationError({name: [reason] for name in fields})
        if attrs.get("resources") and server.scheduler == SchedulerKind.DIRECT:
            raise serializers.ValidationError(
                {"resources": ["This server runs jobs directly: it takes no resources."]}
            )
        if attrs.get("notify_email") is None:
            attrs["notify_email"] = request is not None and notify_email_default(user=request.user)
        return attrs


# Documents one log chunk for the schema; `selectors.log_page` builds the rows directly.
class LogChunkSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    stream = serializers.ChoiceField(choices=Stream.choices)
    offset = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, help_text="Byte offset of `data` in its stream."
    )
    time = serializers.DateTimeField()
    line = serializers.IntegerField(
        min_value=0,
        max_value=2**63 - 1,
        help_text="0-based line number, in the combined log, where this chunk starts.",
    )
    data = serializers.CharField(help_text="UTF-8 text; invalid bytes replaced.")  # type: ignore[assignment]


class LogPageSerializer(serializers.Serializer[Any]):
    results = LogChunkSerializer(many=True, help_text="In ascending seq order.")
    next_after = serializers.IntegerField(
        help_text="Pass as `after` to read on: the last seq returned, or the `after` given "
        "(an empty `tail` page: the job's `last_seq`; an empty `before` page: before - 1)."
    )
    first_seq = serializers.IntegerField(
        allow_null=True, help_text="Seq of the first result; pass as `before` to read back."
    )
    has_earlier = serializers.BooleanField(
        help_text="Chunks (of the chosen stream) exist before `first_seq`."
    )
    complete = serializers.BooleanField(
        help_text="The job has ended and no chunk (of the chosen stream) follows `next_after`."
    )
    last_seq = serializers.IntegerField(help_text="The job's highest committed seq.")
    line_count = serializers.IntegerField(help_text="Lines (newlines) in the log so far.")


class LogQuerySerializer(serializers.Serializer[Any]):
    """Three ways to read: forward (`after`), the end (`tail`) or backward (`before`)."""

    after = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, required=False, help_text="Chunks with seq > after."
    )
    before = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text="The `limit` chunks just before this seq (returned in ascending order).",
    )
    tail = serializers.IntegerField(
        min_value=1, max_value=5000, required=False, help_text="The last `tail` chunks."
    )
    limit = serializers.IntegerField(min_value=1, max_value=5000, default=1000)
    max_bytes = serializers.IntegerField(
        min_value=1,
        max_value=16 * 1024 * 1024,
        default=1024 * 1024,
        help_text="Stop a page at about this many bytes of data (at least one chunk is sent).",
    )
    stream = serializers.ChoiceField(
        choices=Stream.choices, required=False, help_text="Only this stream's chunks."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "after" in attrs and "before" in attrs:
            raise serializers.ValidationError({"before": ["Give `after` or `before`, not both."]})
        if "tail" in attrs and ("after" in attrs or "before" in attrs):
            raise serializers.ValidationError(
                {"tail": ["`tail` reads the end of the log: give no `after` or `before`."]}
            )
        return attrs


class LogSearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        max_length=1000,
        trim_whitespace=False,
        help_text="Text to find in a line, case-insensitive.",
    )
    stream = serializers.ChoiceField(
        choices=Stream.choices, required=False, help_text="Only lines of this stream."
    )
    cursor = serializers.IntegerField(
        min_value=0,
        max_value=2**63 - 1,
        default=0,
        help_text="First line number to report matches from (a `next_cursor`).",
    )
    limit = serializers.IntegerField(min_value=1, max_value=200, default=100)

    def validate_q(self, value: str) -> str:
        if "\n" in value or "\r" in value:
            raise serializers.ValidationError("Search within one line: no line breaks.")
        return value


class LogSearchMatchSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(help_text="0-based line number in the combined log.")
    seq = serializers.IntegerField(help_text="Seq of the chunk where the line starts.")
    stream = serializers.ChoiceField(choices=Stream.choices)
    text = serializers.CharField(
        help_text="The line (at most 2000 characters, invalid UTF-8 replaced)."
    )


class LogSearchPageSerializer(serializers.Serializer[Any]):
    results = LogSearchMatchSerializer(many=True)
    count = serializers.IntegerField(help_text="Matching lines in the whole log, up to the cap.")
    capped = serializers.BooleanField(help_text="There are more matches than `count`.")
    next_cursor = serializers.IntegerField(
        allow_null=True, help_text="Pass as `cursor` for the next page; null on the last."
    )


class LogTextQuerySerializer(serializers.Serializer[Any]):
    stream = serializers.ChoiceField(choices=["stdout", "stderr", "all"], default="all")
    download = serializers.BooleanField(default=False, help_text="Send as an attachment.")


class JobDeletedSerializer(serializers.Serializer[Any]):
    remote_directory_removed = serializers.BooleanField(
        help_text="False when the job's host could not be reached: the directory stayed there."
    )
    detail = serializers.CharField()


class ResultSerializer(serializers.ModelSerializer[Result]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Result
        fields = ["id", "path", "size", "sha256", "created_at", "download_url"]

    def get_download_url(self, result: Result) -> str:
        return f"/api/jobs/{result.job_id}/results/{result.pk}/download/"
