"""Per-entry runtime: the XuC session, the state it reports, and who listens."""

import asyncio
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import get_default_context, get_default_no_verify_context

from .aioxuc import (
    AgentStateEvent,
    Command,
    ConnectionState,
    CurrentCallsPhoneEvents,
    LineConfig,
    Listeners,
    PhoneEvent,
    PhoneEventType,
    PhoneStatus,
    PhoneStatusUpdate,
    PresenceStatus,
    QueueConfig,
    QueueList,
    QueueStatistics,
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
    XucRefusedError,
    commands,
)
from .const import CONF_USER_ID, DOMAIN, LOGGER
from .directory import CallerNames
from .migration import VERSION, async_identify
from .queues import QueueBoard
from .repairs import NO_LINE, UNSUPPORTED_SERVER, async_set_issue

type XucConfigEntry = ConfigEntry[XucHub]

# Documented AgentError codes with a message of their own.
REFUSALS = {
    "LoggedInOnAnotherPhone": "phone_in_use",
    "PhoneNumberUnknown": "phone_unknown",
}

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
    QUEUES = "queues"


def queue_topic(queue_id: int) -> str:
    """The topic of one queue's statistics."""
    return f"queue:{queue_id}"


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
        """Listen to the client's events and connection."""
        self.hass = hass
        self.entry = entry
        self.client = client
        self.user = UserConfig()
        self.phone_status: PhoneStatus | None = None
        self.voicemail = Voicemail()
        self.agent: AgentStateEvent | None = None
        self.presence_statuses: tuple[PresenceStatus, ...] = ()
        self.presence: str | None = None
        self.queues = QueueBoard()
        self.active_calls: dict[str, PhoneEvent] = {}
        self.recent_events: deque[XucEvent] = deque(maxlen=RECENT_EVENTS)
        self.caller_names = CallerNames(client)
        self._listeners: defaultdict[str, Listeners[CALLBACK_TYPE]] = defaultdict(
            Listeners
        )
        self._call_listeners: Listeners[Callable[[PhoneEvent], None]] = Listeners()
        self._unnamed_numbers: asyncio.Queue[str] = asyncio.Queue()
        self._synced: set[str] = set()
        self._handlers: dict[type[XucEvent], Callable[[Any], None]] = {
            PhoneStatusUpdate: self._on_phone_status,
            PhoneEvent: self._on_call,
            CurrentCallsPhoneEvents: self._on_current_calls,
            VoiceMailStatusUpdate: self._on_voicemail,
            UserConfigUpdate: self._on_user_config,
            AgentStateEvent: self._on_agent_state,
            UsersStatuses: self._on_statuses,
            UserStatusUpdate: self._on_status,
            QueueStatistics: self._on_queue_statistics,
            QueueList: self._on_queue_list,
            QueueConfig: self._on_queue_config,
            LineConfig: self._on_line,
        }
        entry.async_on_unload(client.subscribe(self._handle_event))
        entry.async_on_unload(client.subscribe_state(self._handle_state))

    @property
    def connected(self) -> bool:
        """Whether the session is open."""
        return self.client.connected

    def queue_identifier(self, queue_id: int) -> tuple[str, str]:
        """The device identifier of one queue."""
        return (DOMAIN, f"{self.entry.entry_id}_queue_{queue_id}")

    @callback
    def async_start(self) -> None:
        """Start looking up the names of unnamed callers, one at a time."""
        self.entry.async_create_background_task(
            self.hass, self._look_up_callers(), "xuc caller names"
        )

    @callback
    def async_add_listener(self, topic: str, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener` when `topic` changes; return the unsubscribe function."""
        return self._listeners[topic].add(listener)

    @callback
    def async_add_call_listener(
        self, listener: Callable[[PhoneEvent], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` with every PhoneEvent; return the unsubscribe function."""
        return self._call_listeners.add(listener)

    async def async_send(self, *frames: Command) -> None:
        """Send commands; failures and refusals become translated errors."""
        with _translated_errors():
            await self.client.send_checked(*frames)

    async def async_request[E: XucEvent](self, frame: Command, reply: type[E]) -> E:
        """Send a command and return the server's answer, or a translated error."""
        with _translated_errors():
            return await self.client.request(frame, reply)

    @callback
    def _notify(self, topic: str) -> None:
        if listeners := self._listeners.get(topic):
            for listener in listeners.callbacks:
                listener()

    @callback
    def _set_issue(self, key: str, *, active: bool) -> None:
        async_set_issue(self.hass, self.entry, key, active=active)

    @callback
    def _handle_state(self, state: ConnectionState) -> None:
        if state is ConnectionState.CONNECTED:
            self._synced.clear()
            self.caller_names.clear()
            # Calls may have ended unseen while offline; the server lists the others.
            self.active_calls = {}
            self._forget_pushed_state()
            self._set_issue(UNSUPPORTED_SERVER, active=False)
            self._request(
                "session",
                commands.get_current_calls_phone_events(),
                commands.get_list("queue"),
                commands.subscribe_to_queue_stats(),
            )
            self.entry.async_create_background_task(
                self.hass, self._check_line(), "xuc line check"
            )
            self._request_role_state()
        elif state is ConnectionState.AUTH_FAILED:
            self.entry.async_start_reauth(self.hass)
        self._notify(Topic.CONNECTION)

    @callback
    def _forget_pushed_state(self) -> None:
        """Drop what only the server pushes: unknown until it does again."""
        for name, empty, topic in (
            ("phone_status", None, Topic.PHONE),
            ("voicemail", Voicemail(), Topic.VOICEMAIL),
            ("presence", None, Topic.PRESENCE),
        ):
            self._set(name, empty, topic)

    async def _check_line(self) -> None:
        """Ask for the line; no answer, like an empty one, means there is none."""
        try:
            await self.client.request(commands.get_config("line"), LineConfig)
        except XucNotConnectedError:
            return
        except XucError as err:
            LOGGER.debug("No line configuration: %s", err)
            self._set_issue(NO_LINE, active=True)

    @callback
    def _request_role_state(self) -> None:
        """Ask once per session for what agents follow.

        Queues are asked for whatever the rights profile: profile names are
        not published, and a server without profiles shows everything.
        """
        if self.user.is_agent:
            self._request(
                "agent",
                commands.subscribe_to_agent_events(),
                commands.get_agent_states(),
            )

    @callback
    def _request(self, what: str, *frames: Command) -> None:
        """Send state requests in the background, once per session."""
        if what in self._synced or not self.connected:
            return
        self._synced.add(what)
        self.entry.async_create_background_task(
            self.hass, self._send_quietly(frames), f"xuc {what} request"
        )

    async def _send_quietly(self, frames: Iterable[Command]) -> None:
        for frame in frames:
            try:
                await self.client.send(frame)
            except XucError as err:
                LOGGER.debug("Could not request %s: %s", frame["command"], err)
                return

    @callback
    def _handle_event(self, event: XucEvent) -> None:
        self.recent_events.append(event)
        if handler := self._handlers.get(type(event)):
            handler(event)

    def _on_phone_status(self, event: PhoneStatusUpdate) -> None:
        status = None if event.status is PhoneStatus.UNKNOWN else event.status
        self._set("phone_status", status, Topic.PHONE)

    def _on_current_calls(self, event: CurrentCallsPhoneEvents) -> None:
        self.active_calls = {
            key: call for call in event.events if (key := _call_key(call))
        }

    def _on_user_config(self, event: UserConfigUpdate) -> None:
        user = self.user.merge(event.config)
        if self.user.user_id is None and user.user_id is not None:
            self._identify_entry(user.user_id)
        self._set("user", user, Topic.USER)
        self._request_role_state()

    def _identify_entry(self, user_id: int) -> None:
        """Give a version 1 entry that stored no user id the one the server sent."""
        entry = self.entry
        if entry.version < VERSION and entry.data.get(CONF_USER_ID) is None:
            async_identify(self.hass, entry, user_id)

    def _on_statuses(self, event: UsersStatuses) -> None:
        self._set("presence_statuses", event.statuses, Topic.PRESENCE)

    def _on_status(self, event: UserStatusUpdate) -> None:
        self._set("presence", event.status, Topic.PRESENCE)

    def _on_queue_statistics(self, event: QueueStatistics) -> None:
        if (change := self.queues.apply(event)) is not None:
            if change.values_changed:
                self._notify(queue_topic(change.queue_id))
            if change.new_counters:
                self._notify(Topic.QUEUES)

    def _on_queue_list(self, event: QueueList) -> None:
        self._remove_queue_devices(self.queues.replace(event.queues))
        self._notify(Topic.QUEUES)

    def _on_queue_config(self, event: QueueConfig) -> None:
        self.queues.update(event.queue)
        self._notify(Topic.QUEUES)

    def _on_line(self, event: LineConfig) -> None:
        self._set_issue(NO_LINE, active=not event.configured)

    @callback
    def _on_call(self, event: PhoneEvent) -> None:
        """Track the call and pass the event on at once, named when known."""
        if event.event_type is PhoneEventType.RELEASED:
            self.active_calls = {
                key: call
                for key, call in self.active_calls.items()
                if not _same_call(call, event)
            }
        elif key := _call_key(event):
            self.active_calls[key] = event
        number = event.other_dn
        if number and not event.other_name:
            name = self.caller_names.cached(number)
            if name is None and self.caller_names.wanted(number):
                self._unnamed_numbers.put_nowait(number)
            event = replace(event, other_name=name)
        self._dispatch_call(event)

    async def _look_up_callers(self) -> None:
        """Look numbers up one at a time, so each answer meets its question."""
        while True:
            number = await self._unnamed_numbers.get()
            await self.caller_names.lookup(number)

    @callback
    def _dispatch_call(self, event: PhoneEvent) -> None:
        for listener in self._call_listeners.callbacks:
            listener(event)

    @callback
    def _set(self, name: str, value: object, topic: Topic) -> None:
        """Store a value; tell the topic's listeners only if it changed."""
        if getattr(self, name) != value:
            setattr(self, name, value)
            self._notify(topic)

    def _on_voicemail(self, event: VoiceMailStatusUpdate) -> None:
        voicemail = Voicemail(
            new=_first_known(
                event.new_messages, event.waiting_messages, self.voicemail.new
            ),
            old=_first_known(event.old_messages, self.voicemail.old),
        )
        self._set("voicemail", voicemail, Topic.VOICEMAIL)

    def _on_agent_state(self, event: AgentStateEvent) -> None:
        if not self.user.is_agent or event.agent_id not in (None, self.user.agent_id):
            return
        previous, self.agent = self.agent, event
        if previous is None or (previous.state, previous.cause) != (
            event.state,
            event.cause,
        ):
            self._notify(Topic.AGENT)

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


def _call_key(call: PhoneEvent) -> str | None:
    """A call's identity: its linkedId, else its uniqueId."""
    return call.linked_id or call.unique_id


def _same_call(call: PhoneEvent, event: PhoneEvent) -> bool:
    """Whether an event (a release) concerns a call, by linkedId or uniqueId."""
    return bool(
        (event.linked_id and event.linked_id == call.linked_id)
        or (event.unique_id and event.unique_id == call.unique_id)
    )


def _first_known(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)
