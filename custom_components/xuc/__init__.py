"""The XiVO XuC integration: a XiVO user's line, voicemail and agent."""

import asyncio

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .aioxuc import XucAuthenticationError, XucError, XucUnsupportedServerError
from .card import async_register_card
from .const import DOMAIN
from .hub import XucConfigEntry, XucHub, create_client
from .repairs import UNSUPPORTED_SERVER, async_clear_issues, async_set_issue
from .services import async_setup_services

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TEXT,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the phone card, once for all entries."""
    async_setup_services(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: XucConfigEntry) -> bool:
    """Open the XuC session and keep it open for the entry's whole life."""
    client = create_client(hass, entry.data)
    hub = XucHub(hass, entry, client)
    entry.runtime_data = hub
    # In a task of the entry's: Home Assistant stopping cancels it, and the
    # setup then ends as "not ready" instead of being cancelled mid-way.
    connecting = entry.async_create_background_task(
        hass, client.connect(), f"{DOMAIN} connect {entry.title}"
    )
    try:
        await connecting
    except asyncio.CancelledError:
        if (current := asyncio.current_task()) is not None and current.cancelling():
            raise
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="stopping"
        ) from None
    except XucAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except XucError as err:
        if isinstance(err, XucUnsupportedServerError):
            async_set_issue(
                hass, entry.entry_id, entry.title, UNSUPPORTED_SERVER, active=True
            )
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    entry.async_on_unload(client.stop)
    hub.async_start()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_create_background_task(
        hass, client.run(), f"{DOMAIN} session {entry.title}"
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: XucConfigEntry) -> bool:
    """Close the session and unload the platforms."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: XucConfigEntry) -> None:
    """Forget the entry's repair issues."""
    async_clear_issues(hass, entry.entry_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: XucConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a queue's device once the server no longer lists it."""
    hub = entry.runtime_data
    current = {hub.queue_identifier(queue_id) for queue_id in hub.queues.queues}
    return not device.identifiers & {*current, (DOMAIN, entry.entry_id)}
