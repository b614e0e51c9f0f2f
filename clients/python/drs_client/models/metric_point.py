from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.metric_point_values import MetricPointValues


T = TypeVar("T", bound="MetricPoint")


@_attrs_define
class MetricPoint:
    """
    Attributes:
        n (int): 1, 2, 3... in the order written.
        time (datetime.datetime): When the point was stored.
        values (MetricPointValues):
    """

    n: int
    time: datetime.datetime
    values: MetricPointValues
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        n = self.n

        time = self.time.isoformat()

        values = self.values.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "n": n,
                "time": time,
                "values": values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metric_point_values import MetricPointValues

        d = dict(src_dict)
        n = d.pop("n")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        values = MetricPointValues.from_dict(d.pop("values"))

        metric_point = cls(
            n=n,
            time=time,
            values=values,
        )

        metric_point.additional_properties = d
        return metric_point

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
