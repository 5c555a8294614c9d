"""The session model against the simulator: state, notifications, commands."""

from collections.abc import AsyncGenerator, Awaitable, Callable
import contextlib
import inspect
from typing import Any

import orjson
import pytest

from aioxuc import (
    SESSION_STATE,
    AgentState,
    Forward,
    Forwarding,
    PhoneEvent,
    PhoneEventType,
    PhoneStatus,
    Voicemail,
    VoiceMailStatusUpdate,
    XucEvent,
    XucRefusedError,
    XucSession,
)
from aioxuc.names import MAX_UNANSWERED
from tests.client.conftest import ClientFactory
from tests.client.test_commands import GOLDEN
from tests.helpers import push_call_event, wait_until
from tests.xuc_simulator import XucSimulator

type SessionCommand = Callable[[XucSession], Awaitable[object]]

# The session method behind each cti.js call the integration makes.
SESSION_COMMANDS: dict[str, SessionCommand] = {
    'Cti.dial("111")': lambda s: s.dial("111"),
    'Cti.dial("0612345678", {"foo":"bar"})': lambda s: s.dial(
        "0612345678", {"foo": "bar"}
    ),
    "Cti.hangup()": lambda s: s.hangup(),
    'Cti.hangup("1447670380.34")': lambda s: s.hangup("1447670380.34"),
    "Cti.answer()": lambda s: s.answer(),
    'Cti.answer("1447670380.34")': lambda s: s.answer("1447670380.34"),
    "Cti.hold()": lambda s: s.hold(),
    'Cti.hold("1447670380.34")': lambda s: s.hold("1447670380.34"),
    'Cti.directTransfer("1002")': lambda s: s.transfer("1002"),
    'Cti.attendedTransfer("1002")': lambda s: s.transfer("1002", attended=True),
    "Cti.completeTransfer()": lambda s: s.complete_transfer(),
    "Cti.cancelTransfer()": lambda s: s.cancel_transfer(),
    'Cti.sendDtmf("5")': lambda s: s.send_dtmf("5"),
    "Cti.dnd(true)": lambda s: s.set_dnd(enabled=True),
    "Cti.dnd(false)": lambda s: s.set_dnd(enabled=False),
    'Cti.naFwd("1002", true)': lambda s: s.set_forwarding(
        Forward.NO_ANSWER, enabled=True, destination="1002"
    ),
    'Cti.uncFwd("1002", true)': lambda s: s.set_forwarding(
        Forward.UNCONDITIONAL, enabled=True, destination="1002"
    ),
    'Cti.uncFwd("", false)': lambda s: s.set_forwarding(
        Forward.UNCONDITIONAL, enabled=False, destination=""
    ),
    'Cti.busyFwd("1002", false)': lambda s: s.set_forwarding(
        Forward.BUSY, enabled=False, destination="1002"
    ),
    'Cti.changeUserStatus("away")': lambda s: s.set_presence("away"),
    'Cti.loginAgent("1001")': lambda s: s.login_agent("1001"),
    "Cti.logoutAgent()": lambda s: s.logout_agent(),
    "Cti.pauseAgent()": lambda s: s.pause_agent(),
    'Cti.pauseAgent(undefined, "lunch")': lambda s: s.pause_agent("lunch"),
    "Cti.unpauseAgent()": lambda s: s.unpause_agent(),
    "Cti.getUserCallHistory(7)": lambda s: s.call_history(size=7),
    "Cti.getUserCallHistoryByDays(7)": lambda s: s.call_history(days=7),
}

# What a session asks for after each connect, for an agent.
AFTER_CONNECT = [
    "getCurrentCallsPhoneEvents",
    "getList",
    "subscribeToQueueStats",
    "getConfig",
    "subscribeToAgentEvents",
    "getAgentStates",
]

type SessionStarter = Callable[..., Awaitable[XucSession]]


@pytest.fixture
async def start_session(make_client: ClientFactory) -> AsyncGenerator[SessionStarter]:
    """Open sessions on the simulator; each is closed after the test."""
    sessions: list[XucSession] = []

    async def start(**kwargs: Any) -> XucSession:
        kwargs.setdefault("refusal_wait", 0.05)
        client = make_client(**kwargs)
        session = XucSession(client)
        sessions.append(session)
        session.start()
        await client.connect()
        client.start()
        return session

    yield start
    for session in sessions:
        await session.close()


async def settled(simulator: XucSimulator, session: XucSession) -> XucSession:
    """Wait until the session has asked for everything and heard the user."""
    for command in ("getConfig", "getAgentStates"):
        await simulator.wait_for_command(command)
    await wait_until(
        lambda: (
            session.user.user_id == 9
            and bool(session.queues.queues)
            and session.agent is not None
        )
    )
    return session


class Notes:
    """Counts a session's notifications."""

    def __init__(self, session: XucSession) -> None:
        """Follow the session's changes and its calls."""
        self.changes = 0
        self.calls: list[PhoneEvent] = []
        session.subscribe(self._changed)
        session.subscribe_calls(self.calls.append)

    def _changed(self) -> None:
        self.changes += 1


type ServerChange = Callable[[XucSimulator], Awaitable[object]]

# A server-side change of each attribute of the session's state.
CHANGES: dict[str, ServerChange] = {
    "connected": lambda s: s.drop_connections(),
    "user": lambda s: s.set_user_config(dnd=True),
    "phone_status": lambda s: s.set_phone_status("RINGING"),
    "voicemail": lambda s: s.set_voicemail(5, 6),
    "agent": lambda s: s.set_agent_state("AgentOnPause"),
    "presence": lambda s: s.push("UserStatusUpdate", {"status": "away"}),
    "presence_statuses": lambda s: s.push(
        "UsersStatuses", [{"name": "away", "longName": "Away", "color": ""}]
    ),
    "queues": lambda s: s.push("QueueList", [{"id": 3, "name": "bluesky"}]),
    "calls": lambda s: push_call_event(s, "EventRinging", linkedId="L1"),
    "line_configured": lambda s: s.push("LineConfig", {}),
}


def test_every_state_attribute_has_a_change() -> None:
    """The attribute-change test covers the whole state of the session."""
    assert CHANGES.keys() == SESSION_STATE == inspect.get_annotations(XucSession).keys()


async def test_no_listener_for_what_never_changes(
    start_session: SessionStarter,
) -> None:
    """A name outside the state is refused rather than never called."""
    session = await start_session()
    with pytest.raises(ValueError, match="'caller_names' is not an attribute"):
        session.subscribe_to("caller_names", lambda: None)


@pytest.mark.parametrize("name", CHANGES)
async def test_each_change_is_named_after_its_attribute(
    simulator: XucSimulator, start_session: SessionStarter, name: str
) -> None:
    """A listener of an attribute hears its changes: what reads it can follow it."""
    session = await settled(simulator, await start_session())
    before = repr(getattr(session, name))  # some values change in place
    heard: list[str] = []
    session.subscribe_to(name, lambda: heard.append(repr(getattr(session, name))))
    await CHANGES[name](simulator)
    await wait_until(lambda: bool(heard) and session.connected)
    assert heard[0] != before


@pytest.mark.parametrize("call", sorted(SESSION_COMMANDS))
async def test_command_frames_match_xuc_client(
    simulator: XucSimulator, start_session: SessionStarter, call: str
) -> None:
    """Each session command puts cti.js's frame on the wire, and only that."""
    session = await settled(simulator, await start_session())
    simulator.clear_received()
    with contextlib.suppress(XucRefusedError):
        await SESSION_COMMANDS[call](session)
    sent = [f for f in simulator.commands() if f["command"] != "directoryLookUp"]
    assert sent == [orjson.loads(GOLDEN[call])]


async def test_requests_follow_every_connect(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """Calls, queues, the line and agent events are asked for on each connect."""
    session = await settled(simulator, await start_session())
    assert [frame["command"] for frame in simulator.commands()] == AFTER_CONNECT
    simulator.clear_received()
    await simulator.drop_connections()
    await wait_until(lambda: len(simulator.commands()) == len(AFTER_CONNECT))
    assert [frame["command"] for frame in simulator.commands()] == AFTER_CONNECT
    assert session.connected


async def test_state_follows_the_server(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """Pushed values land in the session, and each change is announced once."""
    session = await settled(simulator, await start_session())
    assert session.user.agent_id == 12
    assert session.presence_statuses
    assert session.line_configured is True
    await simulator.set_voicemail(3, 1)
    await wait_until(lambda: session.voicemail == Voicemail(new=3, old=1))
    notes = Notes(session)
    named: list[str] = []
    for name in ("voicemail", "phone_status"):
        session.subscribe_to(name, lambda name=name: named.append(name))
    await simulator.set_voicemail(3, 1)
    await simulator.set_phone_status("RINGING")
    await wait_until(lambda: session.phone_status is PhoneStatus.RINGING)
    assert (notes.changes, named) == (1, ["phone_status"])
    await simulator.set_user_config(unc_fwd_enabled=True, unc_fwd_destination="1002")
    await wait_until(lambda: session.user.unc_fwd_enabled is True)
    assert session.user.forwarding(Forward.UNCONDITIONAL) == Forwarding(
        enabled=True, destination="1002"
    )
    await simulator.push("UserStatusUpdate", {"status": "away"})
    await wait_until(lambda: session.presence == "away")
    await simulator.push("LineConfig", {})
    await wait_until(lambda: session.line_configured is False)


async def test_agent_state(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """The user's agent state is kept; another agent's events change nothing."""
    session = await settled(simulator, await start_session())
    await simulator.set_agent_state("AgentOnPause", "lunch")
    await wait_until(
        lambda: session.agent is not None and session.agent.state is AgentState.PAUSED
    )
    assert session.agent is not None
    assert session.agent.cause == "lunch"
    notes = Notes(session)
    await simulator.push("AgentStateEvent", {"name": "AgentReady", "agentId": 99})
    await simulator.push("UserStatusUpdate", {"status": "away"})
    await wait_until(lambda: session.presence == "away")
    assert notes.changes == 1
    assert session.agent.state is AgentState.PAUSED


async def test_queue_counters_go_to_their_queue(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """A counter value reaches its queue's listeners; a new counter everyone's."""
    session = await settled(simulator, await start_session())
    await wait_until(lambda: session.queues.counters.keys() == {3, 4})
    notes = Notes(session)
    queue_changes: list[int] = []
    session.subscribe_queue(3, lambda: queue_changes.append(3))
    session.subscribe_queue(4, lambda: queue_changes.append(4))
    await simulator.set_queue_stats(3, {"WaitingCalls": 5})
    await wait_until(lambda: session.queues.counters[3]["WaitingCalls"] == 5)
    assert (queue_changes, notes.changes) == ([3], 0)
    await simulator.set_queue_stats(3, {"WaitingCalls": 5})
    await simulator.set_queue_stats(3, {"MysteryCounter": 1})
    await wait_until(lambda: "MysteryCounter" in session.queues.counters[3])
    assert (queue_changes, notes.changes) == ([3, 3], 1)
    await simulator.push("QueueList", [{"id": 3, "name": "bluesky"}])
    await wait_until(lambda: list(session.queues.queues) == [3])
    assert 4 not in session.queues.counters


async def test_calls_by_linked_id(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """Calls are keyed by linkedId; a release ends them by linkedId or uniqueId."""
    session = await settled(simulator, await start_session())
    notes = Notes(session)
    seen: list[list[str]] = []
    session.subscribe_to("calls", lambda: seen.append(sorted(session.calls)))

    await push_call_event(simulator, "EventRinging", linkedId="L1", uniqueId="U1")
    await push_call_event(simulator, "EventEstablished", linkedId="L1", uniqueId="U2")
    await push_call_event(simulator, "EventRinging", uniqueId="U3")
    await wait_until(lambda: len(notes.calls) == 3)
    assert sorted(session.calls) == ["L1", "U3"]
    assert session.calls["L1"].unique_id == "U2"
    await push_call_event(simulator, "EventReleased", linkedId="L1", uniqueId="U9")
    await push_call_event(simulator, "EventReleased", uniqueId="U3")
    await wait_until(lambda: len(notes.calls) == 5)
    assert session.calls == {}
    assert notes.calls[-1].event_type is PhoneEventType.RELEASED
    assert seen == [["L1"], ["L1"], ["L1", "U3"], ["U3"], []]
    assert notes.changes == 5


async def test_unnamed_callers_are_looked_up(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """The first event goes out unnamed at once; later ones carry the name."""
    session = await settled(simulator, await start_session())
    notes = Notes(session)
    unique_id = await simulator.incoming_call("1001", "")
    await wait_until(lambda: session.caller_names.cached("1001") == "Bob Marley")
    await simulator.remote_answer(unique_id)
    await wait_until(lambda: notes.calls[-1].event_type is PhoneEventType.ESTABLISHED)
    assert notes.calls[0].other_name is None
    assert notes.calls[-1].other_name == "Bob Marley"


async def test_lookups_queued_past_the_limit_are_not_sent(
    simulator: XucSimulator,
    start_session: SessionStarter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Numbers queued before the directory proved silent are then not asked."""
    simulator.config.lookup_commands = frozenset()
    monkeypatch.setattr("aioxuc.names.LOOKUP_TIMEOUT", 0.01)
    session = await settled(simulator, await start_session())
    names = session.caller_names
    numbers = [f"061234567{digit}" for digit in range(MAX_UNANSWERED + 2)]
    assert all(names.wanted(number) for number in numbers)
    for number in numbers:
        await names.lookup(number)
    asked = [
        f["term"] for f in simulator.commands() if f["command"] == "directoryLookUp"
    ]
    assert asked == numbers[:MAX_UNANSWERED]


async def test_reconnect_forgets_pushed_values(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """On reconnect pushed values are unknown, then the server refreshes them."""
    session = await settled(simulator, await start_session())
    await simulator.set_voicemail(2, 0)
    await simulator.push("UserStatusUpdate", {"status": "away"})
    await wait_until(lambda: session.voicemail.new == 2 and session.presence == "away")
    seen: list[tuple[object, ...]] = []
    session.subscribe(
        lambda: seen.append((session.phone_status, session.voicemail, session.presence))
    )
    simulator.config.initial_frames = ()
    await simulator.drop_connections()
    await wait_until(lambda: session.connected and bool(seen))
    assert seen[-1] == (None, Voicemail(), None)
    await simulator.set_voicemail(2, 0)
    await wait_until(lambda: session.voicemail.new == 2)


async def test_closed_session_follows_nothing(
    simulator: XucSimulator, start_session: SessionStarter
) -> None:
    """After close() the session's state no longer changes."""
    session = await settled(simulator, await start_session())
    await session.close()
    received: list[XucEvent] = []
    session.client.subscribe(received.append)
    await simulator.set_voicemail(7, 7)
    await wait_until(
        lambda: any(isinstance(e, VoiceMailStatusUpdate) for e in received)
    )
    assert session.voicemail.new != 7
