"""Per-entry runtime: the XuC session, the state it reports, and who listens."""

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
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
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import get_default_context, get_default_no_verify_context

from .aioxuc import (
    AgentStateEvent,
    Command,
    ConnectionState,
    CurrentCallsPhoneEvents,
    PhoneEvent,
    PhoneEventType,
    PhoneStatus,
    PhoneStatusUpdate,
    PresenceStatus,
    UserConfig,
    UserConfigUpdate,
    UsersStatuses,
    UserStatusUpdate,
    VoiceMailStatusUpdate,
    XucClient,
    XucError,
    XucEvent,
    XucNotConnectedError,
    XucRateLimitedError,
    commands,
)
from .const import DOMAIN, LOGGER

type XucConfigEntry = ConfigEntry[XucHub]

RECENT_EVENTS = 20


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


class Topic(StrEnum):
    """Parts of the state that entities listen to."""

    CONNECTION = "connection"
    USER = "user"
    PHONE = "phone"
    VOICEMAIL = "voicemail"
    AGENT = "agent"
    PRESENCE = "presence"


@dataclass(frozen=True, slots=True)
class Voicemail:
    """Voicemail message counts."""

    new: int | None = None
    old: int | None = None


class XucHub:
    """Keeps the state of one XuC user up to date from the session's events."""

    def __init__(
        self, hass: HomeAssistant, entry: XucConfigEntry, client: XucClient
    ) -> None:
        """Listen to the client; call start() once the entry is set up."""
        self.hass = hass
        self.entry = entry
        self.client = client
        self.user = UserConfig()
        self.phone_status: PhoneStatus | None = None
        self.voicemail = Voicemail()
        self.agent: AgentStateEvent | None = None
        self.presence_statuses: tuple[PresenceStatus, ...] = ()
        self.presence: str | None = None
        self.active_calls: dict[str, PhoneEvent] = {}
        self.recent_events: deque[XucEvent] = deque(maxlen=RECENT_EVENTS)
        self._listeners: dict[Topic, list[CALLBACK_TYPE]] = {
            topic: [] for topic in Topic
        }
        self._call_listeners: list[Callable[[PhoneEvent], None]] = []
        self._agent_synced = False
        entry.async_on_unload(client.subscribe(self._handle_event))
        entry.async_on_unload(client.subscribe_state(self._handle_state))

    @property
    def connected(self) -> bool:
        """Whether the session is open."""
        return self.client.connected

    @callback
    def async_add_listener(
        self, topic: Topic, listener: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call `listener` when `topic` changes; return the unsubscribe function."""
        return _add(self._listeners[topic], listener)

    @callback
    def async_add_call_listener(
        self, listener: Callable[[PhoneEvent], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` with every PhoneEvent; return the unsubscribe function."""
        return _add(self._call_listeners, listener)

    async def async_send(self, command: Command) -> None:
        """Send a command; failures become translated Home Assistant errors."""
        try:
            await self.client.send(command)
        except XucNotConnectedError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="not_connected"
            ) from err
        except XucRateLimitedError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="throttled"
            ) from err
        except XucError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_failed",
                translation_placeholders={"error": str(err)},
            ) from err

    @callback
    def _notify(self, topic: Topic) -> None:
        for listener in tuple(self._listeners[topic]):
            listener()

    @callback
    def _handle_state(self, state: ConnectionState) -> None:
        if state is ConnectionState.CONNECTED:
            self._agent_synced = False
            self._resync()
        elif state is ConnectionState.AUTH_FAILED:
            self.entry.async_start_reauth(self.hass)
        self._notify(Topic.CONNECTION)

    @callback
    def _resync(self) -> None:
        """Ask for the state the server does not push by itself."""
        wanted = [commands.get_current_calls_phone_events()]
        if self.user.is_agent:
            wanted.extend(self._agent_sync())
        self._send_in_background(wanted)

    def _agent_sync(self) -> list[Command]:
        self._agent_synced = True
        return [commands.subscribe_to_agent_events(), commands.get_agent_states()]

    @callback
    def _send_in_background(self, wanted: Iterable[Command]) -> None:
        self.entry.async_create_background_task(
            self.hass, self._send_quietly(list(wanted)), "xuc state request"
        )

    async def _send_quietly(self, wanted: list[Command]) -> None:
        for command in wanted:
            try:
                await self.client.send(command)
            except XucError as err:
                LOGGER.debug("Could not request %s: %s", command["command"], err)
                return

    @callback
    def _handle_event(self, event: XucEvent) -> None:
        self.recent_events.append(event)
        match event:
            case PhoneStatusUpdate(status=status):
                self.phone_status = None if status is PhoneStatus.UNKNOWN else status
                self._notify(Topic.PHONE)
            case PhoneEvent():
                self._handle_call(event)
            case CurrentCallsPhoneEvents(events=events):
                self.active_calls = {
                    call.unique_id: call for call in events if call.unique_id
                }
            case VoiceMailStatusUpdate():
                self._update_voicemail(event)
            case UserConfigUpdate(config=config):
                self._update_user(config)
            case AgentStateEvent():
                if self._is_own_agent(event):
                    self.agent = event
                    self._notify(Topic.AGENT)
            case UsersStatuses(statuses=statuses):
                self.presence_statuses = statuses
                self._notify(Topic.PRESENCE)
            case UserStatusUpdate(status=status):
                self.presence = status
                self._notify(Topic.PRESENCE)

    def _handle_call(self, event: PhoneEvent) -> None:
        if event.unique_id:
            if event.event_type is PhoneEventType.RELEASED:
                self.active_calls.pop(event.unique_id, None)
            else:
                self.active_calls[event.unique_id] = event
        for listener in tuple(self._call_listeners):
            listener(event)

    def _update_voicemail(self, event: VoiceMailStatusUpdate) -> None:
        self.voicemail = Voicemail(
            new=_first_known(
                event.new_messages, event.waiting_messages, self.voicemail.new
            ),
            old=_first_known(event.old_messages, self.voicemail.old),
        )
        self._notify(Topic.VOICEMAIL)

    def _update_user(self, config: UserConfig) -> None:
        self.user = self.user.merge(config)
        if self.user.is_agent and self.connected and not self._agent_synced:
            self._send_in_background(self._agent_sync())
        self._notify(Topic.USER)

    def _is_own_agent(self, event: AgentStateEvent) -> bool:
        if not self.user.is_agent:
            return False
        return event.agent_id is None or event.agent_id == self.user.agent_id


def _add[T](listeners: list[T], listener: T) -> CALLBACK_TYPE:
    """Add a listener; return a function that removes it (safe to call twice)."""
    listeners.append(listener)

    def remove() -> None:
        if listener in listeners:
            listeners.remove(listener)

    return remove


def _first_known(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)
