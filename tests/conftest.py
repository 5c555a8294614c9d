"""Fixtures shared by every test: the XuC simulator and client factories."""

from collections.abc import AsyncGenerator, Callable
from typing import Any

import aiohttp
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
