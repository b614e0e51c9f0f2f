from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.schedule_run_outcome_enum import ScheduleRunOutcomeEnum

T = TypeVar("T", bound="ScheduleRun")


@_attrs_define
class ScheduleRun:
    """
    Attributes:
        scheduled_for (datetime.datetime):
        created_at (datetime.datetime):
        outcome (ScheduleRunOutcomeEnum): * `created` - Job created
            * `skipped` - Skipped: the previous job was still running
            * `failed` - Could not create the job
        job (None | UUID):
        job_status (None | str):
        error (str):
    """

    scheduled_for: datetime.datetime
    created_at: datetime.datetime
    outcome: ScheduleRunOutcomeEnum
    job: None | UUID
    job_status: None | str
    error: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scheduled_for = self.scheduled_for.isoformat()

        created_at = self.created_at.isoformat()

        outcome = self.outcome.value

        job: None | str
        if isinstance(self.job, UUID):
            job = str(self.job)
        else:
            job = self.job

        job_status: None | str
        job_status = self.job_status

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "scheduled_for": scheduled_for,
                "created_at": created_at,
                "outcome": outcome,
                "job": job,
                "job_status": job_status,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        scheduled_for = datetime.datetime.fromisoformat(d.pop("scheduled_for"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        outcome = ScheduleRunOutcomeEnum(d.pop("outcome"))

        def _parse_job(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                job_type_0 = UUID(data)

                return job_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        job = _parse_job(d.pop("job"))

        def _parse_job_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        job_status = _parse_job_status(d.pop("job_status"))

        error = d.pop("error")

        schedule_run = cls(
            scheduled_for=scheduled_for,
            created_at=created_at,
            outcome=outcome,
            job=job,
            job_status=job_status,
            error=error,
        )

        schedule_run.additional_properties = d
        return schedule_run

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
