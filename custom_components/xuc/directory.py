"""Names of the other party, looked up in the server's directory when missing."""

import asyncio
import re

from .aioxuc import DirectoryResult, XucClient, XucError, commands
from .const import LOGGER

# A lookup that takes longer delays the call event; past this it goes unnamed.
LOOKUP_TIMEOUT = 2.0
# Numbers remembered per session; the oldest answers go first.
MAX_NAMES = 1000
_NOT_DIGITS = re.compile(r"[^0-9+]")


def _same_number(left: str | None, right: str) -> bool:
    return left is not None and _NOT_DIGITS.sub("", left) == right


class CallerNames:
    """Looks up each unnamed number once per session and remembers the answer."""

    def __init__(self, client: XucClient) -> None:
        """Search through this client's session."""
        self._client = client
        self._names: dict[str, str | None] = {}

    def clear(self) -> None:
        """Forget every answer (a new session may know better)."""
        self._names.clear()

    def known(self, number: str) -> bool:
        """Whether the number was already looked up."""
        return number in self._names

    def cached(self, number: str) -> str | None:
        """The name found for the number earlier, if any."""
        return self._names.get(number)

    async def lookup(self, number: str) -> str | None:
        """Return the directory's name for the number (None if nobody matches)."""
        if number in self._names:
            return self._names[number]
        wanted = _NOT_DIGITS.sub("", number)
        try:
            async with asyncio.timeout(LOOKUP_TIMEOUT):
                result = await self._client.request(
                    commands.search_contacts(number), DirectoryResult
                )
        except (TimeoutError, XucError) as err:
            LOGGER.debug("No directory answer for a caller: %s", err or "timeout")
            return None
        name = next(
            (
                contact.name
                for contact in result.contacts
                if _same_number(contact.number, wanted)
                or _same_number(contact.mobile, wanted)
            ),
            None,
        )
        if len(self._names) >= MAX_NAMES:
            del self._names[next(iter(self._names))]
        self._names[number] = name
        return name
