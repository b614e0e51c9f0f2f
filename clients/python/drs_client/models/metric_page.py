from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.metric_point import MetricPoint


T = TypeVar("T", bound="MetricPage")


@_attrs_define
class MetricPage:
    """
    Attributes:
        results (list[MetricPoint]): In ascending n order.
        next_after (int): Pass as `after` to read on: the last n returned, or the `after` given.
        complete (bool): The job has ended and no point follows `next_after`.
        invalid (int): Lines of the metrics file skipped as invalid.
        note (str): Set once points were no longer stored (the bound).
    """

    results: list[MetricPoint]
    next_after: int
    complete: bool
    invalid: int
    note: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_after = self.next_after

        complete = self.complete

        invalid = self.invalid

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "next_after": next_after,
                "complete": complete,
                "invalid": invalid,
                "note": note,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metric_point import MetricPoint

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = MetricPoint.from_dict(results_item_data)

            results.append(results_item)

        next_after = d.pop("next_after")

        complete = d.pop("complete")

        invalid = d.pop("invalid")

        note = d.pop("note")

        metric_page = cls(
            results=results,
            next_after=next_after,
            complete=complete,
            invalid=invalid,
            note=note,
        )

        metric_page.additional_properties = d
        return metric_page

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
