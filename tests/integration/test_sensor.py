"""Sensors: phone, voicemail, agent and queue values as the server pushes them."""

from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.helpers import wait_until
from tests.integration.conftest import (
    SnapshotEntities,
    count_writes,
    device,
    setup_entry,
    state,
)
from tests.integration.const import (
    AGENT,
    BLUE_LONGEST,
    BLUE_WAITING,
    ENTRY_ID,
    OLD_VOICEMAIL,
    PAUSE_REASON,
    PHONE,
    VOICEMAIL,
)
from tests.xuc_simulator import XucSimulator


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, simulator: XucSimulator, snapshot_entities: SnapshotEntities
) -> None:
    """Every one of the sensors, its registry entry and first state."""
    queue_sensors = len(simulator.accounts["alice"].queues) * len(
        simulator.config.server.counters
    )
    await snapshot_entities(
        Platform.SENSOR,
        lambda: (
            state(hass, AGENT) == "logged_out"
            and len(hass.states.async_entity_ids("sensor")) == 5 + queue_sensors
        ),
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("RINGING", "ringing"),
        (1, "calling"),
        ("INDISPONIBLE", "unavailable"),
        (16, "on_hold"),
        (9, "busy_and_ringing"),
        (-2, "unexisting"),
        ("SOMETHING_NEW", STATE_UNKNOWN),
    ],
)
async def test_phone_status(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    status: str | int,
    expected: str,
) -> None:
    """The phone status follows the server, by name or code; new values are unknown."""
    await simulator.set_phone_status(status)
    await wait_until(lambda: state(hass, PHONE) == expected)


async def test_phone_status_follows_calls(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Ringing, then busy when answered, then available again."""
    simulator.config.phone_status_encoding = "code"
    unique_id = await simulator.incoming_call()
    await wait_until(lambda: state(hass, PHONE) == "ringing")
    await simulator.remote_answer(unique_id)
    await wait_until(lambda: state(hass, PHONE) == "busy")
    await simulator.remote_hangup(unique_id)
    await wait_until(lambda: state(hass, PHONE) == "available")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_voicemail(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Voicemail counts follow the server; a partial update keeps the other count."""
    await simulator.set_voicemail(4, 6)
    await wait_until(lambda: state(hass, VOICEMAIL) == "4")
    assert state(hass, OLD_VOICEMAIL) == "6"
    await simulator.push("VoiceMailStatusUpdate", {"newMessages": 0})
    await wait_until(lambda: state(hass, VOICEMAIL) == "0")
    assert state(hass, OLD_VOICEMAIL) == "6"
    current = hass.states.get(VOICEMAIL)
    assert current is not None
    assert "unit_of_measurement" not in current.attributes


async def test_old_voicemail_disabled_by_default(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The old-messages count is there but disabled."""
    entry = entity_registry.async_get(OLD_VOICEMAIL)
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_agent_state_and_pause_reason(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Agent state and pause reason (a translated name, else the server's) follow."""
    await wait_until(lambda: state(hass, AGENT) == "logged_out")
    assert state(hass, PAUSE_REASON) == "not_paused"
    await simulator.set_agent_state("AgentReady")
    await wait_until(lambda: state(hass, AGENT) == "ready")
    assert state(hass, PAUSE_REASON) == "not_paused"
    await simulator.set_agent_state("AgentOnPause", cause="outtolunch")
    await wait_until(lambda: state(hass, AGENT) == "paused")
    assert state(hass, PAUSE_REASON) == "outtolunch"
    await simulator.set_agent_state("AgentOnPause", cause="custom-reason")
    await wait_until(lambda: state(hass, PAUSE_REASON) == "custom-reason")
    await simulator.set_agent_state("AgentOnPause")
    await wait_until(lambda: state(hass, PAUSE_REASON) == "no_reason")
    for name, expected in (
        ("AgentRinging", "ringing"),
        ("AgentOnCall", "on_call"),
        ("AgentDialing", "dialing"),
        ("AgentOnWrapup", "wrapup"),
        ("AgentLogin", "ready"),
        ("AgentSomethingNew", STATE_UNKNOWN),
        ("AgentLoggedOut", "logged_out"),
    ):
        await simulator.set_agent_state(name)
        await wait_until(lambda expected=expected: state(hass, AGENT) == expected)


async def test_other_agents_are_ignored(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Another agent's state (agent 13) never shows on the user's (agent 12)."""
    await wait_until(lambda: state(hass, AGENT) == "logged_out")
    written = count_writes(hass, AGENT)
    await simulator.push("AgentStateEvent", {"name": "AgentReady", "agentId": 13})
    await simulator.push("AgentStateEvent", {"name": "AgentOnCall", "agentId": 12})
    await wait_until(lambda: state(hass, AGENT) == "on_call")
    assert written == ["on_call"]


async def test_queue_devices_and_sensors(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Each listed queue is a device with its counters, updated as they change."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    assert state(hass, BLUE_LONGEST) == "12"
    queue = device(hass, f"{ENTRY_ID}_queue_3")
    assert queue is not None
    assert (queue.name, queue.model, queue.model_id) == ("Blue Sky", "Queue", None)
    assert queue.entry_type is dr.DeviceEntryType.SERVICE
    assert queue.sw_version is None
    answered = entity_registry.async_get("sensor.blue_sky_calls_answered")
    assert answered is not None
    assert answered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await simulator.set_queue_stats(3, {"WaitingCalls": 4, "LongestWaitTime": 95})
    await wait_until(lambda: state(hass, BLUE_WAITING) == "4")
    assert state(hass, BLUE_LONGEST) == "95"
    await simulator.push(
        "QueueStatistics",
        {
            "queueRef": "greenfield",
            "counters": [{"statName": "WaitingCalls", "value": 2}],
        },
    )
    await wait_until(lambda: state(hass, "sensor.green_field_waiting_calls") == "2")


async def test_queues_come_and_go(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """New queues and counters appear without a restart; vanished queues go."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    await simulator.push(
        "QueueConfig",
        {"id": 7, "name": "night", "displayName": "Night Shift", "number": "3007"},
    )
    await wait_until(
        lambda: state(hass, "sensor.night_shift_waiting_calls") is not None
    )
    await simulator.push(
        "QueueStatistics",
        {"queueId": 7, "counters": [{"statName": "MysteryCounter", "value": 5}]},
    )
    await wait_until(
        lambda: (
            entity_registry.async_get("sensor.night_shift_mysterycounter") is not None
        )
    )
    mystery = entity_registry.async_get("sensor.night_shift_mysterycounter")
    assert mystery is not None
    assert mystery.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await simulator.push(
        "QueueList",
        [{"id": 3, "name": "bluesky", "displayName": "Blue Sky", "number": "3000"}],
    )
    await wait_until(lambda: device(hass, f"{ENTRY_ID}_queue_7") is None)
    assert device(hass, f"{ENTRY_ID}_queue_4") is None
    assert entity_registry.async_get("sensor.green_field_waiting_calls") is None
    assert state(hass, BLUE_WAITING) == "1"
    await simulator.push("QueueStatistics", {"queueId": 4, "counters": []})
    await simulator.push(
        "QueueList",
        [
            {"id": 3, "name": "bluesky", "displayName": "Blue Sky"},
            {"id": 4, "name": "greenfield", "displayName": "Green Field"},
        ],
    )
    await wait_until(
        lambda: state(hass, "sensor.green_field_waiting_calls") is not None
    )


async def test_unnamed_queue(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A queue the server gives no name is named after its id, translated."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    await simulator.push("QueueConfig", {"id": 8})
    await wait_until(lambda: state(hass, "sensor.queue_8_waiting_calls") is not None)
    queue = device(hass, f"{ENTRY_ID}_queue_8")
    assert queue is not None
    assert queue.name == "Queue 8"


async def test_any_profile_sees_queues(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """Queues are asked for whatever the (unpublished) rights profile name."""
    simulator.accounts["alice"].agent_id = None
    simulator.config.right_profile = "Teamleader"
    simulator.config.initial_frames += ("RightProfile",)
    await setup_entry(hass, config_entry)
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    assert await simulator.wait_for_command("subscribeToQueueStats")


async def test_voicemail_switched_off_is_no_problem(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Voicemail switched off on purpose raises no repair issue."""
    await simulator.set_user_config(voicemail_enabled=False, dnd=True)
    await wait_until(lambda: loaded_entry.runtime_data.session.user.dnd_enabled is True)
    assert loaded_entry.runtime_data.session.user.voicemail_enabled is False
    assert ir.async_get(hass).issues == {}
