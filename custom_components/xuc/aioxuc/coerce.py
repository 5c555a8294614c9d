"""Tolerant conversions from decoded JSON values to Python types.

The server's field types are not fixed by any specification: numbers may come
as strings, booleans as "true", absent values as null or the string "null".
Each helper returns None for a value it cannot convert, never raises.
"""

from collections.abc import Mapping
from datetime import datetime
import math
import re
from typing import Any

# Checked before converting, so that text that is not a number costs no exception.
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_DECIMAL = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
# Larger numbers are no counter or id of XuC's, and JSON encoders refuse them.
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def as_str(value: object) -> str | None:
    """Return text for strings and numbers, None otherwise (and for "null")."""
    if isinstance(value, str):
        return None if value == "null" else value
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return str(value)


def as_int(value: object) -> int | None:
    """Return a 64-bit integer for integral numbers and numeric strings."""
    if type(value) is int:  # JSON integers: the fast path
        number = value
    elif value is not None and (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
        or (isinstance(value, str) and _INTEGER.fullmatch(value))
    ):
        number = int(value)
    else:
        return None
    return number if _INT64_MIN <= number <= _INT64_MAX else None


def as_float(value: object) -> float | None:
    """Return a finite float for numbers and numeric strings."""
    if type(value) is float:  # JSON numbers: the fast paths
        return value if math.isfinite(value) else None
    if type(value) is int and _INT64_MIN <= value <= _INT64_MAX:
        return float(value)
    if isinstance(value, bool) or not (
        isinstance(value, int | float)
        or (isinstance(value, str) and _DECIMAL.fullmatch(value))
    ):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def as_bool(value: object) -> bool | None:
    """Return a boolean for booleans, 0/1 and their usual spellings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


def as_mapping(value: object) -> Mapping[str, Any]:
    """Return the value when it is a JSON object, an empty mapping otherwise."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """Return the value when it is a JSON array, an empty list otherwise."""
    return value if isinstance(value, list) else []


def as_str_mapping(value: object) -> dict[str, str]:
    """Return the textual entries of a JSON object."""
    return {
        key: text
        for key, item in as_mapping(value).items()
        if (text := as_str(item)) is not None
    }


def as_datetime(value: object) -> datetime | None:
    """Return the time an ISO 8601 text ("2024-01-01 10:00:00") names."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def as_seconds(value: object) -> int | None:
    """Return the seconds of an "HH:MM:SS" (or plain seconds) duration."""
    text = as_str(value)
    if not text:
        return None
    seconds = 0
    for part in text.split(":"):
        number = as_float(part)
        if number is None or number < 0:
            return None
        seconds = seconds * 60 + int(number)
    return seconds
