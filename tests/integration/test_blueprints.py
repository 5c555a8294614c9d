"""The blueprints and the example dashboard work against the simulator."""

import asyncio
from pathlib import Path
import re
import shutil
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from tests.helpers import wait_until
from tests.integration.conftest import state
from tests.integration.const import CALL, ENTRY_ID, PHONE, VOICEMAIL
from tests.xuc_simulator import XucSimulator

REPOSITORY = Path(__file__).parents[2]


BLUEPRINTS = REPOSITORY / "blueprints"


README_CALL_AUTOMATION = re.compile(
    r"An automation on incoming calls.*?```yaml\n(.*?)```", re.DOTALL
)


@pytest.fixture(autouse=True)
def blueprints_in_config(hass: HomeAssistant, tmp_path: Path) -> None:
    """Install the repository's blueprints in Home Assistant's config folder."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")


async def use_blueprint(hass: HomeAssistant, path: str, inputs: dict[str, Any]) -> None:
    """Set up one automation from a blueprint; fail unless it is valid."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "under_test",
                "alias": "Under test",
                "use_blueprint": {"path": f"xuc/{path}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    assert state(hass, "automation.under_test") == "on"


def test_blueprints_are_in_place() -> None:
    """The three blueprints of the README are shipped."""
    assert sorted(
        path.name for path in (BLUEPRINTS / "automation" / "xuc").iterdir()
    ) == [
        "flash_light_while_ringing.yaml",
        "notify_new_voicemail.yaml",
        "pause_agent_when_away.yaml",
    ]


async def test_flash_light_while_ringing(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The light blinks while the phone rings and is put back afterwards."""
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"desk": {}}}
    )
    # Under the template key: the light platform's key is refused from 2026.x on.
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": {
                "light": {
                    "name": "desk",
                    "state": "{{ is_state('input_boolean.desk', 'on') }}",
                    "turn_on": {
                        "action": "input_boolean.turn_on",
                        "target": {"entity_id": "input_boolean.desk"},
                    },
                    "turn_off": {
                        "action": "input_boolean.turn_off",
                        "target": {"entity_id": "input_boolean.desk"},
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()
    assert await async_setup_component(hass, "scene", {})
    await use_blueprint(
        hass,
        "flash_light_while_ringing.yaml",
        {"phone_status": PHONE, "lights": ["light.desk"], "interval": 0.3},
    )
    seen: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            seen.append(event.data["new_state"].state)
            if event.data["entity_id"] == "input_boolean.desk"
            else None
        ),
    )
    unique_id = await simulator.incoming_call()
    await wait_until(lambda: seen.count("on") >= 2)
    await simulator.remote_hangup(unique_id)
    await wait_until(lambda: state(hass, PHONE) == "available")
    await wait_until(lambda: state(hass, "light.desk") == "off")
    await hass.async_block_till_done()


async def test_pause_agent_when_away(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Leaving home pauses the agent with the reason; coming back unpauses."""
    hass.states.async_set("person.alice", "home")
    await use_blueprint(
        hass,
        "pause_agent_when_away.yaml",
        {"person": "person.alice", "account": ENTRY_ID, "reason": "outtolunch"},
    )
    hass.states.async_set("person.alice", "not_home")
    assert await simulator.wait_for_command("pauseAgent") == {
        "claz": "web",
        "command": "pauseAgent",
        "reason": "outtolunch",
    }
    hass.states.async_set("person.alice", "home")
    assert await simulator.wait_for_command("unpauseAgent") == {
        "claz": "web",
        "command": "unpauseAgent",
    }


async def test_notify_new_voicemail(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """New messages raise a notification; listening to all of them dismisses it."""
    notifications: dict[str, Any] = {}

    def follow(
        update: persistent_notification.UpdateType, changed: dict[str, Any]
    ) -> None:
        if update is persistent_notification.UpdateType.REMOVED:
            for notification_id in changed:
                notifications.pop(notification_id)
        else:
            notifications.update(changed)

    assert await async_setup_component(hass, "persistent_notification", {})
    persistent_notification.async_register_callback(hass, follow)
    await use_blueprint(hass, "notify_new_voicemail.yaml", {"new_messages": VOICEMAIL})
    await wait_until(lambda: state(hass, VOICEMAIL) == "2")
    await simulator.set_voicemail(3, 5)
    notification_id = f"xuc_voicemail_{VOICEMAIL.replace('.', '_')}"
    await wait_until(lambda: notification_id in notifications)
    assert notifications[notification_id]["title"] == "New voicemail"
    assert notifications[notification_id]["message"].startswith(
        "3 new voicemail messages for Alice Johnson"
    )
    await simulator.set_voicemail(0, 8)
    await wait_until(lambda: notification_id not in notifications)


async def test_example_dashboard_uses_real_entities(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """Every entity and action in the example dashboard exists."""
    dashboard = yaml.safe_load((REPOSITORY / "examples" / "dashboard.yaml").read_text())
    await wait_until(lambda: state(hass, "sensor.blue_sky_waiting_calls") is not None)
    entities: set[str] = set()
    actions: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "entity" or (key == "entities" and isinstance(value, str)):
                    entities.add(value)
                elif key == "perform_action":
                    actions.add(value)
                else:
                    collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item) if not isinstance(item, str) else entities.add(item)

    collect(dashboard["views"])
    assert len(entities) >= 10
    for entity_id in entities:
        assert hass.states.get(entity_id) is not None, entity_id
    for action in actions:
        domain, name = action.split(".")
        assert hass.services.has_service(domain, name), action


async def test_readme_call_automation_runs_for_every_ringing_call(
    hass: HomeAssistant, simulator: XucSimulator, loaded_entry: MockConfigEntry
) -> None:
    """The README's automation notifies each of two calls ringing in a row."""
    match = README_CALL_AUTOMATION.search((REPOSITORY / "README.md").read_text())
    assert match is not None
    automation = yaml.safe_load(match.group(1))
    messages: list[str] = []
    second_rang = asyncio.Event()

    async def notify(call: ServiceCall) -> None:
        """Take as long to send the first message as the second call takes to ring."""
        messages.append(call.data["message"])
        await second_rang.wait()

    hass.services.async_register("notify", "mobile_app_phone", notify)
    assert await async_setup_component(
        hass, "automation", {"automation": {"id": "calls", **automation}}
    )
    await hass.async_block_till_done()
    first = await simulator.incoming_call("0612345678", "Bob Marley")
    await wait_until(lambda: len(messages) == 1)
    second = await simulator.incoming_call("0698765432", None)
    await wait_until(
        lambda: hass.states.get(CALL).attributes["unique_id"] == second  # type: ignore[union-attr]
    )
    second_rang.set()
    await wait_until(lambda: len(messages) == 2)
    assert messages == ["Call from Bob Marley", "Call from 0698765432"]
    await simulator.remote_answer(first)
    await wait_until(
        lambda: hass.states.get(CALL).attributes["event_type"] == "answered"  # type: ignore[union-attr]
    )
    await hass.async_block_till_done()
    assert len(messages) == 2
