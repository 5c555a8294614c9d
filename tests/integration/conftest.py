"""Fixtures and helpers for the integration tests: an entry aimed at the simulator."""

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from functools import partial
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

from aiohttp.resolver import AsyncResolver
from homeassistant.components import websocket_api
from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.components.text import (
    ATTR_VALUE,
    DOMAIN as TEXT_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    MAJOR_VERSION,
    MINOR_VERSION,
    Platform,
)
from homeassistant.core import Event, HomeAssistant, ServiceResponse, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import MockHAClientWebSocket
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from custom_components.xuc.aioxuc import Backoff
from custom_components.xuc.const import CONF_USER_ID, DOMAIN
from tests.conftest import FAST_BACKOFF
from tests.helpers import wait_until
from tests.integration.const import CALL, ENTRY_ID, PRESENCE
from tests.xuc_simulator import XucSimulator


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/xuc."""


@pytest.fixture
async def mock_zeroconf_resolver() -> AsyncGenerator[None]:
    """Resolve host names (localhost) with a resolver of the test's own loop.

    Replaces the plugin's fixture of that name: from 0.13.3xx on, it makes one
    resolver on the session's loop, which the first Home Assistant to stop closes.
    """
    resolver = AsyncResolver()
    # What Home Assistant 2026.x calls when it stops.
    resolver.real_close = resolver.close  # type: ignore[attr-defined]
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=resolver,
    ):
        yield
    await resolver.close()


@pytest.fixture(autouse=True)
def fast_reconnect() -> Generator[None]:
    """Reconnect within milliseconds instead of seconds."""
    with patch(
        "custom_components.xuc.aioxuc.client.Backoff", partial(Backoff, **FAST_BACKOFF)
    ):
        yield


@pytest.fixture(autouse=True)
def short_refusal_wait() -> Generator[None]:
    """Let unrefused actions return after 50 ms instead of a second."""
    with patch("custom_components.xuc.aioxuc.client.REFUSAL_WAIT", 0.05):
        yield


class ReleaseSnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's snapshots, in a folder per release (snapshots/2025.4/).

    Each end of the supported range serializes registry entries and states in
    its own way (2026.x adds fields and keys capabilities by enum).
    """

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        """The release's folder in the snapshots folder."""
        snapshots = Path(super().dirname(test_location=test_location))
        return str(snapshots / f"{MAJOR_VERSION}.{MINOR_VERSION}")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format, for the release under test."""
    return snapshot.use_extension(ReleaseSnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


def entry_data(simulator: XucSimulator, **changes: Any) -> dict[str, Any]:
    """Config entry data for the simulator's demo account."""
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_USERNAME: "alice",
        CONF_PASSWORD: "secret",
        CONF_USER_ID: 9,
        **changes,
    }


@pytest.fixture
def config_entry(simulator: XucSimulator) -> MockConfigEntry:
    """The demo account's config entry (not yet added)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Alice Johnson",
        entry_id=ENTRY_ID,
        unique_id="9",
        version=2,
        data=entry_data(simulator),
    )


async def remove_device(
    hass: HomeAssistant, client: MockHAClientWebSocket, device_id: str
) -> Any:
    """Delete a device of the demo entry as the frontend's device page does.

    2026.x has `config/device_registry/remove` and reports the older command,
    the only one of 2025.4, as deprecated.
    """
    command: dict[str, Any] = {"device_id": device_id}
    if "config/device_registry/remove" in hass.data[websocket_api.DOMAIN]:
        command["type"] = "config/device_registry/remove"
    else:
        command["type"] = "config/device_registry/remove_config_entry"
        command["config_entry_id"] = ENTRY_ID
    await client.send_json_auto_id(command)
    return await client.receive_json()


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add an entry and set it up; fail unless it loads."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The demo account, set up and with its initial state received."""
    await setup_entry(hass, config_entry)
    return config_entry


def device(hass: HomeAssistant, key: str) -> dr.DeviceEntry | None:
    """The device of the test entry with the identifier (DOMAIN, key).

    Looked up through the entry's devices: the lookup by identifier of
    Home Assistant 2025.4 is deprecated in 2026.
    """
    registry = dr.async_get(hass)
    return next(
        (
            entry
            for entry in dr.async_entries_for_config_entry(registry, ENTRY_ID)
            if (DOMAIN, key) in entry.identifiers
        ),
        None,
    )


type SnapshotEntities = Callable[[Platform, Callable[[], bool]], Awaitable[None]]


@pytest.fixture
def snapshot_entities(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> SnapshotEntities:
    """Set the demo entry up with one platform; snapshot its entities once shown."""

    async def snapshot_platform_entities(
        platform: Platform, shown: Callable[[], bool] = lambda: True
    ) -> None:
        with patch("custom_components.xuc.PLATFORMS", [platform]):
            await setup_entry(hass, config_entry)
        await wait_until(shown)
        await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)

    return snapshot_platform_entities


def state(hass: HomeAssistant, entity_id: str) -> str | None:
    """Return an entity's state, or None when it does not exist."""
    current = hass.states.get(entity_id)
    return None if current is None else current.state


async def call_action(
    hass: HomeAssistant, name: str, *, return_response: bool = False, **data: Any
) -> ServiceResponse:
    """Call one of the integration's actions and wait for it."""
    return await hass.services.async_call(
        DOMAIN, name, data, blocking=True, return_response=return_response
    )


async def set_text(hass: HomeAssistant, entity_id: str, value: str) -> None:
    """Type a value into a text entity."""
    await hass.services.async_call(
        TEXT_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )


async def select_presence(hass: HomeAssistant, option: str) -> None:
    """Choose a presence in the presence select."""
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: PRESENCE, ATTR_OPTION: option},
        blocking=True,
    )


async def switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    """Turn a switch on or off."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


def last_call(hass: HomeAssistant) -> dict[str, Any]:
    """The attributes of the last call event."""
    current = hass.states.get(CALL)
    assert current is not None
    return dict(current.attributes)


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


def user_config_received(hass: HomeAssistant) -> bool:
    """Whether the user's configuration arrived."""
    entry = hass.config_entries.async_get_entry(ENTRY_ID)
    return entry is not None and entry.runtime_data.session.user.user_id == 9
