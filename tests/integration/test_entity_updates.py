"""Entity updates: each entity follows its data; unchanged states are not written."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
import importlib
from typing import cast

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import EntityDescription
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc import PLATFORMS
from custom_components.xuc.const import DOMAIN
from custom_components.xuc.sensor import (
    QUEUE_SENSORS,
    QUEUE_WRITE_INTERVAL,
    XucQueueSensorEntityDescription,
)
from tests.helpers import wait_until
from tests.integration.conftest import count_writes, state
from tests.integration.const import (
    BLUE_LONGEST,
    BLUE_WAITING,
    CALL,
    ENTRY_ID,
    PAUSE_REASON,
    PHONE,
    QUEUE_ID,
)
from tests.xuc_simulator import XucSimulator

type Change = Callable[[XucSimulator], Awaitable[object]]


@dataclass(frozen=True)
class Update:
    """A change on the server, and what the entity shows after it."""

    change: Change
    shown: str
    attribute: str | None = None


def _user_config(**changes: object) -> Change:
    return lambda simulator: simulator.set_user_config(**changes)


async def _offline(simulator: XucSimulator) -> None:
    simulator.config.login_mode = "error"
    await simulator.drop_connections()


# One server-side change per description key of the user's device.
UPDATES: dict[str, Update] = {
    "connected": Update(_offline, STATE_OFF),
    "call": Update(lambda s: s.incoming_call(), "ringing", attribute="event_type"),
    "presence": Update(
        lambda s: s.push("UserStatusUpdate", {"status": "away"}), "away"
    ),
    "phone_status": Update(lambda s: s.set_phone_status("RINGING"), "ringing"),
    "voicemail_new_messages": Update(lambda s: s.set_voicemail(5, 6), "5"),
    "voicemail_old_messages": Update(lambda s: s.set_voicemail(5, 6), "6"),
    "agent_state": Update(lambda s: s.set_agent_state("AgentOnPause"), "paused"),
    "agent_pause_reason": Update(
        lambda s: s.set_agent_state("AgentOnPause", "lunch"), "lunch"
    ),
    "dnd": Update(_user_config(dnd=True), STATE_ON),
    "forward_unconditional": Update(_user_config(unc_fwd_enabled=True), STATE_ON),
    "forward_no_answer": Update(_user_config(na_fwd_enabled=True), STATE_ON),
    "forward_busy": Update(_user_config(busy_fwd_enabled=True), STATE_ON),
    "forward_unconditional_destination": Update(
        _user_config(unc_fwd_destination="2001"), "2001"
    ),
    "forward_no_answer_destination": Update(
        _user_config(na_fwd_destination="2002"), "2002"
    ),
    "forward_busy_destination": Update(
        _user_config(busy_fwd_destination="2003"), "2003"
    ),
}


def descriptions() -> Iterator[tuple[str, EntityDescription]]:
    """Every entity description the platforms hold, with its platform."""
    for platform in PLATFORMS:
        module = importlib.import_module(f"custom_components.xuc.{platform}")
        for value in vars(module).values():
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                # Home Assistant rebuilds a description class instantiated
                # directly (frozen_dataclass_compat): match by name.
                if any(
                    cls.__name__ == "EntityDescription" for cls in type(item).__mro__
                ):
                    yield platform, cast(EntityDescription, item)


def test_every_description_has_an_update() -> None:
    """A new description cannot be added without proving it updates."""
    keys = {
        description.key
        for _, description in descriptions()
        if not isinstance(description, XucQueueSensorEntityDescription)
    }
    assert keys == set(UPDATES)
    queue_keys = {
        description.key
        for _, description in descriptions()
        if isinstance(description, XucQueueSensorEntityDescription)
    }
    assert queue_keys == {description.key for description in QUEUE_SENSORS}


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("platform", "key"),
    [
        (platform, description.key)
        for platform, description in descriptions()
        if description.key in UPDATES
    ],
)
async def test_entity_follows_its_data(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    platform: str,
    key: str,
) -> None:
    """The entity of each description shows the server's change."""
    entity_id = entity_registry.async_get_entity_id(
        platform, DOMAIN, f"{ENTRY_ID}_{key}"
    )
    assert entity_id is not None
    update = UPDATES[key]
    await wait_until(lambda: loaded_entry.runtime_data.session.agent is not None)
    assert not _shown_now(hass, entity_id, update)
    await update.change(simulator)
    await wait_until(lambda: _shown_now(hass, entity_id, update))


def _shown_now(hass: HomeAssistant, entity_id: str, update: Update) -> bool:
    current = hass.states.get(entity_id)
    if current is None:
        return False
    if update.attribute is None:
        return current.state == update.shown
    return current.attributes.get(update.attribute) == update.shown


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "description", QUEUE_SENSORS, ids=[description.key for description in QUEUE_SENSORS]
)
async def test_queue_sensor_follows_its_counter(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    description: XucQueueSensorEntityDescription,
) -> None:
    """Each queue sensor shows every new value of its counter."""
    unique_id = f"{ENTRY_ID}_queue_{QUEUE_ID}_{description.key}"
    counter = description.counters[0]
    for value in (101, 102):
        await simulator.set_queue_stats(QUEUE_ID, {counter: value})
        await wait_until(
            lambda v=value: (
                (
                    entity_id := entity_registry.async_get_entity_id(
                        "sensor", DOMAIN, unique_id
                    )
                )
                is not None
                and state(hass, entity_id) == str(v)
            )
        )


async def test_entity_follows_what_it_reads_later(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A value read only in some states is followed once it is read.

    The pause reason reads the offered statuses only to name a pause: their
    change renames a pause already shown.
    """
    await wait_until(lambda: loaded_entry.runtime_data.session.agent is not None)
    await simulator.set_agent_state("AgentOnPause", "coffee")
    await wait_until(lambda: state(hass, PAUSE_REASON) == "coffee")
    await simulator.push(
        "UsersStatuses", [{"name": "coffee", "longName": "Coffee break", "color": ""}]
    )
    await wait_until(lambda: state(hass, PAUSE_REASON) == "Coffee break")


async def test_renamed_entity_still_follows_its_data(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A new entity id re-adds the entity, which follows what it read before."""
    await simulator.set_phone_status("AVAILABLE")
    await wait_until(lambda: state(hass, PHONE) == "available")
    entity_registry.async_update_entity(PHONE, new_entity_id="sensor.desk_line")
    await wait_until(lambda: state(hass, "sensor.desk_line") == "available")
    await simulator.set_phone_status("RINGING")
    await wait_until(lambda: state(hass, "sensor.desk_line") == "ringing")
    assert hass.states.get(PHONE) is None


async def test_identical_states_are_not_written(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The same phone status sent again and again writes nothing."""
    await wait_until(lambda: state(hass, PHONE) == "available")
    written = count_writes(hass, PHONE)
    for _ in range(5):
        await simulator.push("PhoneStatusUpdate", {"status": "AVAILABLE"})
    await simulator.push("PhoneStatusUpdate", {"status": "RINGING"})
    await wait_until(lambda: state(hass, PHONE) == "ringing")
    await hass.async_block_till_done()
    assert written == ["ringing"]


async def test_a_call_event_is_written_once(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Other changes after a call event write the call entity not again."""
    await wait_until(lambda: state(hass, PHONE) == "available")
    written = count_writes(hass, CALL)
    await simulator.push("PhoneEvent", {"eventType": "EventRinging", "otherDN": "1"})
    await simulator.set_voicemail(4, 0)
    await simulator.set_phone_status("RINGING")
    await wait_until(lambda: state(hass, PHONE) == "ringing")
    await hass.async_block_till_done()
    assert len(written) == 1


async def test_every_transition_is_written(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Changes read together are all written, in order: automations miss none."""
    await wait_until(lambda: state(hass, PHONE) == "available")
    written = count_writes(hass, PHONE)
    for status in ("RINGING", "BUSY", "ONHOLD", "AVAILABLE"):
        await simulator.push("PhoneStatusUpdate", {"status": status})
    await wait_until(lambda: len(written) == 4)
    assert written == ["ringing", "busy", "on_hold", "available"]


async def test_statistics_bursts_are_coalesced(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A burst of queue statistics becomes a write or two, ending on the last value."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    written = count_writes(hass, BLUE_WAITING)
    for value in range(2, 52):
        await simulator.set_queue_stats(3, {"WaitingCalls": value})
    await wait_until(lambda: state(hass, BLUE_WAITING) == "51")
    assert len(written) <= 3
    assert written[-1] == "51"


async def test_unchanged_counters_write_nothing(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Statistics that leave a counter as it is write no state for it."""
    await wait_until(lambda: state(hass, BLUE_LONGEST) == "12")
    longest = count_writes(hass, BLUE_LONGEST)
    for value in range(2, 12):
        await simulator.set_queue_stats(
            3, {"WaitingCalls": value, "LongestWaitTime": 12}
        )
    # The waiting calls' last value is written an interval after the first:
    # the longest wait, updated by the same frames, had as long to write.
    await wait_until(lambda: state(hass, BLUE_WAITING) == "11")
    await simulator.set_queue_stats(3, {"LongestWaitTime": 13})
    await wait_until(lambda: state(hass, BLUE_LONGEST) == "13")
    assert longest == ["13"]


async def test_counter_back_to_its_written_value_is_not_written(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A counter that changes and changes back within an interval writes nothing."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    await simulator.set_queue_stats(3, {"WaitingCalls": 3})
    await wait_until(lambda: state(hass, BLUE_WAITING) == "3")
    written = count_writes(hass, BLUE_WAITING)
    for value in (4, 3):
        await simulator.set_queue_stats(3, {"WaitingCalls": value})
    await asyncio.sleep(QUEUE_WRITE_INTERVAL * 2)
    assert written == []
    assert state(hass, BLUE_WAITING) == "3"
