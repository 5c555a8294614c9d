"""Destinations of the three call forwardings."""

from dataclasses import dataclass

from homeassistant.components.text import TextEntity, TextEntityDescription, TextMode
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import XucEntity
from .forwarding import FORWARDINGS, Forwarding
from .hub import Topic, XucConfigEntry
from .validation import MAX_NUMBER_LENGTH, validate_phone_number

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class XucForwardTextEntityDescription(TextEntityDescription):
    """Describes a forwarding destination."""

    forwarding: Forwarding


FORWARD_DESTINATIONS = tuple(
    XucForwardTextEntityDescription(
        key=f"forward_{forwarding.key}_destination",
        translation_key=f"forward_{forwarding.key}_destination",
        entity_category=EntityCategory.CONFIG,
        mode=TextMode.TEXT,
        native_max=MAX_NUMBER_LENGTH,
        forwarding=forwarding,
    )
    for forwarding in FORWARDINGS
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
    topics = (Topic.USER,)

    @property
    def native_value(self) -> str | None:
        """The destination the server has."""
        return self.entity_description.forwarding.destination(self.hub.user)

    async def async_set_value(self, value: str) -> None:
        """Change the destination, keeping the forwarding on or off."""
        user = self.hub.user
        forwarding = self.entity_description.forwarding
        async with self._showing_server_state_on_error():
            if not value.strip():
                frame = forwarding.frame(user, enabled=False, destination="")
            else:
                frame = forwarding.frame(
                    user,
                    enabled=bool(forwarding.enabled(user)),
                    destination=validate_phone_number(value),
                )
            await self.hub.async_send(frame)
