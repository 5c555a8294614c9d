"""Diagnostics, and secrets across a whole session."""

import logging

from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import orjson
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.xuc.aioxuc import SESSION_STATE
from custom_components.xuc.const import CONF_AGENT_PHONE_NUMBER, DOMAIN
from tests.helpers import wait_until
from tests.integration.conftest import call_action, entry_data, setup_entry, state
from tests.xuc_simulator import XucSimulator

PASSWORD = "Qv8$distinctive-PASS"


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """Diagnostics show the session and its state, with personal data redacted."""
    hass.config_entries.async_update_entry(
        loaded_entry, options={CONF_AGENT_PHONE_NUMBER: "1000"}
    )
    unique_id = await simulator.incoming_call("0612345678", "Bob Marley")
    hub = loaded_entry.runtime_data
    await wait_until(
        lambda: any(c.unique_id == unique_id for c in hub.session.calls.values())
    )
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )
    assert diagnostics["entry"]["data"][CONF_PASSWORD] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["username"] == "**REDACTED**"
    assert diagnostics["entry"]["options"][CONF_AGENT_PHONE_NUMBER] == "**REDACTED**"
    assert diagnostics["connection"]["state"] == "connected"
    assert diagnostics["connection"]["stats"]["sessions"] == 1
    assert diagnostics["state"]["phone_status"] == "ringing"
    assert diagnostics["state"]["user"]["full_name"] == "**REDACTED**"
    assert diagnostics["state"]["user"]["agent_id"] == 12
    assert diagnostics["state"].keys() == SESSION_STATE
    (call,) = diagnostics["state"]["calls"].values()
    assert call["other_dn"] == "**REDACTED**"
    assert call["unique_id"] == unique_id
    queues = diagnostics["state"]["queues"]
    assert [queue["queue_id"] for queue in queues["queues"].values()] == [3, 4]
    assert queues["counters"]["3"]["WaitingCalls"] == 1
    assert diagnostics["state"]["line_configured"] is True
    assert diagnostics["state"]["connected"] is True
    text = orjson.dumps(diagnostics).decode()
    for personal in ("secret", "0612345678", "Bob Marley", "Alice Johnson", "1000"):
        assert personal not in text


async def test_diagnostics_of_a_plain_user(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: XucSimulator,
    config_entry: MockConfigEntry,
) -> None:
    """A user who is no agent has no agent state to show."""
    simulator.accounts["alice"].agent_id = None
    await setup_entry(hass, config_entry)
    await wait_until(lambda: config_entry.runtime_data.session.user.user_id == 9)
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    assert diagnostics["state"]["agent"] is None
    assert diagnostics["state"]["user"]["agent_id"] is None


async def test_no_secret_anywhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A full session at DEBUG leaks no password or token anywhere."""
    caplog.set_level(logging.DEBUG)
    simulator.accounts["alice"].password = PASSWORD
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="9",
        version=2,
        data=entry_data(simulator, **{CONF_PASSWORD: PASSWORD}),
    )
    await setup_entry(hass, entry)
    await call_action(hass, "dial", destination="1001", variables={"x": PASSWORD})
    await simulator.wait_for_command("dial")
    simulator.expire_tokens()
    await simulator.drop_connections()
    await wait_until(
        lambda: simulator.login_count == 2 and entry.runtime_data.session.connected
    )
    simulator.accounts["alice"].password = "rotated"
    await simulator.restart()
    await wait_until(lambda: bool(hass.config_entries.flow.async_progress()))
    connected = er.async_get(hass).async_get_entity_id(
        "binary_sensor", DOMAIN, f"{entry.entry_id}_connected"
    )
    assert connected is not None
    assert state(hass, connected) == "off"
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    secrets = [PASSWORD, *simulator.issued_tokens]
    assert len(secrets) >= 3
    texts = [
        caplog.text,
        orjson.dumps(diagnostics).decode(),
        *(str(current.attributes) for current in hass.states.async_all()),
    ]
    for secret in secrets:
        for text in texts:
            assert secret not in text
    assert "token=***" in caplog.text
