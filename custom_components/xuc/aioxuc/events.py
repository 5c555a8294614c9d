"""Typed server events and the frame parser.

`parse_event` turns any websocket text into an event and never raises: frames
that are not JSON objects become `UnparsedEvent`, message types this client
does not know become `UnknownEvent`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import orjson

from .coerce import (
    as_bool,
    as_datetime,
    as_float,
    as_int,
    as_list,
    as_mapping,
    as_seconds,
    as_str,
    as_str_mapping,
)
from .models import (
    AgentState,
    CallHistoryEntry,
    Contact,
    PhoneEventType,
    PhoneStatus,
    PresenceStatus,
    Queue,
    StatusAction,
    UserConfig,
)

# Longest excerpt of an unparsable frame kept for logs and diagnostics.
RAW_EXCERPT_LENGTH = 256
# JSON values that are neither null, booleans, arrays nor objects.
_SCALARS = frozenset({str, int, float})


class InvalidPayloadError(ValueError):
    """A known message lacks the fields that identify it."""


@dataclass(slots=True, kw_only=True)
class XucEvent:
    """Base class of every event received from the server.

    Events are shared by every listener: treat them as read-only. They are not
    frozen only because frozen dataclasses are twice as slow to build, and one
    is built for every frame.
    """

    msg_type: ClassVar[str] = ""


@dataclass(slots=True, kw_only=True)
class LoggedOn(XucEvent):
    """The CTI session is open."""

    msg_type: ClassVar[str] = "LoggedOn"
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class LoggedOnError(XucEvent):
    """The server could not open the CTI session; it closes the socket next."""

    msg_type: ClassVar[str] = "LoggedOnError"
    error: str | None = None


@dataclass(slots=True, kw_only=True)
class ErrorEvent(XucEvent):
    """The server could not handle a request (e.g. throttling)."""

    msg_type: ClassVar[str] = "Error"
    error: str | None = None


@dataclass(slots=True, kw_only=True)
class UserConfigUpdate(XucEvent):
    """The user's configuration, full or partial (None = unchanged)."""

    msg_type: ClassVar[str] = "UserConfigUpdate"
    config: UserConfig


@dataclass(slots=True, kw_only=True)
class UsersStatuses(XucEvent):
    """The presence statuses the server offers."""

    msg_type: ClassVar[str] = "UsersStatuses"
    statuses: tuple[PresenceStatus, ...] = ()


@dataclass(slots=True, kw_only=True)
class UserStatusUpdate(XucEvent):
    """The user's presence status changed."""

    msg_type: ClassVar[str] = "UserStatusUpdate"
    status: str


@dataclass(slots=True, kw_only=True)
class PhoneStatusUpdate(XucEvent):
    """The state of the user's line changed."""

    msg_type: ClassVar[str] = "PhoneStatusUpdate"
    status: PhoneStatus


@dataclass(slots=True, kw_only=True)
class PhoneEvent(XucEvent):
    """A call on the user's line changed state."""

    msg_type: ClassVar[str] = "PhoneEvent"
    event_type: PhoneEventType
    dn: str | None = None
    other_dn: str | None = None
    other_name: str | None = None
    linked_id: str | None = None
    unique_id: str | None = None
    queue_name: str | None = None
    direction: str | None = None
    user_data: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class CurrentCallsPhoneEvents(XucEvent):
    """The calls in progress, answering getCurrentCallsPhoneEvents."""

    msg_type: ClassVar[str] = "CurrentCallsPhoneEvents"
    events: tuple[PhoneEvent, ...] = ()


@dataclass(slots=True, kw_only=True)
class VoiceMailStatusUpdate(XucEvent):
    """Voicemail message counts."""

    msg_type: ClassVar[str] = "VoiceMailStatusUpdate"
    new_messages: int | None = None
    waiting_messages: int | None = None
    old_messages: int | None = None


@dataclass(slots=True, kw_only=True)
class AgentStateEvent(XucEvent):
    """A call-centre agent changed state."""

    msg_type: ClassVar[str] = "AgentStateEvent"
    state: AgentState
    agent_id: int | None = None
    phone_number: str | None = None
    since: float | None = None
    queues: tuple[int, ...] = ()
    cause: str | None = None
    acd: bool | None = None
    direction: str | None = None
    monitor_state: str | None = None


@dataclass(slots=True, kw_only=True)
class AgentError(XucEvent):
    """An agent command failed (e.g. LoggedInOnAnotherPhone, PhoneNumberUnknown)."""

    msg_type: ClassVar[str] = "AgentError"
    error: str | None = None
    phone_number: str | None = None
    requested_number: str | None = None


@dataclass(slots=True, kw_only=True)
class QueueList(XucEvent):
    """The queues the user can see."""

    msg_type: ClassVar[str] = "QueueList"
    queues: tuple[Queue, ...] = ()


@dataclass(slots=True, kw_only=True)
class QueueConfig(XucEvent):
    """One queue was created or changed."""

    msg_type: ClassVar[str] = "QueueConfig"
    queue: Queue


@dataclass(slots=True, kw_only=True)
class QueueStatistics(XucEvent):
    """Counters of one queue; identified by id or, on some servers, by name."""

    msg_type: ClassVar[str] = "QueueStatistics"
    queue_id: int | None = None
    queue_ref: str | None = None
    counters: Mapping[str, float] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class CallHistory(XucEvent):
    """The user's call history (CallHistory or CallHistoryByDays)."""

    msg_type: ClassVar[str] = "CallHistory"
    entries: tuple[CallHistoryEntry, ...] = ()


@dataclass(slots=True, kw_only=True)
class DirectoryResult(XucEvent):
    """Directory search results."""

    msg_type: ClassVar[str] = "DirectoryResult"
    contacts: tuple[Contact, ...] = ()


@dataclass(slots=True, kw_only=True)
class LineConfig(XucEvent):
    """The user's line; its SIP settings are deliberately not kept."""

    msg_type: ClassVar[str] = "LineConfig"
    configured: bool = True


@dataclass(slots=True, kw_only=True)
class RightProfile(XucEvent):
    """The user's rights profile (e.g. Supervisor)."""

    msg_type: ClassVar[str] = "RightProfile"
    profile: str | None = None


@dataclass(slots=True, kw_only=True)
class UnknownEvent(XucEvent):
    """A well-formed message of a type this client does not handle."""

    type_name: str
    payload: Any = None


@dataclass(slots=True, kw_only=True)
class UnparsedEvent(XucEvent):
    """A frame that could not be understood; `raw` is an excerpt."""

    raw: str
    reason: str


def _object(payload: object) -> Mapping[str, Any]:
    if not isinstance(payload, dict):
        msg = "ctiMessage is not an object"
        raise InvalidPayloadError(msg)
    return payload


def _required_str(data: Mapping[str, Any], key: str) -> str:
    value = as_str(data.get(key))
    if value is None:
        msg = f"{key} is missing"
        raise InvalidPayloadError(msg)
    return value


def _logged_on(payload: object) -> LoggedOn:
    return LoggedOn(payload=as_mapping(payload))


def _logged_on_error(payload: object) -> LoggedOnError:
    return LoggedOnError(
        error=as_str(as_mapping(payload).get("Error")) or as_str(payload)
    )


def _error(payload: object) -> ErrorEvent:
    return ErrorEvent(error=as_str(as_mapping(payload).get("Error")) or as_str(payload))


def _parse_user_config(data: Mapping[str, Any]) -> UserConfig:
    """Build a UserConfig from a UserConfigUpdate payload."""
    return UserConfig(
        user_id=as_int(data.get("userId")),
        full_name=as_str(data.get("fullName")),
        mobile_number=as_str(data.get("mobileNumber")),
        agent_id=as_int(data.get("agentId")),
        voicemail_id=as_int(data.get("voiceMailId")),
        voicemail_enabled=as_bool(data.get("voiceMailEnabled")),
        dnd_enabled=as_bool(data.get("dndEnabled")),
        na_fwd_enabled=as_bool(data.get("naFwdEnabled")),
        na_fwd_destination=as_str(data.get("naFwdDestination")),
        unc_fwd_enabled=as_bool(data.get("uncFwdEnabled")),
        unc_fwd_destination=as_str(data.get("uncFwdDestination")),
        busy_fwd_enabled=as_bool(data.get("busyFwdEnabled")),
        busy_fwd_destination=as_str(data.get("busyFwdDestination")),
    )


def _user_config(payload: object) -> UserConfigUpdate:
    return UserConfigUpdate(config=_parse_user_config(_object(payload)))


def _presence_status(item: object) -> PresenceStatus | None:
    data = as_mapping(item)
    name = as_str(data.get("name"))
    if not name:
        return None
    actions = tuple(
        StatusAction(name=action_name, parameters=as_str(action.get("parameters")))
        for action in map(as_mapping, as_list(data.get("actions")))
        if (action_name := as_str(action.get("name")))
    )
    return PresenceStatus(
        name=name,
        long_name=as_str(data.get("longName")),
        color=as_str(data.get("color")),
        actions=actions,
    )


def _users_statuses(payload: object) -> UsersStatuses:
    statuses = (_presence_status(item) for item in as_list(payload))
    return UsersStatuses(statuses=tuple(status for status in statuses if status))


def _cti_statuses(payload: object) -> UsersStatuses:
    """CtiStatuses (shape unpublished): a UsersStatuses list, bare or under a key."""
    if isinstance(payload, dict):
        payload = next(
            (value for value in payload.values() if isinstance(value, list)), None
        )
    if not isinstance(payload, list):
        msg = "no list of statuses"
        raise InvalidPayloadError(msg)
    return _users_statuses(payload)


def _user_status(payload: object) -> UserStatusUpdate:
    return UserStatusUpdate(status=_required_str(_object(payload), "status"))


def _phone_status(payload: object) -> PhoneStatusUpdate:
    status = _object(payload).get("status")
    if type(status) not in _SCALARS:
        msg = "status is missing"
        raise InvalidPayloadError(msg)
    return PhoneStatusUpdate(status=PhoneStatus.parse(status))


def parse_phone_event(payload: object) -> PhoneEvent:
    """Build a PhoneEvent from its ctiMessage."""
    data = _object(payload)
    return PhoneEvent(
        event_type=PhoneEventType.parse(_required_str(data, "eventType")),
        dn=as_str(data.get("DN")),
        other_dn=as_str(data.get("otherDN")),
        other_name=as_str(data.get("otherDName")),
        linked_id=as_str(data.get("linkedId")),
        unique_id=as_str(data.get("uniqueId")),
        queue_name=as_str(data.get("queueName")),
        direction=as_str(data.get("callDirection")),
        user_data=as_str_mapping(data.get("userData")),
    )


def _current_calls(payload: object) -> CurrentCallsPhoneEvents:
    events = []
    for item in as_list(_object(payload).get("events")):
        try:
            events.append(parse_phone_event(item))
        except InvalidPayloadError:
            continue
    return CurrentCallsPhoneEvents(events=tuple(events))


def _voicemail(payload: object) -> VoiceMailStatusUpdate:
    data = _object(payload)
    event = VoiceMailStatusUpdate(
        new_messages=as_int(data.get("newMessages")),
        waiting_messages=as_int(data.get("waitingMessages")),
        old_messages=as_int(data.get("oldMessages")),
    )
    if event == VoiceMailStatusUpdate():
        msg = "no message count"
        raise InvalidPayloadError(msg)
    return event


def _agent_state(payload: object) -> AgentStateEvent:
    data = _object(payload)
    queues = [
        queue
        for item in as_list(data.get("queues"))
        if (queue := as_int(item)) is not None
    ]
    return AgentStateEvent(
        state=AgentState.parse(_required_str(data, "name")),
        agent_id=as_int(data.get("agentId")),
        phone_number=as_str(data.get("phoneNb")),
        since=as_float(data.get("since")),
        queues=tuple(queues),
        cause=as_str(data.get("cause")),
        acd=as_bool(data.get("acd")),
        direction=as_str(data.get("direction")),
        monitor_state=as_str(data.get("monitorState")),
    )


def _agent_error(payload: object) -> AgentError:
    data = as_mapping(payload)
    return AgentError(
        error=as_str(data.get("Error")) or as_str(data.get("error")) or as_str(payload),
        phone_number=as_str(data.get("phoneNb")),
        requested_number=as_str(data.get("RequestedNb")),
    )


def _queue(item: object) -> Queue:
    data = _object(item)
    queue_id = as_int(data.get("id"))
    if queue_id is None:
        msg = "queue id is missing"
        raise InvalidPayloadError(msg)
    return Queue(
        queue_id=queue_id,
        name=as_str(data.get("name")),
        display_name=as_str(data.get("displayName")),
        number=as_str(data.get("number")),
    )


def _queue_list(payload: object) -> QueueList:
    queues = []
    for item in as_list(payload):
        try:
            queues.append(_queue(item))
        except InvalidPayloadError:
            continue
    return QueueList(queues=tuple(queues))


def _queue_config(payload: object) -> QueueConfig:
    return QueueConfig(queue=_queue(payload))


def _queue_statistics(payload: object) -> QueueStatistics:
    data = _object(payload)
    queue_id = as_int(data.get("queueId"))
    queue_ref = as_str(data.get("queueRef"))
    if queue_id is None and queue_ref is None:
        msg = "queue is not identified"
        raise InvalidPayloadError(msg)
    counters = {}
    for counter in map(as_mapping, as_list(data.get("counters"))):
        name = as_str(counter.get("statName"))
        value = as_float(counter.get("value"))
        if name and value is not None:
            counters[name] = value
    return QueueStatistics(queue_id=queue_id, queue_ref=queue_ref, counters=counters)


def _call_history(payload: object) -> CallHistory:
    entries = tuple(
        CallHistoryEntry(
            start=as_datetime(item.get("start")),
            duration=as_seconds(item.get("duration")),
            status=as_str(item.get("status")),
            src_number=as_str(item.get("srcNum")),
            src_first_name=as_str(item.get("srcFirstName")),
            src_last_name=as_str(item.get("srcLastName")),
            dst_number=as_str(item.get("dstNum")),
            dst_first_name=as_str(item.get("dstFirstName")),
            dst_last_name=as_str(item.get("dstLastName")),
        )
        for item in as_list(payload)
        if isinstance(item, dict)
    )
    return CallHistory(entries=entries)


def _contact(headers: list[str], row: Mapping[str, Any]) -> Contact | None:
    cells = dict(zip(headers, map(as_str, as_list(row.get("entry"))), strict=False))
    name = " ".join(
        part for part in (cells.get("firstname"), cells.get("lastname")) if part
    )
    if not name:
        return None
    return Contact(
        name=name,
        number=cells.get("number") or None,
        mobile=cells.get("mobile") or None,
        phone_status=PhoneStatus.parse(row.get("status")),
    )


def _directory_result(payload: object) -> DirectoryResult:
    data = _object(payload)
    headers = [
        (as_str(header) or "").lower() for header in as_list(data.get("headers"))
    ]
    contacts = (
        _contact(headers, row) for row in map(as_mapping, as_list(data.get("entries")))
    )
    return DirectoryResult(contacts=tuple(contact for contact in contacts if contact))


def _line_config(payload: object) -> LineConfig:
    """A LineConfig without any value (``{}`` or null) says the user has no line."""
    return LineConfig(configured=any(as_mapping(payload).values()))


def _right_profile(payload: object) -> RightProfile:
    return RightProfile(profile=as_str(as_mapping(payload).get("profile")))


_PARSERS: dict[str, Callable[[object], XucEvent]] = {
    "LoggedOn": _logged_on,
    "LoggedOnError": _logged_on_error,
    "Error": _error,
    "UserConfigUpdate": _user_config,
    "UsersStatuses": _users_statuses,
    "CtiStatuses": _cti_statuses,
    "UserStatusUpdate": _user_status,
    "PhoneStatusUpdate": _phone_status,
    "PhoneEvent": parse_phone_event,
    "CurrentCallsPhoneEvents": _current_calls,
    "VoiceMailStatusUpdate": _voicemail,
    "AgentStateEvent": _agent_state,
    "AgentError": _agent_error,
    "QueueList": _queue_list,
    "QueueConfig": _queue_config,
    "QueueStatistics": _queue_statistics,
    "CallHistory": _call_history,
    "CallHistoryByDays": _call_history,
    "DirectoryResult": _directory_result,
    "LineConfig": _line_config,
    "RightProfile": _right_profile,
}


def _excerpt(raw: str | bytes) -> str:
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    return text[:RAW_EXCERPT_LENGTH]


def parse_event(raw: str | bytes) -> XucEvent:
    """Parse one websocket frame; never raises."""
    try:
        frame = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        return UnparsedEvent(raw=_excerpt(raw), reason=f"invalid JSON: {err}")
    if not isinstance(frame, dict):
        return UnparsedEvent(raw=_excerpt(raw), reason="not a JSON object")
    msg_type = frame.get("msgType")
    if not isinstance(msg_type, str):
        return UnparsedEvent(raw=_excerpt(raw), reason="msgType is missing")
    payload = frame.get("ctiMessage")
    parser = _PARSERS.get(msg_type)
    if parser is None:
        return UnknownEvent(type_name=msg_type, payload=payload)
    try:
        return parser(payload)
    except InvalidPayloadError as err:
        return UnparsedEvent(raw=_excerpt(raw), reason=f"{msg_type}: {err}")
