"""Version 1 entries (host, port and username) become version 2 (the user id)."""

import logging

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.const import CONF_USER_ID, DOMAIN
from tests.helpers import wait_until
from tests.integration.conftest import entry_data, setup_entry
from tests.xuc_simulator import XucSimulator

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
