"""The XuC client: one CTI session kept open, with typed events and commands."""

import asyncio
from collections import deque
from collections.abc import Callable, MutableSequence
from enum import StrEnum
import logging
import ssl
from typing import cast

import aiohttp
from yarl import URL

from .auth import Token, XucAuth
from .backoff import Backoff
from .commands import Command
from .connection import XucConnection, XucTokenRejectedError, open_websocket
from .const import (
    BACKOFF_RESET_AFTER,
    CTI_PATH,
    DEFAULT_PORT,
    HEARTBEAT_INTERVAL,
    HTTP_TIMEOUT,
    LOGGED_ON_TIMEOUT,
    MISSED_HEARTBEATS,
    THROTTLE_ERROR_TEXT,
)
from .events import AgentError, ErrorEvent, UnknownEvent, UnparsedEvent, XucEvent
from .exceptions import (
    XucAuthenticationError,
    XucCommandError,
    XucError,
    XucNotConnectedError,
    XucRateLimitedError,
    XucRefusedError,
    XucTimeoutError,
)
from .listeners import Listeners
from .redact import Redactor
from .stats import XucStats
from .throttle import Throttle

_LOGGER = logging.getLogger(__package__)

REQUEST_TIMEOUT = 10.0
# XuC acknowledges no command; a refusal (Error, AgentError) comes within this.
REFUSAL_WAIT = 1.0
# After the server's throttle error, send nothing for a full throttle window.
THROTTLE_PENALTY = 30.0
# An outage this long is worth a warning (once).
LONG_OUTAGE = 600.0

# Events that say something about the session itself, not only the user.
_NOTED = frozenset({UnparsedEvent, UnknownEvent, ErrorEvent})
# Events that refuse the command just sent.
_REFUSALS = frozenset({ErrorEvent, AgentError})

type EventListener = Callable[[XucEvent], None]
type StateListener = Callable[[ConnectionState], None]


class ConnectionState(StrEnum):
    """Where the client stands with the server."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    AUTH_FAILED = "auth_failed"


class XucClient:
    """Keeps one CTI session open to a XuC server for one user."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        host: str,
        username: str,
        password: str,
        *,
        port: int = DEFAULT_PORT,
        secure: bool = False,
        ssl_context: ssl.SSLContext | bool = True,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        missed_heartbeats: int = MISSED_HEARTBEATS,
        http_timeout: float = HTTP_TIMEOUT,
        logged_on_timeout: float = LOGGED_ON_TIMEOUT,
        request_timeout: float = REQUEST_TIMEOUT,
        refusal_wait: float | None = None,
        backoff: Backoff | None = None,
        backoff_reset_after: float = BACKOFF_RESET_AFTER,
        throttle: Throttle | None = None,
    ) -> None:
        """Describe the server and account; nothing is sent before connect()."""
        self._session = session
        self.username = username
        self.base_url = URL.build(
            scheme="https" if secure else "http", host=host, port=port
        )
        self._ws_url = URL.build(
            scheme="wss" if secure else "ws", host=host, port=port, path=CTI_PATH
        )
        self._ssl = ssl_context
        self._redact = Redactor(password)
        self._auth = XucAuth(
            session,
            self.base_url,
            username,
            password,
            ssl_context=ssl_context,
            timeout=http_timeout,
            redact=self._redact,
        )
        self._heartbeat_interval = heartbeat_interval
        self._missed_heartbeats = missed_heartbeats
        self._http_timeout = http_timeout
        self._logged_on_timeout = logged_on_timeout
        self._request_timeout = request_timeout
        self.refusal_wait = REFUSAL_WAIT if refusal_wait is None else refusal_wait
        self._backoff = backoff or Backoff()
        self._backoff_reset_after = backoff_reset_after
        self._throttle = throttle or Throttle()
        self.stats = XucStats()
        self._token: Token | None = None
        self._connection: XucConnection | None = None
        self._state = ConnectionState.DISCONNECTED
        self._connect_lock = asyncio.Lock()
        self._listeners: Listeners[EventListener] = Listeners()
        self._state_listeners: Listeners[StateListener] = Listeners()
        self._waiters: dict[type[XucEvent], deque[asyncio.Future[XucEvent]]] = {}
        self._refusal_watchers: list[asyncio.Future[XucEvent]] = []
        self._run_task: asyncio.Task[None] | None = None
        self._outage_since: float | None = None
        self._outage_warned = False
        self._unknown_types: set[str] = set()

    @property
    def state(self) -> ConnectionState:
        """The connection state."""
        return self._state

    @property
    def connected(self) -> bool:
        """Whether a CTI session is open."""
        return self._state is ConnectionState.CONNECTED

    def subscribe(self, listener: EventListener) -> Callable[[], None]:
        """Call `listener` with every event; return a function that unsubscribes."""
        return self._listeners.add(listener)

    def subscribe_state(self, listener: StateListener) -> Callable[[], None]:
        """Call `listener` on each state change; return a function that unsubscribes."""
        return self._state_listeners.add(listener)

    async def connect(self) -> None:
        """Log in and open the CTI session, or raise; does nothing if open."""
        async with self._connect_lock:
            if self.connected:
                return
            self._set_state(ConnectionState.CONNECTING)
            try:
                self._connection = await self._open_session()
            except XucAuthenticationError as err:
                self.stats.last_error = str(err)
                self._set_state(ConnectionState.AUTH_FAILED)
                raise
            except BaseException as err:
                self.stats.failed_attempts += 1
                self.stats.last_error = str(err) or type(err).__name__
                self._set_state(ConnectionState.DISCONNECTED)
                raise
            self.stats.sessions += 1
            self._set_state(ConnectionState.CONNECTED)

    def start(self) -> asyncio.Task[None]:
        """Run the supervisor in a task of its own (see run())."""
        self._run_task = asyncio.get_running_loop().create_task(
            self.run(), name=f"XuC client {self.base_url}"
        )
        return self._run_task

    async def run(self) -> None:
        """Keep the session open until stop() or until the credentials are rejected."""
        self._run_task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        while True:
            connection = self._connection
            if connection is None or connection.closed:
                try:
                    await self.connect()
                except XucAuthenticationError:
                    _LOGGER.warning(
                        "%s rejected the credentials of %s; not retrying",
                        self.base_url,
                        self.username,
                    )
                    return
                except XucError as err:
                    await self._retry_later(err)
                    continue
                self._outage_ended()
                continue
            up_since = loop.time()
            try:
                await connection.listen()
            except XucError as err:
                self._outage_started(err)
            except Exception:
                _LOGGER.exception("Unexpected error in the XuC session")
                self._outage_started(None)
            finally:
                await self._drop_connection()
            if loop.time() - up_since >= self._backoff_reset_after:
                self._backoff.reset()
            await asyncio.sleep(self._backoff.next_delay())

    async def stop(self) -> None:
        """Stop the supervisor and close the session; the session object stays open."""
        task, self._run_task = self._run_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait([task])
        await self._drop_connection()

    async def send(self, command: Command) -> None:
        """Send a command; raise XucNotConnectedError at once when offline."""
        connection = self._connection
        if connection is None or not self.connected or connection.closed:
            msg = "not connected to the XuC server"
            raise XucNotConnectedError(msg)
        await connection.send(command)

    async def send_checked(self, *commands: Command) -> None:
        """Send commands, then raise if the server refuses them.

        XuC acknowledges no command: an Error or AgentError arriving within
        `refusal_wait` seconds is taken as the refusal (XucRefusedError, or
        XucRateLimitedError when throttled); silence means success.
        """
        future: asyncio.Future[XucEvent] = asyncio.get_running_loop().create_future()
        self._refusal_watchers.append(future)
        try:
            for command in commands:
                await self.send(command)
            try:
                async with asyncio.timeout(self.refusal_wait):
                    refusal = await future
            except TimeoutError:
                return
        finally:
            _stop_waiting(self._refusal_watchers, future)
        raise self._refused(refusal, commands)

    def _refused(self, refusal: XucEvent, commands: tuple[Command, ...]) -> XucError:
        names = ", ".join(str(command.get("command")) for command in commands)
        if isinstance(refusal, ErrorEvent) and refusal.error == THROTTLE_ERROR_TEXT:
            return XucRateLimitedError(f"{self.base_url} throttled {names}")
        reason = self._redact(getattr(refusal, "error", None) or "no reason given")
        _LOGGER.warning("%s refused %s: %s", self.base_url, names, reason)
        if isinstance(refusal, AgentError):
            return XucRefusedError(
                reason,
                phone_number=refusal.phone_number,
                requested_number=refusal.requested_number,
            )
        return XucRefusedError(reason)

    async def request[E: XucEvent](self, command: Command, reply: type[E]) -> E:
        """Send a command and return the next event of type `reply`."""
        future: asyncio.Future[XucEvent] = asyncio.get_running_loop().create_future()
        waiters = self._waiters.setdefault(reply, deque())
        waiters.append(future)
        try:
            await self.send(command)
            async with asyncio.timeout(self._request_timeout):
                event = await future
        except TimeoutError as err:
            msg = f"no {reply.__name__} within {self._request_timeout:.0f} s"
            raise XucCommandError(msg) from err
        finally:
            _stop_waiting(waiters, future)
        return cast(E, event)

    async def _open_session(self) -> XucConnection:
        token, fresh = await self._valid_token()
        try:
            return await self._open_with(token)
        except XucTokenRejectedError:
            self._token = None
            if fresh:
                raise
        token, _ = await self._valid_token()
        return await self._open_with(token)

    async def _valid_token(self) -> tuple[Token, bool]:
        """Return a usable token and whether it was just issued by a login."""
        if self._token is not None:
            self._token = await self._auth.check(self._token)
            if self._token is not None:
                return self._token, False
        self._token = await self._auth.login()
        return self._token, True

    async def _open_with(self, token: Token) -> XucConnection:
        try:
            async with asyncio.timeout(self._http_timeout):
                websocket = await open_websocket(
                    self._session,
                    self._ws_url.with_query(token=token.value),
                    ssl_context=self._ssl,
                    redact=self._redact,
                )
        except TimeoutError as err:
            msg = f"the websocket did not open within {self._http_timeout:.0f} s"
            raise XucTimeoutError(msg) from err
        connection = XucConnection(
            websocket,
            on_event=self._dispatch,
            throttle=self._throttle,
            redact=self._redact,
            stats=self.stats,
            heartbeat_interval=self._heartbeat_interval,
            missed_heartbeats=self._missed_heartbeats,
        )
        try:
            async with asyncio.timeout(self._logged_on_timeout):
                await connection.handshake()
        except BaseException as err:
            self._token = None
            await connection.close()
            if isinstance(err, TimeoutError):
                msg = f"no LoggedOn within {self._logged_on_timeout:.0f} s"
                raise XucTimeoutError(msg) from err
            raise
        return connection

    async def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if self._state is ConnectionState.CONNECTED:
            self._set_state(ConnectionState.DISCONNECTED)
        for waiters in (*self._waiters.values(), self._refusal_watchers):
            for future in waiters:
                if not future.done():
                    future.set_exception(
                        XucNotConnectedError("the connection was lost")
                    )
        if connection is not None:
            await connection.close()

    async def _retry_later(self, err: XucError) -> None:
        self._outage_started(err)
        delay = self._backoff.next_delay()
        _LOGGER.debug(
            "Cannot connect to %s: %s; next try in %.1f s", self.base_url, err, delay
        )
        loop = asyncio.get_running_loop()
        if (
            self._outage_since is not None
            and not self._outage_warned
            and loop.time() - self._outage_since >= LONG_OUTAGE
        ):
            self._outage_warned = True
            _LOGGER.warning(
                "%s has been unreachable for %.0f minutes; still retrying (%s)",
                self.base_url,
                (loop.time() - self._outage_since) / 60,
                err,
            )
        await asyncio.sleep(delay)

    def _outage_started(self, err: XucError | None) -> None:
        if err is not None:
            self.stats.last_error = str(err)
        if self._outage_since is None:
            self._outage_since = asyncio.get_running_loop().time()
            _LOGGER.info("Lost connection to %s: %s", self.base_url, err or "error")

    def _outage_ended(self) -> None:
        if self._outage_since is not None:
            _LOGGER.info("Connection to %s restored", self.base_url)
        self._outage_since = None
        self._outage_warned = False

    def _set_state(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        self._state = state
        self._call_all(self._state_listeners, state)

    def _dispatch(self, event: XucEvent) -> None:
        """Hand an event to its waiter and listeners (the hot path: keep it lean)."""
        kind = type(event)
        if kind in _NOTED:
            self._note(event)
        if waiters := self._waiters.get(kind):
            future = waiters.popleft()
            if not future.done():
                future.set_result(event)
        if kind in _REFUSALS:
            for future in self._refusal_watchers:
                if not future.done():
                    future.set_result(event)
        self._call_all(self._listeners, event)

    def _note(self, event: XucEvent) -> None:
        if isinstance(event, UnparsedEvent):
            self._note_unparsed(event)
        elif isinstance(event, UnknownEvent):
            self.stats.unknown_frames += 1
            if event.type_name not in self._unknown_types:
                self._unknown_types.add(event.type_name)
                _LOGGER.debug("Ignoring message type %s", event.type_name)
        elif isinstance(event, ErrorEvent):
            self._note_server_error(event)

    def _note_unparsed(self, event: UnparsedEvent) -> None:
        self.stats.unparsed_frames += 1
        log = _LOGGER.warning if self.stats.unparsed_frames == 1 else _LOGGER.debug
        log(
            "Skipping a frame that cannot be understood (%s): %s",
            event.reason,
            self._redact(event.raw),
        )

    def _note_server_error(self, event: ErrorEvent) -> None:
        self.stats.server_errors += 1
        if event.error == THROTTLE_ERROR_TEXT:
            self._throttle.penalize(THROTTLE_PENALTY)
            _LOGGER.warning(
                "%s throttled this session; pausing commands for %.0f s",
                self.base_url,
                THROTTLE_PENALTY,
            )
        else:
            _LOGGER.debug("Server error: %s", event.error)

    def _call_all[T](self, listeners: Listeners[Callable[[T], None]], value: T) -> None:
        """Call every listener; one that raises is counted and logged, not fatal."""
        for listener in listeners.callbacks:
            try:
                listener(value)
            except Exception:
                self.stats.listener_errors += 1
                _LOGGER.exception("Error in a XuC listener")


def _stop_waiting(
    waiters: MutableSequence[asyncio.Future[XucEvent]],
    future: asyncio.Future[XucEvent],
) -> None:
    """Take `future` off `waiters`, its failure seen.

    A connection lost before the frame left fails the future too, while the
    caller raises its own error: unseen, asyncio would log the future's.
    """
    if future in waiters:
        waiters.remove(future)
    if future.done() and not future.cancelled():
        future.exception()
