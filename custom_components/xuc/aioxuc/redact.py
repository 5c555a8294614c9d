"""Masking of secrets in text bound for logs and exceptions."""

from collections import deque
import re
from urllib.parse import quote

import orjson

MASK = "***"
# Values that are secret wherever they appear, whoever put them there.
_SECRET_FIELDS = re.compile(
    r"""(?P<key>(?:token|password)["']?\s*[=:]\s*["']?|bearer\s+)[^"'&\s,}]+""",
    re.IGNORECASE,
)
_KEPT_TOKENS = 8


class Redactor:
    """Replaces known secrets, and anything shaped like one, with ***."""

    def __init__(self, *secrets: str) -> None:
        """Start with fixed secrets such as the password."""
        self._fixed = tuple(secret for secret in secrets if secret)
        self._tokens: deque[str] = deque(maxlen=_KEPT_TOKENS)
        self._variants: tuple[str, ...] = ()
        self._refresh()

    def add_token(self, token: str) -> None:
        """Remember a session token; the last few stay masked."""
        if token and token not in self._tokens:
            self._tokens.append(token)
            self._refresh()

    def _refresh(self) -> None:
        variants = set()
        for secret in (*self._fixed, *self._tokens):
            variants.add(secret)
            variants.add(quote(secret, safe=""))
            variants.add(orjson.dumps(secret).decode()[1:-1])
        self._variants = tuple(sorted(variants, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        """Return the text with every secret masked."""
        for secret in self._variants:
            if secret in text:
                text = text.replace(secret, MASK)
        return _SECRET_FIELDS.sub(rf"\g<key>{MASK}", text)
