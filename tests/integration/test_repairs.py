"""Repair issues raised for what the user must fix on the server."""

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.const import DOMAIN
from custom_components.xuc.repairs import LINKS_CONFIG_ENTRY
from tests.helpers import wait_until
from tests.integration.const import ENTRY_ID
from tests.xuc_simulator import XucSimulator


async def test_no_line_repair(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """No line: raised on an empty LineConfig or none at all, cleared by a line."""
    registry = ir.async_get(hass)
    issue_id = f"no_line_{ENTRY_ID}"
    hub = loaded_entry.runtime_data
    assert registry.async_get_issue(DOMAIN, issue_id) is None
    await simulator.push("LineConfig", {})
    await wait_until(lambda: registry.async_get_issue(DOMAIN, issue_id) is not None)
    await simulator.push("LineConfig", {"name": "sip1000", "number": "1000"})
    await wait_until(lambda: registry.async_get_issue(DOMAIN, issue_id) is None)
    simulator.accounts["alice"].line_number = None
    hub.client._request_timeout = 0.05
    await simulator.drop_connections()
    await wait_until(lambda: registry.async_get_issue(DOMAIN, issue_id) is not None)


async def test_unsupported_server_repair(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """A server without the XuC 2.0 API is an error, not retried, and an issue."""
    registry = ir.async_get(hass)
    issue_id = f"unsupported_server_{ENTRY_ID}"
    simulator.config.login_mode = "legacy"
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert config_entry.reason is not None
    assert config_entry.reason.startswith("The server offers no XuC 2.0 API")
    issue = registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {"title": "Alice Johnson"}
    # The issue is linked to its entry wherever Home Assistant can link them.
    assert LINKS_CONFIG_ENTRY is hasattr(issue, "config_entry_id")
    assert getattr(issue, "config_entry_id", ENTRY_ID) == ENTRY_ID
    simulator.config.login_mode = "ok"
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert registry.async_get_issue(DOMAIN, issue_id) is None
    simulator.config.login_mode = "legacy"
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert registry.async_get_issue(DOMAIN, issue_id) is not None
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    assert registry.async_get_issue(DOMAIN, issue_id) is None
