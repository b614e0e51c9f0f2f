from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sweep_create_request_vary import SweepCreateRequestVary


T = TypeVar("T", bound="SweepCreateRequest")


@_attrs_define
class SweepCreateRequest:
    """
    Attributes:
        application (str): The application's name.
        server (int):
        credential (int): One of your credentials for this server.
        vary (SweepCreateRequestVary): Parameter name → its values; one job per combination (cartesian product).
        parameters (Any | Unset): Values every job of the sweep shares.
        title (str | Unset):  Default: ''.
    """

    application: str
    server: int
    credential: int
    vary: SweepCreateRequestVary
    parameters: Any | Unset = UNSET
    title: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        application = self.application

        server = self.server

        credential = self.credential

        vary = self.vary.to_dict()

        parameters = self.parameters

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "application": application,
                "server": server,
                "credential": credential,
                "vary": vary,
            }
        )
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sweep_create_request_vary import SweepCreateRequestVary

        d = dict(src_dict)
        application = d.pop("application")

        server = d.pop("server")

        credential = d.pop("credential")

        vary = SweepCreateRequestVary.from_dict(d.pop("vary"))

        parameters = d.pop("parameters", UNSET)

        title = d.pop("title", UNSET)

        sweep_create_request = cls(
            application=application,
            server=server,
            credential=credential,
            vary=vary,
            parameters=parameters,
            title=title,
        )

        sweep_create_request.additional_properties = d
        return sweep_create_request

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
