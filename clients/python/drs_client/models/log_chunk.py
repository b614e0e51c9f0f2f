from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stream_enum import StreamEnum

T = TypeVar("T", bound="LogChunk")


@_attrs_define
class LogChunk:
    """
    Attributes:
        seq (int):
        stream (StreamEnum): * `stdout` - stdout
            * `stderr` - stderr
        offset (int): Byte offset of `data` in its stream.
        time (datetime.datetime):
        line (int): 0-based line number, in the combined log, where this chunk starts.
        data (str): UTF-8 text; invalid bytes replaced.
    """

    seq: int
    stream: StreamEnum
    offset: int
    time: datetime.datetime
    line: int
    data: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        stream = self.stream.value

        offset = self.offset

        time = self.time.isoformat()

        line = self.line

        data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "stream": stream,
                "offset": offset,
                "time": time,
                "line": line,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        seq = d.pop("seq")

        stream = StreamEnum(d.pop("stream"))

        offset = d.pop("offset")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        line = d.pop("line")

        data = d.pop("data")

        log_chunk = cls(
            seq=seq,
            stream=stream,
            offset=offset,
            time=time,
            line=line,
            data=data,
        )

        log_chunk.additional_properties = d
        return log_chunk

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
