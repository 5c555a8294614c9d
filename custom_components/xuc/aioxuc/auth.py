"""Token login and token check over XuC's REST API."""

import asyncio
from dataclasses import dataclass
from http import HTTPStatus
import ssl
from typing import Any

import aiohttp
import orjson
from yarl import URL

from .coerce import as_float, as_str
from .const import CHECK_PATH, LOGIN_PATH
from .exceptions import (
    XucAuthenticationError,
    XucConnectionError,
    XucTimeoutError,
    XucUnsupportedServerError,
)
from .redact import Redactor

# Error codes that are not about the credentials, whatever the HTTP status.
_NOT_CREDENTIAL_ERRORS = frozenset({"InvalidJson", "UnhandledError"})
_UNAUTHORIZED = frozenset({HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN})


@dataclass(frozen=True, slots=True)
class Token:
    """A session token issued by the server."""

    value: str
    login: str | None = None
    ttl: float | None = None


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return HTTPStatus.OK <= self.status < HTTPStatus.MULTIPLE_CHOICES

    @property
    def error(self) -> str | None:
        return as_str(self.body.get("error"))

    def describe(self) -> str:
        message = as_str(self.body.get("message"))
        details = ": ".join(part for part in (self.error, message) if part)
        return f"HTTP {self.status}" + (f" ({details})" if details else "")


class XucAuth:
    """Obtains and checks session tokens for one account."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: URL,
        username: str,
        password: str,
        *,
        ssl_context: ssl.SSLContext | bool,
        timeout: float,
        redact: Redactor,
    ) -> None:
        """Prepare requests against `base_url` (scheme, host and port)."""
        self._session = session
        self._base_url = base_url
        self._username = username
        self._password = password
        self._ssl = ssl_context
        self._timeout = timeout
        self._redact = redact

    async def login(self) -> Token:
        """Log in with the credentials; reject them with XucAuthenticationError."""
        body = {"login": self._username, "password": self._password}
        answer = await self._request("POST", LOGIN_PATH, json=body)
        if answer.ok:
            return self._token(answer)
        if answer.error == "InvalidCredentials" or (
            answer.status in _UNAUTHORIZED
            and answer.error not in _NOT_CREDENTIAL_ERRORS
        ):
            msg = f"the server rejected the credentials: {answer.describe()}"
            raise XucAuthenticationError(msg)
        if answer.status == HTTPStatus.NOT_FOUND:
            msg = f"{self._base_url} offers no XuC 2.0 API: {answer.describe()}"
            raise XucUnsupportedServerError(msg)
        msg = f"login failed: {answer.describe()}"
        raise XucConnectionError(msg)

    async def check(self, token: Token) -> Token | None:
        """Return the token to use from now on, or None when `token` is invalid."""
        headers = {"Authorization": f"Bearer {token.value}"}
        answer = await self._request("GET", CHECK_PATH, headers=headers)
        if answer.ok and as_str(answer.body.get("token")):
            return self._token(answer)
        if answer.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            msg = f"token check failed: {answer.describe()}"
            raise XucConnectionError(msg)
        return None

    def _token(self, answer: _Answer) -> Token:
        value = as_str(answer.body.get("token"))
        if not value:
            msg = f"no token in the server's answer ({answer.describe()})"
            raise XucConnectionError(msg)
        self._redact.add_token(value)
        return Token(
            value=value,
            login=as_str(answer.body.get("login")),
            ttl=as_float(answer.body.get("TTL")),
        )

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> _Answer:
        url = self._base_url.with_path(path)
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method, url, json=json, headers=headers, ssl=self._ssl
                ) as response,
            ):
                raw = await response.read()
        except TimeoutError as err:
            msg = f"{url} did not answer within {self._timeout:.0f} s"
            raise XucTimeoutError(msg) from err
        except (aiohttp.ClientError, OSError) as err:
            msg = f"cannot reach {url}: {self._redact(str(err)) or type(err).__name__}"
            raise XucConnectionError(msg) from None
        try:
            body = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            body = {}
        return _Answer(response.status, body if isinstance(body, dict) else {})
