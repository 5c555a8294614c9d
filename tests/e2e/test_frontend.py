"""Add XiVO XuC through the real frontend and see the device's live state."""

import json
import re

from playwright.sync_api import Locator, Page, expect
import pytest

from custom_components.xuc.aioxuc.const import DEFAULT_PORT
from scripts import devenv

from .helpers import CHROMIUM, Stack, screenshot

TRANSLATIONS = json.loads(
    (devenv.REPO / "custom_components/xuc/translations/en.json").read_text()
)
# Tall enough for the device page's cards, which scroll inside the page.
DEVICE_VIEWPORT = {"width": 1280, "height": 1400}
# Longer than a cycle of the demo scenario.
CALL_WAIT_MS = 40_000

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]


def _any_of(texts: dict[str, str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(text) for text in texts.values()))


def _button(scope: Page | Locator, text: str | re.Pattern[str]) -> Locator:
    """A button by its text: mwc-button up to 2025.x, ha-button from 2026.x."""
    return scope.locator("mwc-button, ha-button").filter(has_text=text)


def _entity_row(page: Page, name: str) -> Locator:
    return page.locator("ha-config-device-page hui-generic-entity-row", has_text=name)


def test_add_integration_in_the_frontend(stack: Stack, page: Page) -> None:
    """Log in, add XiVO XuC with the config-flow dialog, open the user's device."""
    url = stack.hass.api.url
    user = devenv.DEV_USER
    page.goto(f"{url}/")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', user.password)
    screenshot(page, "login")
    _button(page, "Log in").click()
    page.wait_for_selector("ha-sidebar")

    page.goto(f"{url}/config/integrations/dashboard")
    # A floating ha-fab up to 2025.x, an ha-button in the fab slot from 2026.x.
    page.locator("ha-fab, ha-button[slot=fab]").filter(
        has_text="Add integration"
    ).click()
    page.locator(
        "dialog-add-integration :is(search-input, ha-input-search) input"
    ).fill("XuC")
    page.click('dialog-add-integration ha-integration-list-item:has-text("XiVO XuC")')
    form = page.locator("dialog-data-entry-flow step-flow-form")
    step = TRANSLATIONS["config"]["step"]["user"]
    # The description shows once the integration's translations are loaded.
    expect(form).to_contain_text(step["description"])
    form.locator('input[name="host"]').fill(devenv.HOST)
    form.locator('input[name="username"]').fill(devenv.XUC_ACCOUNT["username"])
    form.locator('input[name="password"]').fill(devenv.XUC_ACCOUNT["password"])
    port = form.locator('input[type="number"]')
    expect(port).to_have_value(str(DEFAULT_PORT))
    # The README's picture shows the default port; the simulator listens elsewhere.
    screenshot(page, "config-flow", docs=True)
    port.fill(str(stack.sim.port))
    # In the step up to 2025.x, in the dialog's footer from 2026.x.
    dialog = page.locator("dialog-data-entry-flow")
    _button(dialog, "Submit").click()

    created = dialog.locator("step-flow-create-entry")
    # Up to 2025.x the step shows the entry's title; from 2026.x it offers to
    # name each new device, the user's first, in a field holding its name.
    device_names = created.get_by_role("textbox", name="Device name")
    expect(
        created.filter(has_text="Alice Johnson").or_(device_names.first)
    ).to_be_visible()
    if device_names.count():
        expect(device_names.first).to_have_value("Alice Johnson")
    # "Finish" up to 2025.x, "Skip and finish" from 2026.x.
    _button(dialog, re.compile(r"^\s*(Finish|Skip and finish)\s*$")).click()
    page.wait_for_url(re.compile(r"/config/integrations/integration/xuc\b"))
    expect(page.locator("ha-config-integration-page")).to_contain_text("Alice Johnson")
    screenshot(page, "integration", docs=True)

    page.set_viewport_size(DEVICE_VIEWPORT)
    page.goto(f"{url}{devenv.xuc_page(stack.hass.api)}")
    sensors = TRANSLATIONS["entity"]["sensor"]
    phone = sensors["phone_status"]
    phone_row = _entity_row(page, phone["name"])
    expect(phone_row).to_contain_text(_any_of(phone["state"]))
    voicemail = sensors["voicemail_new_messages"]
    expect(_entity_row(page, voicemail["name"])).to_contain_text(re.compile(r"\d"))
    # Pushed live: the demo scenario answers a call every 25 s.
    expect(phone_row).to_contain_text(phone["state"]["busy"], timeout=CALL_WAIT_MS)
    screenshot(page, "device", docs=True)
