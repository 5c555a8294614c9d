"""The phone card is served by the integration and loaded by the frontend."""

import json

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.xuc.card import CARD_FILE, FRONTEND_DIR
from custom_components.xuc.const import DOMAIN
from tests.integration.conftest import setup_entry


def _our_modules(hass: HomeAssistant) -> list[str]:
    """The frontend's extra modules that this integration added."""
    return [
        url
        for url in hass.data[DATA_EXTRA_MODULE_URL].urls
        if url.startswith(f"/{DOMAIN}/")
    ]


async def test_card_is_served_and_loaded_with_the_frontend(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    config_entry: MockConfigEntry,
) -> None:
    """The card's module is one extra module of the frontend, and it is served."""
    assert await async_setup_component(hass, "frontend", {})
    await setup_entry(hass, config_entry)
    version = json.loads((FRONTEND_DIR.parent / "manifest.json").read_text())["version"]
    modules = _our_modules(hass)
    assert modules == [f"/{DOMAIN}/frontend/{CARD_FILE}?v={version}"]

    client = await hass_client()
    response = await client.get(modules[0])
    assert response.status == 200
    assert await response.text() == (FRONTEND_DIR / CARD_FILE).read_text()

    # Once per Home Assistant, not once per entry or per reload.
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    assert _our_modules(hass) == modules


async def test_nothing_to_serve_without_the_frontend(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A Home Assistant without the frontend (headless) loads the entry alone."""
    assert "frontend" not in hass.config.components
    assert DATA_EXTRA_MODULE_URL not in hass.data
