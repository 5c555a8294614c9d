"""Constants of the XiVO XuC integration."""

import logging
from typing import Final

DOMAIN: Final = "xuc"
LOGGER = logging.getLogger(__package__)

CONF_AGENT_PHONE_NUMBER: Final = "agent_phone_number"
CONF_USER_ID: Final = "user_id"
CONF_CONFIG_ENTRY_ID: Final = "config_entry_id"

MANUFACTURER: Final = "XiVO"
