"""Small helpers shared by the test suites."""

import asyncio
from collections.abc import Callable

from tests.xuc_simulator import XucSimulator

WAIT = 10.0


async def wait_until(condition: Callable[[], bool]) -> None:
    """Poll until `condition()` holds (fails the test after WAIT seconds)."""
    async with asyncio.timeout(WAIT):
        while not condition():
            await asyncio.sleep(0.005)


async def push_call_event(simulator: XucSimulator, event_type: str, **ids: str) -> None:
    """Push a PhoneEvent of Bob's call (1001) with the given identifiers."""
    await simulator.push(
        "PhoneEvent",
        {"eventType": event_type, "otherDN": "1001", "otherDName": "Bob", **ids},
    )
