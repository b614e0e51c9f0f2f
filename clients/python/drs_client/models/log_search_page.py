from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.log_search_match import LogSearchMatch


T = TypeVar("T", bound="LogSearchPage")


@_attrs_define
class LogSearchPage:
    """
    Attributes:
        results (list[LogSearchMatch]):
        count (int): Matching lines in the whole log, up to the cap.
        capped (bool): There are more matches than `count`.
        next_cursor (int | None): Pass as `cursor` for the next page; null on the last.
    """

    results: list[LogSearchMatch]
    count: int
    capped: bool
    next_cursor: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        count = self.count

        capped = self.capped

        next_cursor: int | None
        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "count": count,
                "capped": capped,
                "next_cursor": next_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.log_search_match import LogSearchMatch

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = LogSearchMatch.from_dict(results_item_data)

            results.append(results_item)

        count = d.pop("count")

        capped = d.pop("capped")

        def _parse_next_cursor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        log_search_page = cls(
            results=results,
            count=count,
            capped=capped,
            next_cursor=next_cursor,
        )

        log_search_page.additional_properties = d
        return log_search_page

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
