"""The XiVO XuC integration: a XiVO user's line, voicemail and agent."""

import asyncio

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
)
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .aioxuc import XucAuthenticationError, XucError, XucUnsupportedServerError
from .card import async_register_card
from .const import CONF_USER_ID, DOMAIN
from .hub import XucConfigEntry, XucHub, create_client
from .migration import VERSION, async_identify
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


async def async_migrate_entry(hass: HomeAssistant, entry: XucConfigEntry) -> bool:
    """Identify a version 1 entry by the user id it stored, if it stored one."""
    if entry.version > VERSION:
        return False
    if (user_id := entry.data.get(CONF_USER_ID)) is not None:
        async_identify(hass, entry, user_id)
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
    except XucUnsupportedServerError as err:
        async_set_issue(hass, entry, UNSUPPORTED_SERVER, active=True)
        raise ConfigEntryError(
            translation_domain=DOMAIN, translation_key="unsupported_server"
        ) from err
    except XucError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    entry.async_on_unload(client.stop)
    hub.session.start()
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
    """Let the user delete a queue's device unless the server lists the queue.

    The user's own device always stays. While the entry is not loaded the
    queues are unknown: a deleted queue comes back if the server lists it.
    """
    kept = {(DOMAIN, entry.entry_id)}
    if entry.state is ConfigEntryState.LOADED:
        hub = entry.runtime_data
        kept.update(
            hub.queue_identifier(queue_id) for queue_id in hub.session.queues.queues
        )
    return not device.identifiers & kept
