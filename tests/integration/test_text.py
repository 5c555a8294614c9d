"""Texts: call forwarding destinations."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.helpers import wait_until
from tests.integration.conftest import (
    SnapshotEntities,
    set_text,
    state,
    user_config_received,
)
from tests.integration.const import FORWARD_BUSY, FORWARD_BUSY_TO
from tests.xuc_simulator import XucSimulator


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, snapshot_entities: SnapshotEntities
) -> None:
    """Every one of the texts, its registry entry and first state."""
    await snapshot_entities(Platform.TEXT, lambda: user_config_received(hass))


async def test_forwarding_clear_and_validation(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """An empty destination turns forwarding off; a bad one is refused."""
    simulator.config.partial_user_config = True
    await simulator.set_user_config(busy_fwd_enabled=True, busy_fwd_destination="1001")
    await wait_until(lambda: state(hass, FORWARD_BUSY) == "on")
    await set_text(hass, FORWARD_BUSY_TO, " ")
    assert await simulator.wait_for_command("busyFwd") == {
        "claz": "web",
        "command": "busyFwd",
        "state": False,
        "destination": "",
    }
    with pytest.raises(ServiceValidationError) as error:
        await set_text(hass, FORWARD_BUSY_TO, "call me")
    assert error.value.translation_key == "invalid_phone_number"
