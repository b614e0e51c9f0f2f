from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobDeleted")


@_attrs_define
class JobDeleted:
    """
    Attributes:
        remote_directory_removed (bool): False when the job's host could not be reached: the directory stayed there.
        detail (str):
    """

    remote_directory_removed: bool
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        remote_directory_removed = self.remote_directory_removed

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "remote_directory_removed": remote_directory_removed,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        remote_directory_removed = d.pop("remote_directory_removed")

        detail = d.pop("detail")

        job_deleted = cls(
            remote_directory_removed=remote_directory_removed,
            detail=detail,
        )

        job_deleted.additional_properties = d
        return job_deleted

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
