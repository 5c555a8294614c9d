"""Presence select: the offered presences and the chosen one."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import every_generation
from tests.helpers import wait_until
from tests.integration.conftest import (
    SnapshotEntities,
    select_presence,
    setup_entry,
    state,
)
from tests.integration.const import PRESENCE
from tests.xuc_simulator import XucSimulator


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, snapshot_entities: SnapshotEntities
) -> None:
    """Every one of the selects, its registry entry and first state."""
    await snapshot_entities(
        Platform.SELECT, lambda: state(hass, PRESENCE) == "available"
    )


@every_generation
async def test_presence(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """Presence offers the server's statuses; unknown names show their long name."""
    simulator.accounts["alice"].users_statuses.append(
        {"name": "ook", "color": "#FF0F0F", "longName": "Far Away", "actions": []}
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await wait_until(lambda: state(hass, PRESENCE) == "available")
    current = hass.states.get(PRESENCE)
    assert current is not None
    assert current.attributes["options"] == [
        "available",
        "away",
        "berightback",
        "outtolunch",
        "donotdisturb",
        "disconnected",
        "Far Away",
    ]
    for option, name in (("away", "away"), ("Far Away", "ook")):
        await select_presence(hass, option)
        assert await simulator.wait_for_command("userStatusUpdate") == {
            "claz": "web",
            "command": "userStatusUpdate",
            "status": name,
        }
        await wait_until(lambda option=option: state(hass, PRESENCE) == option)


async def test_presence_unknown_until_pushed(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """With neither a status nor a list pushed, presence is unknown."""
    simulator.config.sparse = True
    await setup_entry(hass, config_entry)
    assert state(hass, PRESENCE) == "unknown"


@every_generation
async def test_presence_without_a_list(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """The current status shows, and can be chosen again, before any list."""
    simulator.config.initial_frames = ("UserStatusUpdate", "UserConfigUpdate")
    await setup_entry(hass, config_entry)
    await wait_until(lambda: state(hass, PRESENCE) == "available")
    current = hass.states.get(PRESENCE)
    assert current is not None
    assert current.attributes["options"] == ["available"]
    await select_presence(hass, "available")
    assert (await simulator.wait_for_command("userStatusUpdate"))["status"] == (
        "available"
    )
