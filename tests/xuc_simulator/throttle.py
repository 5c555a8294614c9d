"""Per-connection token bucket mirroring XuC's enforcing websocket throttle."""

from __future__ import annotations

import time


class TokenBucket:
    """Token bucket, full when created; limits are read at every take."""

    def __init__(self) -> None:
        """Start with a full bucket."""
        self._tokens: float | None = None
        self._last = time.monotonic()

    def take(self, capacity: float, refill_per_second: float) -> bool:
        """Take one token; return False (and take nothing) when the bucket is empty."""
        now = time.monotonic()
        tokens = capacity if self._tokens is None else self._tokens
        tokens = min(capacity, tokens + (now - self._last) * refill_per_second)
        self._last = now
        if tokens < 1:
            self._tokens = tokens
            return False
        self._tokens = tokens - 1
        return True
