from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.log_policy_enum import LogPolicyEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.application_request_default_resources import (
        ApplicationRequestDefaultResources,
    )
    from ..models.application_request_environment import ApplicationRequestEnvironment


T = TypeVar("T", bound="ApplicationRequest")


@_attrs_define
class ApplicationRequest:
    """
    Attributes:
        name (str):
        title (str):
        interpreter (int):
        program (str): The script the interpreter runs.
        description (str | Unset):
        arguments (list[str] | Unset): argv items; `{name}` is replaced by a parameter's value, `{{`/`}}` are braces.
        environment (ApplicationRequestEnvironment | Unset): Values may hold `{name}` placeholders.
        parameters (Any | Unset): A JSON Schema, "type": "object", whose properties (string, integer, number, boolean;
            enum, minimum, maximum, pattern, default, title, description; "format": "file" for an input file, staged at its
            "x-path" or its name) are the parameters; `required` lists those without a default that must be given.
        result_patterns (list[str] | Unset):
        servers (list[int] | Unset):
        default_resources (ApplicationRequestDefaultResources | Unset):
        timeout_seconds (int | None | Unset):
        log_policy (LogPolicyEnum | Unset): * `live` - Live: stream and keep every byte
            * `total` - Total: keep the whole output once the job ends
            * `none` - None: keep no output
        enabled (bool | Unset):
    """

    name: str
    title: str
    interpreter: int
    program: str
    description: str | Unset = UNSET
    arguments: list[str] | Unset = UNSET
    environment: ApplicationRequestEnvironment | Unset = UNSET
    parameters: Any | Unset = UNSET
    result_patterns: list[str] | Unset = UNSET
    servers: list[int] | Unset = UNSET
    default_resources: ApplicationRequestDefaultResources | Unset = UNSET
    timeout_seconds: int | None | Unset = UNSET
    log_policy: LogPolicyEnum | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        title = self.title

        interpreter = self.interpreter

        program = self.program

        description = self.description

        arguments: list[str] | Unset = UNSET
        if not isinstance(self.arguments, Unset):
            arguments = self.arguments

        environment: dict[str, Any] | Unset = UNSET
        if not isinstance(self.environment, Unset):
            environment = self.environment.to_dict()

        parameters = self.parameters

        result_patterns: list[str] | Unset = UNSET
        if not isinstance(self.result_patterns, Unset):
            result_patterns = self.result_patterns

        servers: list[int] | Unset = UNSET
        if not isinstance(self.servers, Unset):
            servers = self.servers

        default_resources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.default_resources, Unset):
            default_resources = self.default_resources.to_dict()

        timeout_seconds: int | None | Unset
        if isinstance(self.timeout_seconds, Unset):
            timeout_seconds = UNSET
        else:
            timeout_seconds = self.timeout_seconds

        log_policy: str | Unset = UNSET
        if not isinstance(self.log_policy, Unset):
            log_policy = self.log_policy.value

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "title": title,
                "interpreter": interpreter,
                "program": program,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if arguments is not UNSET:
            field_dict["arguments"] = arguments
        if environment is not UNSET:
            field_dict["environment"] = environment
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if result_patterns is not UNSET:
            field_dict["result_patterns"] = result_patterns
        if servers is not UNSET:
            field_dict["servers"] = servers
        if default_resources is not UNSET:
            field_dict["default_resources"] = default_resources
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds
        if log_policy is not UNSET:
            field_dict["log_policy"] = log_policy
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.application_request_default_resources import (
            ApplicationRequestDefaultResources,
        )
        from ..models.application_request_environment import (
            ApplicationRequestEnvironment,
        )

        d = dict(src_dict)
        name = d.pop("name")

        title = d.pop("title")

        interpreter = d.pop("interpreter")

        program = d.pop("program")

        description = d.pop("description", UNSET)

        arguments = cast(list[str], d.pop("arguments", UNSET))

        _environment = d.pop("environment", UNSET)
        environment: ApplicationRequestEnvironment | Unset
        if isinstance(_environment, Unset):
            environment = UNSET
        else:
            environment = ApplicationRequestEnvironment.from_dict(_environment)

        parameters = d.pop("parameters", UNSET)

        result_patterns = cast(list[str], d.pop("result_patterns", UNSET))

        servers = cast(list[int], d.pop("servers", UNSET))

        _default_resources = d.pop("default_resources", UNSET)
        default_resources: ApplicationRequestDefaultResources | Unset
        if isinstance(_default_resources, Unset):
            default_resources = UNSET
        else:
            default_resources = ApplicationRequestDefaultResources.from_dict(
                _default_resources
            )

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

        enabled = d.pop("enabled", UNSET)

        application_request = cls(
            name=name,
            title=title,
            interpreter=interpreter,
            program=program,
            description=description,
            arguments=arguments,
            environment=environment,
            parameters=parameters,
            result_patterns=result_patterns,
            servers=servers,
            default_resources=default_resources,
            timeout_seconds=timeout_seconds,
            log_policy=log_policy,
            enabled=enabled,
        )

        application_request.additional_properties = d
        return application_request

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
