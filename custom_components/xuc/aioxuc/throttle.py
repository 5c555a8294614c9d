"""Client-side pacing that keeps the server's throttle from ever tripping.

XuC counts every inbound frame in a token bucket (90 per 30 s, burst 180).
This pacer is the same bucket expressed as a generic cell rate algorithm: a
frame may leave once the theoretical arrival time is within the burst
tolerance. Commands keep a few tokens back so heartbeats always get through.
"""

import asyncio
from collections.abc import Callable
import time

from .const import (
    THROTTLE_BURST,
    THROTTLE_MAX_WAIT,
    THROTTLE_PING_RESERVE,
    THROTTLE_RATE,
    THROTTLE_SAFETY_MARGIN,
)
from .exceptions import XucRateLimitedError

# Rounding slack, so that summed intervals do not turn into phantom waits.
_EPSILON = 1e-6


class Throttle:
    """Token-bucket pacer with a bounded wait."""

    def __init__(
        self,
        *,
        rate: float = THROTTLE_RATE,
        burst: int = THROTTLE_BURST - THROTTLE_SAFETY_MARGIN,
        reserve: int = THROTTLE_PING_RESERVE,
        max_wait: float = THROTTLE_MAX_WAIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Allow `burst` frames at once, then `rate` per second."""
        self._interval = 1 / rate
        self._tolerance = (burst - 1) * self._interval
        self._command_tolerance = (burst - 1 - reserve) * self._interval
        self._max_wait = max_wait
        self._clock = clock
        self._theoretical_arrival = 0.0

    def reserve(self, *, priority: bool = False) -> float:
        """Book a slot for one frame and return how long to wait for it.

        Raises XucRateLimitedError, without booking, when a command would
        wait longer than the bounded wait. Priority frames (heartbeats) may
        use the reserved tokens and are never refused.
        """
        now = self._clock()
        tolerance = self._tolerance if priority else self._command_tolerance
        wait = self._theoretical_arrival - tolerance - now
        if wait < _EPSILON:
            wait = 0.0
        if wait > self._max_wait and not priority:
            msg = f"too many commands: the next slot is {wait:.1f} s away"
            raise XucRateLimitedError(msg)
        self._theoretical_arrival = max(self._theoretical_arrival, now) + self._interval
        return wait

    async def acquire(self, *, priority: bool = False) -> None:
        """Wait for a slot for one frame."""
        wait = self.reserve(priority=priority)
        if wait:
            await asyncio.sleep(wait)

    def penalize(self, seconds: float) -> None:
        """Empty the bucket and send nothing else for `seconds`."""
        now = self._clock()
        self._theoretical_arrival = max(
            self._theoretical_arrival, now + self._tolerance + seconds
        )
