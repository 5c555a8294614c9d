"""Do-not-disturb switch."""

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import commands
from .entity import XucEntity
from .hub import Topic, XucConfigEntry

PARALLEL_UPDATES = 1

DND = SwitchEntityDescription(key="dnd", translation_key="dnd")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the do-not-disturb switch."""
    async_add_entities([XucDndSwitch(entry.runtime_data, DND)])


class XucDndSwitch(XucEntity, SwitchEntity):
    """Do-not-disturb; its state is the server's, confirmed after each change."""

    topics = (Topic.USER,)

    @property
    def is_on(self) -> bool | None:
        """Whether do-not-disturb is on."""
        return self.hub.user.dnd_enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Ask the server to turn do-not-disturb on."""
        await self.hub.async_send(commands.dnd(enabled=True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Ask the server to turn do-not-disturb off."""
        await self.hub.async_send(commands.dnd(enabled=False))
