from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.credential_kind_enum import CredentialKindEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Credential")


@_attrs_define
class Credential:
    """Secrets are write-only: they go in, and never come back out.

    Attributes:
        id (int):
        server (int):
        username (str):
        kind (CredentialKindEnum): * `key` - Private key
            * `password` - Password
        public_key (str):
        created_at (datetime.datetime):
        name (str | Unset):
    """

    id: int
    server: int
    username: str
    kind: CredentialKindEnum
    public_key: str
    created_at: datetime.datetime
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        server = self.server

        username = self.username

        kind = self.kind.value

        public_key = self.public_key

        created_at = self.created_at.isoformat()

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "server": server,
                "username": username,
                "kind": kind,
                "public_key": public_key,
                "created_at": created_at,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        server = d.pop("server")

        username = d.pop("username")

        kind = CredentialKindEnum(d.pop("kind"))

        public_key = d.pop("public_key")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        name = d.pop("name", UNSET)

        credential = cls(
            id=id,
            server=server,
            username=username,
            kind=kind,
            public_key=public_key,
            created_at=created_at,
            name=name,
        )

        credential.additional_properties = d
        return credential

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
