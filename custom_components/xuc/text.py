"""Destinations of the three call forwardings."""

from dataclasses import dataclass

from homeassistant.components.text import TextEntity, TextEntityDescription, TextMode
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import Forward
from .entity import XucEntity
from .hub import XucConfigEntry
from .validation import MAX_NUMBER_LENGTH, validate_phone_number

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class XucForwardTextEntityDescription(TextEntityDescription):
    """Describes a forwarding destination."""

    forward: Forward


FORWARD_DESTINATIONS = tuple(
    XucForwardTextEntityDescription(
        key=f"forward_{forward}_destination",
        translation_key=f"forward_{forward}_destination",
        entity_category=EntityCategory.CONFIG,
        mode=TextMode.TEXT,
        native_max=MAX_NUMBER_LENGTH,
        forward=forward,
    )
    for forward in Forward
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the forwarding destinations."""
    hub = entry.runtime_data
    async_add_entities(
        XucForwardDestination(hub, description) for description in FORWARD_DESTINATIONS
    )


class XucForwardDestination(XucEntity, TextEntity):
    """Where one forwarding sends calls; an empty value turns it off."""

    entity_description: XucForwardTextEntityDescription

    @property
    def native_value(self) -> str | None:
        """The destination the server has."""
        return self.session.user.forwarding(self.entity_description.forward).destination

    async def async_set_value(self, value: str) -> None:
        """Change the destination, keeping the forwarding on or off."""
        forward = self.entity_description.forward
        async with self._showing_server_state_on_error():
            if value.strip():
                enabled = bool(self.session.user.forwarding(forward).enabled)
                destination = validate_phone_number(value)
            else:
                enabled, destination = False, ""
            await self.hub.async_command(
                self.hub.session.set_forwarding(
                    forward, enabled=enabled, destination=destination
                )
            )
