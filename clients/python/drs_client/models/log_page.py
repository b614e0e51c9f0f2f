from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.log_chunk import LogChunk


T = TypeVar("T", bound="LogPage")


@_attrs_define
class LogPage:
    """
    Attributes:
        results (list[LogChunk]): In ascending seq order.
        next_after (int): Pass as `after` to read on: the last seq returned, or the `after` given (an empty `tail` page:
            the job's `last_seq`; an empty `before` page: before - 1).
        first_seq (int | None): Seq of the first result; pass as `before` to read back.
        has_earlier (bool): Chunks (of the chosen stream) exist before `first_seq`.
        complete (bool): The job has ended and no chunk (of the chosen stream) follows `next_after`.
        last_seq (int): The job's highest committed seq.
        line_count (int): Lines (newlines) in the log so far.
    """

    results: list[LogChunk]
    next_after: int
    first_seq: int | None
    has_earlier: bool
    complete: bool
    last_seq: int
    line_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_after = self.next_after

        first_seq: int | None
        first_seq = self.first_seq

        has_earlier = self.has_earlier

        complete = self.complete

        last_seq = self.last_seq

        line_count = self.line_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "next_after": next_after,
                "first_seq": first_seq,
                "has_earlier": has_earlier,
                "complete": complete,
                "last_seq": last_seq,
                "line_count": line_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.log_chunk import LogChunk

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = LogChunk.from_dict(results_item_data)

            results.append(results_item)

        next_after = d.pop("next_after")

        def _parse_first_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        first_seq = _parse_first_seq(d.pop("first_seq"))

        has_earlier = d.pop("has_earlier")

        complete = d.pop("complete")

        last_seq = d.pop("last_seq")

        line_count = d.pop("line_count")

        log_page = cls(
            results=results,
            next_after=next_after,
            first_seq=first_seq,
            has_earlier=has_earlier,
            complete=complete,
            last_seq=last_seq,
            line_count=line_count,
        )

        log_page.additional_properties = d
        return log_page

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
