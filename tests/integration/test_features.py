"""Presence, forwarding, queues, call history, transfers, caller names, repairs."""

from datetime import datetime
from typing import Any
from unittest.mock import patch

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
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    EVENT_STATE_CHANGED,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.xuc.aioxuc import CallHistoryEntry
from custom_components.xuc.aioxuc.names import MAX_UNANSWERED
from custom_components.xuc.const import DOMAIN
from custom_components.xuc.repairs import LINKS_CONFIG_ENTRY
from custom_components.xuc.services import history_item
from tests.conftest import every_generation
from tests.helpers import wait_until
from tests.integration.conftest import ENTRY_ID, device, remove_device, setup_entry
from tests.integration.test_init import state
from tests.xuc_simulator import XucSimulator

PRESENCE = "select.alice_johnson_presence"
FORWARD_ALL = "switch.alice_johnson_forward_all_calls"
FORWARD_ALL_TO = "text.alice_johnson_forward_all_calls_to"
FORWARD_BUSY = "switch.alice_johnson_forward_when_busy"
FORWARD_BUSY_TO = "text.alice_johnson_forward_when_busy_to"
BLUE_WAITING = "sensor.blue_sky_waiting_calls"
BLUE_LONGEST = "sensor.blue_sky_longest_wait_time"
CALL = "event.alice_johnson_call"


async def action(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call an action of the integration."""
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def set_text(hass: HomeAssistant, entity_id: str, value: str) -> None:
    """Type a value into a text entity."""
    await hass.services.async_call(
        TEXT_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )


async def switch(hass: HomeAssistant, service: str, entity_id: str) -> None:
    """Turn a switch on or off."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
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
        await hass.services.async_call(
            SELECT_DOMAIN,
            SERVICE_SELECT_OPTION,
            {ATTR_ENTITY_ID: PRESENCE, ATTR_OPTION: option},
            blocking=True,
        )
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
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: PRESENCE, ATTR_OPTION: "available"},
        blocking=True,
    )
    assert (await simulator.wait_for_command("userStatusUpdate"))["status"] == (
        "available"
    )


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


async def test_queue_devices_and_sensors(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Each listed queue is a device with its counters, updated as they change."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    assert state(hass, BLUE_LONGEST) == "12"
    queue = device(hass, f"{ENTRY_ID}_queue_3")
    assert queue is not None
    assert (queue.name, queue.model, queue.model_id) == ("Blue Sky", "Queue", None)
    assert queue.entry_type is dr.DeviceEntryType.SERVICE
    assert queue.sw_version is None
    answered = entity_registry.async_get("sensor.blue_sky_calls_answered")
    assert answered is not None
    assert answered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await simulator.set_queue_stats(3, {"WaitingCalls": 4, "LongestWaitTime": 95})
    await wait_until(lambda: state(hass, BLUE_WAITING) == "4")
    assert state(hass, BLUE_LONGEST) == "95"
    await simulator.push(
        "QueueStatistics",
        {
            "queueRef": "greenfield",
            "counters": [{"statName": "WaitingCalls", "value": 2}],
        },
    )
    await wait_until(lambda: state(hass, "sensor.green_field_waiting_calls") == "2")


async def test_queues_come_and_go(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """New queues and counters appear without a restart; vanished queues go."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    await simulator.push(
        "QueueConfig",
        {"id": 7, "name": "night", "displayName": "Night Shift", "number": "3007"},
    )
    await wait_until(
        lambda: state(hass, "sensor.night_shift_waiting_calls") is not None
    )
    await simulator.push(
        "QueueStatistics",
        {"queueId": 7, "counters": [{"statName": "MysteryCounter", "value": 5}]},
    )
    await wait_until(
        lambda: (
            entity_registry.async_get("sensor.night_shift_mysterycounter") is not None
        )
    )
    mystery = entity_registry.async_get("sensor.night_shift_mysterycounter")
    assert mystery is not None
    assert mystery.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await simulator.push(
        "QueueList",
        [{"id": 3, "name": "bluesky", "displayName": "Blue Sky", "number": "3000"}],
    )
    await wait_until(lambda: device(hass, f"{ENTRY_ID}_queue_7") is None)
    assert device(hass, f"{ENTRY_ID}_queue_4") is None
    assert entity_registry.async_get("sensor.green_field_waiting_calls") is None
    assert state(hass, BLUE_WAITING) == "1"
    await simulator.push("QueueStatistics", {"queueId": 4, "counters": []})
    await simulator.push(
        "QueueList",
        [
            {"id": 3, "name": "bluesky", "displayName": "Blue Sky"},
            {"id": 4, "name": "greenfield", "displayName": "Green Field"},
        ],
    )
    await wait_until(
        lambda: state(hass, "sensor.green_field_waiting_calls") is not None
    )


async def test_unnamed_queue(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A queue the server gives no name is named after its id, translated."""
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    await simulator.push("QueueConfig", {"id": 8})
    await wait_until(lambda: state(hass, "sensor.queue_8_waiting_calls") is not None)
    queue = device(hass, f"{ENTRY_ID}_queue_8")
    assert queue is not None
    assert queue.name == "Queue 8"


@pytest.mark.parametrize("entry_state", ["loaded", "unloaded"])
async def test_stale_device_can_be_deleted(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entry_state: str,
) -> None:
    """The user device stays, and listed queues while the entry is loaded.

    An unlisted leftover may always go; with the entry unloaded the queues
    are unknown, so any queue device may go.
    """
    assert await async_setup_component(hass, "config", {})
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    user = device(hass, ENTRY_ID)
    queue = device(hass, f"{ENTRY_ID}_queue_3")
    leftover = device_registry.async_get_or_create(
        config_entry_id=ENTRY_ID, identifiers={(DOMAIN, f"{ENTRY_ID}_queue_99")}
    )
    assert user is not None
    assert queue is not None
    unloaded = entry_state == "unloaded"
    if unloaded:
        assert await hass.config_entries.async_unload(ENTRY_ID)
    client = await hass_ws_client(hass)
    for entry, removable in ((user, False), (queue, unloaded), (leftover, True)):
        response = await remove_device(hass, client, entry.id)
        assert response["success"] is removable
        assert (device_registry.async_get(entry.id) is None) is removable


async def test_any_profile_sees_queues(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """Queues are asked for whatever the (unpublished) rights profile name."""
    simulator.accounts["alice"].agent_id = None
    simulator.config.right_profile = "Teamleader"
    simulator.config.initial_frames += ("RightProfile",)
    await setup_entry(hass, config_entry)
    await wait_until(lambda: state(hass, BLUE_WAITING) == "1")
    assert await simulator.wait_for_command("subscribeToQueueStats")


async def test_call_history(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The history is returned from the user's side of each call."""
    response = await hass.services.async_call(
        DOMAIN, "get_call_history", {"size": 3}, blocking=True, return_response=True
    )
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
    by_days = await hass.services.async_call(
        DOMAIN, "get_call_history", {"days": 2}, blocking=True, return_response=True
    )
    assert await simulator.wait_for_command("getUserCallHistoryByDays") == {
        "claz": "web",
        "command": "getUserCallHistoryByDays",
        "days": 2,
    }
    assert len(by_days["calls"]) == 3  # type: ignore[arg-type]
    default = await hass.services.async_call(
        DOMAIN, "get_call_history", {}, blocking=True, return_response=True
    )
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
        await hass.services.async_call(
            DOMAIN, "get_call_history", data, blocking=True, return_response=True
        )
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
        await hass.services.async_call(
            DOMAIN, "get_call_history", {}, blocking=True, return_response=True
        )
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
    await action(hass, service, **data)
    received = [await simulator.wait_for_command(frame["command"]) for frame in frames]
    assert received == [{"claz": "web", **frame} for frame in frames]


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("transfer", {"destination": "x"}, "invalid_phone_number"),
        ("send_dtmf", {"digits": "12E"}, "invalid_digits"),
        ("send_dtmf", {"digits": "1" * 33}, "invalid_digits"),
    ],
)
async def test_call_control_bad_input(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Bad destinations and digits are refused."""
    with pytest.raises(ServiceValidationError) as error:
        await action(hass, service, **data)
    assert error.value.translation_key == key


def last_call(hass: HomeAssistant) -> dict[str, Any]:
    """The attributes of the last call event."""
    current = hass.states.get(CALL)
    assert current is not None
    return dict(current.attributes)


LOOKUPS = ("directoryLookUp", "searchContacts")


def lookups(simulator: XucSimulator) -> list[dict[str, Any]]:
    """The directory lookups the simulator received."""
    return [f for f in simulator.commands() if f["command"] in LOOKUPS]


@every_generation
async def test_caller_names_from_the_directory(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """An unnamed caller rings at once; the name found is used from then on."""
    hub = loaded_entry.runtime_data
    unique_id = await simulator.incoming_call("1001", "")
    await wait_until(lambda: last_call(hass).get("unique_id") == unique_id)
    assert last_call(hass)["event_type"] == "ringing"
    assert last_call(hass)["other_name"] is None
    await wait_until(lambda: hub.session.caller_names.cached("1001") == "Bob Marley")
    await simulator.remote_answer(unique_id)
    await wait_until(lambda: last_call(hass).get("event_type") == "answered")
    assert last_call(hass)["other_name"] == "Bob Marley"
    await simulator.remote_hangup(unique_id)
    await wait_until(lambda: last_call(hass).get("event_type") == "ended")
    second = await simulator.incoming_call("1001", "")
    await wait_until(lambda: last_call(hass).get("unique_id") == second)
    assert last_call(hass)["other_name"] == "Bob Marley"
    assert lookups(simulator) == [
        {"claz": "web", "command": "directoryLookUp", "term": "1001"}
    ]


async def test_unknown_caller_stays_unnamed(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """A number nobody in the directory has keeps no name, and is asked once."""
    hub = loaded_entry.runtime_data
    for _ in range(2):
        unique_id = await simulator.incoming_call("0699999999", "")
        await wait_until(lambda uid=unique_id: last_call(hass).get("unique_id") == uid)
        assert last_call(hass)["other_name"] is None
        await wait_until(lambda: not hub.session.caller_names.wanted("0699999999"))
        await simulator.remote_hangup(unique_id)
    assert len(lookups(simulator)) == 1


@every_generation
async def test_call_events_never_wait_for_a_lookup(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """With a directory that never answers, each call event is shown at once.

    The event's state is written while the frame is handled, before the
    lookup it starts has even reached the server.
    """
    simulator.config.lookup_commands = frozenset()
    lookups_seen: list[int] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == CALL:
            lookups_seen.append(len(lookups(simulator)))

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, _changed)
    unique_id = await simulator.incoming_call("1001", "")
    await wait_until(lambda: last_call(hass).get("unique_id") == unique_id)
    unsubscribe()
    assert last_call(hass)["other_name"] is None
    assert lookups_seen == [0]
    assert await simulator.wait_for_command("directoryLookUp")


async def test_silent_directory_is_no_longer_asked(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """After a few unanswered lookups the session stops asking."""
    simulator.config.lookup_commands = frozenset()
    hub = loaded_entry.runtime_data
    with patch("custom_components.xuc.aioxuc.names.LOOKUP_TIMEOUT", 0.01):
        for number in ("0611", "0622", "0633", "0644", "0655"):
            await simulator.incoming_call(number, "")
            await wait_until(lambda n=number: last_call(hass).get("other_number") == n)
            await wait_until(lambda n=number: not hub.session.caller_names.wanted(n))
    assert len(lookups(simulator)) == MAX_UNANSWERED


async def test_voicemail_switched_off_is_no_problem(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Voicemail switched off on purpose raises no repair issue."""
    await simulator.set_user_config(voicemail_enabled=False, dnd=True)
    await wait_until(lambda: loaded_entry.runtime_data.session.user.dnd_enabled is True)
    assert loaded_entry.runtime_data.session.user.voicemail_enabled is False
    assert ir.async_get(hass).issues == {}


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
