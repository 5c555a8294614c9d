"""Entities: what each shows as the server pushes events."""

import asyncio
from typing import Any
from unittest.mock import patch

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    EntityCategory,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.xuc import PLATFORMS
from custom_components.xuc.sensor import QUEUE_WRITE_INTERVAL
from tests.helpers import wait_until
from tests.integration.conftest import ENTRY_ID, device
from tests.integration.test_features import BLUE_LONGEST, BLUE_WAITING
from tests.integration.test_init import AGENT, CONNECTED, DND, PHONE, VOICEMAIL, state
from tests.xuc_simulator import XucSimulator

CALL = "event.alice_johnson_call"
PRESENCE = "select.alice_johnson_presence"
PAUSE_REASON = "sensor.alice_johnson_agent_pause_reason"
OLD_VOICEMAIL = "sensor.alice_johnson_old_voicemails"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", PLATFORMS)
async def test_entities_snapshot(
    hass: HomeAssistant,
    simulator: XucSimulator,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity, its registry entry and first state."""
    config_entry.add_to_hass(hass)
    with patch("custom_components.xuc.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
        await wait_until(lambda: loaded(hass, platform, simulator))
    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


def loaded(hass: HomeAssistant, platform: Platform, simulator: XucSimulator) -> bool:
    """Whether a platform shows everything the simulator sent after connecting."""
    match platform:
        case Platform.SENSOR:
            queue_sensors = len(simulator.accounts["alice"].queues) * len(
                simulator.config.server.counters
            )
            return (
                state(hass, AGENT) == "logged_out"
                and len(hass.states.async_entity_ids("sensor")) == 5 + queue_sensors
            )
        case Platform.SELECT:
            return state(hass, PRESENCE) == "available"
        case Platform.BINARY_SENSOR | Platform.EVENT:
            return True
    return loaded_entry_user(hass)


def loaded_entry_user(hass: HomeAssistant) -> bool:
    """Whether the user's configuration arrived."""
    entry = hass.config_entries.async_get_entry(ENTRY_ID)
    return entry is not None and entry.runtime_data.session.user.user_id == 9


async def test_device(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One service device for the user, pointing at the server."""
    user = device(hass, ENTRY_ID)
    assert user is not None
    assert user.name == "Alice Johnson"
    assert user.manufacturer == "XiVO"
    assert user.entry_type is dr.DeviceEntryType.SERVICE
    # The server reports no software version: none is made up.
    assert (user.model_id, user.sw_version) == (None, None)
    assert user.configuration_url == f"http://127.0.0.1:{simulator.port}"


@pytest.mark.usefixtures("loaded_entry")
async def test_device_page_puts_the_phone_first(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """Line, voicemail, agent and presence are primary; forwarding is configuration."""
    user = device(hass, ENTRY_ID)
    assert user is not None
    categories: dict[EntityCategory | None, set[str]] = {}
    for entry in er.async_entries_for_device(entity_registry, user.id):
        categories.setdefault(entry.entity_category, set()).add(entry.entity_id)
    assert categories == {
        None: {PHONE, VOICEMAIL, AGENT, PAUSE_REASON, CALL, DND, PRESENCE},
        EntityCategory.CONFIG: {
            f"{platform}.alice_johnson_forward_{name}"
            for platform, suffix in (("switch", ""), ("text", "_to"))
            for name in (
                f"all_calls{suffix}",
                f"when_busy{suffix}",
                f"when_not_answered{suffix}",
            )
        },
        EntityCategory.DIAGNOSTIC: {CONNECTED},
    }


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


async def test_dnd_switch(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Toggling sends the dnd frame; the state follows the server's answer."""
    for service, expected_frame, expected_state in (
        (SERVICE_TURN_ON, True, STATE_ON),
        (SERVICE_TURN_OFF, False, STATE_OFF),
    ):
        await hass.services.async_call(
            SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: DND}, blocking=True
        )
        assert await simulator.wait_for_command("dnd") == {
            "claz": "web",
            "command": "dnd",
            "state": expected_frame,
        }
        await wait_until(lambda expected=expected_state: state(hass, DND) == expected)


async def test_dnd_switch_waits_for_the_server(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Without the server's confirmation the switch does not pretend."""
    simulator.config.sparse = True
    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: DND}, blocking=True
    )
    await simulator.wait_for_command("dnd")
    assert state(hass, DND) == STATE_OFF


async def test_dnd_partial_update(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A partial user update with nulls changes only what it carries."""
    simulator.config.partial_user_config = True
    await simulator.set_user_config(dnd=True)
    await wait_until(lambda: state(hass, DND) == STATE_ON)
    assert device(hass, ENTRY_ID) is not None
    assert loaded_entry.runtime_data.session.user.full_name == "Alice Johnson"


async def test_switch_offline_raises(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Toggling while offline is a clear, translated error."""
    simulator.config.login_mode = "error"
    await simulator.restart()
    await wait_until(lambda: state(hass, CONNECTED) == STATE_OFF)
    hub = loaded_entry.runtime_data
    assert not hub.session.connected
    with pytest.raises(HomeAssistantError) as error:
        await hub.async_command(hub.session.set_dnd(enabled=True))
    assert error.value.translation_key == "not_connected"


async def test_call_events(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Each phone event fires the call event with the other party and the call id."""
    unique_id = await simulator.incoming_call(
        "0612345678", "Brucé Wail", queue="bluesky", user_data={"USR_ticket": "42"}
    )

    def event_type() -> str | None:
        current = hass.states.get(CALL)
        return None if current is None else current.attributes.get("event_type")

    await wait_until(lambda: event_type() == "ringing")
    attributes = hass.states.get(CALL).attributes  # type: ignore[union-attr]
    assert attributes["other_number"] == "0612345678"
    assert attributes["other_name"] == "Brucé Wail"
    assert attributes["unique_id"] == unique_id
    assert attributes["queue"] == "bluesky"
    assert attributes["variables"] == {"ticket": "42"}
    await simulator.remote_answer(unique_id)
    await wait_until(lambda: event_type() == "answered")
    await simulator.push(
        "PhoneEvent", {"eventType": "EventOnHold", "uniqueId": unique_id}
    )
    await wait_until(lambda: event_type() == "on_hold")
    await simulator.push("PhoneEvent", {"eventType": "EventTransferred"})
    await simulator.remote_hangup(unique_id)
    await wait_until(lambda: event_type() == "ended")
    assert loaded_entry.runtime_data.session.calls == {}


async def test_one_event_per_phone_event(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Every PhoneEvent fires the event entity once."""
    fired: list[str] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == CALL and event.data["new_state"]:
            fired.append(event.data["new_state"].attributes["other_number"])

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    for number in ("1001", "1002", "1003"):
        await simulator.push(
            "PhoneEvent", {"eventType": "EventRinging", "otherDN": number}
        )
    await wait_until(lambda: len(fired) == 3)
    assert fired == ["1001", "1002", "1003"]
    unsubscribe()


def count_writes(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Record every state the entity writes, changed or not."""
    written: list[str] = []

    @callback
    def record(event: Event[Any]) -> None:
        if event.data["entity_id"] == entity_id:
            written.append(event.data["new_state"].state)

    @callback
    def mine(event_data: Any) -> bool:
        return bool(event_data["entity_id"] == entity_id)

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    hass.bus.async_listen(EVENT_STATE_REPORTED, record, event_filter=mine)
    return written


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
