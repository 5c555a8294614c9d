"""Per-entry runtime: the XuC client and session, repairs, translated errors."""

import asyncio
from collections.abc import Awaitable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import get_default_context, get_default_no_verify_context

from .aioxuc import (
    ConnectionState,
    XucClient,
    XucError,
    XucNotConnectedError,
    XucRateLimitedError,
    XucRefusedError,
    XucSession,
)
from .const import CONF_USER_ID, DOMAIN
from .migration import VERSION, async_identify
from .repairs import NO_LINE, UNSUPPORTED_SERVER, async_set_issue

type XucConfigEntry = ConfigEntry[XucHub]

# Documented AgentError codes with a message of their own.
REFUSALS = {
    "LoggedInOnAnotherPhone": "phone_in_use",
    "PhoneNumberUnknown": "phone_unknown",
}


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> XucClient:
    """Build a client for the account described by config entry data."""
    verify_ssl: bool = data[CONF_VERIFY_SSL]
    return XucClient(
        async_get_clientsession(hass, verify_ssl=verify_ssl),
        data[CONF_HOST],
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        port=data[CONF_PORT],
        secure=data[CONF_SSL],
        ssl_context=get_default_context()
        if verify_ssl
        else get_default_no_verify_context(),
    )


class XucHub:
    """Runs one user's session for the entry's life; raises repairs, fires calls."""

    def __init__(
        self, hass: HomeAssistant, entry: XucConfigEntry, client: XucClient
    ) -> None:
        """Create the session; its tasks are the entry's."""
        self.hass = hass
        self.entry = entry
        self.client = client
        self.session = XucSession(client, create_task=self._create_task)
        self._user_id: int | None = None
        self._queue_ids: set[int] = set()
        self._line_configured: bool | None = None
        entry.async_on_unload(self.session.close)
        entry.async_on_unload(client.subscribe_state(self._handle_state))
        for name in ("user", "line_configured", "queues"):
            entry.async_on_unload(self.session.subscribe_to(name, self._handle_change))

    def queue_identifier(self, queue_id: int) -> tuple[str, str]:
        """The device identifier of one queue."""
        return (DOMAIN, f"{self.entry.entry_id}_queue_{queue_id}")

    async def async_command[T](self, command: Awaitable[T]) -> T:
        """Run a session command; failures and refusals become translated errors."""
        with _translated_errors():
            return await command

    def _create_task(
        self, coro: Coroutine[Any, Any, None], name: str
    ) -> asyncio.Task[None]:
        return self.entry.async_create_background_task(self.hass, coro, name)

    @callback
    def _handle_state(self, state: ConnectionState) -> None:
        if state is ConnectionState.CONNECTED:
            async_set_issue(self.hass, self.entry, UNSUPPORTED_SERVER, active=False)
        elif state is ConnectionState.AUTH_FAILED:
            self.entry.async_start_reauth(self.hass)

    @callback
    def _handle_change(self) -> None:
        session = self.session
        entry = self.entry
        user_id = session.user.user_id
        if user_id is not None and self._user_id is None:
            self._user_id = user_id
            # A version 1 entry that stored no user id takes the server's.
            if entry.version < VERSION and entry.data.get(CONF_USER_ID) is None:
                async_identify(self.hass, entry, user_id)
        line = session.line_configured
        if line is not None and line != self._line_configured:
            async_set_issue(self.hass, entry, NO_LINE, active=not line)
        self._line_configured = line
        listed = session.queues.queues.keys()
        if gone := self._queue_ids - listed:
            self._remove_queue_devices(gone)
        self._queue_ids = set(listed)

    def _remove_queue_devices(self, queue_ids: set[int]) -> None:
        gone = {self.queue_identifier(queue_id) for queue_id in queue_ids}
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(registry, self.entry.entry_id):
            if device.identifiers & gone:
                registry.async_remove_device(device.id)


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Turn client errors into translated Home Assistant errors."""
    try:
        yield
    except XucNotConnectedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="not_connected"
        ) from err
    except XucRateLimitedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="throttled"
        ) from err
    except XucRefusedError as err:
        raise _refusal(err) from err
    except XucError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_failed",
            translation_placeholders={"error": str(err)},
        ) from err


def _refusal(err: XucRefusedError) -> HomeAssistantError:
    """A translated error naming why the server refused a command."""
    if (key := REFUSALS.get(err.reason)) is None:
        key, placeholders = "command_refused", {"reason": err.reason}
    else:
        placeholders = {"phone": err.phone_number or err.requested_number or ""}
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )
