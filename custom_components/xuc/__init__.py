"""The XiVO XuC integration: a XiVO user's line, voicemail and agent."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .aioxuc import XucAuthenticationError, XucError
from .const import DOMAIN
from .hub import XucConfigEntry, XucHub, create_client
from .services import async_setup_services

PLATFORMS = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR, Platform.SWITCH]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, once for all entries."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: XucConfigEntry) -> bool:
    """Open the XuC session and keep it open for the entry's whole life."""
    client = create_client(hass, entry.data)
    hub = XucHub(hass, entry, client)
    entry.runtime_data = hub
    try:
        await client.connect()
    except XucAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except XucError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    entry.async_on_unload(client.stop)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_create_background_task(
        hass, client.run(), f"{DOMAIN} session {entry.title}"
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: XucConfigEntry) -> bool:
    """Close the session and unload the platforms."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
