"""The simulated XuC server: REST authentication, the CTI websocket and test hooks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Mapping
import contextlib
import logging
import math
import time
from typing import Any

from aiohttp import WSMsgType, web
import orjson

from . import agents, commands, messages, telephony, users
from .accounts import Account, Call, demo_account
from .config import SimulatorConfig
from .host import Connection
from .recording import RECORD_LIMIT, Notifier, ReceivedFrame, Recorder
from .tokens import TokenStore

_LOGGER = logging.getLogger(__name__)

API_PREFIX = "/xuc/api/2.0"
THROTTLE_ERROR = "Maximum throttle throughput exceeded."
HANG_POLL = 0.05
_UPGRADE_REFUSALS = {"http_401": 401, "http_403": 403}
BAD_GATEWAY_HTML = (
    "<html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>"
)


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode()


def _parse(text: str) -> dict[str, Any] | None:
    """Parse a frame; None unless it is a JSON object."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _seconds(value: float) -> float:
    """A duration as an int when it is whole (``3600`` rather than ``3600.0``)."""
    return int(value) if float(value).is_integer() else value


def _auth_error(error: str, message: str, status: int) -> web.Response:
    return web.json_response(
        {"error": error, "message": message}, status=status, dumps=_dumps
    )


# What a login gets in the modes that fail whatever the credentials.
_LOGIN_FAILURES: dict[str, Callable[[], web.Response]] = {
    "non_json": lambda: web.Response(
        status=502, text=BAD_GATEWAY_HTML, content_type="text/html"
    ),
    "error": lambda: _auth_error("UnhandledError", "Internal server error", 500),
    "legacy": lambda: web.Response(status=404, text="Action not found"),
    "no_token": lambda: web.json_response({"login": "alice", "TTL": 3600}),
}


def _drop(request: web.Request) -> web.Response:
    """Abort the TCP connection without any HTTP answer."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=499)


def _initial_payload(
    name: str, account: Account, config: SimulatorConfig
) -> object | None:
    """Payload of an initial frame; None when it does not apply to the user."""
    builders: dict[str, Callable[[], object | None]] = {
        "UsersStatuses": lambda: messages.presence_list(
            account, config.server.presence_list
        ),
        "UserStatusUpdate": lambda: {"status": account.presence},
        "PhoneStatusUpdate": lambda: messages.phone_status(
            account.phone_status, config.phone_status_encoding
        ),
        "UserConfigUpdate": lambda: messages.user_config(account),
        "VoiceMailStatusUpdate": lambda: (
            messages.voicemail(account) if account.voicemail_enabled else None
        ),
        "RightProfile": lambda: {"profile": config.right_profile},
        "AgentStateEvent": lambda: (
            messages.current_agent_state(account)
            if account.agent_id is not None
            else None
        ),
    }
    builder = builders.get(name)
    if builder is None:
        _LOGGER.warning("Unsupported initial frame %s", name)
        return None
    return builder()


def _frame_type(name: str, config: SimulatorConfig) -> str:
    """The message type an initial frame goes out as (the generation's list)."""
    return config.server.presence_list if name == "UsersStatuses" else name


class XucSimulator:
    """A XiVO XuC CTI server on loopback, scriptable from tests.

    Counters: ``total_connections`` (CTI sessions that reached LoggedOn),
    ``login_count`` / ``login_attempts`` (every ``auth/login`` request and its
    ``time.monotonic()``), ``check_count`` (``auth/check`` requests),
    ``upgrade_rejections`` (websocket requests with an unknown or expired token,
    whatever ``bad_token_mode`` does with them) and ``throttle_violations``.
    """

    demo_account = staticmethod(demo_account)

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        config: SimulatorConfig | None = None,
        accounts: Iterable[Account] | Mapping[str, Account] | None = None,
        record_limit: int = RECORD_LIMIT,
    ) -> None:
        """Prepare the server; ``accounts`` None serves the demo account.

        ``record_limit`` bounds the frames kept in ``received`` and ``sent``
        (long soaks keep it small so that their memory figures are ours).
        """
        if accounts is None:
            accounts = [demo_account()]
        elif isinstance(accounts, Mapping):
            accounts = accounts.values()
        self.host = host
        self.config = config if config is not None else SimulatorConfig()
        self.accounts: dict[str, Account] = {a.username.lower(): a for a in accounts}
        self.total_connections = 0
        self.login_count = 0
        self.login_attempts: list[float] = []
        self.check_count = 0
        self.upgrade_rejections = 0
        self.throttle_violations = 0
        self._port = port
        self._tokens = TokenStore()
        self._recorder = Recorder(record_limit)
        self._connections: set[Connection] = set()
        self._sockets: dict[web.WebSocketResponse, asyncio.Transport | None] = {}
        self._connections_changed = Notifier()
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()

    # Lifecycle

    @property
    def port(self) -> int:
        """The bound port (the requested one before the first start)."""
        return self._port

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the server."""
        return f"http://{self.host}:{self._port}"

    async def start(self) -> None:
        """Bind and serve; a no-op when already running."""
        if self._runner is not None:
            return
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_post(f"{API_PREFIX}/auth/login", self._login)
        app.router.add_get(f"{API_PREFIX}/auth/check", self._check)
        app.router.add_get(f"{API_PREFIX}/cti", self._cti)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self._port, reuse_address=True).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = runner.addresses[0][1]

    async def stop(self) -> None:
        """Close every websocket with 1001, cancel background work and unbind."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._stopping.set()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.close_connections(code=1001, message="going away")
        await runner.cleanup()

    async def restart(self, *, invalidate_tokens: bool = True) -> None:
        """Stop and start again on the same port; tokens are lost by default."""
        await self.stop()
        if invalidate_tokens:
            self.expire_tokens()
        await self.start()

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run a background coroutine, cancelled by `stop`."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            _LOGGER.error("Simulator background task failed", exc_info=exc)

    async def _pause(self, delay: float) -> bool:
        """Sleep up to ``delay`` seconds; return True when the server is stopping."""
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
        return self._stopping.is_set()

    # REST

    async def _login(self, request: web.Request) -> web.StreamResponse:
        self.login_count += 1
        self.login_attempts.append(time.monotonic())
        # Read the body first: a client that gives up while the login hangs
        # closes the connection, after which it could no longer be read.
        body = _parse(await request.text())
        if await self._pause(self.config.slow_start):
            return _drop(request)
        while self.config.login_mode == "hang":
            if await self._pause(HANG_POLL):
                return _drop(request)
        config = self.config
        mode = config.login_mode
        if mode == "refuse":
            return _drop(request)
        if (failure := _LOGIN_FAILURES.get(mode)) is not None:
            return failure()
        login = body.get("login") if body else None
        password = body.get("password") if body else None
        if not isinstance(login, str) or not isinstance(password, str):
            return _auth_error("InvalidJson", "Expected {login, password} strings", 400)
        account = self.accounts.get(login.lower())
        if mode == "reject" or account is None or account.password != password:
            return _auth_error(
                "InvalidCredentials",
                "Invalid username or password",
                config.login_status_invalid_credentials,
            )
        token = self._tokens.issue(login.lower(), config.token_ttl)
        return self._token_answer(account, token, config.token_ttl)

    async def _check(self, request: web.Request) -> web.Response:
        self.check_count += 1
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        username = (
            self._tokens.owner(token.strip()) if scheme.lower() == "bearer" else None
        )
        account = self.accounts.get(username) if username else None
        if self.config.check_mode == "error":
            return _auth_error("UnhandledError", "Internal server error", 500)
        if self.config.check_mode == "expired" or account is None or username is None:
            return _auth_error("TokenExpired", "Token is invalid or expired", 401)
        if self.config.renew_token_on_check:
            token = self._tokens.issue(username, self.config.token_ttl)
            return self._token_answer(account, token, self.config.token_ttl)
        token = token.strip()
        return self._token_answer(
            account, token, math.ceil(self._tokens.remaining(token))
        )

    @staticmethod
    def _token_answer(account: Account, token: str, ttl: float) -> web.Response:
        body = {"login": account.username, "token": token, "TTL": _seconds(ttl)}
        return web.json_response(body, dumps=_dumps)

    @property
    def issued_tokens(self) -> list[str]:
        """Every token handed out (the last thousand), for secret-leak checks."""
        return list(self._tokens.issued)

    def expire_tokens(self) -> None:
        """Invalidate every issued token at once (open websockets stay open)."""
        self._tokens.clear()

    # WebSocket

    async def _cti(self, request: web.Request) -> web.StreamResponse:
        config = self.config
        if await self._pause(config.slow_start):
            return _drop(request)
        if config.cti_status is not None:
            return web.Response(status=config.cti_status, text=BAD_GATEWAY_HTML)
        if config.cti_drop:
            return _drop(request)
        username = self._tokens.owner(request.query.get("token"))
        account = self.accounts.get(username) if username else None
        if account is None or username is None:
            self.upgrade_rejections += 1
            status = _UPGRADE_REFUSALS.get(config.bad_token_mode)
            if status is not None:
                return _auth_error(
                    "TokenExpired", "Token is invalid or expired", status
                )
        ws = web.WebSocketResponse(timeout=config.ws_close_timeout, compress=False)
        if not ws.can_prepare(request).ok:
            return _auth_error("InvalidJson", "Expected a websocket upgrade", 400)
        await ws.prepare(request)
        self._sockets[ws] = request.transport
        try:
            if account is None or username is None:
                await self._refuse_session(ws)
            elif await self._log_on(ws, username):
                await self._serve(Connection(username, ws), account)
        finally:
            if self._stopping.is_set():
                await ws.close(code=1001, message=b"going away")
            del self._sockets[ws]
        return ws

    async def _refuse_session(self, ws: web.WebSocketResponse) -> None:
        """Close an accepted websocket whose token is bad, per ``bad_token_mode``."""
        match self.config.bad_token_mode:
            case "accept_close":
                code = self.config.bad_token_close_code
                await ws.close(code=code, message=b"Invalid token")
            case _:
                await self._logged_on_error(ws, "", "loggedOnFailed")

    async def _log_on(self, ws: web.WebSocketResponse, username: str) -> bool:
        """Send LoggedOn, or fail per ``logged_on_mode``; True when logged on."""
        mode = self.config.logged_on_mode
        if mode == "failed":
            await self._logged_on_error(ws, username, "loggedOnFailed")
            return False
        if mode == "timeout":
            if not await self._pause(self.config.logged_on_timeout):
                await self._logged_on_error(ws, username, "loggedOnTimeout")
            return False
        await self._transmit(ws, username, _dumps(messages.envelope("LoggedOn", {})))
        return True

    async def _logged_on_error(
        self, ws: web.WebSocketResponse, username: str, error: str
    ) -> None:
        frame = messages.envelope("LoggedOnError", messages.error(error))
        await self._transmit(ws, username, _dumps(frame))
        await ws.close(
            code=self.config.logged_on_error_close_code, message=error.encode()
        )

    async def _serve(self, conn: Connection, account: Account) -> None:
        """Run a logged-on session until the socket closes."""
        self._connections.add(conn)
        self.total_connections += 1
        self._connections_changed.notify()
        try:
            if not self.config.sparse:
                for name in self.config.initial_frames:
                    payload = _initial_payload(name, account, self.config)
                    if payload is not None:
                        await self.send(conn, _frame_type(name, self.config), payload)
            async for msg in conn.ws:
                if msg.type is WSMsgType.ERROR:
                    break
                await self._on_frame(conn, account, msg.data)
        finally:
            self._connections.discard(conn)
            self._connections_changed.notify()

    async def _on_frame(
        self, conn: Connection, account: Account, data: str | bytes
    ) -> None:
        """Record, throttle and handle one inbound frame; never raises."""
        text = data if isinstance(data, str) else data.decode(errors="replace")
        frame = _parse(data) if isinstance(data, str) else None
        self._recorder.record_received(conn.username, text, frame)
        config = self.config
        is_ping = frame is not None and frame.get("claz") == "ping"
        if (not is_ping or config.throttle_counts_pings) and not conn.bucket.take(
            config.throttle_burst, config.throttle_refill_per_second
        ):
            self.throttle_violations += 1
            await self.send(conn, "Error", messages.error(THROTTLE_ERROR))
            if config.throttle_close_code is not None:
                await conn.ws.close(
                    code=config.throttle_close_code, message=b"Throttled"
                )
            return
        try:
            if frame is None:
                return
            if is_ping:
                if config.ping_reply is not None:
                    await self._transmit(
                        conn.ws, conn.username, _dumps(config.ping_reply)
                    )
            elif config.sparse:
                return
            elif frame.get("claz") == "web":
                await commands.handle(self, conn, account, frame)
            elif config.answer_unknown_commands_with_error:
                await self.send(conn, "Error", messages.error("Unknown message"))
        except Exception:
            _LOGGER.exception("Simulator failed to handle %r", text)

    # Sending

    async def _transmit(
        self, ws: web.WebSocketResponse, username: str, data: str | bytes
    ) -> None:
        """Put one frame on a socket unless silent or closed, and record it."""
        if self.config.silent or ws.closed:
            return
        try:
            if isinstance(data, bytes):
                await ws.send_bytes(data)
            else:
                await ws.send_str(data)
        except ConnectionError:
            return
        text = data if isinstance(data, str) else data.decode(errors="replace")
        self._recorder.record_sent(username, text)

    async def send(self, conn: Connection, msg_type: str, payload: object) -> None:
        """Send ``{"msgType", "ctiMessage"}`` on one connection."""
        await self._transmit(
            conn.ws, conn.username, _dumps(messages.envelope(msg_type, payload))
        )

    async def emit(self, account: Account, msg_type: str, payload: object) -> None:
        """Send a frame on every open connection of a user."""
        for conn in self.connections_of(account):
            await self.send(conn, msg_type, payload)

    def connections_of(self, account: Account) -> list[Connection]:
        """The open CTI sessions of a user."""
        username = account.username.lower()
        return [conn for conn in self._connections if conn.username == username]

    # Connection hooks

    @property
    def open_connections(self) -> int:
        """Number of logged-on websockets currently open."""
        return len(self._connections)

    async def wait_for_connections(self, n: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - public API
        """Wait until exactly ``n`` sessions are open (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout):
            await self._connections_changed.wait_for(
                lambda: True if len(self._connections) == n else None
            )

    async def drop_connections(self) -> None:
        """Abort the TCP connection of every websocket, without a close frame.

        Returns once the sessions are gone (``open_connections`` updated).
        """
        sessions = set(self._connections)
        for transport in list(self._sockets.values()):
            if transport is not None:
                transport.abort()
        await self._until_gone(sessions)

    async def close_connections(self, code: int = 1000, message: str = "") -> None:
        """Close every websocket cleanly with ``code``; return once they are gone."""
        sessions = set(self._connections)
        await asyncio.gather(
            *(
                ws.close(code=code, message=message.encode())
                for ws in list(self._sockets)
            ),
            return_exceptions=True,
        )
        await self._until_gone(sessions)

    async def _until_gone(self, sessions: set[Connection]) -> None:
        await self._connections_changed.wait_for(
            lambda: None if sessions & self._connections else True
        )

    # Recording

    @property
    def received(self) -> list[ReceivedFrame]:
        """Inbound frames in arrival order, pings included (latest 100,000)."""
        return list(self._recorder.received)

    @property
    def sent(self) -> list[tuple[float, str, str]]:
        """``(time.monotonic(), username, text)`` per frame sent (latest 100,000)."""
        return list(self._recorder.sent)

    def commands(self, username: str | None = "alice") -> list[dict[str, Any]]:
        """The ``claz:"web"`` frames received from a user (None: from anyone)."""
        return self._recorder.commands(username and username.lower())

    async def wait_for_command(
        self,
        command_name: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - public API
        username: str | None = None,
    ) -> dict[str, Any]:
        """Return the next ``command_name`` frame not yet returned by this method.

        Frames received before the call count; each frame is returned once.

        Raises:
            TimeoutError: no such frame arrived within ``timeout`` seconds.

        """
        async with asyncio.timeout(timeout):
            return await self._recorder.next_command(
                command_name, username and username.lower()
            )

    def clear_received(self) -> None:
        """Forget the received frames."""
        self._recorder.clear_received()

    # Event hooks

    def _account(self, username: str) -> Account:
        return self.accounts[username.lower()]

    async def push(
        self, msg_type: str, payload: object, username: str = "alice"
    ) -> None:
        """Send ``{"msgType": msg_type, "ctiMessage": payload}`` to a user's sockets."""
        await self.emit(self._account(username), msg_type, payload)

    async def push_raw(self, data: str | bytes, username: str = "alice") -> None:
        """Send an arbitrary text (str) or binary (bytes) frame to a user's sockets."""
        for conn in self.connections_of(self._account(username)):
            await self._transmit(conn.ws, conn.username, data)

    async def incoming_call(
        self,
        caller_number: str = "0612345678",
        caller_name: str | None = "Bob Marley",
        queue: str | None = None,
        user_data: Mapping[str, Any] | None = None,
        username: str = "alice",
    ) -> str:
        """Ring the user's line; return the call's uniqueId.

        ``caller_name`` None looks the number up in the directory; ``queue`` is the
        queue name of an ACD call; ``user_data`` keys get a ``USR_`` prefix.

        Raises:
            ValueError: the user has no line.

        """
        account = self._account(username)
        if account.line_number is None:
            msg = f"user {username} has no line"
            raise ValueError(msg)
        call = await telephony.ring(
            self, account, (caller_number, caller_name), queue, user_data or {}
        )
        return call.unique_id

    def _find_call(self, unique_id: str) -> tuple[Account, Call] | None:
        for account in self.accounts.values():
            if (call := account.calls.get(unique_id)) is not None:
                return account, call
        return None

    async def remote_answer(self, unique_id: str) -> bool:
        """Connect a dialing or ringing call as if answered; False when unknown."""
        found = self._find_call(unique_id)
        if found is None or found[1].state not in ("dialing", "ringing"):
            return False
        await telephony.establish(self, *found)
        return True

    async def remote_hangup(self, unique_id: str) -> bool:
        """End a call from the other side; False when unknown."""
        found = self._find_call(unique_id)
        if found is None:
            return False
        await telephony.release(self, *found)
        return True

    async def set_voicemail(self, new: int, old: int, username: str = "alice") -> None:
        """Change the voicemail counts (VoiceMailStatusUpdate)."""
        await users.set_voicemail(self, self._account(username), new, old)

    async def set_phone_status(
        self, name_or_code: str | int, username: str = "alice"
    ) -> None:
        """Force the phone status, given by name or code (PhoneStatusUpdate)."""
        account = self._account(username)
        account.phone_status = messages.phone_status_name(name_or_code)
        payload = messages.phone_status(
            account.phone_status, self.config.phone_status_encoding
        )
        await self.emit(account, "PhoneStatusUpdate", payload)

    async def set_agent_state(
        self, name: str, cause: str | None = None, username: str = "alice"
    ) -> None:
        """Force the agent state (AgentStateEvent).

        Raises:
            ValueError: the user is not an agent.

        """
        account = self._account(username)
        if account.agent_id is None:
            msg = f"user {username} is not an agent"
            raise ValueError(msg)
        await agents.set_state(self, account, name, cause)

    async def set_queue_stats(
        self, queue_id: int, counters: Mapping[str, float], username: str | None = None
    ) -> None:
        """Update queue counters; subscribed sockets get the changed counters.

        ``username`` None updates every user member of the queue.
        """
        targets = (
            self.accounts.values() if username is None else [self._account(username)]
        )
        payload = messages.queue_statistics(queue_id, counters, self.config.server)
        for account in targets:
            if all(queue["id"] != queue_id for queue in account.queues):
                continue
            account.queue_stats.setdefault(queue_id, {}).update(counters)
            for conn in self.connections_of(account):
                if conn.queue_stats_subscribed:
                    await self.send(conn, "QueueStatistics", payload)

    async def set_user_config(self, username: str = "alice", **changes: object) -> None:
        """Change ``Account`` configuration attributes (UserConfigUpdate).

        Keys are attribute names: ``dnd``, ``na_fwd_enabled``, ``full_name``...
        """
        await users.configure(self, self._account(username), changes)
