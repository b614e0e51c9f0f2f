from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.application_job_create_request_inputs_item import (
        ApplicationJobCreateRequestInputsItem,
    )
    from ..models.application_job_create_request_resources import (
        ApplicationJobCreateRequestResources,
    )


T = TypeVar("T", bound="ApplicationJobCreateRequest")


@_attrs_define
class ApplicationJobCreateRequest:
    """A job of an application: its parameters instead of an interpreter, a program,
    arguments and an environment (those come from the application).

        Attributes:
            application (str): The application's name.
            server (int):
            credential (int): One of your credentials for this server.
            parameters (Any | Unset): Values by parameter name.
            title (str | Unset):  Default: ''.
            resources (ApplicationJobCreateRequestResources | Unset):
            inputs (list[ApplicationJobCreateRequestInputsItem] | Unset):
    """

    application: str
    server: int
    credential: int
    parameters: Any | Unset = UNSET
    title: str | Unset = ""
    resources: ApplicationJobCreateRequestResources | Unset = UNSET
    inputs: list[ApplicationJobCreateRequestInputsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        application = self.application

        server = self.server

        credential = self.credential

        parameters = self.parameters

        title = self.title

        resources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = self.resources.to_dict()

        inputs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.inputs, Unset):
            inputs = []
            for inputs_item_data in self.inputs:
                inputs_item = inputs_item_data.to_dict()
                inputs.append(inputs_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "application": application,
                "server": server,
                "credential": credential,
            }
        )
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if title is not UNSET:
            field_dict["title"] = title
        if resources is not UNSET:
            field_dict["resources"] = resources
        if inputs is not UNSET:
            field_dict["inputs"] = inputs

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.application_job_create_request_inputs_item import (
            ApplicationJobCreateRequestInputsItem,
        )
        from ..models.application_job_create_request_resources import (
            ApplicationJobCreateRequestResources,
        )

        d = dict(src_dict)
        application = d.pop("application")

        server = d.pop("server")

        credential = d.pop("credential")

        parameters = d.pop("parameters", UNSET)

        title = d.pop("title", UNSET)

        _resources = d.pop("resources", UNSET)
        resources: ApplicationJobCreateRequestResources | Unset
        if isinstance(_resources, Unset):
            resources = UNSET
        else:
            resources = ApplicationJobCreateRequestResources.from_dict(_resources)

        _inputs = d.pop("inputs", UNSET)
        inputs: list[ApplicationJobCreateRequestInputsItem] | Unset = UNSET
        if _inputs is not UNSET:
            inputs = []
            for inputs_item_data in _inputs:
                inputs_item = ApplicationJobCreateRequestInputsItem.from_dict(
                    inputs_item_data
                )

                inputs.append(inputs_item)

        application_job_create_request = cls(
            application=application,
            server=server,
            credential=credential,
            parameters=parameters,
            title=title,
            resources=resources,
            inputs=inputs,
        )

        application_job_create_request.additional_properties = d
        return application_job_create_request

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
