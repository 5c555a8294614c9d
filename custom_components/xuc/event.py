"""Call events: one per PhoneEvent the server sends."""

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import PhoneEvent, PhoneEventType
from .entity import XucEntity
from .hub import XucConfigEntry

PARALLEL_UPDATES = 0

EVENT_TYPES = {
    PhoneEventType.RINGING: "ringing",
    PhoneEventType.DIALING: "dialing",
    PhoneEventType.ESTABLISHED: "answered",
    PhoneEventType.ON_HOLD: "on_hold",
    PhoneEventType.RELEASED: "ended",
}
USER_DATA_PREFIX = "USR_"

CALL = EventEntityDescription(
    key="call", translation_key="call", event_types=list(EVENT_TYPES.values())
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the call event entity."""
    async_add_entities([XucCallEvent(entry.runtime_data, CALL)])


class XucCallEvent(XucEntity, EventEntity):
    """Fires on every change of a call on the user's line."""

    def _value(self) -> object:
        """Nothing of the session's: each call writes the state itself."""
        return None

    async def async_added_to_hass(self) -> None:
        """Listen to the line's calls."""
        await super().async_added_to_hass()
        self.async_on_remove(self.hub.session.subscribe_calls(self._handle_call))

    @callback
    def _handle_call(self, event: PhoneEvent) -> None:
        event_type = EVENT_TYPES.get(event.event_type)
        if event_type is None:
            return
        self._trigger_event(
            event_type,
            {
                "other_number": event.other_dn,
                "other_name": event.other_name,
                "unique_id": event.unique_id,
                "linked_id": event.linked_id,
                "queue": event.queue_name,
                "direction": event.direction,
                "variables": {
                    key.removeprefix(USER_DATA_PREFIX): value
                    for key, value in event.user_data.items()
                    if key.startswith(USER_DATA_PREFIX)
                },
            },
        )
        # Written even when the time (in milliseconds) did not move on.
        self.async_write_ha_state()
