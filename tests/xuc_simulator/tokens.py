"""Opaque authentication tokens with an expiry."""

from __future__ import annotations

from collections import deque
import secrets
import time


class TokenStore:
    """Tokens issued by ``auth/login`` and ``auth/check``."""

    def __init__(self) -> None:
        """Start with no token."""
        self._tokens: dict[str, tuple[str, float]] = {}
        self.issued: deque[str] = deque(maxlen=1000)

    def issue(self, username: str, ttl: float) -> str:
        """Create a token for ``username`` valid for ``ttl`` seconds."""
        self._purge()
        token = secrets.token_urlsafe(24)
        self._tokens[token] = (username, time.monotonic() + ttl)
        self.issued.append(token)
        return token

    def owner(self, token: str | None) -> str | None:
        """Return the user of a valid token, None when unknown or expired."""
        username, _ = self._tokens.get(token or "", (None, 0.0))
        return username if username is not None and self.remaining(token) > 0 else None

    def remaining(self, token: str | None) -> float:
        """Seconds left before a token expires (0 when unknown or expired)."""
        _, expires = self._tokens.get(token or "", ("", 0.0))
        return max(0.0, expires - time.monotonic())

    def clear(self) -> None:
        """Invalidate every token at once."""
        self._tokens.clear()

    def _purge(self) -> None:
        now = time.monotonic()
        for token in [t for t, (_, expires) in self._tokens.items() if expires <= now]:
            del self._tokens[token]
