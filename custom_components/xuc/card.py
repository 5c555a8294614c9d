"""The phone card: served from the integration and loaded by every dashboard."""

from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration

from .const import DOMAIN

FRONTEND_DIR = Path(__file__).parent / "frontend"
URL_BASE = f"/{DOMAIN}/frontend"
CARD_FILE = "xuc-phone-card.js"


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the card's folder and load the card with the frontend.

    Without the frontend (a headless install) there is nothing to do. The
    version in the module's URL makes browsers fetch the card again after an
    upgrade.
    """
    if "frontend" not in hass.config.components:
        return
    await hass.http.async_register_static_paths(
        [StaticPathConfig(URL_BASE, str(FRONTEND_DIR), cache_headers=False)]
    )
    integration = await async_get_integration(hass, DOMAIN)
    add_extra_js_url(hass, f"{URL_BASE}/{CARD_FILE}?v={integration.version}")
