"""Call events: one per phone event, with the caller's name when found."""

from typing import Any
from unittest.mock import patch

from homeassistant.const import EVENT_STATE_CHANGED, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.aioxuc.names import MAX_UNANSWERED
from tests.conftest import every_generation
from tests.helpers import wait_until
from tests.integration.conftest import SnapshotEntities, last_call
from tests.integration.const import CALL
from tests.xuc_simulator import XucSimulator


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(snapshot_entities: SnapshotEntities) -> None:
    """Every one of the events, its registry entry and first state."""
    await snapshot_entities(Platform.EVENT)


async def test_call_events(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Each phone event fires the call event with the other party and the call id."""
    unique_id = await simulator.incoming_call(
        "0612345678", "Brucé Wail", queue="bluesky", user_data={"USR_ticket": "42"}
    )

    def event_type() -> str | None:
        current = hass.states.get(CALL)
        return None if current is None else current.attributes.get("event_type")

    await wait_until(lambda: event_type() == "ringing")
    attributes = hass.states.get(CALL).attributes  # type: ignore[union-attr]
    assert attributes["other_number"] == "0612345678"
    assert attributes["other_name"] == "Brucé Wail"
    assert attributes["unique_id"] == unique_id
    assert attributes["queue"] == "bluesky"
    assert attributes["variables"] == {"ticket": "42"}
    await simulator.remote_answer(unique_id)
    await wait_until(lambda: event_type() == "answered")
    await simulator.push(
        "PhoneEvent", {"eventType": "EventOnHold", "uniqueId": unique_id}
    )
    await wait_until(lambda: event_type() == "on_hold")
    await simulator.push("PhoneEvent", {"eventType": "EventTransferred"})
    await simulator.remote_hangup(unique_id)
    await wait_until(lambda: event_type() == "ended")
    assert loaded_entry.runtime_data.session.calls == {}


async def test_one_event_per_phone_event(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Every PhoneEvent fires the event entity once."""
    fired: list[str] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == CALL and event.data["new_state"]:
            fired.append(event.data["new_state"].attributes["other_number"])

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    for number in ("1001", "1002", "1003"):
        await simulator.push(
            "PhoneEvent", {"eventType": "EventRinging", "otherDN": number}
        )
    await wait_until(lambda: len(fired) == 3)
    assert fired == ["1001", "1002", "1003"]
    unsubscribe()


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
