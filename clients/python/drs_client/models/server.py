from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_kind_enum import ServerKindEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Server")


@_attrs_define
class Server:
    """A ModelSerializer whose generated text, integer and relation fields are strict.

    Attributes:
        id (int):
        name (str):
        host_key_fingerprint (str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        kind (ServerKindEnum | Unset): * `ssh` - SSH
            * `local` - Local (worker host)
        hostname (str | Unset):
        port (int | Unset):
        host_key (str | Unset): Pinned OpenSSH public key line of the host. Empty: not trusted, jobs refused.
        jobs_directory (str | Unset): Where job directories are created; relative paths start at the login home.
        interpreters (list[int] | Unset):
        max_concurrent_jobs (int | Unset):
        enabled (bool | Unset):
    """

    id: int
    name: str
    host_key_fingerprint: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    kind: ServerKindEnum | Unset = UNSET
    hostname: str | Unset = UNSET
    port: int | Unset = UNSET
    host_key: str | Unset = UNSET
    jobs_directory: str | Unset = UNSET
    interpreters: list[int] | Unset = UNSET
    max_concurrent_jobs: int | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        host_key_fingerprint = self.host_key_fingerprint

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        hostname = self.hostname

        port = self.port

        host_key = self.host_key

        jobs_directory = self.jobs_directory

        interpreters: list[int] | Unset = UNSET
        if not isinstance(self.interpreters, Unset):
            interpreters = self.interpreters

        max_concurrent_jobs = self.max_concurrent_jobs

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "host_key_fingerprint": host_key_fingerprint,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if hostname is not UNSET:
            field_dict["hostname"] = hostname
        if port is not UNSET:
            field_dict["port"] = port
        if host_key is not UNSET:
            field_dict["host_key"] = host_key
        if jobs_directory is not UNSET:
            field_dict["jobs_directory"] = jobs_directory
        if interpreters is not UNSET:
            field_dict["interpreters"] = interpreters
        if max_concurrent_jobs is not UNSET:
            field_dict["max_concurrent_jobs"] = max_concurrent_jobs
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        host_key_fingerprint = d.pop("host_key_fingerprint")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _kind = d.pop("kind", UNSET)
        kind: ServerKindEnum | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ServerKindEnum(_kind)

        hostname = d.pop("hostname", UNSET)

        port = d.pop("port", UNSET)

        host_key = d.pop("host_key", UNSET)

        jobs_directory = d.pop("jobs_directory", UNSET)

        interpreters = cast(list[int], d.pop("interpreters", UNSET))

        max_concurrent_jobs = d.pop("max_concurrent_jobs", UNSET)

        enabled = d.pop("enabled", UNSET)

        server = cls(
            id=id,
            name=name,
            host_key_fingerprint=host_key_fingerprint,
            created_at=created_at,
            updated_at=updated_at,
            kind=kind,
            hostname=hostname,
            port=port,
            host_key=host_key,
            jobs_directory=jobs_directory,
            interpreters=interpreters,
            max_concurrent_jobs=max_concurrent_jobs,
            enabled=enabled,
        )

        server.additional_properties = d
        return server

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
