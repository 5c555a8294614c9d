"""One XuC user's live state, kept up to date from the client's events.

`XucSession` applies every event to its state and calls its listeners when
something changed; its methods send the commands cti.js sends for the same
action. Values only the server pushes are unknown (None) from a reconnect
until the server pushes them again.
"""

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import replace
import inspect
import logging
from typing import Any

from . import commands
from .client import ConnectionState, XucClient
from .commands import Command
from .events import (
    AgentStateEvent,
    CallHistory,
    CurrentCallsPhoneEvents,
    LineConfig,
    PhoneEvent,
    PhoneStatusUpdate,
    QueueConfig,
    QueueList,
    QueueStatistics,
    UserConfigUpdate,
    UsersStatuses,
    UserStatusUpdate,
    VoiceMailStatusUpdate,
    XucEvent,
)
from .exceptions import XucError, XucNotConnectedError
from .listeners import Listeners
from .models import (
    CallHistoryEntry,
    Forward,
    PhoneEventType,
    PhoneStatus,
    PresenceStatus,
    UserConfig,
    Voicemail,
)
from .names import CallerNames
from .queues import QueueBoard

_LOGGER = logging.getLogger(__package__)

type Listener = Callable[[], None]
type CallListener = Callable[[PhoneEvent], None]
type TaskFactory = Callable[[Coroutine[Any, Any, None], str], asyncio.Task[None]]

_FORWARD_COMMANDS = {
    Forward.UNCONDITIONAL: commands.unc_fwd,
    Forward.NO_ANSWER: commands.na_fwd,
    Forward.BUSY: commands.busy_fwd,
}


def _create_task(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(coro, name=name)


class XucSession:
    """The state of one XuC user, and the commands that change it.

    Each change is named after the attribute it changed (`connected` for the
    connection): listeners added with `subscribe_to` hear of the changes of
    one attribute, those added with `subscribe` of every change. A queue's
    counter values go to that queue's `subscribe_queue` listeners only.
    `subscribe_calls` listeners get every PhoneEvent, named from the
    directory when the server left the name out, after `calls` took it in.
    """

    # The user's state, one attribute per kind of change.
    connected: bool
    user: UserConfig
    phone_status: PhoneStatus | None
    voicemail: Voicemail
    agent: AgentStateEvent | None
    presence: str | None
    presence_statuses: tuple[PresenceStatus, ...]
    queues: QueueBoard
    calls: dict[str, PhoneEvent]
    line_configured: bool | None

    def __init__(
        self, client: XucClient, *, create_task: TaskFactory = _create_task
    ) -> None:
        """Follow the client's events and connection; nothing is sent yet."""
        self.client = client
        self.connected = client.connected
        self.user = UserConfig()
        self.phone_status = None
        self.voicemail = Voicemail()
        self.agent = None
        self.presence = None
        self.presence_statuses = ()
        self.queues = QueueBoard()
        self.calls = {}
        self.line_configured = None
        self.caller_names = CallerNames(client)
        self._create_task = create_task
        self._tasks: set[asyncio.Task[None]] = set()
        self._listeners: Listeners[Listener] = Listeners()
        self._attribute_listeners: dict[str, Listeners[Listener]] = {}
        self._queue_listeners: dict[int, Listeners[Listener]] = {}
        self._call_listeners: Listeners[CallListener] = Listeners()
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
        self._unsubscribe = (
            client.subscribe(self._handle_event),
            client.subscribe_state(self._handle_state),
        )

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` after each change; return the unsubscribe function."""
        return self._listeners.add(listener)

    def subscribe_to(self, name: str, listener: Listener) -> Callable[[], None]:
        """Call `listener` when the attribute `name` changes.

        A name outside the state (`SESSION_STATE`) raises ValueError: nothing would
        ever call its listener.
        """
        if name not in SESSION_STATE:
            msg = f"{name!r} is not an attribute of the session's state"
            raise ValueError(msg)
        return self._attribute_listeners.setdefault(name, Listeners()).add(listener)

    def subscribe_queue(self, queue_id: int, listener: Listener) -> Callable[[], None]:
        """Call `listener` when a queue's counters change."""
        return self._queue_listeners.setdefault(queue_id, Listeners()).add(listener)

    def subscribe_calls(self, listener: CallListener) -> Callable[[], None]:
        """Call `listener` with every PhoneEvent of the user's line."""
        return self._call_listeners.add(listener)

    def start(self) -> None:
        """Start looking up the names of unnamed callers, one at a time."""
        self._spawn(self._look_up_callers(), "xuc caller names")

    async def close(self) -> None:
        """Stop following the client and cancel the session's own tasks."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        tasks, self._tasks = self._tasks, set()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)

    # Commands: each sends the frames cti.js sends; refusals raise XucError.

    async def dial(
        self, destination: str, variables: Mapping[str, str] | None = None
    ) -> None:
        """Call a number; variables come back as USR_<key> in the call's events."""
        await self.client.send_checked(commands.dial(destination, variables))

    async def hangup(self, unique_id: str | None = None) -> None:
        """Hang up the current call, or the call with this unique id."""
        await self.client.send_checked(commands.hangup(unique_id))

    async def answer(self, unique_id: str | None = None) -> None:
        """Answer the ringing call, or the call with this unique id."""
        await self.client.send_checked(commands.answer(unique_id))

    async def hold(self, unique_id: str | None = None) -> None:
        """Put a call on hold, or resume it."""
        await self.client.send_checked(commands.hold(unique_id))

    async def transfer(self, destination: str, *, attended: bool = False) -> None:
        """Transfer the current call, after consulting the target if attended."""
        frame = (
            commands.attended_transfer(destination)
            if attended
            else commands.direct_transfer(destination)
        )
        await self.client.send_checked(frame)

    async def complete_transfer(self) -> None:
        """Connect the waiting call to the transfer target."""
        await self.client.send_checked(commands.complete_transfer())

    async def cancel_transfer(self) -> None:
        """Abandon an attended transfer and return to the first call."""
        await self.client.send_checked(commands.cancel_transfer())

    async def send_dtmf(self, digits: str) -> None:
        """Send DTMF digits on the current call, one frame each."""
        await self.client.send_checked(*map(commands.send_dtmf, digits))

    async def set_dnd(self, *, enabled: bool) -> None:
        """Turn do-not-disturb on or off."""
        await self.client.send_checked(commands.dnd(enabled=enabled))

    async def set_forwarding(
        self, kind: Forward, *, enabled: bool, destination: str | None = None
    ) -> None:
        """Set a forwarding; the destination stays the server's unless given."""
        if destination is None:
            destination = self.user.forwarding(kind).destination or ""
        frame = _FORWARD_COMMANDS[kind](destination, enabled=enabled)
        await self.client.send_checked(frame)

    async def set_presence(self, status: str) -> None:
        """Change the user's presence (a name among `presence_statuses`)."""
        await self.client.send_checked(commands.user_status_update(status))

    async def login_agent(self, phone_number: str) -> None:
        """Log the agent in on a phone number."""
        await self.client.send_checked(commands.agent_login(phone_number))

    async def logout_agent(self) -> None:
        """Log the agent out."""
        await self.client.send_checked(commands.agent_logout())

    async def pause_agent(self, reason: str | None = None) -> None:
        """Pause the agent, optionally with a reason."""
        await self.client.send_checked(commands.pause_agent(reason=reason))

    async def unpause_agent(self) -> None:
        """Make the paused agent ready again."""
        await self.client.send_checked(commands.unpause_agent())

    async def call_history(
        self, *, size: int = 10, days: int | None = None
    ) -> tuple[CallHistoryEntry, ...]:
        """The user's last `size` calls, or those of the last `days` days."""
        frame = (
            commands.get_user_call_history(size)
            if days is None
            else commands.get_user_call_history_by_days(days)
        )
        return (await self.client.request(frame, CallHistory)).entries

    # State.

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = self._create_task(coro, name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _notify(self, *names: str) -> None:
        """Tell the listeners of every change, then those of each name."""
        for listener in self._listeners.callbacks:
            listener()
        for name in names:
            if listeners := self._attribute_listeners.get(name):
                for listener in listeners.callbacks:
                    listener()

    def _set(self, name: str, value: object) -> None:
        """Store a value; tell the listeners only if it changed."""
        if getattr(self, name) != value:
            setattr(self, name, value)
            self._notify(name)

    def _handle_state(self, state: ConnectionState) -> None:
        self.connected = state is ConnectionState.CONNECTED
        if self.connected:
            self._synced.clear()
            self.caller_names.clear()
            # Calls may have ended unseen while offline; the server lists the others.
            self.calls = {}
            # What only the server pushes is unknown until it does again.
            self.phone_status = None
            self.voicemail = Voicemail()
            self.presence = None
            self.line_configured = None
            self._request(
                "session",
                commands.get_current_calls_phone_events(),
                commands.get_list("queue"),
                commands.subscribe_to_queue_stats(),
            )
            self._spawn(self._check_line(), "xuc line check")
            self._request_role_state()
            self._notify(
                "connected",
                "calls",
                "phone_status",
                "voicemail",
                "presence",
                "line_configured",
            )
        else:
            self._notify("connected")

    async def _check_line(self) -> None:
        """Ask for the line; no answer, like an empty one, means there is none."""
        try:
            await self.client.request(commands.get_config("line"), LineConfig)
        except XucNotConnectedError:
            return
        except XucError as err:
            _LOGGER.debug("No line configuration: %s", err)
            self.line_configured = False
            self._notify("line_configured")

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

    def _request(self, what: str, *frames: Command) -> None:
        """Send state requests in the background, once per session."""
        if what in self._synced or not self.connected:
            return
        self._synced.add(what)
        self._spawn(self._send_quietly(frames), f"xuc {what} request")

    async def _send_quietly(self, frames: Iterable[Command]) -> None:
        for frame in frames:
            try:
                await self.client.send(frame)
            except XucError as err:
                _LOGGER.debug("Could not request %s: %s", frame["command"], err)
                return

    def _handle_event(self, event: XucEvent) -> None:
        if handler := self._handlers.get(type(event)):
            handler(event)

    def _on_phone_status(self, event: PhoneStatusUpdate) -> None:
        status = None if event.status is PhoneStatus.UNKNOWN else event.status
        self._set("phone_status", status)

    def _on_current_calls(self, event: CurrentCallsPhoneEvents) -> None:
        self.calls = {key: call for call in event.events if (key := _call_key(call))}
        self._notify("calls")

    def _on_user_config(self, event: UserConfigUpdate) -> None:
        self._set("user", self.user.merge(event.config))
        self._request_role_state()

    def _on_statuses(self, event: UsersStatuses) -> None:
        self._set("presence_statuses", event.statuses)

    def _on_status(self, event: UserStatusUpdate) -> None:
        self._set("presence", event.status)

    def _on_queue_statistics(self, event: QueueStatistics) -> None:
        if (change := self.queues.apply(event)) is None:
            return
        if change.values_changed and (
            listeners := self._queue_listeners.get(change.queue_id)
        ):
            for listener in listeners.callbacks:
                listener()
        if change.new_counters:
            self._notify("queues")

    def _on_queue_list(self, event: QueueList) -> None:
        self.queues.replace(event.queues)
        self._notify("queues")

    def _on_queue_config(self, event: QueueConfig) -> None:
        self.queues.update(event.queue)
        self._notify("queues")

    def _on_line(self, event: LineConfig) -> None:
        self._set("line_configured", event.configured)

    def _on_call(self, event: PhoneEvent) -> None:
        """Track the call and pass the event on at once, named when known."""
        if event.event_type is PhoneEventType.RELEASED:
            self.calls = {
                key: call
                for key, call in self.calls.items()
                if not _same_call(call, event)
            }
        elif key := _call_key(event):
            self.calls[key] = event
        self._notify("calls")
        number = event.other_dn
        if number and not event.other_name:
            name = self.caller_names.cached(number)
            if name is None and self.caller_names.wanted(number):
                self._unnamed_numbers.put_nowait(number)
            event = replace(event, other_name=name)
        for listener in self._call_listeners.callbacks:
            listener(event)

    async def _look_up_callers(self) -> None:
        """Look numbers up one at a time, so each answer meets its question."""
        while True:
            number = await self._unnamed_numbers.get()
            await self.caller_names.lookup(number)

    def _on_voicemail(self, event: VoiceMailStatusUpdate) -> None:
        voicemail = Voicemail(
            new=_first_known(
                event.new_messages, event.waiting_messages, self.voicemail.new
            ),
            old=_first_known(event.old_messages, self.voicemail.old),
        )
        self._set("voicemail", voicemail)

    def _on_agent_state(self, event: AgentStateEvent) -> None:
        if not self.user.is_agent or event.agent_id not in (None, self.user.agent_id):
            return
        previous, self.agent = self.agent, event
        if previous is None or (previous.state, previous.cause, previous.queues) != (
            event.state,
            event.cause,
            event.queues,
        ):
            self._notify("agent")


# The names of the session's state attributes, each announced when it changes.
SESSION_STATE = frozenset(inspect.get_annotations(XucSession))


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
