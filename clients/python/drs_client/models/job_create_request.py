from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.log_policy_enum import LogPolicyEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_create_request_environment import JobCreateRequestEnvironment
    from ..models.job_create_request_resources import JobCreateRequestResources
    from ..models.job_input_spec_request import JobInputSpecRequest


T = TypeVar("T", bound="JobCreateRequest")


@_attrs_define
class JobCreateRequest:
    """
    Attributes:
        server (int):
        credential (int): One of your credentials for this server.
        interpreter (int):
        program (str): The script the interpreter runs.
        title (str | Unset):  Default: ''.
        arguments (list[str] | Unset): argv passed to the program, each item quoted for the shell.
        environment (JobCreateRequestEnvironment | Unset): Environment variables; names match [A-Za-z_][A-Za-z0-9_]*.
        timeout_seconds (int | None | Unset): Kill the job after this long.
        log_policy (LogPolicyEnum | Unset): * `live` - Live: stream and keep every byte
            * `total` - Total: keep the whole output once the job ends
            * `none` - None: keep no output Default: LogPolicyEnum.LIVE.
        result_patterns (list[str] | Unset): Globs relative to the job dir; '!glob' excludes; the last match wins.
        resources (JobCreateRequestResources | Unset): Batch-scheduler request (scheduler servers only), over the
            server's default_resources: partition, account, qos, reservation, constraint, nodes, ntasks, cpus_per_task,
            memory_mb, gpus. timeout_seconds is the walltime.
        inputs (list[JobInputSpecRequest] | Unset): Files staged into the job directory before the program starts.
        notify_email (bool | None | Unset): Email the owner when the job ends (default: the owner's setting; ignored
            when the installation sends no email).
        rerun_of (None | Unset | UUID): The job this one was edited from ("Edit and rerun"); kept as `rerun_of`.
    """

    server: int
    credential: int
    interpreter: int
    program: str
    title: str | Unset = ""
    arguments: list[str] | Unset = UNSET
    environment: JobCreateRequestEnvironment | Unset = UNSET
    timeout_seconds: int | None | Unset = UNSET
    log_policy: LogPolicyEnum | Unset = LogPolicyEnum.LIVE
    result_patterns: list[str] | Unset = UNSET
    resources: JobCreateRequestResources | Unset = UNSET
    inputs: list[JobInputSpecRequest] | Unset = UNSET
    notify_email: bool | None | Unset = UNSET
    rerun_of: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        server = self.server

        credential = self.credential

        interpreter = self.interpreter

        program = self.program

        title = self.title

        arguments: list[str] | Unset = UNSET
        if not isinstance(self.arguments, Unset):
            arguments = self.arguments

        environment: dict[str, Any] | Unset = UNSET
        if not isinstance(self.environment, Unset):
            environment = self.environment.to_dict()

        timeout_seconds: int | None | Unset
        if isinstance(self.timeout_seconds, Unset):
            timeout_seconds = UNSET
        else:
            timeout_seconds = self.timeout_seconds

        log_policy: str | Unset = UNSET
        if not isinstance(self.log_policy, Unset):
            log_policy = self.log_policy.value

        result_patterns: list[str] | Unset = UNSET
        if not isinstance(self.result_patterns, Unset):
            result_patterns = self.result_patterns

        resources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = self.resources.to_dict()

        inputs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.inputs, Unset):
            inputs = []
            for inputs_item_data in self.inputs:
                inputs_item = inputs_item_data.to_dict()
                inputs.append(inputs_item)

        notify_email: bool | None | Unset
        if isinstance(self.notify_email, Unset):
            notify_email = UNSET
        else:
            notify_email = self.notify_email

        rerun_of: None | str | Unset
        if isinstance(self.rerun_of, Unset):
            rerun_of = UNSET
        elif isinstance(self.rerun_of, UUID):
            rerun_of = str(self.rerun_of)
        else:
            rerun_of = self.rerun_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "server": server,
                "credential": credential,
                "interpreter": interpreter,
                "program": program,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if arguments is not UNSET:
            field_dict["arguments"] = arguments
        if environment is not UNSET:
            field_dict["environment"] = environment
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds
        if log_policy is not UNSET:
            field_dict["log_policy"] = log_policy
        if result_patterns is not UNSET:
            field_dict["result_patterns"] = result_patterns
        if resources is not UNSET:
            field_dict["resources"] = resources
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if notify_email is not UNSET:
            field_dict["notify_email"] = notify_email
        if rerun_of is not UNSET:
            field_dict["rerun_of"] = rerun_of

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.job_create_request_environment import JobCreateRequestEnvironment
        from ..models.job_create_request_resources import JobCreateRequestResources
        from ..models.job_input_spec_request import JobInputSpecRequest

        d = dict(src_dict)
        server = d.pop("server")

        credential = d.pop("credential")

        interpreter = d.pop("interpreter")

        program = d.pop("program")

        title = d.pop("title", UNSET)

        arguments = cast(list[str], d.pop("arguments", UNSET))

        _environment = d.pop("environment", UNSET)
        environment: JobCreateRequestEnvironment | Unset
        if isinstance(_environment, Unset):
            environment = UNSET
        else:
            environment = JobCreateRequestEnvironment.from_dict(_environment)

        def _parse_timeout_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        timeout_seconds = _parse_timeout_seconds(d.pop("timeout_seconds", UNSET))

        _log_policy = d.pop("log_policy", UNSET)
        log_policy: LogPolicyEnum | Unset
        if isinstance(_log_policy, Unset):
            log_policy = UNSET
        else:
            log_policy = LogPolicyEnum(_log_policy)

        result_patterns = cast(list[str], d.pop("result_patterns", UNSET))

        _resources = d.pop("resources", UNSET)
        resources: JobCreateRequestResources | Unset
        if isinstance(_resources, Unset):
            resources = UNSET
        else:
            resources = JobCreateRequestResources.from_dict(_resources)

        _inputs = d.pop("inputs", UNSET)
        inputs: list[JobInputSpecRequest] | Unset = UNSET
        if _inputs is not UNSET:
            inputs = []
            for inputs_item_data in _inputs:
                inputs_item = JobInputSpecRequest.from_dict(inputs_item_data)

                inputs.append(inputs_item)

        def _parse_notify_email(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        notify_email = _parse_notify_email(d.pop("notify_email", UNSET))

        def _parse_rerun_of(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rerun_of_type_0 = UUID(data)

                return rerun_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        rerun_of = _parse_rerun_of(d.pop("rerun_of", UNSET))

        job_create_request = cls(
            server=server,
            credential=credential,
            interpreter=interpreter,
            program=program,
            title=title,
            arguments=arguments,
            environment=environment,
            timeout_seconds=timeout_seconds,
            log_policy=log_policy,
            result_patterns=result_patterns,
            resources=resources,
            inputs=inputs,
            notify_email=notify_email,
            rerun_of=rerun_of,
        )

        job_create_request.additional_properties = d
        return job_create_request

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
