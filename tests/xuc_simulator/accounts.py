"""Users known to the simulator, their live state and the demo account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import time
from typing import Any, Literal

type CallState = Literal["dialing", "ringing", "established", "held"]
type Direction = Literal["Incoming", "Outgoing"]

HISTORY_LIMIT = 500
HISTORY_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _status(
    name: str, color: str, long_name: str, *actions: tuple[str, str]
) -> dict[str, Any]:
    return {
        "name": name,
        "color": color,
        "longName": long_name,
        "actions": [{"name": action, "parameters": value} for action, value in actions],
    }


def default_users_statuses() -> list[dict[str, Any]]:
    """Return the UsersStatuses list of a typical XiVO configuration."""
    return [
        _status(
            "available",
            "#08FD20",
            "Disponible",
            ("enablednd", "false"),
            ("queueunpause_all", "true"),
        ),
        _status("away", "#FFDD00", "Sorti", ("enablednd", "false")),
        _status("berightback", "#F2833A", "Bientôt de retour", ("enablednd", "false")),
        _status("outtolunch", "#6CA6FF", "Parti Manger", ("queuepause_all", "true")),
        _status("donotdisturb", "#D13D3D", "Ne pas déranger", ("enablednd", "true")),
        _status("disconnected", "#9E9E9E", "Déconnecté", ("agentlogoff", "")),
    ]


def split_name(full_name: str) -> tuple[str, str]:
    """Split a display name into first and last name."""
    first, _, last = full_name.strip().partition(" ")
    return first, last.strip()


def contact(
    name: str, number: str, mobile: str = "", *, favorite: bool = False, status: int = 0
) -> dict[str, Any]:
    """Build a directory contact (the shape `Account.directory` holds)."""
    firstname, lastname = split_name(name)
    return {
        "firstname": firstname,
        "lastname": lastname,
        "number": number,
        "mobile": mobile,
        "favorite": favorite,
        "status": status,
    }


def history_entry(
    start: datetime,
    duration: float,
    status: str,
    src: tuple[str, str],
    dst: tuple[str, str],
) -> dict[str, Any]:
    """Build a CallHistory item; ``src``/``dst`` are ``(number, display name)``."""
    minutes, seconds = divmod(round(duration), 60)
    hours, minutes = divmod(minutes, 60)
    src_first, src_last = split_name(src[1])
    dst_first, dst_last = split_name(dst[1])
    return {
        "start": start.strftime(HISTORY_TIME_FORMAT),
        "duration": f"{hours:02d}:{minutes:02d}:{seconds:02d}",
        "status": status,
        "srcNum": src[0],
        "srcFirstName": src_first,
        "srcLastName": src_last,
        "dstNum": dst[0],
        "dstFirstName": dst_first,
        "dstLastName": dst_last,
    }


def local_now() -> datetime:
    """Return the current local time as a naive datetime (history timestamps)."""
    return datetime.now(UTC).astimezone().replace(tzinfo=None)


@dataclass
class Call:
    """A call in progress on a user's line."""

    unique_id: str
    linked_id: str
    other_dn: str
    other_name: str
    direction: Direction
    state: CallState
    user_data: dict[str, str]
    queue: str | None = None
    consult_of: str | None = None
    started: datetime = field(default_factory=local_now)
    answered_at: float | None = None


@dataclass
class Account:
    """A CTI user and everything the server knows about it.

    ``directory`` holds contacts shaped like `contact` returns; ``call_history``
    holds CallHistory items shaped like `history_entry` returns, newest first;
    ``queue_stats`` maps a queue id to ``{statName: value}``; ``calls`` maps the
    uniqueId of every call in progress to its `Call`.
    """

    username: str
    password: str
    user_id: int = 1
    full_name: str = ""
    line_number: str | None = None
    mobile_number: str = ""
    agent_id: int | None = None
    agent_number: str = ""
    voicemail_id: int | None = None
    voicemail_enabled: bool = False
    dnd: bool = False
    na_fwd_enabled: bool = False
    na_fwd_destination: str = ""
    unc_fwd_enabled: bool = False
    unc_fwd_destination: str = ""
    busy_fwd_enabled: bool = False
    busy_fwd_destination: str = ""
    presence: str = "available"
    phone_status: str = "AVAILABLE"
    voicemail_new: int = 0
    voicemail_old: int = 0
    agent_state: str = "AgentLoggedOut"
    agent_phone_number: str | None = None
    pause_reason: str | None = None
    agent_since: float = field(default_factory=time.time)
    queues: list[dict[str, Any]] = field(default_factory=list)
    queue_stats: dict[int, dict[str, float]] = field(default_factory=dict)
    call_history: list[dict[str, Any]] = field(default_factory=list)
    directory: list[dict[str, Any]] = field(default_factory=list)
    users_statuses: list[dict[str, Any]] = field(default_factory=default_users_statuses)
    calls: dict[str, Call] = field(default_factory=dict)

    @property
    def agent_logged_in(self) -> bool:
        """Whether the user is an agent currently logged in."""
        return self.agent_id is not None and self.agent_state != "AgentLoggedOut"

    def contact_name(self, number: str) -> str:
        """Return the directory name of a number, or an empty string."""
        for entry in self.directory:
            if number in (entry.get("number"), entry.get("mobile")):
                return (
                    f"{entry.get('firstname', '')} {entry.get('lastname', '')}".strip()
                )
        return ""

    def record_call(self, entry: dict[str, Any]) -> None:
        """Add a finished call to the history (newest first, bounded)."""
        self.call_history.insert(0, entry)
        del self.call_history[HISTORY_LIMIT:]


def _queue_counters(
    *, waiting: int, longest: int, entered: int, answered: int, agents: int
) -> dict[str, float]:
    return {
        "WaitingCalls": waiting,
        "LongestWaitTime": longest,
        "TotalNumberCallsEntered": entered,
        "TotalNumberCallsAnswered": answered,
        "TotalNumberCallsAbandonned": entered - answered - waiting,
        "AvailableAgents": agents,
        "TalkingAgents": 0,
        "LoggedAgents": agents,
        "EWT": longest // 2,
        "PercentageAnsweredTotal": round(100 * answered / entered) if entered else 0,
    }


def demo_account(
    username: str = "alice",
    password: str = "secret",
) -> Account:
    """Return the demo user: Alice Johnson, line 1000, agent 12, two queues."""
    now = local_now()
    me = ("1000", "Alice Johnson")
    bob = ("1001", "Bob Marley")
    carol = ("1002", "Carol King")
    outside = ("0612345678", "")
    return Account(
        username=username,
        password=password,
        user_id=9,
        full_name="Alice Johnson",
        line_number="1000",
        mobile_number="0612345678",
        agent_id=12,
        agent_number="2000",
        voicemail_id=3,
        voicemail_enabled=True,
        voicemail_new=2,
        voicemail_old=5,
        queues=[
            {"id": 3, "name": "bluesky", "displayName": "Blue Sky", "number": "3000"},
            {
                "id": 4,
                "name": "greenfield",
                "displayName": "Green Field",
                "number": "3001",
            },
        ],
        queue_stats={
            3: _queue_counters(
                waiting=1, longest=12, entered=40, answered=36, agents=3
            ),
            4: _queue_counters(waiting=0, longest=0, entered=7, answered=7, agents=2),
        },
        call_history=[
            history_entry(now - timedelta(hours=1), 70, "emitted", me, bob),
            history_entry(now - timedelta(hours=5), 0, "abandoned", outside, me),
            history_entry(now - timedelta(days=1, hours=2), 312, "answered", carol, me),
            history_entry(now - timedelta(days=9), 45, "emitted", me, carol),
        ],
        directory=[
            contact("Bob Marley", "1001", "0611111111", favorite=True),
            contact("Carol King", "1002", "0622222222", status=4),
            contact("Peter Pan", "1004", status=-2),
        ],
    )
