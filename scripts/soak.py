"""Soak test: Home Assistant with the XuC integration against a misbehaving server.

An in-process Home Assistant runs the integration against an in-process
simulator that plays a realistic stream of events (calls, phone status,
voicemail, agent states, queue statistics, presence) while a fault from the
fault matrix is injected every few seconds. Timings are scaled down (1 s
heartbeat, back-off capped at 2 s) so that faults can follow each other.

The run fails (exit 1) unless every outage recovers, nothing is logged at
ERROR, exactly one websocket is open after each recovery, and memory is flat:
between the end of the warm-up and the end of the run, RSS and the Python heap
(tracemalloc, without the simulator's own records) each grow by less than 10 %.
"""

import argparse
import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
import gc
import json
import logging
import math
from pathlib import Path
import random
import secrets
import statistics
import sys
import tracemalloc
from typing import Any
from unittest.mock import patch

from aiohttp.resolver import AsyncResolver
from homeassistant import loader
from homeassistant.helpers import frame
import psutil
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.xuc.aioxuc import (
    Backoff,
    ConnectionState,
    UnknownEvent,
    XucClient,
    XucEvent,
)
from custom_components.xuc.const import DOMAIN
from tests.integration.conftest import entry_data
from tests.integration.test_faults import GARBAGE
from tests.xuc_simulator import PHONE_STATUS_CODES, XucSimulator
from tests.xuc_simulator.messages import QUEUE_COUNTERS

HEARTBEAT = 1.0
CLIENT = partial(
    XucClient,
    heartbeat_interval=HEARTBEAT,
    http_timeout=1.0,
    logged_on_timeout=2.0,
    backoff_reset_after=5.0,
)
BACKOFF = partial(Backoff, initial=0.1, maximum=2.0)
FAULT_EVERY = (2.0, 6.0)
FAULT_LASTS = (1.0, 4.0)
# Silence long enough for the client to give the link up (3 heartbeats).
SILENCE = 4 * HEARTBEAT
DETECTION_LIMIT = 10.0
RECOVERY_LIMIT = 60.0
MAX_GROWTH = 0.10
# Frames the simulator keeps: enough for its waits, few enough to stay out of the
# memory figures.
SIMULATOR_RECORDS = 1000
PRESENCES = ["available", "away", "berightback", "outtolunch", "donotdisturb"]
AGENT_STATES = ["AgentLogin", "AgentReady", "AgentOnPause", "AgentLoggedOut"]
MIB = 1024 * 1024

type Step = Callable[[XucSimulator, random.Random], Awaitable[None]]


# The event stream: what a busy call-centre user's server sends.


class Stream:
    """Plays random server events at a given mean rate."""

    def __init__(self, simulator: XucSimulator, rng: random.Random) -> None:
        """Play on `simulator`, drawing from `rng`."""
        self._sim = simulator
        self._rng = rng
        self._calls: list[str] = []

    async def play(self, rate: float, stop: asyncio.Event) -> None:
        """Send events until `stop` is set."""
        steps = {
            self._ring: 2,
            self._answer: 2,
            self._hang_up: 2,
            self._voicemail: 1,
            self._agent: 2,
            self._queue: 6,
            self._presence: 1,
            self._phone: 1,
        }
        while not stop.is_set():
            await asyncio.sleep(self._rng.expovariate(rate))
            step = self._rng.choices(list(steps), list(steps.values()))[0]
            await step()

    async def _ring(self) -> None:
        if len(self._calls) < 3:
            number = f"06{self._rng.randrange(10**8):08d}"
            name = self._rng.choice([None, "Bob Marley", "Carol King"])
            queue = self._rng.choice([None, "bluesky"])
            self._calls.append(await self._sim.incoming_call(number, name, queue))

    async def _answer(self) -> None:
        if self._calls:
            await self._sim.remote_answer(self._rng.choice(self._calls))

    async def _hang_up(self) -> None:
        if self._calls:
            unique_id = self._calls.pop(self._rng.randrange(len(self._calls)))
            await self._sim.remote_hangup(unique_id)

    async def _voicemail(self) -> None:
        await self._sim.set_voicemail(self._rng.randrange(10), self._rng.randrange(30))

    async def _agent(self) -> None:
        name = self._rng.choice(AGENT_STATES)
        await self._sim.set_agent_state(name, "lunch" if "Pause" in name else None)

    async def _queue(self) -> None:
        counter = self._rng.choice(QUEUE_COUNTERS)
        await self._sim.set_queue_stats(
            self._rng.choice([3, 4]), {counter: self._rng.randrange(50)}
        )

    async def _presence(self) -> None:
        await self._sim.push(
            "UserStatusUpdate", {"status": self._rng.choice(PRESENCES)}
        )

    async def _phone(self) -> None:
        await self._sim.set_phone_status(self._rng.choice(list(PHONE_STATUS_CODES)))


# Faults: each returns once the server is healthy again.


async def _restart(sim: XucSimulator, rng: random.Random) -> None:
    await sim.restart()


async def _drop(sim: XucSimulator, rng: random.Random) -> None:
    await sim.drop_connections()


async def _close(sim: XucSimulator, rng: random.Random) -> None:
    await sim.close_connections(rng.choice([1000, 1001, 1011, 4000]))


async def _silent(sim: XucSimulator, rng: random.Random) -> None:
    sim.config.silent = True
    await asyncio.sleep(SILENCE)
    sim.config.silent = False


async def _login_errors(sim: XucSimulator, rng: random.Random) -> None:
    sim.config.login_mode = rng.choice(["error", "non_json", "hang", "refuse"])
    sim.expire_tokens()
    await sim.drop_connections()
    await asyncio.sleep(rng.uniform(*FAULT_LASTS))
    sim.config.login_mode = "ok"


async def _server_down(sim: XucSimulator, rng: random.Random) -> None:
    await sim.stop()
    await asyncio.sleep(rng.uniform(*FAULT_LASTS))
    await sim.start()


async def _token_expiry(sim: XucSimulator, rng: random.Random) -> None:
    sim.expire_tokens()
    await sim.drop_connections()


async def _logged_on_error(sim: XucSimulator, rng: random.Random) -> None:
    sim.config.logged_on_mode = rng.choice(["failed", "timeout"])
    sim.config.logged_on_timeout = 0.2
    await sim.drop_connections()
    await asyncio.sleep(rng.uniform(*FAULT_LASTS))
    sim.config.logged_on_mode = "ok"


async def _malformed(sim: XucSimulator, rng: random.Random) -> None:
    for raw, _ in rng.sample(list(GARBAGE.values()), 3):
        await sim.push_raw(raw)


# name: (fault, whether it takes the session down)
FAULTS: dict[str, tuple[Step, bool]] = {
    "restart": (_restart, True),
    "tcp drop": (_drop, True),
    "close": (_close, True),
    "silent": (_silent, True),
    "login errors": (_login_errors, True),
    "server down": (_server_down, True),
    "token expiry": (_token_expiry, True),
    "LoggedOnError": (_logged_on_error, True),
    "malformed frames": (_malformed, False),
}


# Observation.


class Session:
    """Follows the client: events delivered, outages, reconnection times."""

    def __init__(self, client: XucClient, loop: asyncio.AbstractEventLoop) -> None:
        """Listen to `client`."""
        self.events = 0
        self.outages = 0
        self.up = True
        self.connected_at = loop.time()
        self._time = loop.time
        self._changed = asyncio.Event()
        client.subscribe(self._on_event)
        client.subscribe_state(self._on_state)

    async def wait_for(self, condition: Callable[[], bool], limit: float) -> bool:
        """Wait up to `limit` seconds for `condition`; return whether it holds."""
        try:
            async with asyncio.timeout(limit):
                while not condition():
                    await self._changed.wait()
        except TimeoutError:
            return False
        return True

    def _on_event(self, event: XucEvent) -> None:
        if not (isinstance(event, UnknownEvent) and event.type_name == "Pong"):
            self.events += 1

    def _on_state(self, state: ConnectionState) -> None:
        if state is ConnectionState.CONNECTED:
            self.connected_at = self._time()
            self.up = True
        elif self.up:
            self.up = False
            self.outages += 1
        self._changed.set()
        self._changed = asyncio.Event()


class LogWatch(logging.Handler):
    """Counts the integration's lines (INFO+) and keeps every error."""

    def __init__(self) -> None:
        """Watch from INFO up."""
        super().__init__(logging.INFO)
        self.lines = 0
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Count or keep one record."""
        if record.name.startswith("custom_components.xuc"):
            self.lines += 1
        if record.levelno >= logging.ERROR:
            self.errors.append(f"{record.name}: {record.getMessage()}")

    def loop_exception(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        """Keep an exception nobody handled."""
        self.errors.append(f"event loop: {context.get('message')}")
        loop.default_exception_handler(context)


@dataclass(frozen=True)
class Memory:
    """RSS and Python heap at one moment."""

    rss: int
    heap: int
    snapshot: tracemalloc.Snapshot


def measure() -> Memory:
    """Collect garbage, then read RSS and the heap outside the simulator."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [
            tracemalloc.Filter(
                inclusive=False, filename_pattern="*/tests/xuc_simulator/*"
            )
        ]
    )
    heap = sum(stat.size for stat in snapshot.statistics("filename"))
    return Memory(psutil.Process().memory_info().rss, heap, snapshot)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no value)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# The run.


@dataclass
class Soak:
    """One soak run: the server, the session and what was seen."""

    simulator: XucSimulator
    session: Session
    rng: random.Random
    loop: asyncio.AbstractEventLoop
    faults: Counter[str] = field(default_factory=Counter)
    recoveries: list[float] = field(default_factory=list)
    unrecovered: list[str] = field(default_factory=list)
    extra_sockets: int = 0

    async def inject(self, name: str) -> None:
        """Inject one fault and wait for the session to come back from it."""
        fault, takes_down = FAULTS[name]
        self.faults[name] += 1
        outages = self.session.outages
        await fault(self.simulator, self.rng)
        cleared_at = self.loop.time()
        session = self.session
        if takes_down:
            await session.wait_for(lambda: session.outages > outages, DETECTION_LIMIT)
        else:
            await asyncio.sleep(0.2)
        if session.outages > outages:
            if not await session.wait_for(lambda: session.up, RECOVERY_LIMIT):
                self.unrecovered.append(name)
                return
            self.recoveries.append(max(0.0, session.connected_at - cleared_at))
        try:
            await self.simulator.wait_for_connections(1)
        except TimeoutError:
            self.extra_sockets += 1

    async def inject_until(self, deadline: float) -> None:
        """Inject faults every few seconds until `deadline`.

        Faults are dealt from a shuffled deck, so each kind comes once per round.
        """
        deck: list[str] = []
        while self.loop.time() + FAULT_EVERY[1] < deadline:
            await asyncio.sleep(self.rng.uniform(*FAULT_EVERY))
            if not deck:
                deck = list(FAULTS)
                self.rng.shuffle(deck)
            await self.inject(deck.pop())


async def run(seconds: float, rate: float, seed: int, log: LogWatch) -> dict[str, Any]:
    """Soak for `seconds`; return the figures."""
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(log.loop_exception)
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation
    simulator = XucSimulator(record_limit=SIMULATOR_RECORDS)
    await simulator.start()
    with (
        patch("custom_components.xuc.hub.XucClient", CLIENT),
        patch("custom_components.xuc.aioxuc.client.Backoff", BACKOFF),
        # As in Home Assistant's tests: plain DNS, no zeroconf (loopback only).
        patch(
            "homeassistant.helpers.aiohttp_client._async_make_resolver",
            return_value=AsyncResolver(),
        ),
    ):
        async with async_test_home_assistant() as hass:
            frame.async_setup(hass)
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            entry = MockConfigEntry(
                domain=DOMAIN, title="Alice Johnson", data=entry_data(simulator)
            )
            entry.add_to_hass(hass)
            if not await hass.config_entries.async_setup(entry.entry_id):
                msg = "the config entry did not load"
                raise RuntimeError(msg)
            session = Session(entry.runtime_data.client, loop)
            soak = Soak(simulator, session, rng, loop)
            figures = await _play(soak, seconds, rate)
            await hass.async_stop(force=True)
    await simulator.stop()
    return figures | {"seed": seed, "log_lines": log.lines, "errors": log.errors}


async def _play(soak: Soak, seconds: float, rate: float) -> dict[str, Any]:
    """Stream events and inject faults for `seconds`, measuring memory."""
    started = soak.loop.time()
    deadline = started + seconds
    warmup = max(10.0, 0.2 * seconds)
    stop = asyncio.Event()
    stream = asyncio.create_task(Stream(soak.simulator, soak.rng).play(rate, stop))
    faults = asyncio.create_task(soak.inject_until(deadline))
    await asyncio.sleep(warmup)
    warm = measure()
    await faults
    await asyncio.sleep(max(0.0, deadline - soak.loop.time()))
    end = measure()
    stop.set()
    await stream
    return {
        "seconds": round(soak.loop.time() - started, 1),
        "warmup_seconds": warmup,
        "events_processed": soak.session.events,
        "faults": dict(soak.faults),
        "outages": soak.session.outages,
        "recoveries": [round(seconds, 3) for seconds in soak.recoveries],
        "unrecovered": soak.unrecovered,
        "extra_websockets": soak.extra_sockets,
        "still_connected": soak.session.up,
        "rss": [warm.rss, end.rss],
        "heap": [warm.heap, end.heap],
        "heap_growth_sites": [
            str(stat) for stat in end.snapshot.compare_to(warm.snapshot, "lineno")[:5]
        ],
    }


def verdict(figures: dict[str, Any]) -> dict[str, Any]:
    """Add the derived figures and the pass/fail criteria."""
    recoveries = figures["recoveries"]
    outages = figures["outages"]
    rss_growth = figures["rss"][1] / figures["rss"][0] - 1
    heap_growth = figures["heap"][1] / figures["heap"][0] - 1
    figures |= {
        "events_per_second": round(figures["events_processed"] / figures["seconds"], 1),
        "recovery_seconds": {
            "max": round(max(recoveries, default=0.0), 3),
            "p99": round(percentile(recoveries, 0.99), 3),
            "median": round(statistics.median(recoveries), 3) if recoveries else 0.0,
        },
        "log_lines_per_outage": round(figures["log_lines"] / max(outages, 1), 2),
        "rss_growth": round(rss_growth, 4),
        "heap_growth": round(heap_growth, 4),
    }
    figures["criteria"] = {
        f"RSS growth after warm-up < {MAX_GROWTH:.0%}": rss_growth < MAX_GROWTH,
        f"heap growth after warm-up < {MAX_GROWTH:.0%}": heap_growth < MAX_GROWTH,
        "every outage recovered": not figures["unrecovered"]
        and len(recoveries) == outages
        and figures["still_connected"],
        "one websocket after each fault": figures["extra_websockets"] == 0,
        "nothing logged at ERROR": not figures["errors"],
    }
    figures["passed"] = all(figures["criteria"].values())
    return figures


def report(figures: dict[str, Any]) -> None:
    """Print the figures for a human."""
    rss, heap = figures["rss"], figures["heap"]
    recovery = figures["recovery_seconds"]
    lines = [
        (
            f"duration            {figures['seconds']} s (warm-up "
            f"{figures['warmup_seconds']:.0f} s), seed {figures['seed']}"
        ),
        (
            f"events processed    {figures['events_processed']} "
            f"({figures['events_per_second']}/s)"
        ),
        f"faults injected     {sum(figures['faults'].values())}: "
        + ", ".join(
            f"{name} {count}" for name, count in sorted(figures["faults"].items())
        ),
        (
            f"outages             {figures['outages']}, unrecovered "
            f"{len(figures['unrecovered'])}"
        ),
        (
            f"recovery time       max {recovery['max']} s, p99 {recovery['p99']} s, "
            f"median {recovery['median']} s"
        ),
        (
            f"log lines           {figures['log_lines']} "
            f"({figures['log_lines_per_outage']} per outage), "
            f"errors {len(figures['errors'])}"
        ),
        (
            f"RSS                 {rss[0] / MIB:.1f} MiB -> {rss[1] / MIB:.1f} MiB "
            f"({figures['rss_growth']:+.1%})"
        ),
        (
            f"Python heap         {heap[0] / MIB:.1f} MiB -> {heap[1] / MIB:.1f} MiB "
            f"({figures['heap_growth']:+.1%})"
        ),
        "heap growth sites:",
        *(f"  {site}" for site in figures["heap_growth_sites"]),
        *(f"error: {error}" for error in figures["errors"][:10]),
        *(
            f"[{'pass' if ok else 'FAIL'}] {name}"
            for name, ok in figures["criteria"].items()
        ),
    ]
    print("\n".join(lines))


def main() -> int:
    """Parse the options, soak, report; exit 1 unless every criterion holds."""
    parser = argparse.ArgumentParser(description=__doc__)
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, default=10.0)
    length.add_argument("--seconds", type=float, help="for short runs")
    parser.add_argument("--rate", type=float, default=20.0, help="events per second")
    parser.add_argument("--seed", type=int, default=secrets.randbelow(2**32))
    parser.add_argument("--json", type=Path, help="write the figures there")
    parser.add_argument("--verbose", action="store_true", help="show INFO lines")
    args = parser.parse_args()
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger().handlers[0].setLevel(
        logging.INFO if args.verbose else logging.WARNING
    )
    logging.getLogger("custom_components.xuc").setLevel(logging.INFO)
    # The simulator's HTTP server logs each login request a fault abandons.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    log = LogWatch()
    logging.getLogger().addHandler(log)
    tracemalloc.start()
    figures = verdict(asyncio.run(run(seconds, args.rate, args.seed, log)))
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
