"""Tolerant conversions of decoded JSON values: fast paths and odd inputs alike."""

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

import pytest

from aioxuc.coerce import as_bool, as_datetime, as_float, as_int, as_seconds, as_str


class Level(IntEnum):
    """An int subclass, as a caller's own enum would be."""

    HIGH = 3


CASES: dict[Callable[[object], object], list[tuple[object, object]]] = {
    # ISO 8601 text becomes a time; other wordings become None.
    as_datetime: [
        ("2024-01-01 10:00:00", datetime.fromisoformat("2024-01-01T10:00:00")),
        ("2024-01-01T10:00:00", datetime.fromisoformat("2024-01-01T10:00:00")),
        ("yesterday", None),
        (None, None),
        (1704103200, None),
    ],
    # "HH:MM:SS", "MM:SS" or plain seconds become seconds.
    as_seconds: [
        ("01:02:03", 3723),
        ("02:03", 123),
        ("45", 45),
        (45, 45),
        ("12.7", 12),
        ("inf", None),
        ("a:b", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
    # Strings and numbers become text; the rest, and "null", become None.
    as_str: [
        ("text", "text"),
        ("null", None),
        (None, None),
        (True, None),
        (7, "7"),
        (2.5, "2.5"),
        ([1], None),
        ({"a": 1}, None),
    ],
    # Integral numbers within 64 bits, and integer text, become ints.
    as_int: [
        (12, 12),
        (2**63 - 1, 2**63 - 1),
        (2**63, None),
        (-(2**63) - 1, None),
        (Level.HIGH, 3),
        (5.0, 5),
        (5.5, None),
        (" 7 ", 7),
        ("7.0", None),
        ("x", None),
        (True, None),
        (None, None),
        ([3], None),
    ],
    # Finite numbers and numeric text become floats; overflow becomes None.
    as_float: [
        (2.5, 2.5),
        (float("inf"), None),
        (float("nan"), None),
        (3, 3.0),
        (10**30, 1e30),
        (10**400, None),
        (Level.HIGH, 3.0),
        ("4.5", 4.5),
        (" -1e3 ", -1000.0),
        ("1e999", None),
        ("abc", None),
        (False, None),
        (None, None),
    ],
    # Booleans, 0/1 and their usual spellings become booleans.
    as_bool: [
        (True, True),
        (0, False),
        (1, True),
        (2, None),
        (" Yes ", True),
        ("off", False),
        ("maybe", None),
        (None, None),
    ],
}


@pytest.mark.parametrize(
    ("convert", "value", "expected"),
    [
        pytest.param(convert, value, expected, id=f"{convert.__name__}-{value!r}")
        for convert, cases in CASES.items()
        for value, expected in cases
    ],
)
def test_conversion(
    convert: Callable[[object], object], value: object, expected: object
) -> None:
    """Each value converts to the expected one, of exactly the expected type."""
    result = convert(value)
    assert result == expected
    assert type(result) is type(expected)
