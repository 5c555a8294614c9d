"""Actions: the frames they put on the wire and the errors they raise."""

import asyncio
from datetime import datetime
from functools import partial
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.aioxuc import CallHistoryEntry, Throttle, XucConnectionError
from custom_components.xuc.const import CONF_AGENT_PHONE_NUMBER, DOMAIN
from custom_components.xuc.services import history_item
from tests.helpers import wait_until
from tests.integration.conftest import call_action, entry_data, setup_entry, state
from tests.integration.const import CONNECTED
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
    await call_action(hass, service, **data)
    received = await simulator.wait_for_command(frame["command"])
    assert received == {"claz": "web", **frame}


async def test_explicit_config_entry(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The entry can be named explicitly."""
    await call_action(
        hass, "dial", config_entry_id=loaded_entry.entry_id, destination="1"
    )
    assert (await simulator.wait_for_command("dial"))["destination"] == "1"


async def test_login_agent_uses_the_option(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Without a phone number, agent login uses the one set in the options."""
    with pytest.raises(ServiceValidationError) as error:
        await call_action(hass, "login_agent")
    assert error.value.translation_key == "agent_phone_number_required"
    hass.config_entries.async_update_entry(
        loaded_entry, options={CONF_AGENT_PHONE_NUMBER: "1000"}
    )
    await call_action(hass, "login_agent")
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
        ("transfer", {"destination": "x"}, "invalid_phone_number"),
        ("send_dtmf", {"digits": "12E"}, "invalid_digits"),
        ("send_dtmf", {"digits": "1" * 33}, "invalid_digits"),
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
        await call_action(hass, service, **data)
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
        await call_action(hass, "pause_agent")
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
        await call_action(hass, "hangup")
    assert error.value.translation_key == "config_entry_required"


async def test_no_account_loaded(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """With no account loaded, the action says which entry is needed."""
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    with pytest.raises(ServiceValidationError) as error:
        await call_action(hass, "hangup")
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
            await call_action(
                hass,
                service,
                return_response=service == "get_call_history",
                **REQUIRED_FIELDS.get(service, {}),
                config_entry_id=loaded_entry.entry_id,
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
        await call_action(hass, "hangup", config_entry_id=entry_id)
    assert error.value.translation_key == "config_entry_not_found"


async def test_offline(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """While offline, actions fail at once with a translated error."""
    simulator.config.login_mode = "error"
    await simulator.restart()
    await wait_until(lambda: state(hass, CONNECTED) == "off")
    with pytest.raises(HomeAssistantError) as error:
        await call_action(hass, "dial", destination="1")
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
        *(call_action(hass, "hangup") for _ in range(10)), return_exceptions=True
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
        await call_action(hass, "hangup")
    assert error.value.translation_key == "command_failed"
    assert error.value.translation_placeholders == {"error": "cannot send: reset"}


async def test_call_history(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The history is returned from the user's side of each call."""
    response = await call_action(hass, "get_call_history", return_response=True, size=3)
    assert await simulator.wait_for_command("getUserCallHistory") == {
        "claz": "web",
        "command": "getUserCallHistory",
        "size": 3,
    }
    calls = response["calls"]
    assert isinstance(calls, list)
    assert len(calls) == 3
    assert {
        key: calls[0][key] for key in ("direction", "status", "number", "name")
    } == {
        "direction": "outgoing",
        "status": "emitted",
        "number": "1001",
        "name": "Bob Marley",
    }
    assert calls[0]["duration"] == 70
    assert calls[0]["start"][10] == "T"
    assert {
        key: calls[1][key] for key in ("direction", "status", "number", "name")
    } == {
        "direction": "incoming",
        "status": "abandoned",
        "number": "0612345678",
        "name": None,
    }
    by_days = await call_action(hass, "get_call_history", return_response=True, days=2)
    assert await simulator.wait_for_command("getUserCallHistoryByDays") == {
        "claz": "web",
        "command": "getUserCallHistoryByDays",
        "days": 2,
    }
    assert len(by_days["calls"]) == 3  # type: ignore[arg-type]
    default = await call_action(hass, "get_call_history", return_response=True)
    assert (await simulator.wait_for_command("getUserCallHistory"))["size"] == 10
    assert len(default["calls"]) == 4  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"size": 3, "days": 2}, "history_size_or_days"),
        ({"size": 0}, "invalid_history_size"),
        ({"size": 101}, "invalid_history_size"),
        ({"days": 91}, "invalid_history_days"),
    ],
)
async def test_call_history_bad_input(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    data: dict[str, int],
    key: str,
) -> None:
    """Bad sizes and periods are refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as error:
        await call_action(hass, "get_call_history", return_response=True, **data)
    assert error.value.translation_key == key


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            CallHistoryEntry(
                start=datetime.fromisoformat("2024-01-01T10:00:00"), duration=3723
            ),
            {"start": "2024-01-01T10:00:00", "duration": 3723},
        ),
        (CallHistoryEntry(), {"start": None, "duration": None}),
    ],
)
def test_call_history_odd_values(
    entry: CallHistoryEntry, expected: dict[str, Any]
) -> None:
    """Times are shown in ISO 8601 and durations in seconds; unknown ones are None."""
    item = history_item(entry)
    assert {key: item[key] for key in expected} == expected
    assert (item["direction"], item["number"], item["name"]) == ("incoming", None, None)


async def test_call_history_without_answer(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A server that does not answer gives a clear error."""
    loaded_entry.runtime_data.client._request_timeout = 0.1
    simulator.config.sparse = True
    with pytest.raises(HomeAssistantError) as error:
        await call_action(hass, "get_call_history", return_response=True)
    assert error.value.translation_key == "command_failed"
    assert error.value.translation_placeholders == {
        "error": "no CallHistory within 0 s"
    }


@pytest.mark.parametrize(
    ("service", "data", "frames"),
    [
        (
            "transfer",
            {"destination": "10-02"},
            [{"command": "directTransfer", "destination": "1002"}],
        ),
        (
            "transfer",
            {"destination": "1002", "attended": True},
            [{"command": "attendedTransfer", "destination": "1002"}],
        ),
        ("complete_transfer", {}, [{"command": "completeTransfer"}]),
        ("cancel_transfer", {}, [{"command": "cancelTransfer"}]),
        (
            "send_dtmf",
            {"digits": "1#a"},
            [
                {"command": "sendDtmf", "key": "1"},
                {"command": "sendDtmf", "key": "#"},
                {"command": "sendDtmf", "key": "A"},
            ],
        ),
    ],
)
async def test_call_control_frames(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    frames: list[dict[str, Any]],
) -> None:
    """Transfers and DTMF send the frames XuC's own client sends."""
    await call_action(hass, service, **data)
    received = [await simulator.wait_for_command(frame["command"]) for frame in frames]
    assert received == [{"claz": "web", **frame} for frame in frames]
