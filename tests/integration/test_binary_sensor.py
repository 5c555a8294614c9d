"""Binary sensor: whether the session is connected."""

from homeassistant.const import Platform
import pytest

from tests.integration.conftest import SnapshotEntities


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(snapshot_entities: SnapshotEntities) -> None:
    """Every one of the binary sensors, its registry entry and first state."""
    await snapshot_entities(Platform.BINARY_SENSOR)
