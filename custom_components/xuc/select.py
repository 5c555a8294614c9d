"""Presence: the user's status among those the server offers."""

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import PresenceStatus
from .const import KNOWN_PRESENCES
from .entity import XucEntity
from .hub import XucConfigEntry

PARALLEL_UPDATES = 1

PRESENCE = SelectEntityDescription(key="presence", translation_key="presence")


def option_of(status: PresenceStatus) -> str:
    """The option shown for a status: its name when translated, else its long name."""
    if status.name in KNOWN_PRESENCES:
        return status.name
    return status.long_name or status.name


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the presence select."""
    async_add_entities([XucPresenceSelect(entry.runtime_data, PRESENCE)])


class XucPresenceSelect(XucEntity, SelectEntity):
    """The user's presence; changes follow the server's confirmation."""

    def _value(self) -> object:
        """The selected option and the options offered."""
        return self.current_option, self.session.presence_statuses

    @property
    def options(self) -> list[str]:
        """The statuses the server offers; the current one until they are listed."""
        listed = [option_of(status) for status in self.session.presence_statuses]
        current = self.current_option
        if current is not None and current not in listed:
            listed.append(current)
        return listed

    @property
    def current_option(self) -> str | None:
        """The user's current status, listed or not (unknown until pushed)."""
        current = self.session.presence
        for status in self.session.presence_statuses:
            if status.name == current:
                return option_of(status)
        return current

    async def async_select_option(self, option: str) -> None:
        """Ask the server to change the user's status (one of `options`)."""
        names = {
            option_of(status): status.name for status in self.session.presence_statuses
        }
        async with self._showing_server_state_on_error():
            await self.hub.async_command(
                self.hub.session.set_presence(names.get(option, option))
            )
