"""One CTI websocket: handshake, receive loop, heartbeat and paced sending."""

import asyncio
from collections.abc import Callable
import contextlib
import logging
import ssl

import aiohttp
import orjson
from yarl import URL

from .commands import PING, Command
from .const import MAX_FRAME_SIZE
from .events import LoggedOn, LoggedOnError, XucEvent, parse_event
from .exceptions import (
    XucConnectionClosedError,
    XucConnectionError,
    XucError,
    XucLoggedOnError,
    XucNotConnectedError,
    XucTimeoutError,
)
from .redact import Redactor
from .stats import XucStats
from .throttle import Throttle

_LOGGER = logging.getLogger(__package__)

# How long a close handshake may take before the socket is dropped.
CLOSE_TIMEOUT = 2.0
_PING_TEXT = orjson.dumps(PING).decode()
_CLOSED_TYPES = frozenset(
    {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED}
)


class XucTokenRejectedError(XucConnectionError):
    """The websocket upgrade was refused because of the token."""


async def open_websocket(
    session: aiohttp.ClientSession,
    url: URL,
    *,
    ssl_context: ssl.SSLContext | bool,
    redact: Redactor,
) -> aiohttp.ClientWebSocketResponse:
    """Open the CTI websocket at `url` (which carries the token)."""
    _LOGGER.debug("Opening %s", redact(str(url)))
    try:
        return await session.ws_connect(
            url,
            ssl=ssl_context,
            autoping=True,
            max_msg_size=MAX_FRAME_SIZE,
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=CLOSE_TIMEOUT),
        )
    except aiohttp.WSServerHandshakeError as err:
        if err.status in (401, 403):
            msg = f"the server refused the session token (HTTP {err.status})"
            raise XucTokenRejectedError(msg) from None
        msg = f"the server refused the websocket (HTTP {err.status})"
        raise XucConnectionError(msg) from None
    except (aiohttp.ClientError, OSError) as err:
        msg = f"cannot open the websocket: {redact(str(err)) or type(err).__name__}"
        raise XucConnectionError(msg) from None


class XucConnection:
    """A logged-on CTI session over one websocket; it never reconnects."""

    def __init__(
        self,
        websocket: aiohttp.ClientWebSocketResponse,
        *,
        on_event: Callable[[XucEvent], None],
        throttle: Throttle,
        redact: Redactor,
        stats: XucStats,
        heartbeat_interval: float,
        missed_heartbeats: int,
    ) -> None:
        """Wrap an open websocket; events go to `on_event`."""
        self._ws = websocket
        self._on_event = on_event
        self._throttle = throttle
        self._redact = redact
        self._stats = stats
        self._interval = heartbeat_interval
        self._dead_after = heartbeat_interval * missed_heartbeats
        loop = asyncio.get_running_loop()
        self._time = loop.time
        self._last_inbound = self._time()
        self._next_ping = self._last_inbound + heartbeat_interval

    @property
    def closed(self) -> bool:
        """Whether the websocket is closed or closing."""
        return self._ws.closed

    async def handshake(self) -> None:
        """Deliver frames until LoggedOn; fail on LoggedOnError or close."""
        while True:
            event = parse_event(self._data(await self._ws.receive()))
            if isinstance(event, LoggedOnError):
                msg = f"the server refused the CTI session: {event.error}"
                raise XucLoggedOnError(msg)
            self._on_event(event)
            if isinstance(event, LoggedOn):
                return

    async def listen(self) -> None:
        """Deliver frames until the link closes or falls silent, then raise why.

        Frames are read in one task, without a per-frame timeout (the cheap
        path); a watchdog task sends the heartbeats and gives up after too
        long a silence.
        """
        loop = asyncio.get_running_loop()
        tasks = {loop.create_task(self._read_frames()), loop.create_task(self._watch())}
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)

    async def _read_frames(self) -> None:
        receive, data, on_event = self._ws.receive, self._data, self._on_event
        while True:
            on_event(parse_event(data(await receive())))

    async def _watch(self) -> None:
        """Ping every interval; raise after too long a silence."""
        while True:
            deadline = min(self._next_ping, self._last_inbound + self._dead_after)
            await asyncio.sleep(max(deadline - self._time(), 0))
            now = self._time()
            if now - self._last_inbound >= self._dead_after:
                msg = f"no frame from the server for {now - self._last_inbound:.0f} s"
                raise XucTimeoutError(msg)
            if now >= self._next_ping:
                self._next_ping = now + self._interval
                with contextlib.suppress(XucError):
                    await self._write(_PING_TEXT, priority=True)

    def _data(self, message: aiohttp.WSMessage) -> str | bytes:
        """Return a received frame's data; raise if the link closed or failed."""
        if message.type in _CLOSED_TYPES:
            code = self._ws.close_code
            msg = f"the server closed the websocket (code {code})"
            raise XucConnectionClosedError(msg)
        if message.type is aiohttp.WSMsgType.ERROR:
            msg = f"websocket error: {self._redact(str(message.data))}"
            raise XucConnectionError(msg)
        self._last_inbound = self._time()
        self._stats.frames_received += 1
        data: str | bytes = message.data
        if _LOGGER.isEnabledFor(logging.DEBUG):
            text = data if isinstance(data, str) else repr(data[:256])
            _LOGGER.debug("R<<< %s", self._redact(text))
        return data

    async def send(self, command: Command) -> None:
        """Send a command frame, paced by the throttle."""
        text = orjson.dumps(command).decode()
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("S>>> %s", self._redact(text))
        await self._write(text, priority=False)

    async def _write(self, text: str, *, priority: bool) -> None:
        await self._throttle.acquire(priority=priority)
        if self._ws.closed:
            msg = "the websocket is closed"
            raise XucNotConnectedError(msg)
        try:
            await self._ws.send_str(text)
        except (aiohttp.ClientError, OSError) as err:
            msg = f"cannot send: {self._redact(str(err)) or type(err).__name__}"
            raise XucConnectionError(msg) from None
        self._stats.frames_sent += 1

    async def close(self) -> None:
        """Close the websocket (bounded by the close timeout)."""
        await self._ws.close()
