"""The client against the simulator, over real loopback sockets."""

import asyncio
import gc
import logging

import pytest

from aioxuc import (
    Backoff,
    CallHistory,
    ConnectionState,
    ErrorEvent,
    LoggedOn,
    PhoneEvent,
    PhoneEventType,
    PhoneStatus,
    PhoneStatusUpdate,
    Throttle,
    UnknownEvent,
    UserConfigUpdate,
    UsersStatuses,
    UserStatusUpdate,
    VoiceMailStatusUpdate,
    XucAuthenticationError,
    XucClient,
    XucCommandError,
    XucConnectionError,
    XucLoggedOnError,
    XucNotConnectedError,
    XucRateLimitedError,
    XucRefusedError,
    XucTimeoutError,
    commands,
)
from aioxuc.auth import Token
from aioxuc.const import MAX_FRAME_SIZE
from tests.client.conftest import ClientFactory, ClientStarter
from tests.client.recorder import Recorder
from tests.helpers import wait_until
from tests.xuc_simulator import XucSimulator

CONNECTED = ConnectionState.CONNECTED
DISCONNECTED = ConnectionState.DISCONNECTED


async def test_connect_delivers_logged_on_then_state(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """LoggedOn comes first, then the state the server pushes by itself."""
    client = make_client()
    recorder = Recorder(client)
    await client.connect()
    assert client.connected
    assert recorder.states == [ConnectionState.CONNECTING, CONNECTED]
    assert isinstance(recorder.events[0], LoggedOn)
    client.start()
    statuses = await recorder.wait_for(UsersStatuses)
    assert [status.name for status in statuses.statuses][:2] == ["available", "away"]
    assert (await recorder.wait_for(UserStatusUpdate)).status == "available"
    status = await recorder.wait_for(PhoneStatusUpdate)
    assert status.status is PhoneStatus.AVAILABLE
    config = await recorder.wait_for(UserConfigUpdate)
    assert config.config.full_name == "Alice Johnson"
    assert config.config.agent_id == 12
    voicemail = await recorder.wait_for(VoiceMailStatusUpdate)
    assert (voicemail.new_messages, voicemail.old_messages) == (2, 5)
    assert simulator.open_connections == 1
    assert client.stats.sessions == 1


async def test_dial_reaches_the_server_and_events_come_back(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A dial frame is the golden one; the server's follow-ups are typed events."""
    client, recorder = await start_client()
    await client.send(commands.dial("1001", {"ticket": "42"}))
    frame = await simulator.wait_for_command("dial")
    assert frame == {
        "claz": "web",
        "command": "dial",
        "destination": "1001",
        "variables": {"ticket": "42"},
    }
    calling = await recorder.wait_for(
        PhoneStatusUpdate, lambda event: event.status is PhoneStatus.CALLING
    )
    assert calling.status is PhoneStatus.CALLING
    dialing = await recorder.wait_for(PhoneEvent)
    assert dialing.event_type is PhoneEventType.DIALING
    assert (dialing.dn, dialing.other_dn, dialing.other_name) == (
        "1000",
        "1001",
        "Bob Marley",
    )
    assert dialing.user_data["USR_ticket"] == "42"
    await client.send(commands.hangup(dialing.unique_id))
    released = await recorder.wait_for(PhoneEvent)
    assert released.event_type is PhoneEventType.RELEASED
    assert released.unique_id == dialing.unique_id


async def test_incoming_call_events(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """An incoming call rings, is answered, held and released."""
    client, recorder = await start_client()
    unique_id = await simulator.incoming_call(
        "0612345678", "Brucé Wail", queue="bluesky", user_data={"USR_crm": "7"}
    )
    ringing = await recorder.wait_for(PhoneEvent)
    assert ringing.event_type is PhoneEventType.RINGING
    assert ringing.other_name == "Brucé Wail"
    assert ringing.queue_name == "bluesky"
    assert ringing.user_data["USR_crm"] == "7"
    await recorder.wait_for(
        PhoneStatusUpdate, lambda event: event.status is PhoneStatus.RINGING
    )
    for command, expected in (
        (commands.answer(unique_id), PhoneEventType.ESTABLISHED),
        (commands.hold(unique_id), PhoneEventType.ON_HOLD),
        (commands.hold(unique_id), PhoneEventType.ESTABLISHED),
        (commands.hangup(unique_id), PhoneEventType.RELEASED),
    ):
        await client.send(command)
        event = await recorder.wait_for(PhoneEvent)
        assert (event.event_type, event.unique_id) == (expected, unique_id)


async def test_request_returns_the_reply(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A request resolves with the next event of the expected type."""
    client, _ = await start_client()
    history = await client.request(commands.get_user_call_history(2), CallHistory)
    assert 0 < len(history.entries) <= 2
    assert await simulator.wait_for_command("getUserCallHistory") == {
        "claz": "web",
        "command": "getUserCallHistory",
        "size": 2,
    }


async def test_request_without_answer_times_out(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A server that answers nothing makes a request fail with a clear error."""
    simulator.config.sparse = True
    client, _ = await start_client(request_timeout=0.2)
    with pytest.raises(XucCommandError, match="no CallHistory within"):
        await client.request(commands.get_user_call_history(2), CallHistory)


async def test_lost_connection_fails_pending_requests(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A request waiting for its reply fails as soon as the link drops."""
    simulator.config.sparse = True
    client, _ = await start_client()
    request = asyncio.ensure_future(
        client.request(commands.get_user_call_history(2), CallHistory)
    )
    await simulator.wait_for_command("getUserCallHistory")
    await simulator.drop_connections()
    with pytest.raises(XucNotConnectedError, match="connection was lost"):
        await request


@pytest.mark.parametrize("kind", ["request", "checked command"])
async def test_drop_before_the_frame_left_leaves_no_unseen_error(
    simulator: XucSimulator, start_client: ClientStarter, kind: str
) -> None:
    """A command cut off while waiting for its slot fails, and nothing else.

    Its reply or refusal watch fails too; left unseen, asyncio would log
    "Future exception was never retrieved" with a traceback.
    """
    client, recorder = await start_client(
        throttle=Throttle(rate=2, burst=2, reserve=1), refusal_wait=5.0
    )
    await client.send(commands.dnd(enabled=True))  # takes the free slot
    frame = commands.get_user_call_history(2)

    async def cut_off() -> None:
        pending = asyncio.ensure_future(
            client.request(frame, CallHistory)
            if kind == "request"
            else client.send_checked(frame)
        )
        await asyncio.sleep(0)
        await simulator.drop_connections()
        await recorder.wait_for_state(DISCONNECTED)
        with pytest.raises(XucNotConnectedError, match="closed"):
            await pending

    loop = asyncio.get_running_loop()
    unseen: list[str] = []
    loop.set_exception_handler(lambda _, context: unseen.append(context["message"]))
    try:
        await cut_off()
        await asyncio.sleep(0)  # the task's done callbacks hold it until they ran
        gc.collect()
    finally:
        loop.set_exception_handler(None)
    assert unseen == []


async def test_refused_command_raises_with_the_reason(
    simulator: XucSimulator,
    start_client: ClientStarter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An AgentError right after a command is its refusal, logged once."""
    client, _ = await start_client(refusal_wait=5.0)
    with pytest.raises(XucRefusedError) as refused:
        await client.send_checked(commands.agent_login("1013"))
    assert (refused.value.reason, refused.value.phone_number) == (
        "LoggedInOnAnotherPhone",
        "1013",
    )
    assert refused.value.requested_number == "1013"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert warnings[0].endswith("refused agentLogin: LoggedInOnAnotherPhone")
    with pytest.raises(XucRefusedError, match="PhoneNumberUnknown"):
        await client.send_checked(commands.agent_login("1099"))


async def test_unanswered_command_succeeds(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """Without a refusal within the wait, the commands went through."""
    client, _ = await start_client(refusal_wait=0.05)
    await client.send_checked(commands.dnd(enabled=True), commands.dnd(enabled=False))
    assert [frame["state"] for frame in simulator.commands()[-2:]] == [True, False]


async def test_connection_lost_while_waiting_for_a_refusal(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A link that drops during the wait fails the command."""
    client, _ = await start_client(refusal_wait=5.0)
    command = asyncio.ensure_future(client.send_checked(commands.dnd(enabled=True)))
    await simulator.wait_for_command("dnd")
    await simulator.drop_connections()
    with pytest.raises(XucNotConnectedError):
        await command


async def test_rejected_credentials_are_final(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A rejected password is final: no retry, state AUTH_FAILED."""
    client = make_client(password="wrong")
    with pytest.raises(XucAuthenticationError, match="rejected the credentials"):
        await client.connect()
    assert client.state is ConnectionState.AUTH_FAILED
    await client.run()
    assert simulator.login_count == 2
    assert client.state is ConnectionState.AUTH_FAILED


@pytest.mark.parametrize(
    ("mode", "status", "expected", "message"),
    [
        ("reject", 403, XucAuthenticationError, "InvalidCredentials"),
        ("error", 401, XucConnectionError, r"HTTP 500 \(UnhandledError"),
        ("non_json", 401, XucConnectionError, "login failed: HTTP 502"),
        ("refuse", 401, XucConnectionError, "cannot reach"),
        ("no_token", 401, XucConnectionError, "no token in the server's answer"),
    ],
)
async def test_login_failures(
    simulator: XucSimulator,
    make_client: ClientFactory,
    mode: str,
    status: int,
    expected: type[Exception],
    message: str,
) -> None:
    """Login errors map to typed exceptions, by the body more than the status."""
    simulator.config.login_mode = mode
    simulator.config.login_status_invalid_credentials = status
    with pytest.raises(expected, match=message):
        await make_client().connect()


async def test_login_timeout(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A login that never answers times out."""
    simulator.config.login_mode = "hang"
    client = make_client(http_timeout=0.2)
    with pytest.raises(XucTimeoutError, match="did not answer"):
        await client.connect()
    assert client.state is DISCONNECTED


async def test_unreachable_server(make_client: ClientFactory) -> None:
    """Nothing listening: a connection error, and still disconnected."""
    client = make_client()
    client._auth._base_url = client._auth._base_url.with_port(1)
    with pytest.raises(XucConnectionError):
        await client.connect()
    assert client.stats.failed_attempts == 1


async def test_reconnect_checks_the_token(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A reconnect checks the token instead of logging in again."""
    _client, recorder = await start_client()
    await simulator.drop_connections()
    await recorder.wait_for_state(CONNECTED, 2)
    assert (simulator.login_count, simulator.check_count) == (1, 1)
    assert simulator.open_connections == 1


async def test_expired_token_logs_in_again(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A token the check rejects is replaced by a fresh login."""
    _client, recorder = await start_client()
    simulator.expire_tokens()
    await simulator.drop_connections()
    await recorder.wait_for_state(CONNECTED, 2)
    assert (simulator.login_count, simulator.check_count) == (2, 1)


async def test_token_check_server_error(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A failing token check fails that attempt only; the token is kept."""
    client, recorder = await start_client()
    simulator.config.check_mode = "error"
    await simulator.drop_connections()
    await wait_until(lambda: client.stats.failed_attempts > 0)
    assert client.stats.last_error is not None
    assert "token check failed: HTTP 500" in client.stats.last_error
    simulator.config.check_mode = "ok"
    await recorder.wait_for_state(CONNECTED, 2)
    assert simulator.login_count == 1


async def test_websocket_dropped_while_opening(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A connection dropped during the upgrade is a connection error."""
    simulator.config.cti_drop = True
    client = make_client()
    with pytest.raises(XucConnectionError, match="cannot open the websocket"):
        await client.connect()
    assert client.state is DISCONNECTED


async def test_oversized_frame_ends_the_session(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """A frame over the size limit is a websocket error: the client reconnects."""
    client, recorder = await start_client()
    await simulator.push_raw("x" * (MAX_FRAME_SIZE + 1))
    await recorder.wait_for_state(CONNECTED, 2)
    assert client.stats.last_error is not None
    assert client.stats.last_error.startswith("websocket error:")
    assert client.stats.unparsed_frames == 0


async def test_renewed_token_is_used(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """The token the check returns replaces the old one."""
    simulator.config.renew_token_on_check = True
    client = make_client()
    recorder = Recorder(client)
    await client.connect()
    first = client._token
    client.start()
    await simulator.drop_connections()
    await recorder.wait_for_state(CONNECTED, 2)
    assert client._token is not None
    assert first is not None
    assert client._token.value != first.value
    assert client._token.value == simulator.issued_tokens[-1]


@pytest.mark.parametrize("mode", ["http_401", "http_403"])
async def test_token_rejected_on_upgrade_logs_in_once(
    simulator: XucSimulator,
    make_client: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
) -> None:
    """A websocket refusing a token the check accepted: one new login, then on."""
    simulator.config.bad_token_mode = mode
    client = make_client()
    await client.connect()

    async def accept_any(token: Token) -> Token:
        return token

    monkeypatch.setattr(client._auth, "check", accept_any)
    await client.stop()
    simulator.expire_tokens()
    await client.connect()
    assert client.connected
    assert simulator.upgrade_rejections == 1
    assert simulator.login_count == 2


async def test_fresh_token_rejected_on_upgrade_is_a_connection_error(
    simulator: XucSimulator, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A websocket refusing a brand-new token is retried later, not a reauth."""
    client = make_client()
    real_login = client._auth.login

    async def login_then_expire() -> Token:
        token = await real_login()
        simulator.expire_tokens()
        return token

    monkeypatch.setattr(client._auth, "login", login_then_expire)
    with pytest.raises(XucConnectionError, match="refused the session token"):
        await client.connect()
    assert client.state is DISCONNECTED
    assert client._token is None


@pytest.mark.parametrize("mode", ["accept_close", "logged_on_error"])
async def test_bad_token_after_upgrade_recovers(
    simulator: XucSimulator, start_client: ClientStarter, mode: str
) -> None:
    """A session closed before LoggedOn forgets its token and logs in again."""
    simulator.config.bad_token_mode = mode
    client, recorder = await start_client()
    client._token = Token("stale")
    await simulator.drop_connections()
    await recorder.wait_for_state(CONNECTED, 2)
    assert simulator.upgrade_rejections == 0
    assert simulator.login_count == 2


@pytest.mark.parametrize(
    ("mode", "message"),
    [("failed", "loggedOnFailed"), ("timeout", "loggedOnTimeout")],
)
async def test_logged_on_error(
    simulator: XucSimulator, make_client: ClientFactory, mode: str, message: str
) -> None:
    """LoggedOnError fails the attempt with the server's reason."""
    simulator.config.logged_on_mode = mode
    simulator.config.logged_on_timeout = 0.05
    client = make_client()
    with pytest.raises(XucLoggedOnError, match=message):
        await client.connect()
    assert client._token is None


async def test_logged_on_never_comes(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A server that accepts the websocket but never logs on times out."""
    simulator.config.logged_on_mode = "timeout"
    client = make_client(logged_on_timeout=0.1)
    with pytest.raises(XucTimeoutError, match="no LoggedOn within"):
        await client.connect()
    assert simulator.open_connections == 0


async def test_logged_on_error_then_recovery_with_backoff(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """After LoggedOnError the supervisor retries until the server accepts."""
    simulator.config.logged_on_mode = "failed"
    client = make_client()
    recorder = Recorder(client)
    client.start()
    await wait_until(lambda: client.stats.failed_attempts >= 3)
    simulator.config.logged_on_mode = "ok"
    await recorder.wait_for_state(CONNECTED)
    assert simulator.open_connections == 1


async def test_heartbeat_pings_and_dead_link_detection(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """Pings go out each interval; three intervals of silence end the link."""
    client, recorder = await start_client(heartbeat_interval=0.1)
    await wait_until(lambda: len(_pings(simulator)) >= 3)
    simulator.config.silent = True
    simulator.clear_received()
    await recorder.wait_for_state(DISCONNECTED)
    assert client.stats.last_error is not None
    assert client.stats.last_error.startswith("no frame from the server for")
    # XuC's rule: the link dies after three intervals without any frame.
    assert 2 <= len(_pings(simulator)) <= 3
    simulator.config.silent = False
    await recorder.wait_for_state(CONNECTED, 2)
    assert simulator.open_connections == 1


def _pings(simulator: XucSimulator) -> list[str]:
    return [
        frame.text for frame in simulator.received if frame.frame == {"claz": "ping"}
    ]


async def test_pings_are_answered_and_keep_the_link(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """An idle but answering server keeps the session open."""
    _client, recorder = await start_client(heartbeat_interval=0.05)
    await wait_until(lambda: len(_pings(simulator)) >= 8)
    assert recorder.states == [ConnectionState.CONNECTING, CONNECTED]
    assert len(recorder.of_type(UnknownEvent)) >= 7


async def test_reconnects_after_server_restart(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """After a restart (all tokens lost) the client logs in and carries on."""
    _client, recorder = await start_client()
    await simulator.restart()
    await recorder.wait_for_state(CONNECTED, 2)
    assert simulator.open_connections == 1
    await simulator.set_voicemail(7, 1)
    event = await recorder.wait_for(
        VoiceMailStatusUpdate, lambda event: event.new_messages == 7
    )
    assert event.old_messages == 1


@pytest.mark.parametrize("close_code", [1000, 1011, 4000])
async def test_reconnects_after_close(
    simulator: XucSimulator, start_client: ClientStarter, close_code: int
) -> None:
    """A clean close with any code is followed by a reconnect."""
    client, recorder = await start_client()
    await simulator.close_connections(close_code)
    await recorder.wait_for_state(CONNECTED, 2)
    assert (
        client.stats.last_error
        == f"the server closed the websocket (code {close_code})"
    )


async def test_one_websocket_after_many_drops(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """However often the link drops, exactly one websocket stays open."""
    _client, recorder = await start_client()
    for count in range(2, 12):
        await simulator.drop_connections()
        await recorder.wait_for_state(CONNECTED, count)
        assert simulator.open_connections == 1
    assert simulator.total_connections == 11


async def test_password_changed_while_running(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A password changed on the server stops the client, without a retry storm."""
    client = make_client()
    recorder = Recorder(client)
    await client.connect()
    task = client.start()
    simulator.accounts["alice"].password = "changed"
    await simulator.restart()
    await recorder.wait_for_state(ConnectionState.AUTH_FAILED)
    await task
    assert simulator.login_count == 2
    assert simulator.open_connections == 0


async def test_commands_fail_at_once_when_offline(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """Nothing is queued: offline commands raise immediately."""
    client = make_client()
    with pytest.raises(XucNotConnectedError):
        await client.send(commands.dial("1001"))
    await client.connect()
    await client.stop()
    with pytest.raises(XucNotConnectedError):
        await client.send(commands.dial("1001"))
    assert simulator.commands() == []


async def test_command_racing_a_close(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A command sent while the socket closes gets a clear error."""
    client = make_client()
    await client.connect()
    connection = client._connection
    assert connection is not None
    await connection.close()
    with pytest.raises(XucNotConnectedError, match="closed"):
        await connection.send(commands.dial("1001"))


async def test_burst_of_commands_stays_within_the_server_budget(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """500 commands at once: the server never throttles, the rest fail clearly."""
    client, _ = await start_client(
        throttle=Throttle(max_wait=1.0), heartbeat_interval=0.2
    )
    results = await asyncio.gather(
        *(client.send(commands.dnd(enabled=True)) for _ in range(500)),
        return_exceptions=True,
    )
    sent = [result for result in results if result is None]
    refused = [result for result in results if isinstance(result, XucRateLimitedError)]
    assert len(sent) + len(refused) == 500
    assert 165 <= len(sent) <= 170
    await wait_until(lambda: len(simulator.commands()) == len(sent))
    assert simulator.throttle_violations == 0
    assert "too many commands" in str(refused[0])


async def test_server_throttle_error_pauses_commands(
    simulator: XucSimulator,
    start_client: ClientStarter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """After the server's throttle error no command leaves for a while."""
    client, recorder = await start_client()
    await simulator.push("Error", {"Error": "Maximum throttle throughput exceeded."})
    await recorder.wait_for(ErrorEvent)
    with pytest.raises(XucRateLimitedError):
        await client.send(commands.dnd(enabled=True))
    assert "throttled this session" in caplog.text
    assert client.stats.server_errors == 1


async def test_malformed_frames_keep_the_session(
    simulator: XucSimulator,
    start_client: ClientStarter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Garbage is skipped and counted; one warning; the session stays up."""
    client, recorder = await start_client()
    for raw in (
        "not json",
        '{"msgType":"PhoneStatusUpdate"',
        b"\x00\x01binary",
        "[1, 2, 3]",
        '{"msgType":"PhoneStatusUpdate","ctiMessage":{"status":null}}',
        '{"msgType":"PhoneEvent","ctiMessage":"text"}',
        "[" * 100_000 + "]" * 100_000,
        '{"msgType":"VoiceMailStatusUpdate","junk":"' + "x" * 1_000_000 + '"}',
        '{"msgType":"Sheet","ctiMessage":{}}',
        '{"msgType":"Sheet","ctiMessage":{}}',
    ):
        await simulator.push_raw(raw)
    await simulator.set_voicemail(3, 4)
    await recorder.wait_for(
        VoiceMailStatusUpdate, lambda event: event.new_messages == 3
    )
    assert client.connected
    assert client.stats.unparsed_frames == 8
    assert client.stats.unknown_frames == 2
    warnings = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith("aioxuc")
    ]
    assert len(warnings) == 1
    assert "cannot be understood" in warnings[0].getMessage()


async def test_listener_errors_are_contained(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A failing listener neither kills the session nor starves the others."""
    client = make_client()

    def broken(event: object) -> None:
        raise RuntimeError(event)

    client.subscribe(broken)
    recorder = Recorder(client)
    await client.connect()
    client.start()
    await recorder.wait_for(VoiceMailStatusUpdate)
    assert client.connected
    assert client.stats.listener_errors >= 5


async def test_unsubscribe(simulator: XucSimulator, make_client: ClientFactory) -> None:
    """Unsubscribed listeners hear nothing more."""
    client = make_client()
    heard: list[object] = []
    unsubscribe = client.subscribe(heard.append)
    unsubscribe_state = client.subscribe_state(heard.append)
    unsubscribe()
    unsubscribe_state()
    await client.connect()
    assert heard == []


async def test_stop_during_connect(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """Stopping while a login hangs ends everything at once."""
    simulator.config.login_mode = "hang"
    client = make_client()
    task = client.start()
    await wait_until(lambda: bool(simulator.login_attempts))
    await client.stop()
    assert task.done()
    assert client.state is DISCONNECTED


async def test_stop_closes_the_websocket(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """stop() closes the session and leaves nothing running."""
    client = make_client()
    await client.connect()
    task = client.start()
    await client.stop()
    assert task.done()
    await simulator.wait_for_connections(0)
    assert client.state is DISCONNECTED
    await client.stop()


async def test_run_reuses_the_open_session(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """run() after connect() keeps the first websocket."""
    client = make_client()
    await client.connect()
    await client.connect()
    client.start()
    await simulator.set_voicemail(1, 1)
    await asyncio.sleep(0)
    assert simulator.total_connections == 1


async def test_backoff_resets_only_after_a_stable_link(
    simulator: XucSimulator, start_client: ClientStarter
) -> None:
    """The back-off ceiling drops back only when the link stayed up long enough."""
    backoff = Backoff(initial=0.01, maximum=0.05)
    client, recorder = await start_client(backoff=backoff, backoff_reset_after=3600)
    for count in (2, 3, 4):
        await simulator.drop_connections()
        await recorder.wait_for_state(CONNECTED, count)
    assert backoff.ceiling == 0.05
    client._backoff_reset_after = 0
    await simulator.drop_connections()
    await recorder.wait_for_state(CONNECTED, 5)
    assert backoff.ceiling == 0.02


async def test_outage_is_logged_once(
    simulator: XucSimulator,
    start_client: ClientStarter,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One line when lost, one when back, one warning for a long outage."""
    monkeypatch.setattr("aioxuc.client.LONG_OUTAGE", 0.05)
    caplog.set_level(logging.INFO, logger="aioxuc")
    client, recorder = await start_client()
    simulator.config.login_mode = "error"
    simulator.expire_tokens()
    await simulator.drop_connections()
    await wait_until(lambda: client.stats.failed_attempts >= 10)
    simulator.config.login_mode = "ok"
    await recorder.wait_for_state(CONNECTED, 2)
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.INFO and r.name.startswith("aioxuc")
    ]
    assert len(lines) == 3
    assert lines[0].startswith("Lost connection to http://127.0.0.1")
    assert "unreachable for" in lines[1]
    assert lines[2].endswith("restored")


def test_urls() -> None:
    """HTTPS accounts use https and wss."""
    client = XucClient(None, "xuc.example.org", "u", "p", port=443, secure=True)  # type: ignore[arg-type]
    assert str(client.base_url) == "https://xuc.example.org"
    assert str(client._ws_url) == "wss://xuc.example.org/xuc/api/2.0/cti"
