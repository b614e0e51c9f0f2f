from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.interpreter_status import InterpreterStatus


T = TypeVar("T", bound="CheckResult")


@_attrs_define
class CheckResult:
    """
    Attributes:
        ok (bool): Logged in and every interpreter starts.
        latency_ms (float | None): The login and `true`.
        error (str):
        interpreters (list[InterpreterStatus]): Each of the server's interpreters, checked after the login.
    """

    ok: bool
    latency_ms: float | None
    error: str
    interpreters: list[InterpreterStatus]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        latency_ms: float | None
        latency_ms = self.latency_ms

        error = self.error

        interpreters = []
        for interpreters_item_data in self.interpreters:
            interpreters_item = interpreters_item_data.to_dict()
            interpreters.append(interpreters_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "latency_ms": latency_ms,
                "error": error,
                "interpreters": interpreters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.interpreter_status import InterpreterStatus

        d = dict(src_dict)
        ok = d.pop("ok")

        def _parse_latency_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms"))

        error = d.pop("error")

        interpreters = []
        _interpreters = d.pop("interpreters")
        for interpreters_item_data in _interpreters:
            interpreters_item = InterpreterStatus.from_dict(interpreters_item_data)

            interpreters.append(interpreters_item)

        check_result = cls(
            ok=ok,
            latency_ms=latency_ms,
            error=error,
            interpreters=interpreters,
        )

        check_result.additional_properties = d
        return check_result

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
