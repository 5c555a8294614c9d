"""After a refused or failed change, every control shows the server's state again."""

from collections.abc import Awaitable, Callable
from functools import partial

from homeassistant.const import EVENT_STATE_CHANGED, SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.aioxuc.throttle import Throttle
from tests.helpers import wait_until
from tests.integration.conftest import (
    select_presence,
    set_text,
    setup_entry,
    state,
    switch,
)
from tests.integration.const import DND, FORWARD_ALL, FORWARD_ALL_TO, PRESENCE
from tests.xuc_simulator import XucSimulator

type Change = Callable[[HomeAssistant], Awaitable[None]]


async def refused(
    hass: HomeAssistant, entity_id: str, change: Change
) -> tuple[str, list[str | None]]:
    """Make a change that fails; return its error and the states written meanwhile."""
    written: list[str | None] = []

    @callback
    def _record(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == entity_id:
            new_state = event.data["new_state"]
            written.append(new_state.state if new_state else None)

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, _record)
    try:
        with pytest.raises(HomeAssistantError) as error:
            await change(hass)
    finally:
        unsubscribe()
    return str(error.value.translation_key), written


async def test_refused_input_shows_the_server_state(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Forwarding to no destination or to a bad number: the old state is written."""
    await wait_until(lambda: state(hass, FORWARD_ALL) == "off")
    sent = len(simulator.commands())
    for entity_id, change, error, shown in (
        (
            FORWARD_ALL,
            partial(switch, service=SERVICE_TURN_ON, entity_id=FORWARD_ALL),
            "forward_destination_required",
            "off",
        ),
        (
            FORWARD_ALL_TO,
            partial(set_text, entity_id=FORWARD_ALL_TO, value="call me"),
            "invalid_phone_number",
            "",
        ),
    ):
        assert await refused(hass, entity_id, change) == (error, [shown])
        assert state(hass, entity_id) == shown
    assert len(simulator.commands()) == sent


@pytest.mark.parametrize(
    ("entity_id", "change", "shown"),
    [
        (DND, partial(switch, service=SERVICE_TURN_ON, entity_id=DND), "off"),
        (DND, partial(switch, service=SERVICE_TURN_OFF, entity_id=DND), "on"),
        (PRESENCE, partial(select_presence, option="away"), "available"),
        (FORWARD_ALL_TO, partial(set_text, entity_id=FORWARD_ALL_TO, value="1002"), ""),
    ],
)
async def test_failed_send_shows_the_server_state(
    hass: HomeAssistant,
    simulator: XucSimulator,
    config_entry: MockConfigEntry,
    entity_id: str,
    change: Change,
    shown: str,
) -> None:
    """A change the client cannot send (over its budget) writes the server's state."""
    simulator.accounts["alice"].dnd = shown == "on"
    # One frame every 100 s once the burst is spent: the budget stays spent.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "custom_components.xuc.aioxuc.client.Throttle",
            partial(Throttle, rate=0.01, burst=20, reserve=0, max_wait=0),
        )
        await setup_entry(hass, config_entry)
    await wait_until(lambda: state(hass, entity_id) == shown)
    hub = config_entry.runtime_data
    with pytest.raises(HomeAssistantError):
        await hub.async_command(hub.session.send_dtmf("1" * 20))
    sent = len(simulator.commands())
    assert await refused(hass, entity_id, change) == ("throttled", [shown])
    assert state(hass, entity_id) == shown
    assert len(simulator.commands()) == sent
