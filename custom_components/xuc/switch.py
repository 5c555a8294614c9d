"""Switches: do-not-disturb and the three call forwardings."""

from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import Forward
from .entity import XucEntity
from .hub import XucConfigEntry
from .validation import validation_error

PARALLEL_UPDATES = 1

DND = SwitchEntityDescription(key="dnd", translation_key="dnd")


@dataclass(frozen=True, kw_only=True)
class XucForwardSwitchEntityDescription(SwitchEntityDescription):
    """Describes a forwarding switch."""

    forward: Forward


FORWARD_SWITCHES = tuple(
    XucForwardSwitchEntityDescription(
        key=f"forward_{forward}",
        translation_key=f"forward_{forward}",
        entity_category=EntityCategory.CONFIG,
        forward=forward,
    )
    for forward in Forward
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

    @property
    def is_on(self) -> bool | None:
        """Whether do-not-disturb is on."""
        return self.session.user.dnd_enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Ask the server to turn do-not-disturb on."""
        async with self._showing_server_state_on_error():
            await self.hub.async_command(self.hub.session.set_dnd(enabled=True))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Ask the server to turn do-not-disturb off."""
        async with self._showing_server_state_on_error():
            await self.hub.async_command(self.hub.session.set_dnd(enabled=False))


class XucForwardSwitch(XucEntity, SwitchEntity):
    """Forwarding to the destination set in its text entity."""

    entity_description: XucForwardSwitchEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Whether this forwarding is on."""
        return self.session.user.forwarding(self.entity_description.forward).enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Forward to the current destination."""
        forward = self.entity_description.forward
        async with self._showing_server_state_on_error():
            if not self.session.user.forwarding(forward).destination:
                raise validation_error("forward_destination_required")
            await self.hub.async_command(
                self.hub.session.set_forwarding(forward, enabled=True)
            )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop forwarding (the destination is kept)."""
        forward = self.entity_description.forward
        async with self._showing_server_state_on_error():
            await self.hub.async_command(
                self.hub.session.set_forwarding(forward, enabled=False)
            )
