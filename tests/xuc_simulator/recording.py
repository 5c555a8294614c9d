"""Bounded records of the frames exchanged, and waiting on them."""

from __future__ import annotations

import asyncio
from collections import deque
from itertools import islice
import time
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

RECORD_LIMIT = 100_000


class ReceivedFrame(NamedTuple):
    """An inbound websocket frame; ``frame`` is None unless it is a JSON object."""

    username: str
    text: str
    frame: dict[str, Any] | None


class Notifier:
    """Wakes up coroutines waiting for some condition to become true."""

    def __init__(self) -> None:
        """Create the notifier."""
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Let every waiter re-evaluate its condition."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for[T](self, probe: Callable[[], T | None]) -> T:
        """Return the first non-None ``probe()`` result, re-probing on every notify."""
        while (result := probe()) is None:
            await self._event.wait()
        return result


class Recorder:
    """What the server received and sent, newest last, bounded in size."""

    def __init__(self, limit: int = RECORD_LIMIT) -> None:
        """Create empty records holding at most ``limit`` frames each."""
        self.received: deque[ReceivedFrame] = deque(maxlen=limit)
        self.sent: deque[tuple[float, str, str]] = deque(maxlen=limit)
        self._received_total = 0
        self._cursors: dict[tuple[str, str | None], int] = {}
        self._notifier = Notifier()

    def record_received(
        self, username: str, text: str, frame: dict[str, Any] | None
    ) -> None:
        """Store an inbound frame."""
        self.received.append(ReceivedFrame(username, text, frame))
        self._received_total += 1
        self._notifier.notify()

    def record_sent(self, username: str, text: str) -> None:
        """Store an outbound frame with the time it was sent."""
        self.sent.append((time.monotonic(), username, text))

    def commands(self, username: str | None) -> list[dict[str, Any]]:
        """Received ``claz:"web"`` frames, optionally of one user only."""
        return [
            received.frame
            for received in self.received
            if received.frame is not None
            and received.frame.get("claz") == "web"
            and username in (None, received.username)
        ]

    def clear_received(self) -> None:
        """Forget every received frame."""
        self.received.clear()

    async def next_command(self, command: str, username: str | None) -> dict[str, Any]:
        """Return the next ``command`` frame not returned by an earlier call."""
        key = (command, username)

        def probe() -> dict[str, Any] | None:
            first = self._received_total - len(self.received)
            start = max(self._cursors.get(key, 0), first)
            for index, received in enumerate(
                islice(self.received, start - first, None), start
            ):
                frame = received.frame
                if (
                    frame is not None
                    and frame.get("claz") == "web"
                    and frame.get("command") == command
                    and username in (None, received.username)
                ):
                    self._cursors[key] = index + 1
                    return frame
            return None

        return await self._notifier.wait_for(probe)
