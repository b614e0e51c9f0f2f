from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stream_enum import StreamEnum

T = TypeVar("T", bound="LogSearchMatch")


@_attrs_define
class LogSearchMatch:
    """
    Attributes:
        line (int): 0-based line number in the combined log.
        seq (int): Seq of the chunk where the line starts.
        stream (StreamEnum): * `stdout` - stdout
            * `stderr` - stderr
        text (str): The line (at most 2000 characters, invalid UTF-8 replaced).
    """

    line: int
    seq: int
    stream: StreamEnum
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        line = self.line

        seq = self.seq

        stream = self.stream.value

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line": line,
                "seq": seq,
                "stream": stream,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        line = d.pop("line")

        seq = d.pop("seq")

        stream = StreamEnum(d.pop("stream"))

        text = d.pop("text")

        log_search_match = cls(
            line=line,
            seq=seq,
            stream=stream,
            text=text,
        )

        log_search_match.additional_properties = d
        return log_search_match

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
