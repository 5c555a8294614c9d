"""The phone card and the example dashboard in the real frontend."""

import json
import re
from typing import Any

from playwright.sync_api import Locator, Page, expect
import pytest
import yaml

from scripts import devenv
from tests.protocol_files import load_protocol_file

from .helpers import CHROMIUM, CardStack, log_in, screenshot


def _translations(language: str) -> Any:
    """The integration's translations into `language`."""
    path = devenv.REPO / f"custom_components/xuc/translations/{language}.json"
    return json.loads(path.read_text())


TRANSLATIONS = _translations("en")
DASHBOARD = yaml.safe_load((devenv.REPO / "examples/dashboard.yaml").read_text())
DASHBOARD_URL = "xuc-phone"
GOLDEN = {
    entry["call"]: json.loads(entry["sent"])
    for entry in load_protocol_file("golden-commands.json")["entries"]
}
# The element each card type of the example dashboard renders as.
CARD_ELEMENTS = {
    "custom:xuc-phone-card": "xuc-phone-card",
    "entities": "hui-entities-card",
    "glance": "hui-glance-card",
    "logbook": "hui-logbook-card",
    "history-graph": "hui-history-graph-card",
    "button": "hui-button-card",
}
# What the frontend shows instead of a card it cannot render.
CARD_ERRORS = "hui-error-card, hui-warning"
# XuC's colour of an available line (#01DF01).
AVAILABLE_COLOR = "rgb(1, 223, 1)"
PHONE_STATES = TRANSLATIONS["entity"]["sensor"]["phone_status"]["state"]
AGENT_STATES = TRANSLATIONS["entity"]["sensor"]["agent_state"]["state"]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]


def golden(call: str, **fields: Any) -> dict[str, Any]:
    """The frame XuC's own client sends for `call`, with some fields replaced."""
    return GOLDEN[call] | fields


def _send(page: Page, message: dict[str, Any]) -> Any:
    """Send a websocket command on the frontend's own connection."""
    return page.evaluate(
        "(message) => document.querySelector('home-assistant')"
        ".hass.connection.sendMessagePromise(message)",
        message,
    )


def _open_frontend(page: Page, stack: CardStack, language: str = "en") -> None:
    """Open the frontend, logged in, in `language`, and wait for its connection."""
    log_in(page, stack.hass.api)
    # Where the frontend keeps the language chosen in the user's profile.
    page.add_init_script(
        f"localStorage.setItem('selectedLanguage', {json.dumps(json.dumps(language))});"
    )
    page.goto(f"{stack.hass.api.url}/")
    page.wait_for_function(
        "() => document.querySelector('home-assistant')?.hass?.connection?.connected"
    )


def _import_dashboard(page: Page, stack: CardStack) -> None:
    """Add a dashboard and give it the example as its raw configuration."""
    _send(
        page,
        {
            "type": "lovelace/dashboards/create",
            "url_path": DASHBOARD_URL,
            "title": DASHBOARD["title"],
        },
    )
    save = {"type": "lovelace/config/save", "url_path": DASHBOARD_URL}
    _send(page, save | {"config": DASHBOARD})
    assert _send(page, {"type": "lovelace/config", "url_path": DASHBOARD_URL}) == (
        DASHBOARD
    )
    view = DASHBOARD["views"][0]["path"]
    page.goto(f"{stack.hass.api.url}/{DASHBOARD_URL}/{view}")


def _phone_card(page: Page, stack: CardStack, language: str = "en") -> Locator:
    """Open the example dashboard; return its phone card once it shows the line."""
    _open_frontend(page, stack, language)
    _import_dashboard(page, stack)
    card = page.locator("xuc-phone-card")
    available = _translations(language)["entity"]["sensor"]["phone_status"]["state"]
    expect(card.locator("[data-part=line]")).to_contain_text(available["available"])
    return card


def _button(card: Locator, action: str) -> Locator:
    return card.locator(f"button[data-action={action}]")


def test_example_dashboard_renders_every_card(
    card_stack: CardStack, page: Page
) -> None:
    """The example imports as a whole dashboard; each card renders, the phone first."""
    card = _phone_card(page, card_stack)
    # Loaded by the integration: the dashboards have no resource to add.
    assert _send(page, {"type": "lovelace/resources"}) == []
    cards = DASHBOARD["views"][0]["cards"]
    assert cards[0]["type"] == "custom:xuc-phone-card"
    for config in cards:
        expect(page.locator(CARD_ELEMENTS[config["type"]]).first).to_be_visible()
    expect(page.locator(CARD_ERRORS)).to_have_count(0)

    expect(card.locator(".user")).to_have_text("Alice Johnson")
    line = card.locator("[data-part=line]")
    expect(line).to_have_attribute("data-state", "available")
    expect(line.locator(".dot")).to_have_css("background-color", AVAILABLE_COLOR)
    expect(card.locator("[data-part=voicemail]")).to_contain_text("2")
    for action in ("answer", "hold", "hangup"):
        expect(_button(card, action)).to_be_disabled()
    for button in card.locator("button").all():
        assert button.get_attribute("aria-label")
    screenshot(card, "phone-card-idle", docs=True)

    # The default theme turns dark with the system's preference; so does the card.
    name = card.locator(".user")
    light = name.evaluate("(element) => getComputedStyle(element).color")
    page.emulate_media(color_scheme="dark")
    expect(name).not_to_have_css("color", light)


def test_card_speaks_french(card_stack: CardStack, page: Page) -> None:
    """With French as the user's language, the card's words are French."""
    card = _phone_card(page, card_stack, "fr")
    expect(card.locator("[data-part=line]")).to_contain_text("Ligne")
    expect(_button(card, "answer")).to_have_attribute("aria-label", "Répondre")
    expect(card.locator("input[name=number]")).to_have_attribute(
        "placeholder", "Numéro à appeler"
    )
    agent = _translations("fr")["entity"]["sensor"]["agent_state"]["state"]
    expect(card.locator("[data-part=agent]")).to_contain_text(agent["logged_out"])


def test_card_picker_and_editor(card_stack: CardStack, page: Page) -> None:
    """The picker lists the card; its stub and its editor choose the XuC user."""
    _open_frontend(page, card_stack)
    page.wait_for_function("() => customElements.get('xuc-phone-card')")
    picker = page.evaluate(
        "() => window.customCards.filter((card) => card.type === 'xuc-phone-card')"
    )
    assert [(entry["name"], entry["preview"]) for entry in picker] == [
        ("XiVO XuC phone", True)
    ]
    stub = page.evaluate(
        "() => customElements.get('xuc-phone-card')"
        ".getStubConfig(document.querySelector('home-assistant').hass)"
    )
    assert stub == {"entity": "sensor.alice_johnson_phone_status"}
    # The editor as the card's dialog gets it: a configuration, then hass.
    page.evaluate(
        """() => {
          const editor = customElements.get('xuc-phone-card').getConfigElement();
          editor.setConfig({ show_queues: false });
          editor.hass = document.querySelector('home-assistant').hass;
          editor.addEventListener('config-changed', (ev) => {
            window.xucConfigs = [...(window.xucConfigs || []), ev.detail.config];
          });
          document.body.append(editor);
        }"""
    )
    editor = page.locator("xuc-phone-card-editor")
    editor.locator("select[name=user]").select_option(label="Alice Johnson")
    # Under the app's own layers: click it without the pointer.
    editor.locator("input[name=show_dialpad]").dispatch_event("click")
    assert page.evaluate("() => window.xucConfigs") == [
        {"show_queues": False, "entity": stub["entity"]},
        {"show_queues": False, "entity": stub["entity"], "show_dialpad": False},
    ]


def test_calls_from_the_card(card_stack: CardStack, page: Page) -> None:
    """A ringing call shows the caller; the buttons send the golden frames."""
    card = _phone_card(page, card_stack)
    sim = card_stack.sim
    unique_id = sim.run(sim.sim.incoming_call("1001", "Bob Marley"))
    call = card.locator("[data-part=call]")
    expect(call).to_contain_text("Bob Marley")
    expect(call).to_contain_text("1001")
    expect(call).to_contain_text("Incoming call")
    expect(card.locator("[data-part=line]")).to_contain_text(PHONE_STATES["ringing"])
    expect(_button(card, "answer")).to_be_enabled()
    expect(_button(card, "hold")).to_be_disabled()

    _button(card, "answer").click()
    assert sim.next_command("answer") == golden(
        'Cti.answer("1447670380.34")', uniqueId=unique_id
    )
    expect(call).to_have_attribute("data-call", "answered")
    expect(_button(card, "answer")).to_be_disabled()
    expect(card.locator("[data-part=duration]")).to_have_text(re.compile(r"\d+:\d\d"))
    screenshot(card, "phone-card-call", docs=True)

    _button(card, "hold").click()
    assert sim.next_command("hold") == golden(
        'Cti.hold("1447670380.34")', uniqueId=unique_id
    )
    expect(call).to_contain_text("On hold")
    expect(_button(card, "hold")).to_have_attribute("aria-label", "Resume")
    # Opened during the call, the card finds how it began in the history.
    page.reload()
    expect(call).to_contain_text("Incoming call")
    expect(call).to_contain_text("On hold")

    _button(card, "hangup").click()
    assert sim.next_command("hangup") == golden(
        'Cti.hangup("1447670380.34")', uniqueId=unique_id
    )
    expect(call).to_have_count(0)
    expect(_button(card, "hangup")).to_be_disabled()

    number = card.locator("input[name=number]")
    number.fill("12ab")
    _button(card, "dial").click()
    message = TRANSLATIONS["exceptions"]["invalid_phone_number"]["message"]
    expect(card.locator(".dialpad .error")).to_have_text(
        message.replace("{number}", "12ab")
    )
    number.fill("")
    for key in "111":
        card.locator(f"button[data-key='{key}']").first.click()
    expect(number).to_have_value("111")
    _button(card, "dial").click()
    # The first dial frame: the bad number was refused before anything was sent.
    assert sim.next_command("dial") == GOLDEN['Cti.dial("111")']
    expect(call).to_contain_text("Outgoing call")
    expect(number).to_have_value("")


def test_agent_availability_and_disconnection(
    card_stack: CardStack, page: Page
) -> None:
    """Pause with a reason, ready, DND and presence; then the server goes away."""
    card = _phone_card(page, card_stack)
    sim = card_stack.sim
    sim.run(sim.sim.set_agent_state("AgentLogin"))
    sim.run(sim.sim.set_agent_state("AgentReady"))
    agent = card.locator("[data-part=agent]")
    expect(agent).to_have_attribute("data-state", "ready")
    expect(agent).to_contain_text(AGENT_STATES["ready"])
    expect(_button(card, "ready")).to_be_disabled()

    card.locator("select[data-action=reason]").select_option("outtolunch")
    _button(card, "pause").click()
    assert sim.next_command("pauseAgent") == golden(
        'Cti.pauseAgent(undefined, "lunch")', reason="outtolunch"
    )
    expect(agent).to_have_attribute("data-state", "paused")
    expect(agent).to_contain_text(AGENT_STATES["paused"])
    # The pause reason shows translated, like the presence of the same name.
    expect(agent).to_contain_text("Out to lunch")
    _button(card, "ready").click()
    assert sim.next_command("unpauseAgent") == GOLDEN["Cti.unpauseAgent()"]
    expect(agent).to_have_attribute("data-state", "ready")

    dnd = _button(card, "dnd")
    expect(dnd).to_have_attribute("aria-pressed", "false")
    dnd.click()
    assert sim.next_command("dnd") == GOLDEN["Cti.dnd(true)"]
    expect(dnd).to_have_attribute("aria-pressed", "true")
    card.locator("select[data-action=presence]").select_option("away")
    assert (
        sim.next_command("userStatusUpdate") == GOLDEN['Cti.changeUserStatus("away")']
    )

    sim.run(sim.sim.stop())
    expect(card.locator("[data-part=disconnected]")).to_have_text(
        "Disconnected from XiVO"
    )
    expect(card.locator("[data-part=line]")).to_have_count(0)
    expect(_button(card, "dial")).to_be_disabled()
    screenshot(card, "phone-card-disconnected")
