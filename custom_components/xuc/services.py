"""Actions of the XiVO XuC integration, aimed at a config entry."""

from collections.abc import Callable, Coroutine, Mapping
import re
from typing import Any, NamedTuple

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .aioxuc import Command, commands
from .const import CONF_AGENT_PHONE_NUMBER, CONF_CONFIG_ENTRY_ID, DOMAIN
from .hub import XucConfigEntry, XucHub

ATTR_DESTINATION = "destination"
ATTR_VARIABLES = "variables"
ATTR_UNIQUE_ID = "unique_id"
ATTR_REASON = "reason"
ATTR_PHONE_NUMBER = "phone_number"

# Characters people write in phone numbers that the server must not see.
_NUMBER_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_NUMBER = re.compile(r"[0-9+*#]{1,40}")
_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_UNIQUE_ID = re.compile(r"[\w.@-]{1,64}")
MAX_VARIABLE_LENGTH = 256
MAX_REASON_LENGTH = 64

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


def _variables(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _invalid("invalid_variables")
    variables = {}
    for name, item in value.items():
        if not (isinstance(name, str) and _VARIABLE_NAME.fullmatch(name)):
            raise _invalid("invalid_variables")
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise _invalid("invalid_variables")
        text = str(item)
        if len(text) > MAX_VARIABLE_LENGTH:
            raise _invalid("invalid_variables")
        variables[name] = text
    return variables


def _unique_id(call: ServiceCall) -> str | None:
    value: str | None = call.data.get(ATTR_UNIQUE_ID)
    if value is not None and not _UNIQUE_ID.fullmatch(value):
        raise _invalid("invalid_unique_id")
    return value


def _reason(call: ServiceCall) -> str | None:
    value: str | None = call.data.get(ATTR_REASON)
    if value is not None and not 0 < len(value) <= MAX_REASON_LENGTH:
        raise _invalid("invalid_reason")
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
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="config_entry_not_loaded",
                translation_placeholders={"title": entry.title},
            )
    return entry.runtime_data


def _agent_hub(call: ServiceCall) -> XucHub:
    hub = _hub(call)
    agent_id = hub.user.agent_id
    if agent_id is not None and agent_id <= 0:
        raise _invalid("not_an_agent")
    return hub


def _dial(hub: XucHub, call: ServiceCall) -> Command:
    variables = call.data.get(ATTR_VARIABLES)
    return commands.dial(
        phone_number(call.data[ATTR_DESTINATION]),
        None if variables is None else _variables(variables),
    )


def _login_agent(hub: XucHub, call: ServiceCall) -> Command:
    number = call.data.get(ATTR_PHONE_NUMBER) or hub.entry.options.get(
        CONF_AGENT_PHONE_NUMBER
    )
    if not number:
        raise _invalid("agent_phone_number_required")
    return commands.agent_login(phone_number(number))


type CommandBuilder = Callable[[XucHub, ServiceCall], Command]


class _Action(NamedTuple):
    """How one action is validated, aimed and turned into a frame."""

    schema: vol.Schema
    resolve: Callable[[ServiceCall], XucHub]
    build: CommandBuilder


ACTIONS = {
    "dial": _Action(DIAL_SCHEMA, _hub, _dial),
    "hangup": _Action(
        CALL_SCHEMA, _hub, lambda _, call: commands.hangup(_unique_id(call))
    ),
    "answer": _Action(
        CALL_SCHEMA, _hub, lambda _, call: commands.answer(_unique_id(call))
    ),
    "hold": _Action(CALL_SCHEMA, _hub, lambda _, call: commands.hold(_unique_id(call))),
    "pause_agent": _Action(
        PAUSE_SCHEMA,
        _agent_hub,
        lambda _, call: commands.pause_agent(reason=_reason(call)),
    ),
    "unpause_agent": _Action(
        ENTRY_SCHEMA, _agent_hub, lambda _hub, _call: commands.unpause_agent()
    ),
    "logout_agent": _Action(
        ENTRY_SCHEMA, _agent_hub, lambda _hub, _call: commands.agent_logout()
    ),
    "login_agent": _Action(LOGIN_SCHEMA, _agent_hub, _login_agent),
}


def _handler(action: _Action) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    async def handle(call: ServiceCall) -> None:
        hub = action.resolve(call)
        await hub.async_send(action.build(hub, call))

    return handle


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, action in ACTIONS.items():
        hass.services.async_register(DOMAIN, name, _handler(action), action.schema)
