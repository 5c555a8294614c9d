"""Switches: do-not-disturb and the three call forwardings."""

from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import commands
from .const import DOMAIN
from .entity import XucEntity
from .forwarding import FORWARDINGS, Forwarding
from .hub import Topic, XucConfigEntry

PARALLEL_UPDATES = 1

DND = SwitchEntityDescription(key="dnd", translation_key="dnd")


@dataclass(frozen=True, kw_only=True)
class XucForwardSwitchEntityDescription(SwitchEntityDescription):
    """Describes a forwarding switch."""

    forwarding: Forwarding


FORWARD_SWITCHES = tuple(
    XucForwardSwitchEntityDescription(
        key=f"forward_{forwarding.key}",
        translation_key=f"forward_{forwarding.key}",
        entity_category=EntityCategory.CONFIG,
        forwarding=forwarding,
    )
    for forwarding in FORWARDINGS
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up do-not-disturb and forwarding switches."""
    hub = entry.runtime_data
    async_add_entities(
        [
            XucDndSwitch(hub, DND),
            *(XucForwardSwitch(hub, description) for description in FORWARD_SWITCHES),
        ]
    )


class XucDndSwitch(XucEntity, SwitchEntity):
    """Do-not-disturb; its state is the server's, confirmed after each change."""

    topics = (Topic.USER,)

    @property
    def is_on(self) -> bool | None:
        """Whether do-not-disturb is on."""
        return self.hub.user.dnd_enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Ask the server to turn do-not-disturb on."""
        async with self._showing_server_state_on_error():
            await self.hub.async_send(commands.dnd(enabled=True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Ask the server to turn do-not-disturb off."""
        async with self._showing_server_state_on_error():
            await self.hub.async_send(commands.dnd(enabled=False))


class XucForwardSwitch(XucEntity, SwitchEntity):
    """Forwarding to the destination set in its text entity."""

    entity_description: XucForwardSwitchEntityDescription
    topics = (Topic.USER,)

    @property
    def is_on(self) -> bool | None:
        """Whether this forwarding is on."""
        return self.entity_description.forwarding.enabled(self.hub.user)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Forward to the current destination."""
        forwarding = self.entity_description.forwarding
        async with self._showing_server_state_on_error():
            if not forwarding.destination(self.hub.user):
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="forward_destination_required",
                )
            await self.hub.async_send(forwarding.frame(self.hub.user, enabled=True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop forwarding (the destination is kept)."""
        forwarding = self.entity_description.forwarding
        async with self._showing_server_state_on_error():
            await self.hub.async_send(forwarding.frame(self.hub.user, enabled=False))
