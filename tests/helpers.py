"""Small helpers shared by the test suites."""

import asyncio
from collections.abc import Callable

WAIT = 10.0


async def wait_until(condition: Callable[[], bool]) -> None:
    """Poll until `condition()` holds (fails the test after WAIT seconds)."""
    async with asyncio.timeout(WAIT):
        while not condition():
            await asyncio.sleep(0.005)
