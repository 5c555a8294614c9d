"""Enumerations and payload models of the XuC protocol."""

from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum

from .coerce import as_int


class PhoneStatus(StrEnum):
    """State of the user's phone line (Cti.PhoneStatus)."""

    AVAILABLE = "available"
    CALLING = "calling"
    BUSY = "busy"
    UNAVAILABLE = "unavailable"
    RINGING = "ringing"
    BUSY_AND_RINGING = "busy_and_ringing"
    ON_HOLD = "on_hold"
    DEACTIVATED = "deactivated"
    UNEXISTING = "unexisting"
    ERROR = "error"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: object) -> "PhoneStatus":
        """Map a status name ("CALLING") or numeric code (1) to a member."""
        if isinstance(value, str) and (
            status := _PHONE_STATUS_NAMES.get(value)
            or _PHONE_STATUS_NAMES.get(value.strip().upper())
        ):
            return status
        code = as_int(value)
        return (
            cls.UNKNOWN if code is None else _PHONE_STATUS_CODES.get(code, cls.UNKNOWN)
        )


_PHONE_STATUS_CODES = {
    0: PhoneStatus.AVAILABLE,
    1: PhoneStatus.CALLING,
    2: PhoneStatus.BUSY,
    4: PhoneStatus.UNAVAILABLE,
    8: PhoneStatus.RINGING,
    9: PhoneStatus.BUSY_AND_RINGING,
    16: PhoneStatus.ON_HOLD,
    -1: PhoneStatus.DEACTIVATED,
    -2: PhoneStatus.UNEXISTING,
    -99: PhoneStatus.ERROR,
}
_PHONE_STATUS_NAMES = {
    "AVAILABLE": PhoneStatus.AVAILABLE,
    "CALLING": PhoneStatus.CALLING,
    "BUSY": PhoneStatus.BUSY,
    "INDISPONIBLE": PhoneStatus.UNAVAILABLE,
    "UNAVAILABLE": PhoneStatus.UNAVAILABLE,
    "RINGING": PhoneStatus.RINGING,
    "BUSY_AND_RINGING": PhoneStatus.BUSY_AND_RINGING,
    "ONHOLD": PhoneStatus.ON_HOLD,
    "ON_HOLD": PhoneStatus.ON_HOLD,
    "DEACTIVATED": PhoneStatus.DEACTIVATED,
    "UNEXISTING": PhoneStatus.UNEXISTING,
    "ERROR": PhoneStatus.ERROR,
}


class PhoneEventType(StrEnum):
    """Kind of a PhoneEvent."""

    DIALING = "EventDialing"
    RINGING = "EventRinging"
    ESTABLISHED = "EventEstablished"
    RELEASED = "EventReleased"
    ON_HOLD = "EventOnHold"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: object) -> "PhoneEventType":
        """Map an eventType to a member, UNKNOWN for anything else."""
        return (
            _PHONE_EVENT_TYPES.get(value, cls.UNKNOWN)
            if isinstance(value, str)
            else cls.UNKNOWN
        )


class AgentState(StrEnum):
    """Call-centre agent state (AgentStateEvent name)."""

    LOGGED_OUT = "AgentLoggedOut"
    LOGIN = "AgentLogin"
    READY = "AgentReady"
    PAUSED = "AgentOnPause"
    RINGING = "AgentRinging"
    ON_CALL = "AgentOnCall"
    DIALING = "AgentDialing"
    WRAPUP = "AgentOnWrapup"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: object) -> "AgentState":
        """Map an AgentStateEvent name to a member, UNKNOWN for anything else."""
        return (
            _AGENT_STATES.get(value, cls.UNKNOWN)
            if isinstance(value, str)
            else cls.UNKNOWN
        )


# Plain dictionaries: looking up an enum by value through its constructor is slow.
_PHONE_EVENT_TYPES = {member.value: member for member in PhoneEventType}
_AGENT_STATES = {member.value: member for member in AgentState}


class Forward(StrEnum):
    """A kind of call forwarding."""

    UNCONDITIONAL = "unconditional"
    NO_ANSWER = "no_answer"
    BUSY = "busy"


@dataclass(frozen=True, slots=True, kw_only=True)
class Forwarding:
    """Whether one forwarding is on, and where it sends calls."""

    enabled: bool | None
    destination: str | None


@dataclass(frozen=True, slots=True)
class Voicemail:
    """Voicemail message counts; None until the server reports them."""

    new: int | None = None
    old: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UserConfig:
    """The user's configuration; None means "not known" (or unchanged in an update)."""

    user_id: int | None = None
    full_name: str | None = None
    mobile_number: str | None = None
    agent_id: int | None = None
    voicemail_id: int | None = None
    voicemail_enabled: bool | None = None
    dnd_enabled: bool | None = None
    na_fwd_enabled: bool | None = None
    na_fwd_destination: str | None = None
    unc_fwd_enabled: bool | None = None
    unc_fwd_destination: str | None = None
    busy_fwd_enabled: bool | None = None
    busy_fwd_destination: str | None = None

    def merge(self, update: "UserConfig") -> "UserConfig":
        """Return this configuration with the known values of an update applied."""
        changes = {
            field.name: value
            for field in fields(update)
            if (value := getattr(update, field.name)) is not None
        }
        return replace(self, **changes) if changes else self

    def forwarding(self, kind: Forward) -> Forwarding:
        """The state of one forwarding."""
        if kind is Forward.UNCONDITIONAL:
            return Forwarding(
                enabled=self.unc_fwd_enabled, destination=self.unc_fwd_destination
            )
        if kind is Forward.NO_ANSWER:
            return Forwarding(
                enabled=self.na_fwd_enabled, destination=self.na_fwd_destination
            )
        return Forwarding(
            enabled=self.busy_fwd_enabled, destination=self.busy_fwd_destination
        )

    @property
    def is_agent(self) -> bool:
        """Whether the user is a call-centre agent."""
        return self.agent_id is not None and self.agent_id > 0


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusAction:
    """An action the server runs when a presence status is selected."""

    name: str
    parameters: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceStatus:
    """One presence status offered by the server (UsersStatuses entry)."""

    name: str
    long_name: str | None = None
    color: str | None = None
    actions: tuple[StatusAction, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Queue:
    """A call-centre queue (QueueConfig / QueueList entry)."""

    queue_id: int
    name: str | None = None
    display_name: str | None = None
    number: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallHistoryEntry:
    """One call in the user's history; `start` is in the server's local time."""

    start: datetime | None = None
    duration: int | None = None
    status: str | None = None
    src_number: str | None = None
    src_first_name: str | None = None
    src_last_name: str | None = None
    dst_number: str | None = None
    dst_first_name: str | None = None
    dst_last_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A directory entry (DirectoryResult row)."""

    name: str
    number: str | None = None
    mobile: str | None = None
    phone_status: PhoneStatus = PhoneStatus.UNKNOWN
