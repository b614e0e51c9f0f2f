from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobInput")


@_attrs_define
class JobInput:
    """
    Attributes:
        path (str):
        size (int):
        sha256 (str):
        file (None | UUID):
        result (int | None):
        result_job (None | str): The job the result came from.
        download_url (str):
    """

    path: str
    size: int
    sha256: str
    file: None | UUID
    result: int | None
    result_job: None | str
    download_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        size = self.size

        sha256 = self.sha256

        file: None | str
        if isinstance(self.file, UUID):
            file = str(self.file)
        else:
            file = self.file

        result: int | None
        result = self.result

        result_job: None | str
        result_job = self.result_job

        download_url = self.download_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "size": size,
                "sha256": sha256,
                "file": file,
                "result": result,
                "result_job": result_job,
                "download_url": download_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        size = d.pop("size")

        sha256 = d.pop("sha256")

        def _parse_file(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                file_type_0 = UUID(data)

                return file_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        file = _parse_file(d.pop("file"))

        def _parse_result(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        result = _parse_result(d.pop("result"))

        def _parse_result_job(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result_job = _parse_result_job(d.pop("result_job"))

        download_url = d.pop("download_url")

        job_input = cls(
            path=path,
            size=size,
            sha256=sha256,
            file=file,
            result=result,
            result_job=result_job,
            download_url=download_url,
        )

        job_input.additional_properties = d
        return job_input

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
