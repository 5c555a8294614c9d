"""Sensors of the XiVO XuC integration: line, voicemail, agent and queues."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, UnitOfTime
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioxuc import AgentState, PhoneStatus, XucSession
from .const import KNOWN_PRESENCES, MANUFACTURER
from .entity import XucEntity
from .hub import XucConfigEntry, XucHub

PARALLEL_UPDATES = 0
# Queue counters can change many times a second on a busy call centre; a wall
# screen needs no more than two writes a second for each of them.
QUEUE_WRITE_INTERVAL = 0.5

# Pause reason states besides the presence names.
NOT_PAUSED = "not_paused"
NO_REASON = "no_reason"

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
    """Describes a sensor of the user's device."""

    value_fn: Callable[[XucSession], str | int | None]


@dataclass(frozen=True, kw_only=True)
class XucQueueSensorEntityDescription(SensorEntityDescription):
    """Describes a queue counter; the first of `counters` the server sends wins.

    A sensor `always_created` exists for every queue; the others appear once
    the server sends their counter.
    """

    counters: tuple[str, ...]
    always_created: bool = False
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT


def _agent_state(session: XucSession) -> str | None:
    agent = session.agent
    return AGENT_STATES.get(agent.state) if agent else None


def _pause_reason(session: XucSession) -> str | None:
    """The reason of the pause: a translated name, else the server's long name."""
    agent = session.agent
    if agent is None:
        return None
    if agent.state is not AgentState.PAUSED:
        return NOT_PAUSED
    cause = agent.cause
    if not cause:
        return NO_REASON
    if cause in KNOWN_PRESENCES:
        return cause
    long_name = next(
        (
            status.long_name
            for status in session.presence_statuses
            if status.name == cause
        ),
        None,
    )
    return long_name or cause


SENSORS = (
    XucSensorEntityDescription(
        key="phone_status",
        translation_key="phone_status",
        device_class=SensorDeviceClass.ENUM,
        options=[
            status.value for status in PhoneStatus if status is not PhoneStatus.UNKNOWN
        ],
        value_fn=lambda session: session.phone_status,
    ),
    XucSensorEntityDescription(
        key="voicemail_new_messages",
        translation_key="voicemail_new_messages",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda session: session.voicemail.new,
    ),
    XucSensorEntityDescription(
        key="voicemail_old_messages",
        translation_key="voicemail_old_messages",
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        value_fn=lambda session: session.voicemail.old,
    ),
)

AGENT_SENSORS = (
    XucSensorEntityDescription(
        key="agent_state",
        translation_key="agent_state",
        device_class=SensorDeviceClass.ENUM,
        options=sorted(set(AGENT_STATES.values())),
        value_fn=_agent_state,
    ),
    XucSensorEntityDescription(
        key="agent_pause_reason",
        translation_key="agent_pause_reason",
        value_fn=_pause_reason,
    ),
)


QUEUE_SENSORS = (
    XucQueueSensorEntityDescription(
        key="waiting_calls",
        translation_key="waiting_calls",
        counters=("WaitingCalls",),
        always_created=True,
    ),
    XucQueueSensorEntityDescription(
        key="longest_wait_time",
        translation_key="longest_wait_time",
        counters=("LongestWaitTime", "LongestWaitingTime"),
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        always_created=True,
    ),
    XucQueueSensorEntityDescription(
        key="estimated_wait_time",
        translation_key="estimated_wait_time",
        counters=("EWT",),
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="logged_agents",
        translation_key="logged_agents",
        counters=("LoggedAgents",),
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="available_agents",
        translation_key="available_agents",
        counters=("AvailableAgents",),
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="talking_agents",
        translation_key="talking_agents",
        counters=("TalkingAgents",),
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="calls_entered",
        translation_key="calls_entered",
        counters=("TotalNumberCallsEntered",),
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="calls_answered",
        translation_key="calls_answered",
        counters=("TotalNumberCallsAnswered",),
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="calls_abandoned",
        translation_key="calls_abandoned",
        counters=("TotalNumberCallsAbandonned", "TotalNumberCallsAbandoned"),
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="calls_closed",
        translation_key="calls_closed",
        counters=("TotalNumberCallsClosed",),
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="calls_timed_out",
        translation_key="calls_timed_out",
        counters=("TotalNumberCallsTimeout",),
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="answered_share",
        translation_key="answered_share",
        counters=("PercentageAnsweredTotal",),
        native_unit_of_measurement=PERCENTAGE,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="answered_within_15s",
        translation_key="answered_within_15s",
        counters=("PercentageAnsweredBefore15",),
        native_unit_of_measurement=PERCENTAGE,
        entity_registry_enabled_default=False,
    ),
    XucQueueSensorEntityDescription(
        key="abandoned_after_15s",
        translation_key="abandoned_after_15s",
        counters=("PercentageAbandonnedAfter15", "PercentageAbandonedAfter15"),
        native_unit_of_measurement=PERCENTAGE,
        entity_registry_enabled_default=False,
    ),
)
_BY_COUNTER = {
    counter: description
    for description in QUEUE_SENSORS
    for counter in description.counters
}


def _other_counter(counter: str) -> XucQueueSensorEntityDescription:
    """Describe a counter this integration has no name for."""
    return XucQueueSensorEntityDescription(
        key=f"counter_{counter.lower()}",
        translation_key="queue_counter",
        translation_placeholders={"counter": counter},
        counters=(counter,),
        entity_registry_enabled_default=False,
    )


def _queue_descriptions(
    session: XucSession, queue_id: int
) -> Iterator[XucQueueSensorEntityDescription]:
    """The sensors a queue has: those always created, then one per counter sent."""
    yield from (
        description for description in QUEUE_SENSORS if description.always_created
    )
    for counter in session.queues.counters.get(queue_id, {}):
        description = _BY_COUNTER.get(counter) or _other_counter(counter)
        if not description.always_created:
            yield description


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the user's sensors, then agent and queue sensors as they appear."""
    hub = entry.runtime_data
    session = hub.session
    async_add_entities(XucSensor(hub, description) for description in SENSORS)

    @callback
    def _add_agent_sensors() -> None:
        """Add the agent's sensors once the user is known to be an agent."""
        if session.user.is_agent:
            unsubscribe()
            async_add_entities(
                XucSensor(hub, description) for description in AGENT_SENSORS
            )

    unsubscribe = session.subscribe_to("user", _add_agent_sensors)
    entry.async_on_unload(unsubscribe)
    _add_agent_sensors()

    created: set[tuple[int, str]] = set()

    @callback
    def _add_queue_sensors() -> None:
        listed = session.queues.queues
        created.difference_update({key for key in created if key[0] not in listed})
        new = [
            XucQueueSensor(hub, queue_id, description)
            for queue_id in listed
            for description in _queue_descriptions(session, queue_id)
            if (queue_id, description.key) not in created
        ]
        created.update(
            (sensor.queue_id, sensor.entity_description.key) for sensor in new
        )
        if new:
            async_add_entities(new)

    _add_queue_sensors()
    entry.async_on_unload(session.subscribe_to("queues", _add_queue_sensors))


class XucSensor(XucEntity, SensorEntity):
    """A sensor showing part of the user's state."""

    entity_description: XucSensorEntityDescription

    @property
    def native_value(self) -> str | int | None:
        """The sensor's value."""
        return self.entity_description.value_fn(self.session)

    def _value(self) -> object:
        """The native value: SensorEntity.state converts units, needlessly here."""
        return self.native_value


class XucQueueSensor(XucEntity, SensorEntity):
    """A counter of one queue, on the queue's own device."""

    entity_description: XucQueueSensorEntityDescription
    write_interval = QUEUE_WRITE_INTERVAL

    def __init__(
        self, hub: XucHub, queue_id: int, description: XucQueueSensorEntityDescription
    ) -> None:
        """Attach the sensor to the queue's device."""
        super().__init__(hub, description)
        self.queue_id = queue_id
        queue = hub.session.queues.queues[queue_id]
        self._attr_unique_id = (
            f"{hub.entry.entry_id}_queue_{queue_id}_{description.key}"
        )
        # An unnamed queue takes the translated "Queue {queue_id}".
        name = queue.display_name or queue.name
        self._attr_device_info = DeviceInfo(
            identifiers={hub.queue_identifier(queue_id)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=MANUFACTURER,
            model="Queue",
            name=name,
            translation_key=None if name else "queue",
            translation_placeholders={"queue_id": str(queue_id)},
        )

    async def async_added_to_hass(self) -> None:
        """Follow the queue's counters too."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.hub.session.subscribe_queue(self.queue_id, self._handle_update)
        )

    @property
    def available(self) -> bool:
        """Available while connected and the queue is listed."""
        return super().available and self.queue_id in self.session.queues.queues

    @property
    def native_value(self) -> float | None:
        """The counter's latest value."""
        counters = self.session.queues.counters.get(self.queue_id, {})
        for counter in self.entity_description.counters:
            if (value := counters.get(counter)) is not None:
                return int(value) if value.is_integer() else value
        return None

    def _value(self) -> object:
        """The native value: SensorEntity.state converts units, needlessly here."""
        return self.native_value
