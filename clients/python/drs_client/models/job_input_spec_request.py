from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobInputSpecRequest")


@_attrs_define
class JobInputSpecRequest:
    """
    Attributes:
        file (None | Unset | UUID): An upload's id.
        result (int | None | Unset): A result of one of your earlier jobs.
        path (str | Unset): Where it goes, relative to the job directory (default: its base name).
    """

    file: None | Unset | UUID = UNSET
    result: int | None | Unset = UNSET
    path: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file: None | str | Unset
        if isinstance(self.file, Unset):
            file = UNSET
        elif isinstance(self.file, UUID):
            file = str(self.file)
        else:
            file = self.file

        result: int | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        else:
            result = self.result

        path = self.path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if file is not UNSET:
            field_dict["file"] = file
        if result is not UNSET:
            field_dict["result"] = result
        if path is not UNSET:
            field_dict["path"] = path

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_file(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                file_type_0 = UUID(data)

                return file_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        file = _parse_file(d.pop("file", UNSET))

        def _parse_result(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        path = d.pop("path", UNSET)

        job_input_spec_request = cls(
            file=file,
            result=result,
            path=path,
        )

        job_input_spec_request.additional_properties = d
        return job_input_spec_request

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
