"""Constants of the XiVO XuC integration."""

import logging
from typing import Final

DOMAIN: Final = "xuc"
LOGGER = logging.getLogger(__package__)

CONF_AGENT_PHONE_NUMBER: Final = "agent_phone_number"
CONF_USER_ID: Final = "user_id"
CONF_CONFIG_ENTRY_ID: Final = "config_entry_id"

MANUFACTURER: Final = "XiVO"

# Presence status names with a translation, shared by the presence select and
# the pause reason (XiVO's pause reasons are presence statuses).
KNOWN_PRESENCES: Final = frozenset(
    {"available", "away", "berightback", "donotdisturb", "outtolunch", "disconnected"}
)
