"""Switches: do not disturb and call forwarding."""

from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.helpers import wait_until
from tests.integration.conftest import (
    SnapshotEntities,
    device,
    set_text,
    state,
    switch,
    user_config_received,
)
from tests.integration.const import (
    CONNECTED,
    DND,
    ENTRY_ID,
    FORWARD_ALL,
    FORWARD_ALL_TO,
)
from tests.xuc_simulator import XucSimulator


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, snapshot_entities: SnapshotEntities
) -> None:
    """Every one of the switches, its registry entry and first state."""
    await snapshot_entities(Platform.SWITCH, lambda: user_config_received(hass))


async def test_dnd_switch(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Toggling sends the dnd frame; the state follows the server's answer."""
    for service, expected_frame, expected_state in (
        (SERVICE_TURN_ON, True, STATE_ON),
        (SERVICE_TURN_OFF, False, STATE_OFF),
    ):
        await switch(hass, service, DND)
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
    await switch(hass, SERVICE_TURN_ON, DND)
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


async def test_forwarding(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Destination and switch send the golden frames; states follow the server."""
    await wait_until(lambda: state(hass, FORWARD_ALL) == "off")
    with pytest.raises(ServiceValidationError) as error:
        await switch(hass, SERVICE_TURN_ON, FORWARD_ALL)
    assert error.value.translation_key == "forward_destination_required"
    await set_text(hass, FORWARD_ALL_TO, "+33 6 12-34")
    assert await simulator.wait_for_command("uncFwd") == {
        "claz": "web",
        "command": "uncFwd",
        "state": False,
        "destination": "+3361234",
    }
    await wait_until(lambda: state(hass, FORWARD_ALL_TO) == "+3361234")
    await switch(hass, SERVICE_TURN_ON, FORWARD_ALL)
    assert await simulator.wait_for_command("uncFwd") == {
        "claz": "web",
        "command": "uncFwd",
        "state": True,
        "destination": "+3361234",
    }
    await wait_until(lambda: state(hass, FORWARD_ALL) == "on")
    await set_text(hass, FORWARD_ALL_TO, "1002")
    frame = await simulator.wait_for_command("uncFwd")
    assert (frame["state"], frame["destination"]) == (True, "1002")
    await wait_until(lambda: state(hass, FORWARD_ALL_TO) == "1002")
    await switch(hass, SERVICE_TURN_OFF, FORWARD_ALL)
    frame = await simulator.wait_for_command("uncFwd")
    assert (frame["state"], frame["destination"]) == (False, "1002")
    await wait_until(lambda: state(hass, FORWARD_ALL) == "off")
