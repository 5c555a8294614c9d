"""Setting up, running and unloading a XuC config entry."""

import logging

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.const import DOMAIN
from tests.helpers import wait_until
from tests.integration.conftest import setup_entry
from tests.xuc_simulator import XucSimulator

PHONE = "sensor.alice_johnson_phone_status"
VOICEMAIL = "sensor.alice_johnson_new_voicemails"
CONNECTED = "binary_sensor.alice_johnson_connected"
DND = "switch.alice_johnson_do_not_disturb"
AGENT = "sensor.alice_johnson_agent_state"


def state(hass: HomeAssistant, entity_id: str) -> str | None:
    """Return an entity's state, or None when it does not exist."""
    current = hass.states.get(entity_id)
    return None if current is None else current.state


async def test_setup_shows_the_users_state(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """After setup, one session is open and the entities show the server's state."""
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert simulator.open_connections == 1
    await wait_until(lambda: state(hass, AGENT) == "logged_out")
    assert state(hass, PHONE) == "available"
    assert state(hass, VOICEMAIL) == "2"
    assert state(hass, CONNECTED) == STATE_ON
    assert state(hass, DND) == STATE_OFF


async def test_unload_closes_the_session(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Unloading closes the websocket and leaves nothing running."""
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    await simulator.wait_for_connections(0)


async def test_rejected_credentials_start_reauth(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """A rejected password at setup fails the entry and asks to sign in again."""
    simulator.accounts["alice"].password = "changed"
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize("mode", ["error", "non_json", "refuse"])
async def test_unreachable_server_is_retried(
    hass: HomeAssistant,
    simulator: XucSimulator,
    config_entry: MockConfigEntry,
    mode: str,
) -> None:
    """A server that cannot be reached makes Home Assistant retry later."""
    simulator.config.login_mode = mode
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert simulator.open_connections == 0


async def test_connection_loss_and_recovery(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities go unavailable while offline (except connectivity) and come back."""
    caplog.set_level(logging.INFO)
    simulator.config.login_mode = "error"
    await simulator.restart()
    await wait_until(lambda: state(hass, PHONE) == STATE_UNAVAILABLE)
    for entity_id in (VOICEMAIL, DND, AGENT):
        assert state(hass, entity_id) == STATE_UNAVAILABLE
    assert state(hass, CONNECTED) == STATE_OFF
    simulator.config.login_mode = "ok"
    await wait_until(lambda: state(hass, PHONE) == "available")
    assert state(hass, CONNECTED) == STATE_ON
    assert simulator.open_connections == 1
    lines = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.xuc")
        and record.levelno >= logging.INFO
    ]
    assert len(lines) == 2
    assert lines[0].startswith("Lost connection to")
    assert lines[1].endswith("restored")


async def test_password_changed_while_running(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Credentials rejected while running start one reauth flow, no retry storm."""
    simulator.accounts["alice"].password = "changed"
    await simulator.restart()
    await wait_until(lambda: bool(hass.config_entries.flow.async_progress()))
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert simulator.login_count == 2
    assert state(hass, PHONE) == STATE_UNAVAILABLE


async def test_state_is_requested_after_each_connect(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Calls and agent state are asked for on every (re)connect."""
    wanted = ["getCurrentCallsPhoneEvents", "subscribeToAgentEvents", "getAgentStates"]
    for command in wanted:
        await simulator.wait_for_command(command)
    await simulator.drop_connections()
    for command in wanted:
        await simulator.wait_for_command(command)


async def test_sparse_server_gives_a_working_entry(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """A server that only says LoggedOn still gives a loaded, if sparse, entry."""
    simulator.config.sparse = True
    await setup_entry(hass, config_entry)
    assert state(hass, CONNECTED) == STATE_ON
    assert state(hass, PHONE) == "unknown"
    assert state(hass, VOICEMAIL) == "unknown"
    assert state(hass, AGENT) is None


async def test_agent_entities_appear_when_the_user_becomes_an_agent(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """Agent sensors are created without a restart once the user is an agent."""
    simulator.accounts["alice"].agent_id = None
    await setup_entry(hass, config_entry)
    assert state(hass, AGENT) is None
    simulator.accounts["alice"].agent_id = 12
    await simulator.set_user_config(agent_id=12)
    await wait_until(lambda: state(hass, AGENT) == "logged_out")
    assert state(hass, "sensor.alice_johnson_agent_pause_reason") == "not_paused"


async def test_two_entries_two_sessions(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Each entry keeps its own single session."""
    second = MockConfigEntry(
        domain=DOMAIN,
        title="Alice again",
        unique_id="other",
        version=2,
        data={**loaded_entry.data},
    )
    await setup_entry(hass, second)
    await simulator.wait_for_connections(2)
    assert await hass.config_entries.async_unload(second.entry_id)
    await simulator.wait_for_connections(1)
