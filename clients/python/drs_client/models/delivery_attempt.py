from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_state_enum import DeliveryStateEnum

T = TypeVar("T", bound="DeliveryAttempt")


@_attrs_define
class DeliveryAttempt:
    """
    Attributes:
        id (int):
        delivery (UUID):
        event (str):
        state (DeliveryStateEnum): * `pending` - Pending
            * `delivered` - Delivered
            * `failed` - Failed (no attempts left)
        attempt (int):
        time (datetime.datetime):
        status_code (int | None):
        error (str):
        duration_ms (int):
        response_excerpt (str):
    """

    id: int
    delivery: UUID
    event: str
    state: DeliveryStateEnum
    attempt: int
    time: datetime.datetime
    status_code: int | None
    error: str
    duration_ms: int
    response_excerpt: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        delivery = str(self.delivery)

        event = self.event

        state = self.state.value

        attempt = self.attempt

        time = self.time.isoformat()

        status_code: int | None
        status_code = self.status_code

        error = self.error

        duration_ms = self.duration_ms

        response_excerpt = self.response_excerpt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "delivery": delivery,
                "event": event,
                "state": state,
                "attempt": attempt,
                "time": time,
                "status_code": status_code,
                "error": error,
                "duration_ms": duration_ms,
                "response_excerpt": response_excerpt,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        delivery = UUID(d.pop("delivery"))

        event = d.pop("event")

        state = DeliveryStateEnum(d.pop("state"))

        attempt = d.pop("attempt")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        error = d.pop("error")

        duration_ms = d.pop("duration_ms")

        response_excerpt = d.pop("response_excerpt")

        delivery_attempt = cls(
            id=id,
            delivery=delivery,
            event=event,
            state=state,
            attempt=attempt,
            time=time,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
            response_excerpt=response_excerpt,
        )

        delivery_attempt.additional_properties = d
        return delivery_attempt

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
