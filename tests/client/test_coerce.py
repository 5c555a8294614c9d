"""Tolerant conversions of decoded JSON values: fast paths and odd inputs alike."""

from enum import IntEnum

import pytest

from custom_components.xuc.aioxuc.coerce import as_bool, as_float, as_int, as_str


class Level(IntEnum):
    """An int subclass, as a caller's own enum would be."""

    HIGH = 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", "text"),
        ("null", None),
        (None, None),
        (True, None),
        (7, "7"),
        (2.5, "2.5"),
        ([1], None),
        ({"a": 1}, None),
    ],
)
def test_as_str(value: object, expected: str | None) -> None:
    """Strings and numbers become text; the rest, and "null", become None."""
    assert as_str(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
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
)
def test_as_int(value: object, expected: int | None) -> None:
    """Integral numbers within 64 bits, and integer text, become ints."""
    result = as_int(value)
    assert result == expected
    assert result is None or type(result) is int


@pytest.mark.parametrize(
    ("value", "expected"),
    [
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
)
def test_as_float(value: object, expected: float | None) -> None:
    """Finite numbers and numeric text become floats; overflow becomes None."""
    result = as_float(value)
    assert result == expected
    assert result is None or type(result) is float


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (0, False),
        (1, True),
        (2, None),
        (" Yes ", True),
        ("off", False),
        ("maybe", None),
        (None, None),
    ],
)
def test_as_bool(value: object, expected: bool | None) -> None:
    """Booleans, 0/1 and their usual spellings become booleans."""
    assert as_bool(value) is expected
