"""Measuring tools of the benchmark: summaries, loop lag, memory and state waits."""

import asyncio
from collections.abc import Callable, Iterable
import contextlib
from dataclasses import dataclass
import gc
import math
import os
import statistics
import time
from types import TracebackType
from typing import Any, Self

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    EventStateEventData,
    HomeAssistant,
    callback,
)

# Shorter than a chunk of the throughput stream takes the floor (500 events
# at up to 60,000 a second here), so that every chunk gets lag samples.
PROBE_INTERVAL = 0.002
SCHEDSTAT = "/proc/thread-self/schedstat"
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def percentile(samples: Iterable[float], fraction: float) -> float:
    """Nearest-rank percentile (`fraction` 0.99 gives p99)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True, slots=True)
class Summary:
    """Median and p99 of some samples; `worst_low` makes p99 the low tail (rates)."""

    median: float
    p99: float

    @classmethod
    def of(cls, samples: Iterable[float], *, worst_low: bool = False) -> Self:
        """Summarise samples (at least one)."""
        values = list(samples)
        return cls(
            statistics.median(values),
            percentile(values, 0.01 if worst_low else 0.99),
        )


class LoopLagProbe:
    """Measures how late a task sleeping PROBE_INTERVAL wakes up, while active.

    `lags` are wall-clock overshoots. `own_lags` take away the time the loop's
    thread was runnable but waiting for a CPU (Linux's schedstat run delay):
    what the process itself caused, whatever else shares the machine.
    """

    def __init__(self) -> None:
        """Start with no samples; use as an async context manager."""
        self.lags: list[float] = []
        self.own_lags: list[float] = []
        self._task: asyncio.Task[None] | None = None
        self._schedstat: int | None = None

    def _run_delay(self) -> float:
        """Seconds the loop's thread has waited for a CPU (0 without schedstat)."""
        if self._schedstat is None:
            return 0.0
        return int(os.pread(self._schedstat, 128, 0).split()[1]) / 1e9

    async def _run(self) -> None:
        while True:
            start, waited = time.monotonic(), self._run_delay()
            await asyncio.sleep(PROBE_INTERVAL)
            lag = time.monotonic() - start - PROBE_INTERVAL
            self.lags.append(lag)
            self.own_lags.append(max(0.0, lag - (self._run_delay() - waited)))

    async def __aenter__(self) -> Self:
        """Start probing (from the loop's thread)."""
        with contextlib.suppress(OSError):
            self._schedstat = os.open(SCHEDSTAT, os.O_RDONLY)
        self._task = asyncio.create_task(self._run(), name="bench loop-lag probe")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop probing."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])
        if self._schedstat is not None:
            os.close(self._schedstat)


def rss_bytes() -> int:
    """Resident set size of this process, after a full garbage collection."""
    gc.collect()
    with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123
        return int(statm.read().split()[1]) * _PAGE_SIZE


def entity_filter(
    entity_ids: Iterable[str] | None,
) -> Callable[[EventStateEventData], bool]:
    """An event filter keeping the state events of some entities (None: all)."""
    watched = None if entity_ids is None else frozenset(entity_ids)

    @callback
    def _watched(data: EventStateEventData) -> bool:
        return watched is None or data["entity_id"] in watched

    return _watched


def listen_writes(
    hass: HomeAssistant,
    entity_ids: Iterable[str] | None,
    listener: Callable[[Event[Any]], None],
) -> list[CALLBACK_TYPE]:
    """Call `listener` on every state write (changed, or reported unchanged)."""
    keep = entity_filter(entity_ids)
    return [
        hass.bus.async_listen(EVENT_STATE_CHANGED, listener, event_filter=keep),
        hass.bus.async_listen(EVENT_STATE_REPORTED, listener, event_filter=keep),
    ]


class StateWait:
    """The monotonic time at which a condition on some entities' states first holds.

    The condition is checked now and from a `state_changed` listener, which Home
    Assistant runs as the state is written: no polling, no scheduling delay.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entity_ids: Iterable[str] | None,
        condition: Callable[[], bool],
    ) -> None:
        """Watch some entities (None: all); then await `result` (it stops watching)."""
        self._condition = condition
        self._future: asyncio.Future[float] = hass.loop.create_future()
        self._unsubscribe = hass.bus.async_listen(
            EVENT_STATE_CHANGED, self._check, event_filter=entity_filter(entity_ids)
        )
        self._check(None)

    @callback
    def _check(self, _event: Event[EventStateChangedData] | None) -> None:
        if not self._future.done() and self._condition():
            self._future.set_result(time.monotonic())

    async def result(self, timeout: float) -> float:  # noqa: ASYNC109 - bounded wait
        """Wait for the condition (TimeoutError after `timeout` seconds)."""
        try:
            async with asyncio.timeout(timeout):
                return await self._future
        finally:
            self._unsubscribe()


async def until_quiet(
    hass: HomeAssistant, entity_ids: Iterable[str] | None, quiet: float
) -> None:
    """Wait until no state of some entities (None: any) was written for `quiet` s."""
    written = asyncio.Event()

    @callback
    def _written(_event: Event[EventStateEventData]) -> None:
        written.set()

    unsubscribe = listen_writes(hass, entity_ids, _written)
    try:
        while True:
            written.clear()
            try:
                async with asyncio.timeout(quiet):
                    await written.wait()
            except TimeoutError:
                return
    finally:
        for stop in unsubscribe:
            stop()
