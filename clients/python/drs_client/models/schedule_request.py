from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.schedule_overlap_enum import ScheduleOverlapEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScheduleRequest")


@_attrs_define
class ScheduleRequest:
    """
    Attributes:
        name (str):
        cron (str): 5 fields: minute hour day-of-month month day-of-week.
        job (Any): A body POST /api/jobs/ accepts; validated now and again at every run.
        timezone (str | Unset): IANA name the cron reads in (default UTC).
        overlap (ScheduleOverlapEnum | Unset): * `skip` - Skip a run while the previous run's job has not ended
            * `allow` - Create the job anyway
        enabled (bool | Unset):
    """

    name: str
    cron: str
    job: Any
    timezone: str | Unset = UNSET
    overlap: ScheduleOverlapEnum | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        cron = self.cron

        job = self.job

        timezone = self.timezone

        overlap: str | Unset = UNSET
        if not isinstance(self.overlap, Unset):
            overlap = self.overlap.value

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "cron": cron,
                "job": job,
            }
        )
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if overlap is not UNSET:
            field_dict["overlap"] = overlap
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        cron = d.pop("cron")

        job = d.pop("job")

        timezone = d.pop("timezone", UNSET)

        _overlap = d.pop("overlap", UNSET)
        overlap: ScheduleOverlapEnum | Unset
        if isinstance(_overlap, Unset):
            overlap = UNSET
        else:
            overlap = ScheduleOverlapEnum(_overlap)

        enabled = d.pop("enabled", UNSET)

        schedule_request = cls(
            name=name,
            cron=cron,
            job=job,
            timezone=timezone,
            overlap=overlap,
            enabled=enabled,
        )

        schedule_request.additional_properties = d
        return schedule_request

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
