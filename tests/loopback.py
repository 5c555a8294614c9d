"""Fixtures that need no Home Assistant: the XuC simulator on loopback.

The protocol client's tests run with them alone (scripts/test-lib); the
suite's root conftest shares them with the integration's tests.
"""

from collections.abc import AsyncGenerator

import pytest

from tests.xuc_simulator import SimulatorConfig, XucSimulator

# Short timings so that reconnects and heartbeats happen within a test.
FAST_BACKOFF = {"initial": 0.01, "maximum": 0.05}

# Run a test once per server generation the simulator plays.
every_generation = pytest.mark.parametrize(
    "simulator", ["2020", "2022", "nextlts"], indirect=True
)


@pytest.fixture
def loopback(request: pytest.FixtureRequest) -> None:
    """Open sockets to loopback, which Home Assistant's test plugin blocks."""
    if request.config.pluginmanager.hasplugin("socket"):
        request.getfixturevalue("socket_enabled")


@pytest.fixture
async def simulator(
    request: pytest.FixtureRequest, loopback: None
) -> AsyncGenerator[XucSimulator]:
    """A running XuC simulator with the demo account (alice / secret).

    Plays nextlts unless parametrized (indirectly) with another generation.
    """
    generation = getattr(request, "param", "nextlts")
    sim = XucSimulator(config=SimulatorConfig(generation=generation))
    await sim.start()
    yield sim
    await sim.stop()
