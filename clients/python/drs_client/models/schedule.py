from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.schedule_overlap_enum import ScheduleOverlapEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.schedule_run import ScheduleRun


T = TypeVar("T", bound="Schedule")


@_attrs_define
class Schedule:
    """
    Attributes:
        id (int):
        name (str):
        cron (str): 5 fields: minute hour day-of-month month day-of-week.
        job (Any): A body POST /api/jobs/ accepts; validated now and again at every run.
        next_run_at (datetime.datetime | None):
        next_runs (list[datetime.datetime]):
        last_job (None | UUID):
        last_runs (list[ScheduleRun]):
        created_at (datetime.datetime):
        timezone (str | Unset): IANA name the cron reads in (default UTC).
        overlap (ScheduleOverlapEnum | Unset): * `skip` - Skip a run while the previous run's job has not ended
            * `allow` - Create the job anyway
        enabled (bool | Unset):
    """

    id: int
    name: str
    cron: str
    job: Any
    next_run_at: datetime.datetime | None
    next_runs: list[datetime.datetime]
    last_job: None | UUID
    last_runs: list[ScheduleRun]
    created_at: datetime.datetime
    timezone: str | Unset = UNSET
    overlap: ScheduleOverlapEnum | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        cron = self.cron

        job = self.job

        next_run_at: None | str
        if isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        next_runs = []
        for next_runs_item_data in self.next_runs:
            next_runs_item = next_runs_item_data.isoformat()
            next_runs.append(next_runs_item)

        last_job: None | str
        if isinstance(self.last_job, UUID):
            last_job = str(self.last_job)
        else:
            last_job = self.last_job

        last_runs = []
        for last_runs_item_data in self.last_runs:
            last_runs_item = last_runs_item_data.to_dict()
            last_runs.append(last_runs_item)

        created_at = self.created_at.isoformat()

        timezone = self.timezone

        overlap: str | Unset = UNSET
        if not isinstance(self.overlap, Unset):
            overlap = self.overlap.value

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "cron": cron,
                "job": job,
                "next_run_at": next_run_at,
                "next_runs": next_runs,
                "last_job": last_job,
                "last_runs": last_runs,
                "created_at": created_at,
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
        from ..models.schedule_run import ScheduleRun

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        cron = d.pop("cron")

        job = d.pop("job")

        def _parse_next_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_run_at = _parse_next_run_at(d.pop("next_run_at"))

        next_runs = []
        _next_runs = d.pop("next_runs")
        for next_runs_item_data in _next_runs:
            next_runs_item = datetime.datetime.fromisoformat(next_runs_item_data)

            next_runs.append(next_runs_item)

        def _parse_last_job(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_job_type_0 = UUID(data)

                return last_job_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        last_job = _parse_last_job(d.pop("last_job"))

        last_runs = []
        _last_runs = d.pop("last_runs")
        for last_runs_item_data in _last_runs:
            last_runs_item = ScheduleRun.from_dict(last_runs_item_data)

            last_runs.append(last_runs_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        timezone = d.pop("timezone", UNSET)

        _overlap = d.pop("overlap", UNSET)
        overlap: ScheduleOverlapEnum | Unset
        if isinstance(_overlap, Unset):
            overlap = UNSET
        else:
            overlap = ScheduleOverlapEnum(_overlap)

        enabled = d.pop("enabled", UNSET)

        schedule = cls(
            id=id,
            name=name,
            cron=cron,
            job=job,
            next_run_at=next_run_at,
            next_runs=next_runs,
            last_job=last_job,
            last_runs=last_runs,
            created_at=created_at,
            timezone=timezone,
            overlap=overlap,
            enabled=enabled,
        )

        schedule.additional_properties = d
        return schedule

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
