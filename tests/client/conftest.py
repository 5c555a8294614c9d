"""Fixtures of the client tests: clients of the simulator."""

from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from aioxuc import Backoff, XucClient
from tests.client.recorder import Recorder
from tests.loopback import FAST_BACKOFF, loopback, simulator
from tests.xuc_simulator import XucSimulator

__all__ = ["loopback", "simulator"]

type ClientFactory = Callable[..., XucClient]
type ClientStarter = Callable[..., Awaitable[tuple[XucClient, Recorder]]]


@pytest.fixture
async def http_session(loopback: None) -> AsyncGenerator[aiohttp.ClientSession]:
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


@pytest.fixture
def start_client(make_client: ClientFactory) -> ClientStarter:
    """Connect a client to the simulator and run it, recording what it reports."""

    async def start(**kwargs: Any) -> tuple[XucClient, Recorder]:
        client = make_client(**kwargs)
        recorder = Recorder(client)
        await client.connect()
        client.start()
        return client, recorder

    return start
