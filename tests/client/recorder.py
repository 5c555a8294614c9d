"""Collects a client's events and connection states for assertions."""

import asyncio
from collections.abc import Callable

from aioxuc import ConnectionState, XucClient, XucEvent
from tests.helpers import WAIT


class Recorder:
    """Records what a client reports and lets a test wait for it."""

    def __init__(self, client: XucClient) -> None:
        """Subscribe to the client's events and states."""
        self.events: list[XucEvent] = []
        self.states: list[ConnectionState] = []
        self._changed = asyncio.Event()
        client.subscribe(self._on_event)
        client.subscribe_state(self._on_state)

    def _on_event(self, event: XucEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def _on_state(self, state: ConnectionState) -> None:
        self.states.append(state)
        self._changed.set()

    def of_type[E: XucEvent](self, kind: type[E]) -> list[E]:
        """Return the recorded events of one type."""
        return [event for event in self.events if isinstance(event, kind)]

    async def wait_for[E: XucEvent](
        self, kind: type[E], where: Callable[[E], bool] = lambda _: True
    ) -> E:
        """Wait until an event of `kind` matching `where` has been recorded."""
        async with asyncio.timeout(WAIT):
            while True:
                for event in self.of_type(kind):
                    if where(event):
                        self.events.remove(event)
                        return event
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_state(self, state: ConnectionState, count: int = 1) -> None:
        """Wait until `state` has been reported `count` times."""
        async with asyncio.timeout(WAIT):
            while self.states.count(state) < count:
                self._changed.clear()
                await self._changed.wait()
