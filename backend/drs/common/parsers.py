from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding  # type: ignore[attr-defined]

# A JSON string (escapes included), then anything that is not a bracket.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (0 for a scalar); linear, no recursion."""
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON that any part of DRS can hold: nested at most `DRS_MAX_JSON_DEPTH` deep (the
    standard parser recurses, and ~400 brackets overflowed its stack into a 500), and
    without lone surrogates (`"\\ud800"`), which no database can store."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        encoding = get_encoding(parser_context or {})
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - the body is not valid {encoding}.") from exc
        limit = settings.DRS_MAX_JSON_DEPTH
        if json_depth(text) > limit:
            raise ParseError(f"JSON parse error - nested deeper than {limit} levels.")
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if _has_surrogate(data):
            raise ParseError("JSON parse error - strings must be valid Unicode (lone surrogate).")
        return data
