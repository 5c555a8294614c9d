"""Sensors of the XiVO XuC integration: line, voicemail, agent and queues."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

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

from .aioxuc import AgentState, PhoneStatus
from .const import KNOWN_PRESENCES, MANUFACTURER
from .entity import XucEntity, async_when
from .hub import Topic, XucConfigEntry, XucHub, queue_topic

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

    topic: Topic
    value_fn: Callable[[XucHub], str | int | None]


@dataclass(frozen=True, kw_only=True)
class XucQueueSensorEntityDescription(SensorEntityDescription):
    """Describes a queue counter; the first of `counters` the server sends wins."""

    counters: tuple[str, ...]
    always: bool = False


def _agent_state(hub: XucHub) -> str | None:
    return AGENT_STATES.get(hub.agent.state) if hub.agent else None


def _pause_reason(hub: XucHub) -> str | None:
    """The reason of the pause: a translated name, else the server's long name."""
    agent = hub.agent
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
        (status.long_name for status in hub.presence_statuses if status.name == cause),
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


def _queue_sensor(
    key: str, *counters: str, **options: Any
) -> XucQueueSensorEntityDescription:
    """Describe a queue counter: a measurement, disabled unless told otherwise."""
    return XucQueueSensorEntityDescription(
        key=key,
        counters=counters,
        **{
            "translation_key": key,
            "state_class": SensorStateClass.MEASUREMENT,
            "entity_registry_enabled_default": False,
            **options,
        },
    )


_SECONDS = {
    "device_class": SensorDeviceClass.DURATION,
    "native_unit_of_measurement": UnitOfTime.SECONDS,
}
_TOTAL = {"state_class": SensorStateClass.TOTAL_INCREASING}
_SHARE = {"native_unit_of_measurement": PERCENTAGE}
_MAIN = {"entity_registry_enabled_default": True, "always": True}

QUEUE_SENSORS = (
    _queue_sensor("waiting_calls", "WaitingCalls", **_MAIN),
    _queue_sensor(
        "longest_wait_time",
        "LongestWaitTime",
        "LongestWaitingTime",
        **_SECONDS,
        **_MAIN,
    ),
    _queue_sensor("estimated_wait_time", "EWT", **_SECONDS),
    _queue_sensor("logged_agents", "LoggedAgents"),
    _queue_sensor("available_agents", "AvailableAgents"),
    _queue_sensor("talking_agents", "TalkingAgents"),
    _queue_sensor("calls_entered", "TotalNumberCallsEntered", **_TOTAL),
    _queue_sensor("calls_answered", "TotalNumberCallsAnswered", **_TOTAL),
    _queue_sensor(
        "calls_abandoned",
        "TotalNumberCallsAbandonned",
        "TotalNumberCallsAbandoned",
        **_TOTAL,
    ),
    _queue_sensor("calls_closed", "TotalNumberCallsClosed", **_TOTAL),
    _queue_sensor("calls_timed_out", "TotalNumberCallsTimeout", **_TOTAL),
    _queue_sensor("answered_share", "PercentageAnsweredTotal", **_SHARE),
    _queue_sensor("answered_within_15s", "PercentageAnsweredBefore15", **_SHARE),
    _queue_sensor(
        "abandoned_after_15s",
        "PercentageAbandonnedAfter15",
        "PercentageAbandonedAfter15",
        **_SHARE,
    ),
)
_BY_COUNTER = {
    counter: description
    for description in QUEUE_SENSORS
    for counter in description.counters
}


def _other_counter(counter: str) -> XucQueueSensorEntityDescription:
    """Describe a counter this integration has no name for."""
    return _queue_sensor(
        f"counter_{counter.lower()}",
        counter,
        translation_key="queue_counter",
        translation_placeholders={"counter": counter},
    )


def _queue_descriptions(
    hub: XucHub, queue_id: int
) -> Iterator[XucQueueSensorEntityDescription]:
    """The sensors a queue has: the main two, then one per counter sent."""
    yield from (description for description in QUEUE_SENSORS if description.always)
    for counter in hub.queues.counters.get(queue_id, {}):
        description = _BY_COUNTER.get(counter) or _other_counter(counter)
        if not description.always:
            yield description


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XucConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the user's sensors, then agent and queue sensors as they appear."""
    hub = entry.runtime_data
    async_add_entities(XucSensor(hub, description) for description in SENSORS)

    @callback
    def _add_agent_sensors() -> None:
        async_add_entities(XucSensor(hub, description) for description in AGENT_SENSORS)

    async_when(entry, lambda hub: hub.user.is_agent, _add_agent_sensors)

    created: set[tuple[int, str]] = set()

    @callback
    def _add_queue_sensors() -> None:
        listed = hub.queues.queues
        created.difference_update({key for key in created if key[0] not in listed})
        new = [
            XucQueueSensor(hub, queue_id, description)
            for queue_id in listed
            for description in _queue_descriptions(hub, queue_id)
            if (queue_id, description.key) not in created
        ]
        created.update(
            (sensor.queue_id, sensor.entity_description.key) for sensor in new
        )
        if new:
            async_add_entities(new)

    _add_queue_sensors()
    entry.async_on_unload(hub.async_add_listener(Topic.QUEUES, _add_queue_sensors))


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
        self.topics = (queue_topic(queue_id),)
        queue = hub.queues.queues[queue_id]
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

    @property
    def available(self) -> bool:
        """Available while connected and the queue is listed."""
        return super().available and self.queue_id in self.hub.queues.queues

    @property
    def native_value(self) -> float | None:
        """The counter's latest value."""
        counters = self.hub.queues.counters.get(self.queue_id, {})
        for counter in self.entity_description.counters:
            if (value := counters.get(counter)) is not None:
                return int(value) if value.is_integer() else value
        return None

    def _value(self) -> object:
        """The native value: SensorEntity.state converts units, needlessly here."""
        return self.native_value
