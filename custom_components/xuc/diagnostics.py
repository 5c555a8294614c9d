"""Diagnostics of the XiVO XuC integration."""

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
import orjson

from .aioxuc import SESSION_STATE
from .const import CONF_AGENT_PHONE_NUMBER
from .hub import XucConfigEntry

# Secrets, and personal data: numbers and names of the user and their callers.
TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_AGENT_PHONE_NUMBER,
    "token",
    "full_name",
    "mobile_number",
    "na_fwd_destination",
    "unc_fwd_destination",
    "busy_fwd_destination",
    "dn",
    "other_dn",
    "other_name",
    "phone_number",
    "user_data",
    "raw",
    "payload",
    "src_number",
    "src_first_name",
    "src_last_name",
    "dst_number",
    "dst_first_name",
    "dst_last_name",
    "number",
    "mobile",
    "name",
}


def _plain(value: object) -> Any:
    """Turn the session's models and events into plain dictionaries and lists."""
    return orjson.loads(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: XucConfigEntry
) -> dict[str, Any]:
    """Return the entry's configuration, connection and the session's whole state."""
    session = entry.runtime_data.session
    client = session.client
    return async_redact_data(
        {
            "entry": {"data": dict(entry.data), "options": dict(entry.options)},
            "connection": {
                "state": client.state,
                "server": str(client.base_url),
                "stats": client.stats.as_dict(),
            },
            "state": {
                name: _plain(getattr(session, name)) for name in sorted(SESSION_STATE)
            },
        },
        TO_REDACT,
    )
