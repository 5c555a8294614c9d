"""Add XiVO XuC through the real frontend and see the device's live state."""

import json
import re

from playwright.sync_api import Locator, Page, expect
import pytest

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
    page.click('mwc-button:has-text("Log in")')
    page.wait_for_selector("ha-sidebar")

    page.goto(f"{url}/config/integrations/dashboard")
    page.click('ha-fab:has-text("Add integration")')
    page.fill("dialog-add-integration search-input input", "XuC")
    page.click('dialog-add-integration ha-integration-list-item:has-text("XiVO XuC")')
    form = page.locator("dialog-data-entry-flow step-flow-form")
    step = TRANSLATIONS["config"]["step"]["user"]
    # The description shows once the integration's translations are loaded.
    expect(form).to_contain_text(step["description"])
    form.locator('input[name="host"]').fill(devenv.HOST)
    form.locator('input[type="number"]').fill(str(stack.sim.port))  # the port
    form.locator('input[name="username"]').fill(devenv.XUC_ACCOUNT["username"])
    form.locator('input[name="password"]').fill(devenv.XUC_ACCOUNT["password"])
    screenshot(page, "config-flow", docs=True)
    form.locator('mwc-button:has-text("Submit")').click()

    created = page.locator("dialog-data-entry-flow step-flow-create-entry")
    expect(created).to_contain_text("Alice Johnson")
    created.locator('mwc-button:has-text("Finish")').click()
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
    expect(_entity_row(page, voicemail["name"])).to_contain_text(
        re.compile(rf"\d+ {voicemail['unit_of_measurement']}")
    )
    # Pushed live: the demo scenario answers a call every 25 s.
    expect(phone_row).to_contain_text(phone["state"]["busy"], timeout=CALL_WAIT_MS)
    screenshot(page, "device", docs=True)
