"""Config entry versions: version 2 is identified by the server's user id.

Version 1 entries were identified by host, port and username, so one account
reached two ways could be added twice. An entry moves to version 2 once the
user id is known: at start-up when the entry already stored it, else on the
first session that reports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback

from .const import CONF_USER_ID, DOMAIN, LOGGER

if TYPE_CHECKING:
    from .hub import XucConfigEntry

VERSION = 2


def account_id(user_id: int) -> str:
    """The unique id of the entry of one XiVO user."""
    return str(user_id)


@callback
def async_identify(hass: HomeAssistant, entry: XucConfigEntry, user_id: int) -> bool:
    """Move a version 1 entry to its user id; False if another entry has that id."""
    other = hass.config_entries.async_entry_for_domain_unique_id(
        DOMAIN, account_id(user_id)
    )
    if other is not None:
        LOGGER.warning(
            "%s is the same XiVO user as %s; delete one of the two entries",
            entry.title,
            other.title,
        )
        return False
    hass.config_entries.async_update_entry(
        entry,
        unique_id=account_id(user_id),
        data={**entry.data, CONF_USER_ID: user_id},
        version=VERSION,
    )
    return True
