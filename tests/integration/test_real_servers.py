"""What real XuC servers of each generation send, and what users then see."""

import logging

from homeassistant.components.sensor import ATTR_STATE_CLASS
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, PERCENTAGE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import every_generation
from tests.helpers import push_call_event, wait_until
from tests.integration.conftest import call_action, last_call, state
from tests.integration.const import (
    AGENT,
    BLUE_ABANDONED,
    BLUE_ANSWERED_SHARE,
    BLUE_EWT,
    BLUE_LOGGED_AGENTS,
    BLUE_LONGEST,
    BLUE_WAITING,
    CALL,
    PHONE,
    PRESENCE,
    VOICEMAIL,
)
from tests.xuc_simulator import XucSimulator


@every_generation
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_queue_counters_under_their_real_names(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Each generation's counter names feed the named sensors."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    assert state(hass, BLUE_LONGEST) == "12"
    assert state(hass, BLUE_ABANDONED) == "3"
    await simulator.set_queue_stats(3, {"LongestWaitTime": 40})
    await wait_until(lambda: state(hass, BLUE_LONGEST) == "40")
    if "LoggedAgents" not in simulator.config.server.counters:
        assert state(hass, BLUE_LOGGED_AGENTS) is None
        return
    await wait_until(lambda: state(hass, BLUE_ANSWERED_SHARE) == "90")
    assert (state(hass, BLUE_LOGGED_AGENTS), state(hass, BLUE_EWT)) == ("3", "6")
    share = hass.states.get(BLUE_ANSWERED_SHARE)
    assert share is not None
    assert share.attributes[ATTR_UNIT_OF_MEASUREMENT] == PERCENTAGE
    assert share.attributes[ATTR_STATE_CLASS] == "measurement"


@pytest.mark.parametrize("simulator", ["2022"], indirect=True)
async def test_wallboard_counters_are_disabled_by_default(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Counters only a wall board needs exist, disabled; others keep their name."""
    await simulator.push(
        "QueueStatistics",
        {
            "queueId": 3,
            "counters": [
                {"statName": "LongestWaitingTime", "value": 77},
                {"statName": "TotalNumberCallsAnsweredBefore15", "value": 30},
            ],
        },
    )
    await wait_until(lambda: state(hass, BLUE_LONGEST) == "77")
    for entity_id in (BLUE_LOGGED_AGENTS, BLUE_EWT, BLUE_ANSWERED_SHARE):
        entry = entity_registry.async_get(entity_id)
        assert entry is not None
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await wait_until(
        lambda: (
            entity_registry.async_get(
                "sensor.blue_sky_totalnumbercallsansweredbefore15"
            )
            is not None
        )
    )


@every_generation
async def test_call_direction_and_identity(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The call's direction reaches the event when sent, and its linkedId."""
    unique_id = await simulator.incoming_call("1001", "Bob Marley")
    await wait_until(lambda: last_call(hass).get("unique_id") == unique_id)
    call = simulator.accounts["alice"].calls[unique_id]
    assert last_call(hass)["linked_id"] == call.linked_id != unique_id
    expected = "Incoming" if simulator.config.server.call_direction else None
    assert last_call(hass)["direction"] == expected


async def test_calls_are_keyed_by_linked_id(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Events of one call share a linkedId; a release by uniqueId ends the call."""
    hub = loaded_entry.runtime_data

    await push_call_event(simulator, "EventRinging", linkedId="L1", uniqueId="U1")
    await push_call_event(simulator, "EventEstablished", linkedId="L1", uniqueId="U2")
    await push_call_event(simulator, "EventRinging", uniqueId="U3")
    await wait_until(lambda: last_call(hass).get("unique_id") == "U3")
    assert sorted(hub.session.calls) == ["L1", "U3"]
    assert hub.session.calls["L1"].unique_id == "U2"
    await push_call_event(simulator, "EventReleased", linkedId="L1", uniqueId="U9")
    await wait_until(lambda: sorted(hub.session.calls) == ["U3"])
    await push_call_event(simulator, "EventReleased", uniqueId="U3")
    await wait_until(lambda: last_call(hass).get("event_type") == "ended")
    await wait_until(lambda: not hub.session.calls)


@every_generation
@pytest.mark.parametrize(
    ("phone", "key", "message"),
    [
        (
            "1013",
            "phone_in_use",
            (
                "The XuC server refused the agent login: phone 1013 is already used "
                "by another agent"
            ),
        ),
        (
            "1099",
            "phone_unknown",
            (
                "The XuC server refused the agent login: the phone number is unknown "
                "to XiVO"
            ),
        ),
    ],
)
async def test_agent_login_refusals_reach_the_user(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    phone: str,
    key: str,
    message: str,
) -> None:
    """A documented AgentError makes the login fail with its reason, logged once."""
    loaded_entry.runtime_data.client.refusal_wait = 5.0
    with pytest.raises(HomeAssistantError) as error:
        await call_action(hass, "login_agent", phone_number=phone)
    assert error.value.translation_key == key
    assert str(error.value) == message
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "agentLogin" in warnings[0].getMessage()


async def test_error_answering_a_command_fails_the_action(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """An Error frame right after a command fails it; silence means success."""
    loaded_entry.runtime_data.client.refusal_wait = 5.0
    simulator.config.answer_unknown_commands_with_error = True
    with pytest.raises(HomeAssistantError) as error:
        await call_action(hass, "hangup")
    assert error.value.translation_key == "command_refused"
    assert error.value.translation_placeholders == {"reason": "No call to hangup"}
    loaded_entry.runtime_data.client.refusal_wait = 0.05
    await call_action(hass, "login_agent", phone_number="1000")
    await wait_until(lambda: state(hass, AGENT) == "ready")


async def test_throttle_error_answering_a_command(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The throttle Error answering a command gives the throttled message."""
    loaded_entry.runtime_data.client.refusal_wait = 5.0
    simulator.config.throttle_burst = 0
    simulator.config.throttle_rate = 0
    with pytest.raises(HomeAssistantError) as error:
        await call_action(hass, "dial", destination="1001")
    assert error.value.translation_key == "throttled"


async def test_pushed_values_are_unknown_after_a_reconnect(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Phone, voicemail and presence are unknown until pushed again, not stale."""
    await wait_until(lambda: state(hass, PRESENCE) == "available")
    assert (state(hass, PHONE), state(hass, VOICEMAIL)) == ("available", "2")
    simulator.config.initial_frames = ("UserConfigUpdate",)
    await simulator.drop_connections()
    await wait_until(lambda: simulator.total_connections == 2)
    await wait_until(lambda: state(hass, PHONE) == "unknown")
    assert state(hass, VOICEMAIL) == "unknown"
    assert state(hass, PRESENCE) == "unknown"
    await simulator.set_phone_status("BUSY")
    await wait_until(lambda: state(hass, PHONE) == "busy")
    assert state(hass, CALL) is not None


async def test_unknown_presence_list_shape_is_counted(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A CtiStatuses of another shape is counted, and presence stays shown."""
    await wait_until(lambda: state(hass, PRESENCE) == "available")
    stats = loaded_entry.runtime_data.client.stats
    assert stats.unparsed_frames == 0
    await simulator.push("CtiStatuses", {"statuses": "available,away"})
    await simulator.push("UserStatusUpdate", {"status": "away"})
    await wait_until(lambda: state(hass, PRESENCE) == "away")
    assert stats.unparsed_frames == 1
