"""What the command and call logic needs from the server: the `Host` interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .throttle import TokenBucket

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from aiohttp import web

    from .accounts import Account
    from .config import SimulatorConfig


@dataclass(eq=False)
class Connection:
    """A logged-on CTI websocket."""

    username: str
    ws: web.WebSocketResponse
    bucket: TokenBucket = field(default_factory=TokenBucket)
    queue_stats_subscribed: bool = False


class Host(Protocol):
    """The server as seen by the command handlers, the call logic and the scenario."""

    config: SimulatorConfig
    accounts: dict[str, Account]

    async def send(self, conn: Connection, msg_type: str, payload: object) -> None:
        """Send a frame on one connection."""

    async def emit(self, account: Account, msg_type: str, payload: object) -> None:
        """Send a frame on every connection of a user."""

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run a background coroutine, cancelled when the server stops."""
