"""Fixtures shared by every test: the XuC simulator and client factories."""

from collections.abc import AsyncGenerator, Callable, Generator
import logging
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.helpers import frame
import pytest

from custom_components.xuc.aioxuc import Backoff, XucClient
from tests.xuc_simulator import SimulatorConfig, XucSimulator

# Short timings so that reconnects and heartbeats happen within a test.
FAST_BACKOFF = {"initial": 0.01, "maximum": 0.05}

type ClientFactory = Callable[..., XucClient]

# Run a test once per server generation the simulator plays.
every_generation = pytest.mark.parametrize(
    "simulator", ["2020", "2022", "nextlts"], indirect=True
)

# How Home Assistant words its reports of deprecated or wrong usage:
# helpers.frame.report_usage and helpers.deprecation.
USAGE_REPORTS = ("Detected that ", "Detected code that ", "The deprecated ")


def is_usage_report(logger: str, message: str) -> bool:
    """Whether a log record reports a deprecated or wrong usage."""
    return logger == frame.__name__ or message.startswith(USAGE_REPORTS)


class UsageReports(logging.Handler):
    """Collects what Home Assistant reports about the code's usage of its API."""

    def __init__(self) -> None:
        """Collect warnings and worse."""
        super().__init__(logging.WARNING)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep a report, from the frame helper or worded like one."""
        message = record.getMessage()
        if is_usage_report(record.name, message):
            self.reports.append(message)


@pytest.fixture(autouse=True)
def fail_on_usage_reports() -> Generator[UsageReports]:
    """Fail a test when Home Assistant reports a deprecated or wrong usage.

    Home Assistant reports each place once per process: the memory of what it
    reported is emptied for every test, so that each test sees its own reports.
    """
    reports = UsageReports()
    root = logging.getLogger()
    root.addHandler(reports)
    try:
        with patch.object(frame, "_REPORTED_INTEGRATIONS", set()):
            yield reports
    finally:
        root.removeHandler(reports)
    if reports.reports:
        pytest.fail("Home Assistant reported:\n" + "\n".join(reports.reports))


@pytest.fixture
async def simulator(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncGenerator[XucSimulator]:
    """A running XuC simulator with the demo account (alice / secret).

    Plays nextlts unless parametrized (indirectly) with another generation.
    """
    generation = getattr(request, "param", "nextlts")
    sim = XucSimulator(config=SimulatorConfig(generation=generation))
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def http_session(socket_enabled: None) -> AsyncGenerator[aiohttp.ClientSession]:
    """An aiohttp session, closed after the test."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def make_client(
    simulator: XucSimulator, http_session: aiohttp.ClientSession
) -> AsyncGenerator[ClientFactory]:
    """Build clients for the simulator; every client is stopped after the test."""
    clients: list[XucClient] = []

    def factory(
        username: str = "alice", password: str = "secret", **kwargs: Any
    ) -> XucClient:
        kwargs.setdefault("backoff", Backoff(**FAST_BACKOFF))
        client = XucClient(
            http_session,
            "127.0.0.1",
            username,
            password,
            port=simulator.port,
            **kwargs,
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.stop()
