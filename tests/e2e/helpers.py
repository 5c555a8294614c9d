"""What the browser test's fixtures and tests share."""

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
import json
import os
from pathlib import Path
import shutil
import threading
import time
from typing import Any

from playwright.sync_api import Locator, Page

from scripts import devenv
from tests.xuc_simulator import XucSimulator

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = devenv.REPO / "artifacts" / "e2e"
DOCS_IMAGES = devenv.REPO / "docs" / "images"
# The README's screenshots are refreshed only on request (XUC_SCREENSHOTS=1).
UPDATE_DOCS = os.environ.get("XUC_SCREENSHOTS") == "1"
# How long to wait for the simulator's work or for a frame (a bound, not a measure).
SIMULATOR_WAIT = 30.0


@dataclass(frozen=True, slots=True)
class Stack:
    """The simulator and the onboarded Home Assistant (logged in as dev)."""

    sim: devenv.Simulator
    hass: devenv.HomeAssistant


class SimulatorThread:
    """The XuC simulator on an event loop of its own thread, driven from tests.

    Unlike the simulator process of :class:`Stack`, it lets a test make calls
    ring, read the frames Home Assistant sent, and stop the server.
    """

    def __init__(self) -> None:
        """Start the loop and, on it, a simulator with the demo account."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="xuc-simulator", daemon=True
        )
        self._thread.start()
        self.sim = self.run(self._start())

    @staticmethod
    async def _start() -> XucSimulator:
        sim = XucSimulator()
        await sim.start()
        return sim

    def run[T](self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the simulator's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(SIMULATOR_WAIT)

    def next_command(self, command: str) -> dict[str, Any]:
        """The next frame of `command` that Home Assistant sent."""
        return self.run(self.sim.wait_for_command(command, SIMULATOR_WAIT))

    def close(self) -> None:
        """Stop the simulator and its loop."""
        self.run(self.sim.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


@dataclass(frozen=True, slots=True)
class CardStack:
    """A simulator driven by the test and Home Assistant with its XuC entry."""

    sim: SimulatorThread
    hass: devenv.HomeAssistant


def log_in(page: Page, api: devenv.HassApi) -> None:
    """Hand the frontend the tokens of `api`'s login, as it stores its own.

    Both frontend generations read them from localStorage, so no login form
    (whose markup differs between them) is involved.
    """
    tokens = {
        **api.tokens,
        "hassUrl": api.url,
        "clientId": api.client_id,
        "expires": int(time.time() * 1000) + api.tokens["expires_in"] * 1000,
    }
    page.add_init_script(
        f"localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"
    )


def screenshot(target: Page | Locator, name: str, *, docs: bool = False) -> None:
    """Save artifacts/e2e/<name>.png; also to docs/images/ when refreshing those."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=path)
    if docs and UPDATE_DOCS:
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS_IMAGES / path.name)
