"""Actions of the XiVO XuC integration, aimed at a config entry."""

from collections.abc import Awaitable, Callable, Coroutine, Mapping
import re
from typing import Any, NamedTuple

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .aioxuc import CallHistoryEntry
from .const import CONF_AGENT_PHONE_NUMBER, CONF_CONFIG_ENTRY_ID, DOMAIN
from .hub import XucConfigEntry, XucHub

ATTR_DESTINATION = "destination"
ATTR_VARIABLES = "variables"
ATTR_UNIQUE_ID = "unique_id"
ATTR_REASON = "reason"
ATTR_PHONE_NUMBER = "phone_number"
ATTR_ATTENDED = "attended"
ATTR_DIGITS = "digits"
ATTR_SIZE = "size"
ATTR_DAYS = "days"

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
DEFAULT_HISTORY_SIZE = 10

_ENTRY: dict[vol.Marker, Any] = {vol.Optional(CONF_CONFIG_ENTRY_ID): cv.string}
DIAL_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_DESTINATION): cv.string,
        vol.Optional(ATTR_VARIABLES): object,
    }
)
CALL_SCHEMA = vol.Schema({**_ENTRY, vol.Optional(ATTR_UNIQUE_ID): cv.string})
PAUSE_SCHEMA = vol.Schema({**_ENTRY, vol.Optional(ATTR_REASON): cv.string})
LOGIN_SCHEMA = vol.Schema({**_ENTRY, vol.Optional(ATTR_PHONE_NUMBER): cv.string})
ENTRY_SCHEMA = vol.Schema(_ENTRY)
TRANSFER_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_DESTINATION): cv.string,
        vol.Optional(ATTR_ATTENDED, default=False): cv.boolean,
    }
)
DTMF_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_DIGITS): cv.string})
HISTORY_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Optional(ATTR_SIZE): vol.Coerce(int),
        vol.Optional(ATTR_DAYS): vol.Coerce(int),
    }
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def phone_number(value: str) -> str:
    """Return a dialable number, or raise a translated validation error."""
    cleaned = _NUMBER_SEPARATORS.sub("", value)
    if not _PHONE_NUMBER.fullmatch(cleaned):
        raise _invalid("invalid_phone_number", number=value[:50])
    return cleaned


def _encodable(text: str) -> bool:
    """Whether the text can be sent (lone surrogates from templates cannot)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def variables(value: object) -> dict[str, str]:
    """Return call variables as text, or raise a translated validation error."""
    if not isinstance(value, Mapping):
        raise _invalid("invalid_variables")
    checked = {}
    for name, item in value.items():
        if not (isinstance(name, str) and _VARIABLE_NAME.fullmatch(name)):
            raise _invalid("invalid_variables")
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise _invalid("invalid_variables")
        text = str(item)
        if len(text) > MAX_VARIABLE_LENGTH or not _encodable(text):
            raise _invalid("invalid_variables")
        checked[name] = text
    return checked


def unique_id(call: ServiceCall) -> str | None:
    """Return the call's optional unique id, or raise a validation error."""
    value: str | None = call.data.get(ATTR_UNIQUE_ID)
    if value is not None and not _UNIQUE_ID.fullmatch(value):
        raise _invalid("invalid_unique_id")
    return value


def reason(call: ServiceCall) -> str | None:
    """Return the optional pause reason, or raise a validation error."""
    value: str | None = call.data.get(ATTR_REASON)
    if value is not None and not (
        0 < len(value) <= MAX_REASON_LENGTH and _encodable(value)
    ):
        raise _invalid("invalid_reason")
    return value


def digits(call: ServiceCall) -> str:
    """Return the DTMF digits to send, or raise a validation error."""
    value = str(call.data[ATTR_DIGITS]).upper()
    if not _DIGITS.fullmatch(value):
        raise _invalid("invalid_digits")
    return value


def _hub(call: ServiceCall) -> XucHub:
    """Return the hub of the entry the call names (or the only loaded one)."""
    hass = call.hass
    entry_id: str | None = call.data.get(CONF_CONFIG_ENTRY_ID)
    entry: XucConfigEntry | None
    if entry_id is None:
        loaded = hass.config_entries.async_loaded_entries(DOMAIN)
        if len(loaded) != 1:
            raise _invalid("config_entry_required")
        entry = loaded[0]
    else:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise _invalid("config_entry_not_found", entry_id=entry_id)
        if entry.state is not ConfigEntryState.LOADED:
            raise _invalid("config_entry_not_loaded", title=entry.title)
    return entry.runtime_data


def _agent_hub(call: ServiceCall) -> XucHub:
    hub = _hub(call)
    agent_id = hub.session.user.agent_id
    if agent_id is not None and agent_id <= 0:
        raise _invalid("not_an_agent")
    return hub


def _dial(hub: XucHub, call: ServiceCall) -> Awaitable[None]:
    given = call.data.get(ATTR_VARIABLES)
    return hub.session.dial(
        phone_number(call.data[ATTR_DESTINATION]),
        None if given is None else variables(given),
    )


def _login_agent(hub: XucHub, call: ServiceCall) -> Awaitable[None]:
    number = call.data.get(ATTR_PHONE_NUMBER) or hub.entry.options.get(
        CONF_AGENT_PHONE_NUMBER
    )
    if not number:
        raise _invalid("agent_phone_number_required")
    return hub.session.login_agent(phone_number(number))


def _transfer(hub: XucHub, call: ServiceCall) -> Awaitable[None]:
    return hub.session.transfer(
        phone_number(call.data[ATTR_DESTINATION]), attended=call.data[ATTR_ATTENDED]
    )


class _Action(NamedTuple):
    """How one action is validated, aimed and run on the session."""

    schema: vol.Schema
    resolve: Callable[[ServiceCall], XucHub]
    run: Callable[[XucHub, ServiceCall], Awaitable[None]]


ACTIONS = {
    "dial": _Action(DIAL_SCHEMA, _hub, _dial),
    "hangup": _Action(
        CALL_SCHEMA, _hub, lambda hub, call: hub.session.hangup(unique_id(call))
    ),
    "answer": _Action(
        CALL_SCHEMA, _hub, lambda hub, call: hub.session.answer(unique_id(call))
    ),
    "hold": _Action(
        CALL_SCHEMA, _hub, lambda hub, call: hub.session.hold(unique_id(call))
    ),
    "transfer": _Action(TRANSFER_SCHEMA, _hub, _transfer),
    "complete_transfer": _Action(
        ENTRY_SCHEMA, _hub, lambda hub, _call: hub.session.complete_transfer()
    ),
    "cancel_transfer": _Action(
        ENTRY_SCHEMA, _hub, lambda hub, _call: hub.session.cancel_transfer()
    ),
    "send_dtmf": _Action(
        DTMF_SCHEMA, _hub, lambda hub, call: hub.session.send_dtmf(digits(call))
    ),
    "pause_agent": _Action(
        PAUSE_SCHEMA,
        _agent_hub,
        lambda hub, call: hub.session.pause_agent(reason(call)),
    ),
    "unpause_agent": _Action(
        ENTRY_SCHEMA, _agent_hub, lambda hub, _call: hub.session.unpause_agent()
    ),
    "logout_agent": _Action(
        ENTRY_SCHEMA, _agent_hub, lambda hub, _call: hub.session.logout_agent()
    ),
    "login_agent": _Action(LOGIN_SCHEMA, _agent_hub, _login_agent),
}


def _handler(action: _Action) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    async def handle(call: ServiceCall) -> None:
        hub = action.resolve(call)
        await hub.async_command(action.run(hub, call))

    return handle


def _history_size_or_days(call: ServiceCall) -> dict[str, int]:
    size: int | None = call.data.get(ATTR_SIZE)
    days: int | None = call.data.get(ATTR_DAYS)
    if size is not None and days is not None:
        raise _invalid("history_size_or_days")
    if days is not None:
        if not 1 <= days <= MAX_HISTORY_DAYS:
            raise _invalid("invalid_history_days")
        return {"days": days}
    size = DEFAULT_HISTORY_SIZE if size is None else size
    if not 1 <= size <= MAX_HISTORY_SIZE:
        raise _invalid("invalid_history_size")
    return {"size": size}


def _name(first: str | None, last: str | None) -> str | None:
    return " ".join(part for part in (first, last) if part) or None


def history_item(entry: CallHistoryEntry) -> dict[str, Any]:
    """One call of the history, seen from the user's side."""
    outgoing = entry.status == "emitted"
    if outgoing:
        number, name = (
            entry.dst_number,
            _name(entry.dst_first_name, entry.dst_last_name),
        )
    else:
        number, name = (
            entry.src_number,
            _name(entry.src_first_name, entry.src_last_name),
        )
    return {
        "start": None if entry.start is None else entry.start.isoformat(),
        "direction": "outgoing" if outgoing else "incoming",
        "status": entry.status,
        "number": number,
        "name": name,
        "duration": entry.duration,
    }


async def _get_call_history(call: ServiceCall) -> ServiceResponse:
    hub = _hub(call)
    entries = await hub.async_command(
        hub.session.call_history(**_history_size_or_days(call))
    )
    return {"calls": [history_item(entry) for entry in entries]}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, action in ACTIONS.items():
        hass.services.async_register(DOMAIN, name, _handler(action), action.schema)
    hass.services.async_register(
        DOMAIN,
        "get_call_history",
        _get_call_history,
        HISTORY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
