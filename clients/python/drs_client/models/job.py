from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status_enum import JobStatusEnum
from ..models.log_policy_enum import LogPolicyEnum

if TYPE_CHECKING:
    from ..models.job_input import JobInput
    from ..models.job_metrics_last_type_0 import JobMetricsLastType0
    from ..models.job_parameters_type_0 import JobParametersType0


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """One job in full, as retrieve/create/cancel/rerun return it.

    Attributes:
        id (UUID):
        title (str):
        owner (str):
        server (int):
        server_name (str):
        credential (int | None):
        interpreter (int):
        interpreter_name (str):
        status (JobStatusEnum): * `queued` - Queued
            * `starting` - Starting
            * `pending` - Pending
            * `running` - Running
            * `succeeded` - Succeeded
            * `failed` - Failed
            * `cancelled` - Cancelled
            * `timed_out` - Timed out
            * `lost` - Lost
        exit_code (int | None):
        signal (str):
        error (str):
        log_policy (LogPolicyEnum): * `live` - Live: stream and keep every byte
            * `total` - Total: keep the whole output once the job ends
            * `none` - None: keep no output
        timeout_seconds (int | None):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        duration_seconds (float | None):
        cancel_requested (bool):
        rerun_of (None | UUID):
        last_seq (int):
        application (str):
        parameters (JobParametersType0 | None): An application job's parameter values; null otherwise.
        sweep (None | UUID):
        scheduler_job_id (str):
        scheduler_state (str):
        pending_reason (str):
        expected_start_at (datetime.datetime | None):
        progress (float | None): The last `progress` metric (0-1).
        metrics_last (JobMetricsLastType0 | None): The last metric point's values.
        program (str):
        arguments (Any):
        environment (Any):
        result_patterns (Any):
        remote_directory (str):
        resources (Any):
        inputs (list[JobInput]):
        notify_email (bool):
        schedule (int | None):
    """

    id: UUID
    title: str
    owner: str
    server: int
    server_name: str
    credential: int | None
    interpreter: int
    interpreter_name: str
    status: JobStatusEnum
    exit_code: int | None
    signal: str
    error: str
    log_policy: LogPolicyEnum
    timeout_seconds: int | None
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    duration_seconds: float | None
    cancel_requested: bool
    rerun_of: None | UUID
    last_seq: int
    application: str
    parameters: JobParametersType0 | None
    sweep: None | UUID
    scheduler_job_id: str
    scheduler_state: str
    pending_reason: str
    expected_start_at: datetime.datetime | None
    progress: float | None
    metrics_last: JobMetricsLastType0 | None
    program: str
    arguments: Any
    environment: Any
    result_patterns: Any
    remote_directory: str
    resources: Any
    inputs: list[JobInput]
    notify_email: bool
    schedule: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_metrics_last_type_0 import JobMetricsLastType0
        from ..models.job_parameters_type_0 import JobParametersType0

        id = str(self.id)

        title = self.title

        owner = self.owner

        server = self.server

        server_name = self.server_name

        credential: int | None
        credential = self.credential

        interpreter = self.interpreter

        interpreter_name = self.interpreter_name

        status = self.status.value

        exit_code: int | None
        exit_code = self.exit_code

        signal = self.signal

        error = self.error

        log_policy = self.log_policy.value

        timeout_seconds: int | None
        timeout_seconds = self.timeout_seconds

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        duration_seconds: float | None
        duration_seconds = self.duration_seconds

        cancel_requested = self.cancel_requested

        rerun_of: None | str
        if isinstance(self.rerun_of, UUID):
            rerun_of = str(self.rerun_of)
        else:
            rerun_of = self.rerun_of

        last_seq = self.last_seq

        application = self.application

        parameters: dict[str, Any] | None
        if isinstance(self.parameters, JobParametersType0):
            parameters = self.parameters.to_dict()
        else:
            parameters = self.parameters

        sweep: None | str
        if isinstance(self.sweep, UUID):
            sweep = str(self.sweep)
        else:
            sweep = self.sweep

        scheduler_job_id = self.scheduler_job_id

        scheduler_state = self.scheduler_state

        pending_reason = self.pending_reason

        expected_start_at: None | str
        if isinstance(self.expected_start_at, datetime.datetime):
            expected_start_at = self.expected_start_at.isoformat()
        else:
            expected_start_at = self.expected_start_at

        progress: float | None
        progress = self.progress

        metrics_last: dict[str, Any] | None
        if isinstance(self.metrics_last, JobMetricsLastType0):
            metrics_last = self.metrics_last.to_dict()
        else:
            metrics_last = self.metrics_last

        program = self.program

        arguments = self.arguments

        environment = self.environment

        result_patterns = self.result_patterns

        remote_directory = self.remote_directory

        resources = self.resources

        inputs = []
        for inputs_item_data in self.inputs:
            inputs_item = inputs_item_data.to_dict()
            inputs.append(inputs_item)

        notify_email = self.notify_email

        schedule: int | None
        schedule = self.schedule

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "owner": owner,
                "server": server,
                "server_name": server_name,
                "credential": credential,
                "interpreter": interpreter,
                "interpreter_name": interpreter_name,
                "status": status,
                "exit_code": exit_code,
                "signal": signal,
                "error": error,
                "log_policy": log_policy,
                "timeout_seconds": timeout_seconds,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "duration_seconds": duration_seconds,
                "cancel_requested": cancel_requested,
                "rerun_of": rerun_of,
                "last_seq": last_seq,
                "application": application,
                "parameters": parameters,
                "sweep": sweep,
                "scheduler_job_id": scheduler_job_id,
                "scheduler_state": scheduler_state,
                "pending_reason": pending_reason,
                "expected_start_at": expected_start_at,
                "progress": progress,
                "metrics_last": metrics_last,
                "program": program,
                "arguments": arguments,
                "environment": environment,
                "result_patterns": result_patterns,
                "remote_directory": remote_directory,
                "resources": resources,
                "inputs": inputs,
                "notify_email": notify_email,
                "schedule": schedule,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.job_input import JobInput
        from ..models.job_metrics_last_type_0 import JobMetricsLastType0
        from ..models.job_parameters_type_0 import JobParametersType0

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        title = d.pop("title")

        owner = d.pop("owner")

        server = d.pop("server")

        server_name = d.pop("server_name")

        def _parse_credential(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        credential = _parse_credential(d.pop("credential"))

        interpreter = d.pop("interpreter")

        interpreter_name = d.pop("interpreter_name")

        status = JobStatusEnum(d.pop("status"))

        def _parse_exit_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exit_code = _parse_exit_code(d.pop("exit_code"))

        signal = d.pop("signal")

        error = d.pop("error")

        log_policy = LogPolicyEnum(d.pop("log_policy"))

        def _parse_timeout_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        timeout_seconds = _parse_timeout_seconds(d.pop("timeout_seconds"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_duration_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_seconds = _parse_duration_seconds(d.pop("duration_seconds"))

        cancel_requested = d.pop("cancel_requested")

        def _parse_rerun_of(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rerun_of_type_0 = UUID(data)

                return rerun_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        rerun_of = _parse_rerun_of(d.pop("rerun_of"))

        last_seq = d.pop("last_seq")

        application = d.pop("application")

        def _parse_parameters(data: object) -> JobParametersType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parameters_type_0 = JobParametersType0.from_dict(data)

                return parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobParametersType0 | None, data)

        parameters = _parse_parameters(d.pop("parameters"))

        def _parse_sweep(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sweep_type_0 = UUID(data)

                return sweep_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        sweep = _parse_sweep(d.pop("sweep"))

        scheduler_job_id = d.pop("scheduler_job_id")

        scheduler_state = d.pop("scheduler_state")

        pending_reason = d.pop("pending_reason")

        def _parse_expected_start_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expected_start_at_type_0 = datetime.datetime.fromisoformat(data)

                return expected_start_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expected_start_at = _parse_expected_start_at(d.pop("expected_start_at"))

        def _parse_progress(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        progress = _parse_progress(d.pop("progress"))

        def _parse_metrics_last(data: object) -> JobMetricsLastType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metrics_last_type_0 = JobMetricsLastType0.from_dict(data)

                return metrics_last_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobMetricsLastType0 | None, data)

        metrics_last = _parse_metrics_last(d.pop("metrics_last"))

        program = d.pop("program")

        arguments = d.pop("arguments")

        environment = d.pop("environment")

        result_patterns = d.pop("result_patterns")

        remote_directory = d.pop("remote_directory")

        resources = d.pop("resources")

        inputs = []
        _inputs = d.pop("inputs")
        for inputs_item_data in _inputs:
            inputs_item = JobInput.from_dict(inputs_item_data)

            inputs.append(inputs_item)

        notify_email = d.pop("notify_email")

        def _parse_schedule(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        schedule = _parse_schedule(d.pop("schedule"))

        job = cls(
            id=id,
            title=title,
            owner=owner,
            server=server,
            server_name=server_name,
            credential=credential,
            interpreter=interpreter,
            interpreter_name=interpreter_name,
            status=status,
            exit_code=exit_code,
            signal=signal,
            error=error,
            log_policy=log_policy,
            timeout_seconds=timeout_seconds,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            duration_seconds=duration_seconds,
            cancel_requested=cancel_requested,
            rerun_of=rerun_of,
            last_seq=last_seq,
            application=application,
            parameters=parameters,
            sweep=sweep,
            scheduler_job_id=scheduler_job_id,
            scheduler_state=scheduler_state,
            pending_reason=pending_reason,
            expected_start_at=expected_start_at,
            progress=progress,
            metrics_last=metrics_last,
            program=program,
            arguments=arguments,
            environment=environment,
            result_patterns=result_patterns,
            remote_directory=remote_directory,
            resources=resources,
            inputs=inputs,
            notify_email=notify_email,
            schedule=schedule,
        )

        job.additional_properties = d
        return job

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
