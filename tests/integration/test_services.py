"""Actions: the frames they put on the wire and the errors they raise."""

import asyncio
from functools import partial
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.aioxuc import Throttle, XucConnectionError
from custom_components.xuc.const import CONF_AGENT_PHONE_NUMBER, DOMAIN
from tests.helpers import wait_until
from tests.integration.conftest import entry_data, setup_entry
from tests.integration.test_init import CONNECTED, state
from tests.xuc_simulator import XucSimulator

# What the integration asks for by itself after connecting.
RESYNC = {
    "getCurrentCallsPhoneEvents",
    "getConfig",
    "subscribeToAgentEvents",
    "getAgentStates",
    "getList",
    "subscribeToQueueStats",
}


async def call(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call one of the integration's actions and wait for it."""
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


@pytest.mark.parametrize(
    ("service", "data", "frame"),
    [
        ("dial", {"destination": "111"}, {"command": "dial", "destination": "111"}),
        (
            "dial",
            {"destination": "+33 (0)1 23.45-67", "variables": {"ticket": 42}},
            {
                "command": "dial",
                "destination": "+330123 4567".replace(" ", ""),
                "variables": {"ticket": "42"},
            },
        ),
        (
            "dial",
            {"destination": "*21#", "variables": {}},
            {"command": "dial", "destination": "*21#", "variables": {}},
        ),
        ("hangup", {}, {"command": "hangup"}),
        (
            "hangup",
            {"unique_id": "1447670380.34"},
            {"command": "hangup", "uniqueId": "1447670380.34"},
        ),
        ("answer", {}, {"command": "answer"}),
        (
            "answer",
            {"unique_id": "1447670380.34"},
            {"command": "answer", "uniqueId": "1447670380.34"},
        ),
        ("hold", {}, {"command": "hold"}),
        (
            "hold",
            {"unique_id": "1447670380.34"},
            {"command": "hold", "uniqueId": "1447670380.34"},
        ),
        ("pause_agent", {}, {"command": "pauseAgent"}),
        (
            "pause_agent",
            {"reason": "lunch"},
            {"command": "pauseAgent", "reason": "lunch"},
        ),
        ("unpause_agent", {}, {"command": "unpauseAgent"}),
        ("logout_agent", {}, {"command": "agentLogout"}),
        (
            "login_agent",
            {"phone_number": "1000"},
            {"command": "agentLogin", "agentphonenumber": "1000"},
        ),
    ],
)
async def test_action_frames(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    frame: dict[str, Any],
) -> None:
    """Each action sends the frame XuC's own client sends for the same call."""
    simulator.accounts["alice"].agent_state = "AgentReady"
    await call(hass, service, **data)
    received = await simulator.wait_for_command(frame["command"])
    assert received == {"claz": "web", **frame}


async def test_explicit_config_entry(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The entry can be named explicitly."""
    await call(hass, "dial", config_entry_id=loaded_entry.entry_id, destination="1")
    assert (await simulator.wait_for_command("dial"))["destination"] == "1"


async def test_login_agent_uses_the_option(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Without a phone number, agent login uses the one set in the options."""
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "login_agent")
    assert error.value.translation_key == "agent_phone_number_required"
    hass.config_entries.async_update_entry(
        loaded_entry, options={CONF_AGENT_PHONE_NUMBER: "1000"}
    )
    await call(hass, "login_agent")
    frame = await simulator.wait_for_command("agentLogin")
    assert frame["agentphonenumber"] == "1000"


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("dial", {"destination": "abc"}, "invalid_phone_number"),
        ("dial", {"destination": ""}, "invalid_phone_number"),
        ("dial", {"destination": "1" * 41}, "invalid_phone_number"),
        ("dial", {"destination": '1", "command": "hangup'}, "invalid_phone_number"),
        ("dial", {"destination": "1", "variables": ["a"]}, "invalid_variables"),
        ("dial", {"destination": "1", "variables": {"a b": "1"}}, "invalid_variables"),
        (
            "dial",
            {"destination": "1", "variables": {"a": {"b": 1}}},
            "invalid_variables",
        ),
        ("dial", {"destination": "1", "variables": {"a": True}}, "invalid_variables"),
        (
            "dial",
            {"destination": "1", "variables": {"a": "x" * 257}},
            "invalid_variables",
        ),
        ("hangup", {"unique_id": 'x", "command": "dial'}, "invalid_unique_id"),
        ("answer", {"unique_id": ""}, "invalid_unique_id"),
        ("pause_agent", {"reason": "x" * 65}, "invalid_reason"),
        ("pause_agent", {"reason": ""}, "invalid_reason"),
        ("pause_agent", {"reason": "\ud800"}, "invalid_reason"),
        (
            "dial",
            {"destination": "1", "variables": {"a": "\udfff"}},
            "invalid_variables",
        ),
        ("login_agent", {"phone_number": "one"}, "invalid_phone_number"),
    ],
)
async def test_bad_input(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Bad input is a translated validation error; nothing reaches the server."""
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, service, **data)
    assert error.value.translation_domain == DOMAIN
    assert error.value.translation_key == key
    assert not [
        frame for frame in simulator.commands() if frame["command"] not in RESYNC
    ]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_not_an_agent(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Agent actions are refused for a user the server says is no agent."""
    await simulator.push("UserConfigUpdate", {"userId": 9, "agentId": 0})
    hub = loaded_entry.runtime_data
    await wait_until(lambda: hub.session.user.agent_id == 0)
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "pause_agent")
    assert error.value.translation_key == "not_an_agent"


async def test_config_entry_must_be_chosen(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """With two accounts loaded, the action needs config_entry_id."""
    second = MockConfigEntry(
        domain=DOMAIN, unique_id="second", version=2, data=entry_data(simulator)
    )
    await setup_entry(hass, second)
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "hangup")
    assert error.value.translation_key == "config_entry_required"


async def test_no_account_loaded(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """With no account loaded, the action says which entry is needed."""
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "hangup")
    assert error.value.translation_key == "config_entry_required"


# Each action with the fields it requires.
REQUIRED_FIELDS: dict[str, dict[str, Any]] = {
    "dial": {"destination": "111"},
    "transfer": {"destination": "111"},
    "send_dtmf": {"digits": "1"},
}


async def test_actions_on_an_unloaded_entry(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Every action aimed at an unloaded entry is a translated validation error."""
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    services = hass.services.async_services_for_domain(DOMAIN)
    assert len(services) == 13
    for service in services:
        with pytest.raises(ServiceValidationError) as error:
            await hass.services.async_call(
                DOMAIN,
                service,
                {
                    **REQUIRED_FIELDS.get(service, {}),
                    "config_entry_id": loaded_entry.entry_id,
                },
                blocking=True,
                return_response=service == "get_call_history",
            )
        assert error.value.translation_key == "config_entry_not_loaded"
        assert error.value.translation_placeholders == {"title": "Alice Johnson"}


@pytest.mark.parametrize("entry_id", ["nonexistent", "other-domain"])
async def test_unknown_config_entry(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    entry_id: str,
) -> None:
    """An id that is not a XuC entry is a validation error."""
    MockConfigEntry(domain="demo", entry_id="other-domain").add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as error:
        await call(hass, "hangup", config_entry_id=entry_id)
    assert error.value.translation_key == "config_entry_not_found"


async def test_offline(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """While offline, actions fail at once with a translated error."""
    simulator.config.login_mode = "error"
    await simulator.restart()
    await wait_until(lambda: state(hass, CONNECTED) == "off")
    with pytest.raises(HomeAssistantError) as error:
        await call(hass, "dial", destination="1")
    assert error.value.translation_key == "not_connected"


async def test_throttled(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """Over the throttle budget an action fails with a translated error."""
    strict = partial(Throttle, burst=8, reserve=0, max_wait=0)
    with patch("custom_components.xuc.aioxuc.client.Throttle", strict):
        config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(config_entry.entry_id)
    results = await asyncio.gather(
        *(call(hass, "hangup") for _ in range(10)), return_exceptions=True
    )
    refused = [result for result in results if isinstance(result, Exception)]
    assert refused
    assert {getattr(error, "translation_key", None) for error in refused} == {
        "throttled"
    }
    assert simulator.throttle_violations == 0


async def test_send_failure(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A link that fails while sending gives a translated error with the reason."""

    async def broken(command: object) -> None:
        message = "cannot send: reset"
        raise XucConnectionError(message)

    monkeypatch.setattr(loaded_entry.runtime_data.client, "send", broken)
    with pytest.raises(HomeAssistantError) as error:
        await call(hass, "hangup")
    assert error.value.translation_key == "command_failed"
    assert error.value.translation_placeholders == {"error": "cannot send: reset"}
