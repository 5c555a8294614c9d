"""Validation of what users type: actions, text entities and flows.

Each validator returns the value to send, or raises a translated
ServiceValidationError (the flows turn it into a form error).
"""

from collections.abc import Mapping
import re

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN

# Characters people write in phone numbers that the server must not see.
_NUMBER_SEPARATORS = re.compile(r"[\s.\-()]")
MAX_NUMBER_LENGTH = 40
_PHONE_NUMBER = re.compile(rf"[0-9+*#]{{1,{MAX_NUMBER_LENGTH}}}")
_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_UNIQUE_ID = re.compile(r"[\w.@-]{1,64}")
_DIGITS = re.compile(r"[0-9*#A-D]{1,32}")
MAX_VARIABLE_LENGTH = 256
MAX_REASON_LENGTH = 64
MAX_HISTORY_SIZE = 100
MAX_HISTORY_DAYS = 90


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated error about what the user asked for."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _encodable(text: str) -> bool:
    """Whether the text can be sent (lone surrogates from templates cannot)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def validate_phone_number(value: str) -> str:
    """Return a dialable number without its separators."""
    cleaned = _NUMBER_SEPARATORS.sub("", value)
    if not _PHONE_NUMBER.fullmatch(cleaned):
        raise validation_error("invalid_phone_number", number=value[:50])
    return cleaned


def validate_variables(value: object) -> dict[str, str]:
    """Return call variables as text."""
    if not isinstance(value, Mapping):
        raise validation_error("invalid_variables")
    checked = {}
    for name, item in value.items():
        if not (isinstance(name, str) and _VARIABLE_NAME.fullmatch(name)):
            raise validation_error("invalid_variables")
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise validation_error("invalid_variables")
        text = str(item)
        if len(text) > MAX_VARIABLE_LENGTH or not _encodable(text):
            raise validation_error("invalid_variables")
        checked[name] = text
    return checked


def validate_unique_id(value: str | None) -> str | None:
    """Return the optional unique id of a call."""
    if value is not None and not _UNIQUE_ID.fullmatch(value):
        raise validation_error("invalid_unique_id")
    return value


def validate_reason(value: str | None) -> str | None:
    """Return the optional pause reason."""
    if value is not None and not (
        0 < len(value) <= MAX_REASON_LENGTH and _encodable(value)
    ):
        raise validation_error("invalid_reason")
    return value


def validate_digits(value: object) -> str:
    """Return the DTMF keys to send, in upper case."""
    keys = str(value).upper()
    if not _DIGITS.fullmatch(keys):
        raise validation_error("invalid_digits")
    return keys


def validate_history_size(size: int) -> int:
    """Return how many calls of the history to read."""
    if not 1 <= size <= MAX_HISTORY_SIZE:
        raise validation_error("invalid_history_size")
    return size


def validate_history_days(days: int) -> int:
    """Return over how many days to read the history."""
    if not 1 <= days <= MAX_HISTORY_DAYS:
        raise validation_error("invalid_history_days")
    return days
