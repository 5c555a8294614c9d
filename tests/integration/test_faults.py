"""Fault matrix: the whole integration against a misbehaving XuC server.

Each test breaks the server or the link in one way, over real loopback sockets,
and checks what a user sees: entities go unavailable and come back by
themselves (or Home Assistant asks to sign in again), exactly one websocket is
open afterwards, the log stays short and free of errors, and every action
either reaches the server or fails with a clear error.
"""

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
import logging
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.aioxuc import Backoff, ConnectionState, Throttle, XucClient
from custom_components.xuc.aioxuc.auth import Token
from custom_components.xuc.diagnostics import async_get_config_entry_diagnostics
from tests.helpers import wait_until
from tests.integration.conftest import call_action, state
from tests.integration.const import AGENT, CONNECTED, DND, PHONE, VOICEMAIL
from tests.xuc_simulator import XucSimulator

HTTP_TIMEOUT = 0.3


LOGGED_ON_TIMEOUT = 0.5


BACKOFF_INITIAL = 0.01


BACKOFF_MAX = 0.05


# What one outage may cost in the log: "Lost connection", "restored", one spare.
MAX_LINES_PER_OUTAGE = 3


# Scheduling slack on top of the three silent heartbeat intervals.
DETECTION_SLACK = 0.1


# The simulator's HTTP server logs the requests a test abandons; not ours.
SIMULATOR_LOGGERS = ("aiohttp.server", "tests.xuc_simulator")


# Actions refused during an outage must say why.
OUTAGE_ERRORS = {"not_connected", "command_failed"}


type Fault = Callable[[XucSimulator], Awaitable[None]]


@pytest.fixture
def heartbeat() -> float:
    """Heartbeat interval of the client: none within a test, unless it asks.

    No pong then counts among the unknown frames, and a busy machine cannot
    pass for a dead link.
    """
    return 60.0


@pytest.fixture(autouse=True)
def short_timings(fast_reconnect: None, heartbeat: float) -> Generator[None]:
    """Sub-second timeouts, the heartbeat asked for, back-off delays at their cap."""
    client = partial(
        XucClient,
        heartbeat_interval=heartbeat,
        http_timeout=HTTP_TIMEOUT,
        logged_on_timeout=LOGGED_ON_TIMEOUT,
    )
    backoff = partial(
        Backoff, initial=BACKOFF_INITIAL, maximum=BACKOFF_MAX, rng=lambda: 1.0
    )
    with (
        patch("custom_components.xuc.hub.XucClient", client),
        patch("custom_components.xuc.aioxuc.client.Backoff", backoff),
    ):
        yield


@pytest.fixture(autouse=True)
def info_log(caplog: pytest.LogCaptureFixture) -> None:
    """Capture INFO records, which is where outages are reported."""
    caplog.set_level(logging.INFO)


@pytest.fixture
async def phone_states(hass: HomeAssistant) -> AsyncGenerator[list[str]]:
    """Every state the phone sensor goes through, in order."""
    states: list[str] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if (new_state := event.data["new_state"]) is not None:
            states.append(new_state.state)

    unsubscribe = async_track_state_change_event(hass, [PHONE], record)
    yield states
    unsubscribe()


class Actions:
    """Actions called around a fault; each must reach the server or fail clearly."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Call actions in `hass`."""
        self._hass = hass
        self.delivered: list[str] = []
        self.refusals: list[str | None] = []

    async def hangup(self) -> None:
        """Hang up a call the server does not know: a frame without side effects."""
        unique_id = f"fault-{len(self.delivered) + len(self.refusals)}"
        try:
            await call_action(self._hass, "hangup", unique_id=unique_id)
        except HomeAssistantError as err:
            self.refusals.append(err.translation_key)
        else:
            self.delivered.append(unique_id)

    async def assert_none_lost(self, simulator: XucSimulator) -> None:
        """Every action that did not fail reached the server."""

        def missing() -> set[str]:
            received = {frame.get("uniqueId") for frame in simulator.commands()}
            return set(self.delivered) - received

        with suppress(TimeoutError):
            await wait_until(lambda: not missing())
        assert not missing(), "these actions succeeded but never reached the server"
        assert set(self.refusals) <= OUTAGE_ERRORS


@pytest.fixture
def actions(hass: HomeAssistant) -> Actions:
    """Actions to call while the fault lasts."""
    return Actions(hass)


async def assert_back(
    hass: HomeAssistant,
    simulator: XucSimulator,
    phone_states: list[str],
    actions: Actions,
) -> None:
    """Entities were unavailable and are back, over exactly one websocket."""
    await wait_until(lambda: STATE_UNAVAILABLE in phone_states)
    await wait_until(lambda: state(hass, PHONE) == "available")
    assert state(hass, CONNECTED) == STATE_ON
    await simulator.wait_for_connections(1)
    assert simulator.open_connections == 1
    refusals = len(actions.refusals)
    await actions.hangup()
    assert len(actions.refusals) == refusals
    await actions.assert_none_lost(simulator)


def assert_quiet(
    caplog: pytest.LogCaptureFixture, max_lines: int = MAX_LINES_PER_OUTAGE
) -> None:
    """No error, no traceback, and at most `max_lines` lines of the integration."""
    records = [r for r in caplog.records if not r.name.startswith(SIMULATOR_LOGGERS)]
    assert not [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    text = "\n".join(caplog.handler.format(record) for record in records)
    for word in ("Traceback", "Unhandled", "exception"):
        assert word not in text
    lines = [
        record.getMessage()
        for record in records
        if record.name.startswith("custom_components.xuc")
        and record.levelno >= logging.INFO
    ]
    assert len(lines) <= max_lines, lines


def assert_backed_off(login_times: list[float]) -> None:
    """Consecutive logins are at least one back-off delay apart (doubling, capped)."""
    for step, (earlier, later) in enumerate(pairwise(login_times), start=1):
        delay = min(BACKOFF_INITIAL * 2**step, BACKOFF_MAX)
        assert later - earlier >= delay - 1e-3, f"login {step} came too soon"


def _close(code: int) -> Fault:
    return partial(XucSimulator.close_connections, code=code)


@pytest.mark.parametrize(
    "fault",
    [
        XucSimulator.restart,
        XucSimulator.drop_connections,
        _close(1000),
        _close(1011),
        _close(4000),
    ],
    ids=["server restart", "TCP drop", "close 1000", "close 1011", "close 4000"],
)
async def test_link_lost(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    phone_states: list[str],
    actions: Actions,
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
) -> None:
    """The link breaks for an instant: entities blink unavailable and come back."""
    sessions = simulator.total_connections
    await fault(simulator)
    await actions.hangup()
    await assert_back(hass, simulator, phone_states, actions)
    assert simulator.total_connections == sessions + 1
    assert_quiet(caplog)


@pytest.mark.parametrize("heartbeat", [0.2])
async def test_half_open_link(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    phone_states: list[str],
    actions: Actions,
    caplog: pytest.LogCaptureFixture,
    heartbeat: float,
) -> None:
    """A server that falls silent is given up within three heartbeats, then rejoined."""
    client = loaded_entry.runtime_data.client
    loop = asyncio.get_running_loop()
    lost_at: list[float] = []
    unsubscribe = client.subscribe_state(
        lambda new: (
            lost_at.append(loop.time()) if new is ConnectionState.DISCONNECTED else None
        )
    )
    silenced_at = loop.time()
    simulator.config.silent = True
    await actions.hangup()
    await wait_until(lambda: bool(lost_at))
    simulator.config.silent = False
    unsubscribe()
    assert lost_at[0] - silenced_at <= 3 * heartbeat + DETECTION_SLACK
    await assert_back(hass, simulator, phone_states, actions)
    assert_quiet(caplog)


async def _fail_logins(simulator: XucSimulator, mode: str) -> None:
    simulator.config.login_mode = mode  # type: ignore[assignment]
    simulator.expire_tokens()
    await simulator.drop_connections()


async def _accept_logins(simulator: XucSimulator) -> None:
    simulator.config.login_mode = "ok"


async def _refuse_sessions(simulator: XucSimulator, mode: str) -> None:
    simulator.config.logged_on_mode = mode  # type: ignore[assignment]
    simulator.config.logged_on_timeout = 0.05
    await simulator.drop_connections()


async def _accept_sessions(simulator: XucSimulator) -> None:
    simulator.config.logged_on_mode = "ok"


@dataclass(frozen=True)
class Outage:
    """How the server starts and stops refusing service."""

    start: Fault
    end: Fault


OUTAGES = {
    "login 500": Outage(partial(_fail_logins, mode="error"), _accept_logins),
    "login 502 page": Outage(partial(_fail_logins, mode="non_json"), _accept_logins),
    "login timeout": Outage(partial(_fail_logins, mode="hang"), _accept_logins),
    "login dropped": Outage(partial(_fail_logins, mode="refuse"), _accept_logins),
    "connection refused": Outage(XucSimulator.stop, XucSimulator.start),
    "loggedOnFailed": Outage(
        partial(_refuse_sessions, mode="failed"), _accept_sessions
    ),
    "loggedOnTimeout": Outage(
        partial(_refuse_sessions, mode="timeout"), _accept_sessions
    ),
}


@pytest.mark.parametrize("outage", list(OUTAGES.values()), ids=list(OUTAGES))
async def test_server_refuses_for_a_while(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    phone_states: list[str],
    actions: Actions,
    caplog: pytest.LogCaptureFixture,
    outage: Outage,
) -> None:
    """Retries back off to the cap, one login a step, until the server is back."""
    client = loaded_entry.runtime_data.client
    failures = client.stats.failed_attempts
    logins = simulator.login_count
    await outage.start(simulator)
    await wait_until(lambda: state(hass, PHONE) == STATE_UNAVAILABLE)
    await actions.hangup()
    assert actions.refusals == ["not_connected"]
    await wait_until(lambda: client.stats.failed_attempts >= failures + 4)
    assert client._backoff.ceiling == BACKOFF_MAX
    await outage.end(simulator)
    await assert_back(hass, simulator, phone_states, actions)
    attempts = simulator.login_attempts[logins:]
    assert len(attempts) <= client.stats.failed_attempts - failures + 1
    assert_backed_off(attempts)
    assert_quiet(caplog)


async def _vouch(token: Token) -> Token:
    """A token check that accepts any token."""
    return token


@pytest.mark.parametrize(
    ("refusal", "upgrade_rejections"),
    [
        ("token expired", 0),
        ("check refuses", 0),
        ("http_401", 1),
        ("http_403", 1),
        ("accept_close", 1),
        ("logged_on_error", 1),
    ],
)
async def test_token_refused(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    phone_states: list[str],
    actions: Actions,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    refusal: str,
    upgrade_rejections: int,
) -> None:
    """A token the server no longer takes costs one new login, then all goes on."""
    logins = simulator.login_count
    if refusal == "check refuses":
        simulator.config.check_mode = "expired"
    else:
        simulator.expire_tokens()
    if refusal.startswith(("http", "accept", "logged")):
        # The check still vouches for the token: only the websocket refuses it.
        simulator.config.bad_token_mode = refusal  # type: ignore[assignment]
        monkeypatch.setattr(loaded_entry.runtime_data.client._auth, "check", _vouch)
    await simulator.drop_connections()
    await actions.hangup()
    await assert_back(hass, simulator, phone_states, actions)
    assert simulator.login_count == logins + 1
    assert simulator.upgrade_rejections == upgrade_rejections
    assert_quiet(caplog)


async def test_password_changed(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    phone_states: list[str],
    actions: Actions,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A new password on the server asks once to sign in again, without retrying."""
    simulator.accounts["alice"].password = "changed"
    await simulator.restart()
    await wait_until(lambda: bool(hass.config_entries.flow.async_progress()))
    await asyncio.sleep(0.3)
    await hass.async_block_till_done()
    assert simulator.login_count == 2
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert state(hass, PHONE) == STATE_UNAVAILABLE
    assert simulator.open_connections == 0
    await actions.hangup()
    assert actions.refusals == ["not_connected"]

    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_PASSWORD: "changed"}
    )
    assert result.get("reason") == "reauth_successful"
    await hass.async_block_till_done()
    await assert_back(hass, simulator, phone_states, actions)
    assert_quiet(caplog)


async def test_action_flood(
    hass: HomeAssistant,
    simulator: XucSimulator,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """500 actions at once stay within the server's budget; the rest fail clearly."""
    with patch(
        "custom_components.xuc.aioxuc.client.Throttle", partial(Throttle, max_wait=0.5)
    ):
        config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    ids = [f"flood-{number}" for number in range(500)]
    results = await asyncio.gather(
        *(call_action(hass, "hangup", unique_id=unique_id) for unique_id in ids),
        return_exceptions=True,
    )
    refused = [result for result in results if result is not None]
    assert {getattr(error, "translation_key", error) for error in refused} == {
        "throttled"
    }
    delivered = {
        unique_id
        for unique_id, result in zip(ids, results, strict=False)
        if result is None
    }
    assert 100 < len(delivered) < 500

    def received() -> set[str]:
        return set(ids) & {frame.get("uniqueId") for frame in simulator.commands()}

    await wait_until(lambda: len(received()) >= len(delivered))
    assert received() == delivered
    assert simulator.throttle_violations == 0
    assert state(hass, CONNECTED) == STATE_ON
    assert simulator.open_connections == 1
    assert_quiet(caplog, max_lines=0)


HUGE = "x" * 1_000_000


DEEP = "[" * 100_000 + "]" * 100_000


GARBAGE: dict[str, tuple[str | bytes, str]] = {
    "malformed JSON": ("{'msgType': 'PhoneEvent'}", "unparsed_frames"),
    "truncated": (
        '{"msgType":"PhoneStatusUpdate","ctiMessage":{"sta',
        "unparsed_frames",
    ),
    "binary": (b"\x00\xff\xfe binary \x81", "unparsed_frames"),
    "huge, not JSON": (HUGE, "unparsed_frames"),
    "huge JSON": (f'{{"msgType":"Sheet","ctiMessage":"{HUGE}"}}', "unknown_frames"),
    "deeply nested": (
        f'{{"msgType":"PhoneStatusUpdate","ctiMessage":{DEEP}}}',
        "unparsed_frames",
    ),
    "unknown type": ('{"msgType":"Sheet","ctiMessage":{}}', "unknown_frames"),
    "not an object": ('["PhoneStatusUpdate", {"status": "BUSY"}]', "unparsed_frames"),
    "msgType not text": ('{"msgType":8,"ctiMessage":{"status":8}}', "unparsed_frames"),
    "payload not an object": (
        '{"msgType":"PhoneStatusUpdate","ctiMessage":"BUSY"}',
        "unparsed_frames",
    ),
    "phone status an object": (
        '{"msgType":"PhoneStatusUpdate","ctiMessage":{"status":{"code":2}}}',
        "unparsed_frames",
    ),
    "voicemail counts a list": (
        '{"msgType":"VoiceMailStatusUpdate","ctiMessage":{"newMessages":[9]}}',
        "unparsed_frames",
    ),
    "count beyond 64 bits": (
        '{"msgType":"VoiceMailStatusUpdate","ctiMessage":{"newMessages":"99999999999999999999"}}',
        "unparsed_frames",
    ),
    "agent state an object": (
        '{"msgType":"AgentStateEvent","ctiMessage":{"name":{},"agentId":12}}',
        "unparsed_frames",
    ),
}


@pytest.mark.parametrize(("raw", "counter"), list(GARBAGE.values()), ids=list(GARBAGE))
async def test_garbage_frame(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    raw: str | bytes,
    counter: str,
) -> None:
    """A frame that makes no sense is skipped and counted; nothing else changes."""
    await wait_until(lambda: state(hass, AGENT) == "logged_out")
    watched = (PHONE, AGENT, DND, CONNECTED)
    before = {entity_id: state(hass, entity_id) for entity_id in watched}
    stats = loaded_entry.runtime_data.client.stats
    counts = {
        "unparsed_frames": stats.unparsed_frames,
        "unknown_frames": stats.unknown_frames,
    }
    await simulator.push_raw(raw)
    await simulator.set_voicemail(7, 5)
    await wait_until(lambda: state(hass, VOICEMAIL) == "7")
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    assert {entity_id: state(hass, entity_id) for entity_id in watched} == before
    counts[counter] += 1
    assert {name: getattr(stats, name) for name in counts} == counts
    assert diagnostics["connection"]["stats"].items() >= counts.items()
    assert simulator.open_connections == 1
    assert simulator.total_connections == 1
    # The first frame skipped in a session is worth a warning.
    assert_quiet(caplog, max_lines=1)


async def _stuck_in_login(simulator: XucSimulator) -> None:
    logins = simulator.login_count
    await _fail_logins(simulator, "hang")
    await wait_until(lambda: simulator.login_count > logins)


async def _stuck_before_logged_on(simulator: XucSimulator) -> None:
    checks = simulator.check_count
    simulator.config.logged_on_mode = "timeout"
    simulator.config.logged_on_timeout = 60
    await simulator.drop_connections()
    await wait_until(lambda: simulator.check_count > checks)
    await asyncio.sleep(0.05)


async def _unload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED


async def _stop(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.async_stop()


@pytest.mark.parametrize(
    "shutdown", [_unload, _stop], ids=["entry unloaded", "Home Assistant stops"]
)
@pytest.mark.parametrize(
    "stuck",
    [_stuck_in_login, _stuck_before_logged_on],
    ids=["login hangs", "LoggedOn never comes"],
)
async def test_shutdown_while_reconnecting(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    stuck: Fault,
    shutdown: Callable[[HomeAssistant, MockConfigEntry], Awaitable[None]],
) -> None:
    """Stopping in the middle of a reconnect ends it at once, leaving nothing behind."""
    client = loaded_entry.runtime_data.client
    await stuck(simulator)
    state_when_stopped = client.state
    assert state_when_stopped is ConnectionState.CONNECTING
    loop = asyncio.get_running_loop()
    started = loop.time()
    await shutdown(hass, loaded_entry)
    assert loop.time() - started < HTTP_TIMEOUT
    assert client.state is ConnectionState.DISCONNECTED
    assert client._run_task is None or client._run_task.done()
    await simulator.wait_for_connections(0)
    assert_quiet(caplog)


async def test_setup_interrupted_by_stop(
    hass: HomeAssistant,
    simulator: XucSimulator,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Home Assistant stopping while the first login hangs shuts down cleanly."""
    simulator.config.login_mode = "hang"
    config_entry.add_to_hass(hass)
    setup = hass.async_create_task(
        hass.config_entries.async_setup(config_entry.entry_id)
    )
    await wait_until(lambda: simulator.login_count > 0)
    await hass.async_stop()
    assert setup.done()
    assert config_entry.state is not ConfigEntryState.LOADED
    assert simulator.open_connections == 0
    assert_quiet(caplog)


async def test_reload_50_times(
    hass: HomeAssistant,
    simulator: XucSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Fifty reloads in a row leave one websocket and no extra task."""
    await hass.async_block_till_done()
    tasks = len(asyncio.all_tasks())
    sessions = simulator.total_connections
    for _ in range(50):
        assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    await simulator.wait_for_connections(1)
    assert simulator.open_connections == 1
    assert simulator.total_connections == sessions + 50
    await wait_until(lambda: len(asyncio.all_tasks()) <= tasks)
    assert len(asyncio.all_tasks()) == tasks
    await wait_until(lambda: state(hass, PHONE) == "available")
    assert_quiet(caplog, max_lines=0)
