"""The benchmark's world: Home Assistant, the simulator, our entry and the floor.

Two simulator accounts keep the two sides apart on one server: the integration
logs in as `alice` (the demo user, agent 12), the floor as `floor`. A frame is
pushed on the server-side websocket of one account only.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass
from itertools import chain, cycle, islice
import time
from typing import Any
from unittest.mock import patch

import aiohttp
from aiohttp import web
from aiohttp.resolver import AsyncResolver
from homeassistant import loader
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er, frame as ha_frame
import orjson
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.xuc.aioxuc import PhoneStatus, XucClient
from custom_components.xuc.const import CONF_USER_ID, DOMAIN
from scripts.bench_measure import StateWait, until_quiet
from tests.xuc_simulator import Call, SimulatorConfig, XucSimulator, demo_account
from tests.xuc_simulator.messages import (
    agent_state,
    envelope,
    phone_event,
    phone_status,
    queue_statistics,
)

OURS_USER = "alice"
FLOOR_USER = "floor"
PASSWORD = "secret"  # noqa: S105 - the simulator's demo password
FLOOR_DOMAIN = "bench_floor"
TIMEOUT = 60.0
# The floor retries at once (every millisecond) when its session ends.
FLOOR_RETRY = 0.001
DIAL_SERVICE = "dial"

# The first setup is over once no state has been written for this long.
SETTLED_AFTER = 0.5

# The floor's one state per frame: message type -> (entity, field shown as state).
FLOOR_STATES = {
    "PhoneStatusUpdate": ("sensor.floor_phone_status", "status"),
    "PhoneEvent": ("sensor.floor_phone_event", "eventType"),
    "AgentStateEvent": ("sensor.floor_agent_state", "name"),
    "QueueStatistics": ("sensor.floor_queue_statistics", "queueId"),
    "VoiceMailStatusUpdate": ("sensor.floor_voicemail", "newMessages"),
    "UserConfigUpdate": ("sensor.floor_user_config", "dndEnabled"),
    "UserStatusUpdate": ("sensor.floor_presence", "status"),
}
FLOOR_OTHER = "sensor.floor_other_frame"
FLOOR_PHONE = FLOOR_STATES["PhoneStatusUpdate"][0]

# Phone statuses of the mixed stream; a run ends on SENTINEL, and starts on SETTLE.
STREAM_STATUSES = ("RINGING", "BUSY", "ONHOLD", "CALLING")
SENTINEL = "DEACTIVATED"
SETTLE = "AVAILABLE"


class BenchError(Exception):
    """The benchmark could not measure what it should."""


def frame_text(msg_type: str, payload: object) -> str:
    """A server frame, as the simulator serialises it."""
    return orjson.dumps(envelope(msg_type, payload)).decode()


def phone_status_frame(status: str) -> str:
    """A PhoneStatusUpdate frame carrying a status name."""
    return frame_text("PhoneStatusUpdate", phone_status(status, "name"))


def _mixed_cycle() -> list[str]:
    """One period of the mixed stream: line, call, own agent and queue frames."""
    account = demo_account()
    call = Call(
        unique_id="1700000000.1",
        linked_id="1700000000.1",
        other_dn="0612345678",
        other_name="Bob Marley",
        direction="Incoming",
        state="ringing",
        user_data={"USR_ticket": "42"},
        queue="bluesky",
    )
    statuses = [phone_status_frame(status) for status in STREAM_STATUSES]
    calls = [
        frame_text("PhoneEvent", phone_event(account, call, event_type))
        for event_type in ("EventRinging", "EventEstablished", "EventReleased")
    ]
    agents = []
    for name, cause in (
        ("AgentReady", None),
        ("AgentOnPause", "outtolunch"),
        ("AgentOnCall", None),
    ):
        account.agent_state, account.pause_reason = name, cause
        agents.append(frame_text("AgentStateEvent", agent_state(account)))
    queues = [
        frame_text(
            "QueueStatistics",
            queue_statistics(3, {"WaitingCalls": waiting, "LongestWaitTime": 5}),
        )
        for waiting in range(4)
    ]
    kinds = (statuses, calls, agents, queues)
    period = 12  # a multiple of every kind's length
    return [kind[i % len(kind)] for i in range(period) for kind in kinds]


MIXED_CYCLE = _mixed_cycle()


def mixed_stream(count: int) -> Iterator[str]:
    """`count` frames of the mixed stream, then the SENTINEL phone status."""
    return chain(islice(cycle(MIXED_CYCLE), count), [phone_status_frame(SENTINEL)])


async def push_frames(ws: web.WebSocketResponse, frames: Iterator[str]) -> None:
    """Send frames as fast as the server socket takes them, yielding after each."""
    for text in frames:
        await ws.send_str(text)
        await asyncio.sleep(0)


class FloorClient:
    """The floor: a bare websocket reader doing one `async_set` per frame."""

    def __init__(
        self, hass: HomeAssistant, session: aiohttp.ClientSession, base_url: str
    ) -> None:
        """Aim at the simulator; nothing happens before start()."""
        self._hass = hass
        self._session = session
        self._base_url = base_url
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._task: asyncio.Task[None] | None = None
        self.frames = 0

    async def start(self) -> None:
        """Keep a session open, reconnecting at once when it ends."""
        self._task = asyncio.create_task(self._run(), name="bench floor client")

    async def stop(self) -> None:
        """Close the session and forget the floor's states."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])
            self._task = None
        for entity_id in (*(e for e, _ in FLOOR_STATES.values()), FLOOR_OTHER):
            self._hass.states.async_remove(entity_id)

    async def send(self, command: dict[str, Any]) -> None:
        """Send a command frame on the open session."""
        if self._ws is None:
            msg = "the floor is not connected"
            raise BenchError(msg)
        await self._ws.send_str(orjson.dumps(command).decode())

    async def _run(self) -> None:
        while True:
            with suppress(aiohttp.ClientError, OSError):
                await self._session_once()
            for entity_id, _ in FLOOR_STATES.values():
                if self._hass.states.get(entity_id) is not None:
                    self._hass.states.async_set(entity_id, STATE_UNAVAILABLE)
            await asyncio.sleep(FLOOR_RETRY)

    async def _session_once(self) -> None:
        credentials = {"login": FLOOR_USER, "password": PASSWORD}
        async with self._session.post(
            f"{self._base_url}/xuc/api/2.0/auth/login", json=credentials
        ) as response:
            token = (await response.json())["token"]
        async with self._session.ws_connect(
            f"{self._base_url}/xuc/api/2.0/cti", params={"token": token}
        ) as ws:
            self._ws = ws
            try:
                async for message in ws:
                    if message.type is not aiohttp.WSMsgType.TEXT:
                        break
                    self._handle(message.data)
            finally:
                self._ws = None

    def _handle(self, data: str) -> None:
        self.frames += 1
        received = orjson.loads(data)
        msg_type = received["msgType"]
        target = FLOOR_STATES.get(msg_type)
        if target is None:
            self._hass.states.async_set(FLOOR_OTHER, msg_type)
        else:
            entity_id, field = target
            self._hass.states.async_set(entity_id, str(received["ctiMessage"][field]))


@dataclass(frozen=True, slots=True)
class Side:
    """One side of every comparison: the integration, or the floor."""

    name: str
    username: str
    phone_entity: Callable[[], str]
    shown: Callable[[str], str]  # server phone status name -> state shown
    frames: Callable[[], int]  # frames processed so far
    entities: Callable[[], list[str]]  # what `ready` looks at
    ready: Callable[[], bool]  # every entity has its first state
    stop: Callable[[], Awaitable[None]]
    start: Callable[[], Awaitable[None]]
    dial_domain: str


class Harness:
    """Home Assistant with our entry and the floor, both on one simulator."""

    def __init__(
        self,
        hass: HomeAssistant,
        sim: XucSimulator,
        entry: MockConfigEntry,
        floor: FloorClient,
    ) -> None:
        """Wire the sides; the entry is set up by open_harness()."""
        self.hass = hass
        self.sim = sim
        self.entry = entry
        self._registry = er.async_get(hass)
        self._reference: dict[str, bool] = {}  # entity id -> has a value
        self.ours = Side(
            name="ours",
            username=OURS_USER,
            phone_entity=lambda: self.entity_id("phone_status"),
            shown=lambda status: str(PhoneStatus.parse(status)),
            frames=lambda: self.client.stats.frames_received,
            entities=self._ours_entities,
            ready=self._ours_ready,
            stop=self._unload,
            start=self._setup,
            dial_domain=DOMAIN,
        )
        self.floor_side = Side(
            name="floor",
            username=FLOOR_USER,
            phone_entity=lambda: FLOOR_PHONE,
            shown=lambda status: status,
            frames=lambda: floor.frames,
            entities=self._floor_entities,
            ready=self._floor_ready,
            stop=floor.stop,
            start=floor.start,
            dial_domain=FLOOR_DOMAIN,
        )
        self.sides = (self.ours, self.floor_side)

    @property
    def client(self) -> XucClient:
        """The entry's XuC client (a new one after each setup)."""
        client: XucClient = self.entry.runtime_data.client
        return client

    def state(self, entity_id: str) -> str | None:
        """An entity's state, None when it has none."""
        current = self.hass.states.get(entity_id)
        return None if current is None else current.state

    def entity_id(self, key: str) -> str:
        """The entity id of one of the entry's entities, by description key."""
        entity_id = self.entity_ids().get(key)
        if entity_id is None:
            msg = f"the entry has no {key} entity"
            raise BenchError(msg)
        return entity_id

    def server_socket(self, side: Side) -> web.WebSocketResponse:
        """The simulator's end of a side's CTI session."""
        connections = self.sim.connections_of(self.sim.accounts[side.username])
        if len(connections) != 1:
            msg = f"{side.name} has {len(connections)} sessions, not 1"
            raise BenchError(msg)
        return connections[0].ws

    async def push(self, side: Side, frames: Iterator[str]) -> None:
        """Push frames to one side."""
        await push_frames(self.server_socket(side), frames)

    async def wait_ready(self, side: Side) -> float:
        """Wait until every entity of a side has its first state; return when."""
        return await StateWait(self.hass, side.entities(), side.ready).result(TIMEOUT)

    async def show(self, side: Side, status: str) -> float:
        """Push a phone status not shown yet; return the time until it is."""
        entity_id = side.phone_entity()
        expected = side.shown(status)
        if self.state(entity_id) == expected:
            msg = f"{entity_id} already shows {expected}"
            raise BenchError(msg)
        wait = StateWait(
            self.hass, [entity_id], lambda: self.state(entity_id) == expected
        )
        start = time.monotonic()
        await self.push(side, iter([phone_status_frame(status)]))
        return await wait.result(TIMEOUT) - start

    async def settle(self, side: Side) -> None:
        """Bring the side's phone status to SETTLE, a state streams do not end on."""
        if self.state(side.phone_entity()) != side.shown(SETTLE):
            await self.show(side, SETTLE)

    async def stream(self, side: Side, count: int) -> tuple[float, int]:
        """Push `count` mixed frames; return (seconds, frames processed).

        The time runs from the first push to the SENTINEL state being written.
        """
        await self.settle(side)
        entity_id = side.phone_entity()
        expected = side.shown(SENTINEL)
        wait = StateWait(
            self.hass, [entity_id], lambda: self.state(entity_id) == expected
        )
        before = side.frames()
        start = time.monotonic()
        await self.push(side, mixed_stream(count))
        elapsed = await wait.result(TIMEOUT) - start
        return elapsed, side.frames() - before

    async def restart_side(self, side: Side) -> float:
        """Stop a side and start it again; return the time to `ready`."""
        await side.stop()
        if side.ready():
            msg = f"{side.name} still looks ready once stopped"
            raise BenchError(msg)
        wait = StateWait(self.hass, side.entities(), side.ready)
        start = time.monotonic()
        await side.start()
        return await wait.result(TIMEOUT) - start

    def entity_ids(self) -> dict[str, str]:
        """The entry's enabled entities, by unique id without the entry's prefix."""
        prefix = f"{self.entry.entry_id}_"
        return {
            entry.unique_id.removeprefix(prefix): entry.entity_id
            for entry in er.async_entries_for_config_entry(
                self._registry, self.entry.entry_id
            )
            if entry.disabled_by is None
        }

    async def settle_first_setup(self) -> None:
        """Wait for the first setup to finish; note what each entity then shows.

        Later setups are complete when every entity seen here has a state, and
        a value where it had one here (the rest get none from the simulator).
        """
        async with asyncio.timeout(TIMEOUT):
            await until_quiet(self.hass, None, SETTLED_AFTER)
        self._reference = {
            entity_id: self.state(entity_id) != STATE_UNKNOWN
            for entity_id in self.entity_ids().values()
        }
        if not self._ours_ready():
            msg = f"the first setup left entities unavailable: {self._reference}"
            raise BenchError(msg)

    @property
    def reference(self) -> dict[str, bool]:
        """Entities a setup waits for, and whether each must show a value."""
        return dict(self._reference)

    def _ours_entities(self) -> list[str]:
        return list(self._reference)

    def _ours_ready(self) -> bool:
        for entity_id, has_value in self._reference.items():
            state = self.state(entity_id)
            if state in (None, STATE_UNAVAILABLE):
                return False
            if has_value and state == STATE_UNKNOWN:
                return False
        return True

    def _floor_entities(self) -> list[str]:
        """Floor entities set by the simulator's initial frames."""
        initial = self.sim.config.initial_frames
        return [entity for kind, (entity, _) in FLOOR_STATES.items() if kind in initial]

    def _floor_ready(self) -> bool:
        return all(
            self.state(entity_id) not in (None, STATE_UNAVAILABLE)
            for entity_id in self._floor_entities()
        )

    async def _setup(self) -> None:
        if not await self.hass.config_entries.async_setup(self.entry.entry_id):
            msg = f"the entry did not set up: {self.entry.reason}"
            raise BenchError(msg)

    async def _unload(self) -> None:
        await self.hass.config_entries.async_unload(self.entry.entry_id)
        await self.hass.async_block_till_done()


@asynccontextmanager
async def open_harness() -> AsyncIterator[Harness]:
    """Start everything, set up the entry and the floor; tear all down after."""
    async with AsyncExitStack() as stack:
        # As under pytest: no zeroconf; the entry's host is an IP address anyway.
        stack.enter_context(
            patch(
                "homeassistant.helpers.aiohttp_client._async_make_resolver",
                return_value=AsyncResolver(),
            )
        )
        # The floor paces nothing; a huge server bucket keeps its dials unthrottled.
        config = SimulatorConfig(throttle_burst=10**9)
        sim = XucSimulator(
            config=config, accounts=[demo_account(), demo_account(FLOOR_USER)]
        )
        await sim.start()
        stack.push_async_callback(sim.stop)
        hass = await stack.enter_async_context(async_test_home_assistant())
        stack.push_async_callback(hass.async_stop, force=True)
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)  # load custom_components/xuc
        ha_frame.async_setup(hass)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        floor = FloorClient(hass, session, sim.base_url)

        async def floor_dial(call: ServiceCall) -> None:
            destination = call.data["destination"]
            await floor.send(
                {"claz": "web", "command": "dial", "destination": destination}
            )

        hass.services.async_register(FLOOR_DOMAIN, DIAL_SERVICE, floor_dial)
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="Bench",
            unique_id=f"127.0.0.1:{sim.port}:{OURS_USER}",
            data={
                CONF_HOST: "127.0.0.1",
                CONF_PORT: sim.port,
                CONF_SSL: False,
                CONF_VERIFY_SSL: True,
                CONF_USERNAME: OURS_USER,
                CONF_PASSWORD: PASSWORD,
                CONF_USER_ID: 9,
            },
        )
        entry.add_to_hass(hass)
        harness = Harness(hass, sim, entry, floor)
        for side in harness.sides:
            await side.start()
            stack.push_async_callback(side.stop)
        await harness.settle_first_setup()
        await harness.wait_ready(harness.floor_side)
        yield harness
