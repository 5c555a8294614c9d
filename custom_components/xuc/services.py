"""Actions of the XiVO XuC integration, aimed at a config entry."""

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, NamedTuple

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .aioxuc import CallHistoryEntry
from .const import CONF_AGENT_PHONE_NUMBER, CONF_CONFIG_ENTRY_ID, DOMAIN
from .hub import XucConfigEntry, XucHub
from .validation import (
    validate_digits,
    validate_history_days,
    validate_history_size,
    validate_phone_number,
    validate_reason,
    validate_unique_id,
    validate_variables,
    validation_error,
)

ATTR_DESTINATION = "destination"
ATTR_VARIABLES = "variables"
ATTR_UNIQUE_ID = "unique_id"
ATTR_REASON = "reason"
ATTR_PHONE_NUMBER = "phone_number"
ATTR_ATTENDED = "attended"
ATTR_DIGITS = "digits"
ATTR_SIZE = "size"
ATTR_DAYS = "days"

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


def _hub(call: ServiceCall) -> XucHub:
    """Return the hub of the entry the call names (or the only loaded one)."""
    hass = call.hass
    entry_id: str | None = call.data.get(CONF_CONFIG_ENTRY_ID)
    entry: XucConfigEntry | None
    if entry_id is None:
        loaded = hass.config_entries.async_loaded_entries(DOMAIN)
        if len(loaded) != 1:
            raise validation_error("config_entry_required")
        entry = loaded[0]
    else:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise validation_error("config_entry_not_found", entry_id=entry_id)
        if entry.state is not ConfigEntryState.LOADED:
            raise validation_error("config_entry_not_loaded", title=entry.title)
    return entry.runtime_data


def _agent_hub(call: ServiceCall) -> XucHub:
    hub = _hub(call)
    agent_id = hub.session.user.agent_id
    if agent_id is not None and agent_id <= 0:
        raise validation_error("not_an_agent")
    return hub


def _dial(hub: XucHub, call: ServiceCall) -> Awaitable[None]:
    given = call.data.get(ATTR_VARIABLES)
    return hub.session.dial(
        validate_phone_number(call.data[ATTR_DESTINATION]),
        None if given is None else validate_variables(given),
    )


def _login_agent(hub: XucHub, call: ServiceCall) -> Awaitable[None]:
    number = call.data.get(ATTR_PHONE_NUMBER) or hub.entry.options.get(
        CONF_AGENT_PHONE_NUMBER
    )
    if not number:
        raise validation_error("agent_phone_number_required")
    return hub.session.login_agent(validate_phone_number(number))


def _transfer(hub: XucHub, call: ServiceCall) -> Awaitable[None]:
    return hub.session.transfer(
        validate_phone_number(call.data[ATTR_DESTINATION]),
        attended=call.data[ATTR_ATTENDED],
    )


class _Action(NamedTuple):
    """How one action is validated, aimed and run on the session."""

    schema: vol.Schema
    resolve: Callable[[ServiceCall], XucHub]
    run: Callable[[XucHub, ServiceCall], Awaitable[None]]


ACTIONS = {
    "dial": _Action(DIAL_SCHEMA, _hub, _dial),
    "hangup": _Action(
        CALL_SCHEMA,
        _hub,
        lambda hub, call: hub.session.hangup(
            validate_unique_id(call.data.get(ATTR_UNIQUE_ID))
        ),
    ),
    "answer": _Action(
        CALL_SCHEMA,
        _hub,
        lambda hub, call: hub.session.answer(
            validate_unique_id(call.data.get(ATTR_UNIQUE_ID))
        ),
    ),
    "hold": _Action(
        CALL_SCHEMA,
        _hub,
        lambda hub, call: hub.session.hold(
            validate_unique_id(call.data.get(ATTR_UNIQUE_ID))
        ),
    ),
    "transfer": _Action(TRANSFER_SCHEMA, _hub, _transfer),
    "complete_transfer": _Action(
        ENTRY_SCHEMA, _hub, lambda hub, _call: hub.session.complete_transfer()
    ),
    "cancel_transfer": _Action(
        ENTRY_SCHEMA, _hub, lambda hub, _call: hub.session.cancel_transfer()
    ),
    "send_dtmf": _Action(
        DTMF_SCHEMA,
        _hub,
        lambda hub, call: hub.session.send_dtmf(
            validate_digits(call.data[ATTR_DIGITS])
        ),
    ),
    "pause_agent": _Action(
        PAUSE_SCHEMA,
        _agent_hub,
        lambda hub, call: hub.session.pause_agent(
            validate_reason(call.data.get(ATTR_REASON))
        ),
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
        raise validation_error("history_size_or_days")
    if days is not None:
        return {"days": validate_history_days(days)}
    size = DEFAULT_HISTORY_SIZE if size is None else size
    return {"size": validate_history_size(size)}


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
