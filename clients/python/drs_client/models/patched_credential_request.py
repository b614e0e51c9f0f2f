from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.credential_kind_enum import CredentialKindEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchedCredentialRequest")


@_attrs_define
class PatchedCredentialRequest:
    """Secrets are write-only: they go in, and never come back out.

    Attributes:
        server (int | Unset):
        name (str | Unset):
        username (str | Unset):
        kind (CredentialKindEnum | Unset): * `key` - Private key
            * `password` - Password
        private_key (str | Unset): OpenSSH or PEM private key text (kind `key`).
        passphrase (str | Unset):
        password (str | Unset): Login password (kind `password`).
    """

    server: int | Unset = UNSET
    name: str | Unset = UNSET
    username: str | Unset = UNSET
    kind: CredentialKindEnum | Unset = UNSET
    private_key: str | Unset = UNSET
    passphrase: str | Unset = UNSET
    password: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        server = self.server

        name = self.name

        username = self.username

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        private_key = self.private_key

        passphrase = self.passphrase

        password = self.password

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if server is not UNSET:
            field_dict["server"] = server
        if name is not UNSET:
            field_dict["name"] = name
        if username is not UNSET:
            field_dict["username"] = username
        if kind is not UNSET:
            field_dict["kind"] = kind
        if private_key is not UNSET:
            field_dict["private_key"] = private_key
        if passphrase is not UNSET:
            field_dict["passphrase"] = passphrase
        if password is not UNSET:
            field_dict["password"] = password

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        server = d.pop("server", UNSET)

        name = d.pop("name", UNSET)

        username = d.pop("username", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: CredentialKindEnum | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = CredentialKindEnum(_kind)

        private_key = d.pop("private_key", UNSET)

        passphrase = d.pop("passphrase", UNSET)

        password = d.pop("password", UNSET)

        patched_credential_request = cls(
            server=server,
            name=name,
            username=username,
            kind=kind,
            private_key=private_key,
            passphrase=passphrase,
            password=password,
        )

        patched_credential_request.additional_properties = d
        return patched_credential_request

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
