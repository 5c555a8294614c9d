"""Sensors of the XiVO XuC integration: line, voicemail and agent."""

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import AgentState, PhoneStatus
from .entity import XucEntity, async_when_agent
from .hub import Topic, XucConfigEntry, XucHub

PARALLEL_UPDATES = 0

AGENT_STATES = {
    AgentState.LOGGED_OUT: "logged_out",
    AgentState.LOGIN: "ready",
    AgentState.READY: "ready",
    AgentState.PAUSED: "paused",
    AgentState.RINGING: "ringing",
    AgentState.ON_CALL: "on_call",
    AgentState.DIALING: "dialing",
    AgentState.WRAPUP: "wrapup",
}


@dataclass(frozen=True, kw_only=True)
class XucSensorEntityDescription(SensorEntityDescription):
    """Describes a XuC sensor."""

    topic: Topic
    value_fn: Callable[[XucHub], str | int | None]


def _agent_state(hub: XucHub) -> str | None:
    return AGENT_STATES.get(hub.agent.state) if hub.agent else None


def _pause_reason(hub: XucHub) -> str | None:
    agent = hub.agent
    if agent is None or agent.state is not AgentState.PAUSED or not agent.cause:
        return None
    names = {status.name: status.long_name for status in hub.presence_statuses}
    return names.get(agent.cause) or agent.cause


SENSORS = (
    XucSensorEntityDescription(
        key="phone_status",
        translation_key="phone_status",
        device_class=SensorDeviceClass.ENUM,
        options=[
            status.value for status in PhoneStatus if status is not PhoneStatus.UNKNOWN
        ],
        topic=Topic.PHONE,
        value_fn=lambda hub: hub.phone_status,
    ),
    XucSensorEntityDescription(
        key="voicemail_new_messages",
        translation_key="voicemail_new_messages",
        state_class=SensorStateClass.MEASUREMENT,
        topic=Topic.VOICEMAIL,
        value_fn=lambda hub: hub.voicemail.new,
    ),
    XucSensorEntityDescription(
        key="voicemail_old_messages",
        translation_key="voicemail_old_messages",
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        topic=Topic.VOICEMAIL,
        value_fn=lambda hub: hub.voicemail.old,
    ),
)

AGENT_SENSORS = (
    XucSensorEntityDescription(
        key="agent_state",
        translation_key="agent_state",
        device_class=SensorDeviceClass.ENUM,
        options=sorted(set(AGENT_STATES.values())),
        topic=Topic.AGENT,
        value_fn=_agent_state,
    ),
    XucSensorEntityDescription(
        key="agent_pause_reason",
        translation_key="agent_pause_reason",
        topic=Topic.AGENT,
        value_fn=_pause_reason,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the sensors; agent sensors appear once the user is an agent."""
    hub = entry.runtime_data
    async_add_entities(XucSensor(hub, description) for description in SENSORS)

    @callback
    def _add_agent_sensors() -> None:
        async_add_entities(XucSensor(hub, description) for description in AGENT_SENSORS)

    async_when_agent(entry, _add_agent_sensors)


class XucSensor(XucEntity, SensorEntity):
    """A sensor showing part of the user's state."""

    entity_description: XucSensorEntityDescription

    def __init__(self, hub: XucHub, description: XucSensorEntityDescription) -> None:
        """Follow the description's topic."""
        super().__init__(hub, description)
        self.topics = (description.topic,)

    @property
    def native_value(self) -> str | int | None:
        """The sensor's value."""
        return self.entity_description.value_fn(self.hub)
