"""What differs between the XuC server generations the simulator can play.

Sources (protocol reference §13): 2020 and 2022 document ``directoryLookUp``
only, so they never answer ``searchContacts``; nextlts answers both. "latest"
deprecates ``UsersStatuses`` in favour of ``CtiStatuses``, so nextlts sends the
latter. The 2022.05 counter list spells the longest wait ``LongestWaitingTime``;
XiVO's web application reads ``LongestWaitTime``. Which counters each
generation sends beyond the web application's is a simulator choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

type GenerationName = Literal["2020", "2022", "nextlts"]
type PresenceList = Literal["UsersStatuses", "CtiStatuses"]

# Counters XiVO's web application reads (values kept under these names).
BASE_COUNTERS = (
    "WaitingCalls",
    "LongestWaitTime",
    "TotalNumberCallsEntered",
    "TotalNumberCallsAnswered",
    "TotalNumberCallsAbandonned",
    "AvailableAgents",
    "TalkingAgents",
)
# Further counters of the 2022.05 list and of the public wallboard.
WALLBOARD_COUNTERS = (
    "EWT",
    "LoggedAgents",
    "TotalNumberCallsClosed",
    "TotalNumberCallsTimeout",
    "PercentageAnsweredTotal",
)


@dataclass(frozen=True, slots=True)
class Generation:
    """One server generation's behaviour.

    Attributes:
        lookup_commands: Directory commands answered (others are left unanswered).
        presence_list: Message type of the presence list sent after LoggedOn.
        counters: Queue counters sent, under the names kept in ``Account``.
        renamed: Wire names of counters this generation spells differently.
        call_direction: PhoneEvent carries ``callDirection``.

    """

    lookup_commands: frozenset[str]
    presence_list: PresenceList
    counters: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...] = ()
    call_direction: bool = True

    def wire_name(self, counter: str) -> str:
        """The name this generation gives a counter."""
        return dict(self.renamed).get(counter, counter)


GENERATIONS: dict[GenerationName, Generation] = {
    "2020": Generation(
        lookup_commands=frozenset({"directoryLookUp"}),
        presence_list="UsersStatuses",
        counters=BASE_COUNTERS,
        call_direction=False,
    ),
    "2022": Generation(
        lookup_commands=frozenset({"directoryLookUp"}),
        presence_list="UsersStatuses",
        counters=BASE_COUNTERS + WALLBOARD_COUNTERS,
        renamed=(("LongestWaitTime", "LongestWaitingTime"),),
    ),
    "nextlts": Generation(
        lookup_commands=frozenset({"directoryLookUp", "searchContacts"}),
        presence_list="CtiStatuses",
        counters=BASE_COUNTERS + WALLBOARD_COUNTERS,
    ),
}
KNOWN_COUNTERS = frozenset(BASE_COUNTERS + WALLBOARD_COUNTERS)
