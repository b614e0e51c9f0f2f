from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sweep_status_counts import SweepStatusCounts


T = TypeVar("T", bound="Sweep")


@_attrs_define
class Sweep:
    """
    Attributes:
        id (UUID):
        application (str):
        application_title (str):
        title (str):
        server (int):
        server_name (str):
        credential (int | None):
        parameters (Any):
        vary (Any):
        count (int):
        status_counts (SweepStatusCounts):
        created_at (datetime.datetime):
    """

    id: UUID
    application: str
    application_title: str
    title: str
    server: int
    server_name: str
    credential: int | None
    parameters: Any
    vary: Any
    count: int
    status_counts: SweepStatusCounts
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        application = self.application

        application_title = self.application_title

        title = self.title

        server = self.server

        server_name = self.server_name

        credential: int | None
        credential = self.credential

        parameters = self.parameters

        vary = self.vary

        count = self.count

        status_counts = self.status_counts.to_dict()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "application": application,
                "application_title": application_title,
                "title": title,
                "server": server,
                "server_name": server_name,
                "credential": credential,
                "parameters": parameters,
                "vary": vary,
                "count": count,
                "status_counts": status_counts,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sweep_status_counts import SweepStatusCounts

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        application = d.pop("application")

        application_title = d.pop("application_title")

        title = d.pop("title")

        server = d.pop("server")

        server_name = d.pop("server_name")

        def _parse_credential(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        credential = _parse_credential(d.pop("credential"))

        parameters = d.pop("parameters")

        vary = d.pop("vary")

        count = d.pop("count")

        status_counts = SweepStatusCounts.from_dict(d.pop("status_counts"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        sweep = cls(
            id=id,
            application=application,
            application_title=application_title,
            title=title,
            server=server,
            server_name=server_name,
            credential=credential,
            parameters=parameters,
            vary=vary,
            count=count,
            status_counts=status_counts,
            created_at=created_at,
        )

        sweep.additional_properties = d
        return sweep

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
