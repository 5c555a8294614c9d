"""Self-checks of the XuC simulator, driven by a plain aiohttp client."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
import re
import sys
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import WSMsgType
import orjson
import pytest

from tests.xuc_simulator import THROTTLE_ERROR, XucSimulator, run_demo
from tests.xuc_simulator.provenance import FRAMES

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from tests.xuc_simulator.config import BadTokenMode
    from tests.xuc_simulator.generations import GenerationName

API = "/xuc/api/2.0"
INITIAL_TYPES = [
    "LoggedOn",
    "CtiStatuses",
    "UserStatusUpdate",
    "PhoneStatusUpdate",
    "UserConfigUpdate",
    "VoiceMailStatusUpdate",
]


def assert_frames_have_provenance(sim: XucSimulator) -> None:
    """Every message type the simulator sent has a row in its provenance table."""
    sent = set()
    for _, _, text in sim.sent:
        with contextlib.suppress(orjson.JSONDecodeError, AttributeError):
            sent.add(orjson.loads(text).get("msgType"))
    assert sent - {None} <= set(FRAMES)


class Client:
    """An aiohttp client of the simulator that closes its websockets at teardown."""

    def __init__(self, sim: XucSimulator, session: aiohttp.ClientSession) -> None:
        """Wrap a session talking to ``sim``."""
        self.sim = sim
        self.session = session
        self.sockets: list[aiohttp.ClientWebSocketResponse] = []

    async def login(self, password: str) -> tuple[int, Any]:
        """POST auth/login as "Alice"; return the status and the JSON body."""
        body = {"login": "Alice", "password": password}
        async with self.session.post(
            f"{self.sim.base_url}{API}/auth/login", json=body
        ) as resp:
            return resp.status, await resp.json(content_type=None)

    async def token(self) -> str:
        """A fresh token."""
        token: str = (await self.login("secret"))[1]["token"]
        return token

    async def check(self, token: str) -> tuple[int, Any]:
        """GET auth/check with a bearer token."""
        headers = {"Authorization": f"Bearer {token}"}
        async with self.session.get(
            f"{self.sim.base_url}{API}/auth/check", headers=headers
        ) as resp:
            return resp.status, await resp.json()

    async def connect(
        self, token: str | None = None
    ) -> aiohttp.ClientWebSocketResponse:
        """Open the CTI websocket (with a fresh token by default)."""
        token = token or await self.token()
        ws = await self.session.ws_connect(
            f"{self.sim.base_url}{API}/cti?token={token}"
        )
        self.sockets.append(ws)
        return ws

    async def logged_on(self) -> aiohttp.ClientWebSocketResponse:
        """A websocket past its initial frames."""
        ws = await self.connect()
        await receive_until(ws, "VoiceMailStatusUpdate")
        return ws


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """The next JSON frame."""
    msg = await ws.receive(2)
    assert msg.type is WSMsgType.TEXT, msg
    frame: dict[str, Any] = msg.json()
    return frame


async def receive_until(ws: aiohttp.ClientWebSocketResponse, msg_type: str) -> Any:
    """Skip frames up to the first one of ``msg_type``; return its ctiMessage."""
    while (frame := await receive(ws))["msgType"] != msg_type:
        pass
    return frame["ctiMessage"]


async def closed_with(ws: aiohttp.ClientWebSocketResponse) -> int:
    """The close code the server sends next."""
    msg = await ws.receive(2)
    assert msg.type is WSMsgType.CLOSE, msg
    code: int = msg.data
    return code


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[XucSimulator]:
    """A running simulator with the demo account."""
    simulator = XucSimulator()
    await simulator.start()
    yield simulator
    await simulator.stop()
    assert_frames_have_provenance(simulator)


@pytest.fixture
async def client(sim: XucSimulator) -> AsyncIterator[Client]:
    """A client of ``sim``."""
    async with aiohttp.ClientSession() as session:
        client = Client(sim, session)
        yield client
        for ws in client.sockets:
            await ws.close()


async def test_login_and_check(sim: XucSimulator, client: Client) -> None:
    """Login answers a token; check validates it; errors carry the documented codes."""
    status, body = await client.login("secret")
    assert status == 200
    assert (body["login"], body["TTL"]) == ("alice", 3600)
    token = body["token"]
    assert (await client.check(token))[1]["token"] == token
    sim.config.renew_token_on_check = True
    assert (await client.check(token))[1]["token"] != token

    assert await client.login("wrong") == (
        401,
        {"error": "InvalidCredentials", "message": "Invalid username or password"},
    )
    async with client.session.post(
        f"{sim.base_url}{API}/auth/login", data=b"{"
    ) as resp:
        assert (resp.status, (await resp.json())["error"]) == (400, "InvalidJson")
    sim.config.login_mode = "error"
    assert (await client.login("secret"))[0] == 500
    sim.config.login_mode = "non_json"
    async with client.session.post(f"{sim.base_url}{API}/auth/login", json={}) as resp:
        assert (resp.status, resp.content_type) == (502, "text/html")
    sim.config.login_mode = "refuse"
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.login("secret")

    sim.expire_tokens()
    assert (await client.check(token))[0] == 401
    sim.config.token_ttl = 0.05
    sim.config.login_mode = "ok"
    token = await client.token()
    await asyncio.sleep(0.1)
    assert await client.check(token) == (
        401,
        {"error": "TokenExpired", "message": "Token is invalid or expired"},
    )
    assert sim.login_count == len(sim.login_attempts) == 7
    assert sim.check_count == 4


async def test_logged_on_then_initial_frames(sim: XucSimulator, client: Client) -> None:
    """LoggedOn comes first, then the configured initial frames, in order."""
    ws = await client.connect()
    frames = [await receive(ws) for _ in INITIAL_TYPES]
    assert [frame["msgType"] for frame in frames] == INITIAL_TYPES
    assert frames[0] == {"msgType": "LoggedOn", "ctiMessage": {}}
    assert frames[3]["ctiMessage"] == {"status": "AVAILABLE"}
    await sim.wait_for_connections(1)
    await ws.close()
    await sim.wait_for_connections(0)
    assert sim.total_connections == 1


@pytest.mark.parametrize("mode", ["http_401", "http_403"])
async def test_bad_token_refused(
    sim: XucSimulator, client: Client, mode: BadTokenMode
) -> None:
    """A bad token can be refused at the HTTP upgrade."""
    sim.config.bad_token_mode = mode
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await client.connect("bogus")
    assert err.value.status == int(mode[-3:])
    assert sim.upgrade_rejections == 1


@pytest.mark.parametrize(
    ("mode", "error", "code"),
    [("accept_close", None, 4001), ("logged_on_error", "loggedOnFailed", 1000)],
)
async def test_bad_token_closed(
    sim: XucSimulator, client: Client, mode: BadTokenMode, error: str | None, code: int
) -> None:
    """A bad token can be accepted, then closed (after LoggedOnError on nextlts)."""
    sim.config.bad_token_mode = mode
    ws = await client.connect("bogus")
    if error is not None:
        assert await receive(ws) == {
            "msgType": "LoggedOnError",
            "ctiMessage": {"Error": error},
        }
    assert await closed_with(ws) == code


async def test_ping_and_silent(sim: XucSimulator, client: Client) -> None:
    """Pings get the configured reply; silent mode answers nothing."""
    ws = await client.logged_on()
    await ws.send_str('{"claz":"ping"}')
    assert await receive(ws) == {"msgType": "Pong", "ctiMessage": {}}
    sim.config.silent = True
    await ws.send_str('{"claz":"ping"}')
    with pytest.raises(TimeoutError):
        await ws.receive(0.2)
    sim.config.silent = False
    await ws.send_str('{"claz":"ping"}')
    assert (await receive(ws))["msgType"] == "Pong"
    assert [received.frame for received in sim.received] == [{"claz": "ping"}] * 3


async def test_dial_follow_ups(sim: XucSimulator, client: Client) -> None:
    """A dial yields CALLING and EventDialing, then the far end answers."""
    sim.config.call_answer_delay = 0.05
    ws = await client.logged_on()
    dial = {
        "claz": "web",
        "command": "dial",
        "destination": "1001",
        "variables": {"foo": "bar"},
    }
    await ws.send_json(dial)
    assert await sim.wait_for_command("dial") == dial
    assert await receive(ws) == {
        "msgType": "PhoneStatusUpdate",
        "ctiMessage": {"status": "CALLING"},
    }
    event = (await receive(ws))["ctiMessage"]
    assert (event["eventType"], event["DN"], event["otherDN"], event["otherDName"]) == (
        "EventDialing",
        "1000",
        "1001",
        "Bob Marley",
    )
    assert event["userData"] == {"XIVO_USERID": "9", "USR_foo": "bar"}
    established = await receive_until(ws, "PhoneEvent")
    assert (established["eventType"], established["uniqueId"]) == (
        "EventEstablished",
        event["uniqueId"],
    )
    assert await receive_until(ws, "PhoneStatusUpdate") == {"status": "BUSY"}
    assert sim.commands() == [dial]


async def test_throttle(sim: XucSimulator, client: Client) -> None:
    """Over the burst, a frame is not handled and the throttle Error is sent."""
    sim.config.throttle_burst = 2
    sim.config.throttle_rate = 0.001
    ws = await client.logged_on()
    for _ in range(3):
        await ws.send_str('{"claz":"ping"}')
    assert [(await receive(ws))["msgType"] for _ in range(3)] == [
        "Pong",
        "Pong",
        "Error",
    ]
    assert sim.throttle_violations == 1
    sim.config.throttle_close_code = 4008
    await ws.send_str('{"claz":"ping"}')
    assert (await receive(ws))["ctiMessage"] == {"Error": THROTTLE_ERROR}
    assert await closed_with(ws) == 4008


async def test_partial_user_config_and_numeric_status(
    sim: XucSimulator, client: Client
) -> None:
    """UserConfigUpdate can be partial with nulls; phone status can be numeric."""
    sim.config.partial_user_config = True
    sim.config.phone_status_encoding = "code"
    ws = await client.connect()
    assert await receive_until(ws, "PhoneStatusUpdate") == {"status": 0}
    await receive_until(ws, "VoiceMailStatusUpdate")
    await ws.send_str('{"claz":"web","command":"dnd","state":true}')
    update = await receive_until(ws, "UserConfigUpdate")
    assert (update.pop("userId"), update.pop("dndEnabled")) == (9, True)
    assert set(update.values()) == {None}
    await sim.set_phone_status("RINGING")
    assert await receive(ws) == {
        "msgType": "PhoneStatusUpdate",
        "ctiMessage": {"status": 8},
    }


async def test_bad_frames_are_survived(sim: XucSimulator, client: Client) -> None:
    """Malformed frames are ignored, or answered with Error when configured."""
    ws = await client.logged_on()
    for text in (
        "nope",
        "[1]",
        "null",
        '{"claz":"web"}',
        '{"claz":"web","command":"dial"}',
    ):
        await ws.send_str(text)
    await ws.send_bytes(b"\xff")
    await ws.send_str('{"claz":"web","command":"hangup"}')
    await ws.send_str('{"claz":"ping"}')
    assert (await receive(ws))["msgType"] == "Pong"
    sim.config.answer_unknown_commands_with_error = True
    await ws.send_str('{"claz":"web","command":"frobnicate"}')
    assert await receive(ws) == {
        "msgType": "Error",
        "ctiMessage": {"Error": "Unknown command: frobnicate"},
    }
    await ws.send_str('{"claz":"web","command":"agentLogin","agentphonenumber":"1099"}')
    assert await receive(ws) == {
        "msgType": "AgentError",
        "ctiMessage": {"Error": "PhoneNumberUnknown"},
    }
    assert len(sim.received) == 10
    assert sim.received[0].frame is None


async def test_drop_close_and_restart(sim: XucSimulator, client: Client) -> None:
    """Hooks drop or close sockets; a restart keeps the port and forgets tokens."""
    ws = await client.logged_on()
    await sim.drop_connections()
    assert sim.open_connections == 0
    assert (await ws.receive(2)).type in (WSMsgType.CLOSED, WSMsgType.ERROR)

    ws = await client.logged_on()
    await sim.close_connections(code=4000, message="bye")
    msg = await ws.receive(2)
    assert (msg.type, msg.data, msg.extra) == (WSMsgType.CLOSE, 4000, "bye")

    token = await client.token()
    ws = await client.connect(token)
    await receive_until(ws, "VoiceMailStatusUpdate")
    port = sim.port
    await sim.restart()
    assert sim.port == port
    assert await closed_with(ws) == 1001
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.connect(token)


async def test_stop_interrupts_pending_work(sim: XucSimulator, client: Client) -> None:
    """Stop ends hanging logins, pending LoggedOn and delayed answers."""
    sim.config.call_answer_delay = 60
    ws = await client.logged_on()
    await ws.send_str('{"claz":"web","command":"dial","destination":"1001"}')
    await receive_until(ws, "PhoneEvent")
    sim.config.logged_on_mode = "timeout"
    waiting = await client.connect()
    sim.config.login_mode = "hang"
    hanging = asyncio.ensure_future(client.login("secret"))
    await asyncio.sleep(0.1)
    await sim.stop()
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await hanging
    assert await closed_with(ws) == 1001
    assert await closed_with(waiting) == 1001


async def test_standalone_run(client: Client) -> None:
    """``python -m tests.xuc_simulator`` prints a ready line and exits 0 on SIGTERM."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.xuc_simulator",
        "--port",
        "0",
        "--scenario",
        "demo",
        cwd=Path(__file__).parent.parent,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
        assert "ready" in line
        match = re.search(r"http://[\d.]+:\d+", line)
        assert match is not None
        body = {"login": "alice", "password": "secret"}
        async with client.session.post(
            f"{match.group()}{API}/auth/login", json=body
        ) as resp:
            assert resp.status == 200
    finally:
        proc.terminate()
        assert await proc.wait() == 0


class DemoWatch:
    """What a client of the demo sees, checked frame by frame for contradictions."""

    def __init__(self) -> None:
        """Start from an idle line and a logged-out agent."""
        self.phone = "AVAILABLE"
        self.agent = "AgentLoggedOut"
        self.events: list[tuple[str, str]] = []
        self.pauses = 0

    def see(self, frame: dict[str, Any]) -> None:
        """Follow one frame; fail on a state the demo should never show."""
        message = frame["ctiMessage"]
        if frame["msgType"] == "PhoneStatusUpdate":
            self.phone = message["status"]
        elif frame["msgType"] == "AgentStateEvent":
            self.agent = message["name"]
            self.pauses += self.agent == "AgentOnPause"
        elif frame["msgType"] == "PhoneEvent":
            self.events.append((message["uniqueId"], message["eventType"]))
        assert self.phone != "BUSY_AND_RINGING", self.events
        assert self.agent != "AgentOnPause" or self.phone == "AVAILABLE", self.events

    def released(self) -> list[str]:
        """Ids of the calls that ended, in order."""
        return [call for call, kind in self.events if kind == "EventReleased"]


async def test_demo_ends_the_users_own_call(sim: XucSimulator, client: Client) -> None:
    """The demo answers and ends a call the user dials; its cycle waits for it."""
    ws = await client.logged_on()
    watch = DemoWatch()
    demo = asyncio.ensure_future(run_demo(sim, step=0.05))
    try:
        while not watch.released():
            watch.see(await receive(ws))
        await ws.send_str('{"claz":"web","command":"dial","destination":"1001"}')
        while "EventDialing" not in {kind for _, kind in watch.events}:
            watch.see(await receive(ws))
        dialed = watch.events[-1][0]
        pauses = watch.pauses
        while len(watch.released()) < 4 or watch.pauses == pauses:
            watch.see(await receive(ws))
    finally:
        demo.cancel()
    assert [kind for call, kind in watch.events if call == dialed] == [
        "EventDialing",
        "EventEstablished",
        "EventReleased",
    ]
    assert watch.released()[1] == dialed


@pytest.mark.parametrize(
    ("generation", "presence", "lookups", "longest", "direction"),
    [
        ("2020", "UsersStatuses", ["directoryLookUp"], "LongestWaitTime", None),
        (
            "2022",
            "UsersStatuses",
            ["directoryLookUp"],
            "LongestWaitingTime",
            "Outgoing",
        ),
        (
            "nextlts",
            "CtiStatuses",
            ["searchContacts", "directoryLookUp"],
            "LongestWaitTime",
            "Outgoing",
        ),
    ],
)
async def test_generations(
    sim: XucSimulator,
    client: Client,
    generation: GenerationName,
    presence: str,
    lookups: list[str],
    longest: str,
    direction: str | None,
) -> None:
    """Each generation has its presence list, lookups, counter names, fields."""
    sim.config.generation = generation
    ws = await client.connect()
    statuses = await receive_until(ws, presence)
    items = statuses["statuses"] if presence == "CtiStatuses" else statuses
    assert items[0]["name"] == "available"
    await receive_until(ws, "VoiceMailStatusUpdate")
    for command in ("searchContacts", "directoryLookUp"):
        await ws.send_json({"claz": "web", "command": command, "term": "bob"})
    await ws.send_json({"claz": "web", "command": "subscribeToQueueStats"})
    answered = 0
    while (frame := await receive(ws))["msgType"] != "QueueStatistics":
        answered += frame["msgType"] == "DirectoryResult"
    assert answered == len(lookups)
    names = {counter["statName"] for counter in frame["ctiMessage"]["counters"]}
    assert longest in names
    assert "TotalNumberCallsAbandonned" in names
    await ws.send_json({"claz": "web", "command": "dial", "destination": "1001"})
    event = await receive_until(ws, "PhoneEvent")
    assert event.get("callDirection") == direction
    assert event["linkedId"] != event["uniqueId"]


@pytest.mark.parametrize(
    ("phone", "refusal"),
    [
        (
            "1013",
            {
                "Error": "LoggedInOnAnotherPhone",
                "phoneNb": "1013",
                "RequestedNb": "1013",
            },
        ),
        ("1099", {"Error": "PhoneNumberUnknown"}),
    ],
)
async def test_agent_login_refusals(
    sim: XucSimulator, client: Client, phone: str, refusal: dict[str, str]
) -> None:
    """A login on a busy or unknown phone gets the documented AgentError."""
    ws = await client.logged_on()
    await ws.send_json(
        {"claz": "web", "command": "agentLogin", "agentphonenumber": phone}
    )
    assert await receive(ws) == {"msgType": "AgentError", "ctiMessage": refusal}


async def test_no_line_gets_no_line_config(sim: XucSimulator, client: Client) -> None:
    """Asking for the line of a user without one gets no answer."""
    sim.accounts["alice"].line_number = None
    ws = await client.logged_on()
    await ws.send_json({"claz": "web", "command": "getConfig", "objectType": "line"})
    await ws.send_json({"claz": "ping"})
    assert (await receive(ws))["msgType"] == "Pong"
