"""Setting up, running, migrating and unloading a XuC config entry; its devices."""

import asyncio
import logging

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.xuc import async_setup_entry
from custom_components.xuc.const import CONF_USER_ID, DOMAIN
from tests.helpers import wait_until
from tests.integration.conftest import (
    device,
    entry_data,
    remove_device,
    setup_entry,
    state,
)
from tests.integration.const import (
    AGENT,
    BLUE_WAITING,
    CALL,
    CONNECTED,
    DND,
    ENTRY_ID,
    PAUSE_REASON,
    PHONE,
    PRESENCE,
    VOICEMAIL,
)
from tests.xuc_simulator import XucSimulator


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


@pytest.mark.parametrize("entry_state", ["loaded", "unloaded"])
async def test_stale_device_can_be_deleted(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entry_state: str,
) -> None:
    """The user device stays, and listed queues while the entry is loaded.

    An unlisted leftover may always go; with the entry unloaded the queues
    are unknown, so any queue device may go.
    """
    assert await async_setup_component(hass, "config", {})
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    user = device(hass, ENTRY_ID)
    queue = device(hass, f"{ENTRY_ID}_queue_3")
    leftover = device_registry.async_get_or_create(
        config_entry_id=ENTRY_ID, identifiers={(DOMAIN, f"{ENTRY_ID}_queue_99")}
    )
    assert user is not None
    assert queue is not None
    unloaded = entry_state == "unloaded"
    if unloaded:
        assert await hass.config_entries.async_unload(ENTRY_ID)
    client = await hass_ws_client(hass)
    for entry, removable in ((user, False), (queue, unloaded), (leftover, True)):
        response = await remove_device(hass, client, entry.id)
        assert response["success"] is removable
        assert (device_registry.async_get(entry.id) is None) is removable


DUPLICATE = "is the same XiVO user as"


def old_entry(
    simulator: XucSimulator, user_id: int | None, version: int = 1
) -> MockConfigEntry:
    """An entry as version 1 made it: identified by server and username."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Old Alice",
        unique_id=f"127.0.0.1:{simulator.port}:alice",
        version=version,
        data=entry_data(simulator, **{CONF_USER_ID: user_id}),
    )


async def test_stored_user_id_becomes_the_unique_id(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """An entry that stored the user id is migrated at start-up."""
    entry = old_entry(simulator, 9)
    await setup_entry(hass, entry)
    assert (entry.version, entry.unique_id) == (2, "9")
    assert entry.state is ConfigEntryState.LOADED


async def test_user_id_learnt_from_the_first_session(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """An entry without a user id takes the one its first session reports."""
    entry = old_entry(simulator, None)
    await setup_entry(hass, entry)
    await wait_until(lambda: entry.version == 2)
    assert entry.unique_id == "9"
    assert entry.data[CONF_USER_ID] == 9


async def test_no_user_id_no_migration(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """Until a session reports the user id, the entry stays version 1."""
    simulator.config.sparse = True
    entry = old_entry(simulator, None)
    await setup_entry(hass, entry)
    assert (entry.version, entry.unique_id) == (
        1,
        f"127.0.0.1:{simulator.port}:alice",
    )


@pytest.mark.parametrize("stored", [9, None])
async def test_duplicate_stays_as_it_was(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    stored: int | None,
) -> None:
    """A second entry of the same user keeps working, unmigrated, and is logged."""
    caplog.set_level(logging.WARNING)
    entry = old_entry(simulator, stored)
    await setup_entry(hass, entry)
    await wait_until(lambda: DUPLICATE in caplog.text)
    await simulator.set_user_config(dnd=True)
    await wait_until(lambda: entry.runtime_data.session.user.dnd_enabled is True)
    assert (entry.version, entry.unique_id) == (
        1,
        f"127.0.0.1:{simulator.port}:alice",
    )
    assert entry.state is ConfigEntryState.LOADED
    assert caplog.text.count(DUPLICATE) == 1
    assert "Old Alice is the same XiVO user as Alice Johnson" in caplog.text
    assert loaded_entry.unique_id == "9"


async def test_newer_version_is_refused(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """An entry from a newer release of the integration is not loaded."""
    entry = old_entry(simulator, 9, version=3)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert simulator.login_count == 0


async def test_cancelled_setup_stays_cancelled(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """A setup cancelled from outside is cancelled, not made "not ready"."""
    simulator.config.login_mode = "hang"
    config_entry.add_to_hass(hass)
    setup = hass.async_create_task(async_setup_entry(hass, config_entry))
    await wait_until(lambda: simulator.login_count > 0)
    setup.cancel()
    with pytest.raises(asyncio.CancelledError):
        await setup
    assert not config_entry.runtime_data.session.connected
