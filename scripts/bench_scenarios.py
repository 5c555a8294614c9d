"""The benchmark's scenarios, each run for the integration and the floor."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
import gc
from itertools import chain
import time
import tracemalloc
from typing import TYPE_CHECKING
from unittest.mock import patch

from homeassistant.const import EVENT_STATE_CHANGED as CHANGED
from homeassistant.core import Event, EventStateEventData, callback
import orjson

from custom_components.xuc.aioxuc import Backoff
from scripts.bench_harness import (
    DIAL_SERVICE,
    MIXED_CYCLE,
    TIMEOUT,
    Harness,
    Side,
)
from scripts.bench_measure import (
    LoopLagProbe,
    StateWait,
    listen_writes,
    rss_bytes,
    until_quiet,
)

if TYPE_CHECKING:
    from custom_components.xuc.aioxuc import XucEvent

LATENCY_STATUSES = ("RINGING", "AVAILABLE")
# Pause between two latency events, so that each finds an idle loop.
LATENCY_GAP = 0.002
# Chunks per run and side of the throughput stream (see `throughput`), each of
# at least MIN_CHUNK events so that the loop-lag probe samples every chunk.
THROUGHPUT_CHUNKS = 20
MIN_CHUNK = 250
# Pause between two dials: 50 calls/s is within the client pacer's burst.
ACTION_GAP = 0.02
DIAL_TO = "1000"
LOOP_LAG_LIMIT = 0.05
# Patched in while our entry is set up: the client then reconnects at once.
NO_BACKOFF = patch(
    "custom_components.xuc.aioxuc.client.Backoff",
    partial(Backoff, initial=0.0, maximum=0.0),
)
# Memory is flat when it grows less than this over the measured events.
RSS_FLAT = 4 * 1024 * 1024
HEAP_FLAT = 256 * 1024
# The write audit counts a frame's writes until none came for this long.
WRITES_QUIET = 0.02
# Allocations that are the simulator's or the benchmark's, not Home Assistant's.
_NOT_MEASURED = (
    tracemalloc.Filter(inclusive=False, filename_pattern="*/tests/xuc_simulator/*"),
    tracemalloc.Filter(inclusive=False, filename_pattern="*/scripts/bench*"),
    tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__),
)


@dataclass(frozen=True, slots=True)
class Sizes:
    """How much each scenario does per run and side."""

    latency_events: int
    throughput_events: int
    action_calls: int
    restarts: int
    memory_warmup: int
    memory_events: int


DEFAULT_SIZES = Sizes(
    latency_events=200,
    throughput_events=10_000,
    action_calls=30,
    restarts=2,
    memory_warmup=5_000,
    memory_events=100_000,
)
QUICK_SIZES = Sizes(
    latency_events=50,
    throughput_events=1_000,
    action_calls=10,
    restarts=1,
    memory_warmup=500,
    memory_events=3_000,
)

type Samples = dict[str, list[float]]


async def _each_run[T](
    h: Harness, runs: int, measure: Callable[[Side], Awaitable[T]]
) -> dict[str, list[T]]:
    """Measure both sides in every run, alternating which goes first."""
    results: dict[str, list[T]] = {side.name: [] for side in h.sides}
    for run in range(runs):
        for side in h.sides if run % 2 == 0 else reversed(h.sides):
            results[side.name].append(await measure(side))
    return results


def _flatten(results: dict[str, list[list[float]]]) -> Samples:
    return {name: list(chain.from_iterable(runs)) for name, runs in results.items()}


async def latency(h: Harness, sizes: Sizes, runs: int) -> Samples:
    """Seconds from pushing a PhoneStatusUpdate to its state_changed event."""

    async def measure(side: Side) -> list[float]:
        await h.settle(side)
        samples = []
        for index in range(sizes.latency_events):
            status = LATENCY_STATUSES[index % len(LATENCY_STATUSES)]
            samples.append(await h.show(side, status))
            await asyncio.sleep(LATENCY_GAP)
        return samples

    return _flatten(await _each_run(h, runs, measure))


def throughput_chunks(sizes: Sizes) -> int:
    """How many chunks each side's throughput stream is cut into, per run."""
    return max(1, min(THROUGHPUT_CHUNKS, sizes.throughput_events // MIN_CHUNK))


@dataclass(frozen=True, slots=True)
class Throughput:
    """What the throughput scenario measured, per side unless said otherwise."""

    rates: Samples  # events per second, one per run
    lags: Samples  # wall-clock loop lags (see LoopLagProbe)
    own_lags: Samples  # the loop's own lags
    pairs: list[float]  # our time per event over the floor's, one per chunk pair


async def throughput(h: Harness, sizes: Sizes, runs: int) -> Throughput:
    """Events absorbed per second of a mixed stream; loop lags meanwhile.

    Each run cuts the stream into `throughput_chunks` chunks per side and the
    sides take turns, the order flipping every chunk: a machine's speed can
    drift by tens of percent within seconds, and both chunks of a pair see the
    same. A run's rate is its events over its time; each pair gives a ratio.
    """
    chunks = throughput_chunks(sizes)
    chunk = sizes.throughput_events // chunks
    names = [side.name for side in h.sides]
    result = Throughput(
        {name: [] for name in names},
        {name: [] for name in names},
        {name: [] for name in names},
        [],
    )
    for _ in range(runs):
        elapsed = dict.fromkeys(result.rates, 0.0)
        frames = dict.fromkeys(result.rates, 0)
        for index in range(chunks):
            per_event = {}
            for side in h.sides if index % 2 == 0 else reversed(h.sides):
                async with LoopLagProbe() as probe:
                    seconds, count = await h.stream(side, chunk)
                elapsed[side.name] += seconds
                frames[side.name] += count
                per_event[side.name] = seconds / count
                result.lags[side.name].extend(probe.lags)
                result.own_lags[side.name].extend(probe.own_lags)
            result.pairs.append(per_event[h.ours.name] / per_event[h.floor_side.name])
        for name, rates in result.rates.items():
            rates.append(frames[name] / elapsed[name])
    return result


async def setup_time(h: Harness, runs: int) -> Samples:
    """Seconds from starting a side to every entity having its first state."""
    return await _each_run(h, runs, h.restart_side)


async def action_latency(h: Harness, sizes: Sizes, runs: int) -> Samples:
    """Seconds from a dial action call to the frame reaching the server.

    Each run starts on a fresh session (so a fresh client pacer), and the calls
    are spaced by ACTION_GAP: the pacer never delays one. The simulator is
    sparse meanwhile: it records the dials without placing calls.
    """

    async def arrival(side: Side) -> float:
        await h.sim.wait_for_command(DIAL_SERVICE, TIMEOUT, side.username)
        return time.monotonic()

    async def measure(side: Side) -> list[float]:
        await h.restart_side(side)
        samples = []
        h.sim.config.sparse = True
        try:
            for _ in range(sizes.action_calls):
                received = asyncio.create_task(arrival(side))
                start = time.monotonic()
                await h.hass.services.async_call(
                    side.dial_domain,
                    DIAL_SERVICE,
                    {"destination": DIAL_TO},
                    blocking=True,
                )
                samples.append(await received - start)
                await asyncio.sleep(ACTION_GAP)
        finally:
            h.sim.config.sparse = False
        return samples

    return _flatten(await _each_run(h, runs, measure))


async def reconnect_time(
    h: Harness, sizes: Sizes, runs: int
) -> tuple[Samples, Samples]:
    """Seconds from the simulator being back after a restart to every entity again.

    Both sides reconnect from the same restart. Our entry is set up afresh
    before each restart, so its back-off starts from its first step (a delay
    drawn below 1 s). Each restart is followed by one with our back-off at zero,
    which leaves the integration's own reconnection work. Returns both samples.
    """
    with_backoff: Samples = {side.name: [] for side in h.sides}
    without: Samples = {side.name: [] for side in h.sides}
    for _ in range(runs * sizes.restarts):
        for samples, backoff in ((with_backoff, nullcontext()), (without, NO_BACKOFF)):
            with backoff:
                await h.restart_side(h.ours)
            # The garbage of that setup, collected now rather than at a point of
            # the measured restart that any change in allocations moves.
            gc.collect()
            for side, seconds in (await _restart_simulator(h)).items():
                samples[side].append(seconds)
    return with_backoff, without


async def _restart_simulator(h: Harness) -> dict[str, float]:
    """Restart the simulator; return each side's time to be ready again."""
    down = [_went_down(h, side) for side in h.sides]
    await h.sim.restart()
    start = time.monotonic()
    for went_down in down:
        await went_down.result(TIMEOUT)
    back = await asyncio.gather(*(h.wait_ready(side) for side in h.sides))
    return {side.name: at - start for side, at in zip(h.sides, back, strict=True)}


def _went_down(h: Harness, side: Side) -> StateWait:
    """Watch for a side no longer being ready."""
    return StateWait(h.hass, side.entities(), lambda: not side.ready())


@dataclass(frozen=True, slots=True)
class Memory:
    """Memory before and after the measured events, in bytes."""

    rss_start: int
    rss_end: int
    heap_start: int
    heap_end: int

    @property
    def rss_flat(self) -> bool:
        """Whether RSS grew no more than noise."""
        return self.rss_end - self.rss_start < RSS_FLAT

    @property
    def heap_flat(self) -> bool:
        """Whether the Python heap grew no more than noise."""
        return self.heap_end - self.heap_start < HEAP_FLAT


def _memory_now() -> tuple[int, int]:
    """RSS without tracemalloc's own bookkeeping, and the traced heap."""
    rss = rss_bytes() - tracemalloc.get_tracemalloc_memory()
    snapshot = tracemalloc.take_snapshot().filter_traces(_NOT_MEASURED)
    return rss, sum(trace.size for trace in snapshot.traces)


async def memory(h: Harness, sizes: Sizes) -> dict[str, Memory]:
    """Memory growth over `memory_events` mixed events, after a warm-up.

    The heap is what tracemalloc (started before the warm-up) sees alive,
    without the simulator's and the benchmark's own allocations.
    """
    results = {}
    for side in h.sides:
        tracemalloc.start()
        try:
            await h.stream(side, sizes.memory_warmup)
            rss_start, heap_start = _memory_now()
            await h.stream(side, sizes.memory_events)
            rss_end, heap_end = _memory_now()
        finally:
            tracemalloc.stop()
        results[side.name] = Memory(rss_start, rss_end, heap_start, heap_end)
    return results


@dataclass(frozen=True, slots=True)
class WriteAudit:
    """State writes the integration made for the frames of one message type."""

    frames: int = 0
    writes: Counter[str] = field(default_factory=Counter)  # per entity id
    changes: int = 0
    repeated: int = 0  # frames that wrote one entity more than once


async def write_audit(h: Harness) -> dict[str, WriteAudit]:
    """Push one period of the mixed stream, a frame at a time; count our writes.

    A write is a `state_changed` event, or a `state_reported` one when the
    state was written again unchanged. After each frame is handled, writes are
    counted until none has come for WRITES_QUIET (they may be deferred).
    """
    side = h.ours
    writes: Counter[tuple[str, str]] = Counter()  # (entity id, event type)

    @callback
    def written(event: Event[EventStateEventData]) -> None:
        writes[event.data["entity_id"], str(event.event_type)] += 1

    unsubscribe = listen_writes(h.hass, side.entities(), written)
    # The hub listens first: once we hear of an event, the hub has handled it.
    handled: asyncio.Queue[XucEvent] = asyncio.Queue()
    unsubscribe.append(h.client.subscribe(handled.put_nowait))
    audit: dict[str, WriteAudit] = {}
    try:
        await h.settle(side)
        for text in MIXED_CYCLE:
            msg_type = orjson.loads(text)["msgType"]
            writes.clear()
            await h.push(side, iter([text]))
            async with asyncio.timeout(TIMEOUT):
                while (await handled.get()).msg_type != msg_type:
                    pass
            await until_quiet(h.hass, side.entities(), WRITES_QUIET)
            per_entity: Counter[str] = Counter()
            for (entity_id, _), n in writes.items():
                per_entity[entity_id] += n
            changed = sum(n for (_, kind), n in writes.items() if kind == CHANGED)
            seen = audit.get(msg_type, WriteAudit())
            audit[msg_type] = WriteAudit(
                seen.frames + 1,
                seen.writes + per_entity,
                seen.changes + changed,
                seen.repeated + any(n > 1 for n in per_entity.values()),
            )
    finally:
        for stop in unsubscribe:
            stop()
    return audit
