"""Names of the other party, looked up in the server's directory when missing.

Lookups never hold a call event back: the event goes out unnamed and the name,
once found, is used for the later events of that number.
"""

import asyncio
import logging
import re

from . import commands
from .client import XucClient
from .events import DirectoryResult
from .exceptions import XucError

_LOGGER = logging.getLogger(__package__)

# A lookup unanswered after this long counts as unanswered.
LOOKUP_TIMEOUT = 2.0
# After this many unanswered lookups in a row, the session stops asking.
MAX_UNANSWERED = 3
# Numbers remembered per session; the oldest answers go first.
MAX_NAMES = 1000
_NOT_DIGITS = re.compile(r"[^0-9+]")


def _same_number(left: str | None, right: str) -> bool:
    return left is not None and _NOT_DIGITS.sub("", left) == right


class CallerNames:
    """Looks up each unnamed number once per session and remembers the answer.

    Every server generation answers directoryLookUp (searchContacts only from
    nextlts on); a server that leaves lookups unanswered is no longer asked.
    """

    def __init__(self, client: XucClient) -> None:
        """Search through this client's session."""
        self._client = client
        self._names: dict[str, str | None] = {}
        self._pending: set[str] = set()
        self._unanswered = 0

    def clear(self) -> None:
        """Forget every answer (a new session may know better)."""
        self._names.clear()
        self._unanswered = 0

    def cached(self, number: str) -> str | None:
        """The name found for the number earlier, if any."""
        return self._names.get(number)

    def wanted(self, number: str) -> bool:
        """Whether the number should be looked up; if so, it is now pending."""
        if (
            number in self._names
            or number in self._pending
            or self._unanswered >= MAX_UNANSWERED
        ):
            return False
        self._pending.add(number)
        return True

    async def lookup(self, number: str) -> None:
        """Ask the directory for the number's name and remember the answer."""
        if self._unanswered >= MAX_UNANSWERED:
            self._pending.discard(number)
            return
        try:
            async with asyncio.timeout(LOOKUP_TIMEOUT):
                result = await self._client.request(
                    commands.directory_look_up(number), DirectoryResult
                )
        except (TimeoutError, XucError) as err:
            self._unanswered += 1
            _LOGGER.debug("No directory answer for a caller: %s", err or "timeout")
            return
        finally:
            self._pending.discard(number)
        self._unanswered = 0
        wanted = _NOT_DIGITS.sub("", number)
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
