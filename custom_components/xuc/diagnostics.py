"""Diagnostics of the XiVO XuC integration."""

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
import orjson

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
    """Turn an event or model into plain dictionaries and lists."""
    if value is None:
        return None
    return {"type": type(value).__name__, **orjson.loads(orjson.dumps(value))}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: XucConfigEntry
) -> dict[str, Any]:
    """Return the entry's configuration, connection and session state."""
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
                "user": _plain(session.user),
                "phone_status": session.phone_status,
                "voicemail": _plain(session.voicemail),
                "agent": _plain(session.agent),
                "presence": session.presence,
                "presence_statuses": [
                    _plain(status) for status in session.presence_statuses
                ],
                "line_configured": session.line_configured,
                "active_calls": [_plain(call) for call in session.calls.values()],
                "queues": [_plain(queue) for queue in session.queues.queues.values()],
                "queue_counters": {
                    str(queue_id): counters
                    for queue_id, counters in session.queues.counters.items()
                },
            },
        },
        TO_REDACT,
    )
