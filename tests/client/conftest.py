"""Fixtures of the client tests."""

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from custom_components.xuc.aioxuc import XucClient
from tests.client.recorder import Recorder
from tests.conftest import ClientFactory

type ClientStarter = Callable[..., Awaitable[tuple[XucClient, Recorder]]]


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
