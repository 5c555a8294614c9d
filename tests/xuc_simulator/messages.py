"""Builders of the ``ctiMessage`` payloads the server sends."""

from __future__ import annotations

from datetime import timedelta
import time
from typing import TYPE_CHECKING, Any

from .accounts import HISTORY_TIME_FORMAT, local_now, split_name
from .generations import KNOWN_COUNTERS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .accounts import Account, Call
    from .config import PhoneStatusEncoding
    from .generations import Generation

PHONE_STATUS_CODES: dict[str, int] = {
    "AVAILABLE": 0,
    "CALLING": 1,
    "BUSY": 2,
    "INDISPONIBLE": 4,
    "RINGING": 8,
    "BUSY_AND_RINGING": 9,
    "ONHOLD": 16,
    "DEACTIVATED": -1,
    "UNEXISTING": -2,
    "ERROR": -99,
}
PHONE_STATUS_NAMES = {code: name for name, code in PHONE_STATUS_CODES.items()}

QUEUE_COUNTERS = tuple(sorted(KNOWN_COUNTERS))

EVENT_TYPES = {
    "dialing": "EventDialing",
    "ringing": "EventRinging",
    "established": "EventEstablished",
    "held": "EventOnHold",
}

# UserConfigUpdate field -> Account attribute.
USER_CONFIG_FIELDS = {
    "fullName": "full_name",
    "mobileNumber": "mobile_number",
    "agentId": "agent_id",
    "voiceMailId": "voicemail_id",
    "voiceMailEnabled": "voicemail_enabled",
    "dndEnabled": "dnd",
    "naFwdEnabled": "na_fwd_enabled",
    "naFwdDestination": "na_fwd_destination",
    "uncFwdEnabled": "unc_fwd_enabled",
    "uncFwdDestination": "unc_fwd_destination",
    "busyFwdEnabled": "busy_fwd_enabled",
    "busyFwdDestination": "busy_fwd_destination",
}
CONFIG_FIELD_OF_ATTRIBUTE = {attr: key for key, attr in USER_CONFIG_FIELDS.items()}

_CALL_AGENT_STATES = {"AgentRinging", "AgentDialing", "AgentOnCall"}
_FOREIGN_AGENT_NAME = ("Dave", "Brubeck")


def envelope(msg_type: str, payload: object) -> dict[str, Any]:
    """Wrap a payload the way every server frame is wrapped."""
    return {"msgType": msg_type, "ctiMessage": payload}


def error(text: str) -> dict[str, str]:
    """Payload of an Error, AgentError or LoggedOnError frame."""
    return {"Error": text}


def phone_status_name(value: str | int) -> str:
    """Normalise a phone status given as a name or a numeric code to its name."""
    if isinstance(value, str):
        return value
    if value not in PHONE_STATUS_NAMES:
        msg = f"unknown phone status code {value}"
        raise ValueError(msg)
    return PHONE_STATUS_NAMES[value]


def phone_status(name: str, encoding: PhoneStatusEncoding) -> dict[str, str | int]:
    """PhoneStatusUpdate payload; unknown names are sent as they are."""
    return {
        "status": PHONE_STATUS_CODES.get(name, name) if encoding == "code" else name
    }


def user_config(
    account: Account, changed: Iterable[str] = (), *, partial: bool = False
) -> dict[str, Any]:
    """UserConfigUpdate payload; ``partial`` nulls every field not in ``changed``."""
    keep = set(changed)
    payload: dict[str, Any] = {"userId": account.user_id}
    for key, attr in USER_CONFIG_FIELDS.items():
        payload[key] = getattr(account, attr) if not partial or key in keep else None
    return payload


def voicemail(account: Account) -> dict[str, int]:
    """VoiceMailStatusUpdate payload."""
    return {
        "newMessages": account.voicemail_new,
        "waitingMessages": account.voicemail_new,
        "oldMessages": account.voicemail_old,
    }


def agent_state(account: Account, *, since: int = 0) -> dict[str, Any]:
    """AgentStateEvent payload of the user's agent."""
    call = next(reversed(account.calls.values()), None)
    if account.agent_state not in _CALL_AGENT_STATES:
        call = None
    return {
        "name": account.agent_state,
        "agentId": account.agent_id,
        "phoneNb": account.agent_phone_number or "null",
        "since": since,
        "queues": [queue["id"] for queue in account.queues],
        "cause": account.pause_reason,
        "acd": call is not None and call.queue is not None,
        "direction": call.direction if call is not None else None,
        "monitorState": "DISABLED",
    }


def current_agent_state(account: Account) -> dict[str, Any]:
    """AgentStateEvent payload with ``since`` = seconds spent in the state."""
    return agent_state(account, since=max(0, int(time.time() - account.agent_since)))


def foreign_agent_state(agent_id: int, queue_ids: list[int]) -> dict[str, Any]:
    """AgentStateEvent payload of an agent belonging to another user."""
    return {
        "name": "AgentReady",
        "agentId": agent_id,
        "phoneNb": str(1000 + agent_id),
        "since": 42,
        "queues": queue_ids[:1],
        "cause": None,
        "acd": False,
        "direction": None,
        "monitorState": "DISABLED",
    }


def agent_list(account: Account, foreign_agent_id: int | None) -> list[dict[str, Any]]:
    """AgentList payload: the user's agent and the foreign one."""
    agents = []
    if account.agent_id is not None:
        first, last = split_name(account.full_name)
        agents.append(
            {
                "id": account.agent_id,
                "userId": account.user_id,
                "firstName": first,
                "lastName": last,
                "number": account.agent_number,
                "groupId": 1,
            }
        )
    if foreign_agent_id is not None:
        agents.append(
            {
                "id": foreign_agent_id,
                "userId": 1000 + foreign_agent_id,
                "firstName": _FOREIGN_AGENT_NAME[0],
                "lastName": _FOREIGN_AGENT_NAME[1],
                "number": str(2000 + foreign_agent_id),
                "groupId": 1,
            }
        )
    return agents


def queue_members(
    account: Account, foreign_agent_id: int | None
) -> list[dict[str, Any]]:
    """QueueMemberList payload: the user's agent in each of its queues."""
    queue_ids = [queue["id"] for queue in account.queues]
    members = []
    if account.agent_id is not None:
        members = [
            {"agentId": account.agent_id, "queueId": queue_id, "penalty": 0}
            for queue_id in queue_ids
        ]
    if foreign_agent_id is not None and queue_ids:
        members.append(
            {"agentId": foreign_agent_id, "queueId": queue_ids[0], "penalty": 1}
        )
    return members


def queue_statistics(
    queue_id: int, counters: Mapping[str, float], server: Generation | None = None
) -> dict[str, Any]:
    """QueueStatistics payload, counters named as ``server`` names them."""
    return {
        "queueId": queue_id,
        "counters": [
            {"statName": server.wire_name(name) if server else name, "value": value}
            for name, value in counters.items()
        ],
    }


def full_queue_counters(
    account: Account, queue_id: int, server: Generation
) -> dict[str, float]:
    """The generation's counters of a queue (zero when unknown), and any other set."""
    stats = account.queue_stats.get(queue_id, {})
    extra = {name: value for name, value in stats.items() if name not in KNOWN_COUNTERS}
    return {name: stats.get(name, 0) for name in server.counters} | extra


def phone_event(
    account: Account,
    call: Call,
    event_type: str | None = None,
    *,
    direction: bool = True,
) -> dict[str, Any]:
    """PhoneEvent payload of a call (event type from the call state by default).

    ``direction`` adds ``callDirection`` (the field exists, its values are a
    guess: the call's ``Incoming`` / ``Outgoing``).
    """
    payload: dict[str, Any] = {
        "eventType": event_type or EVENT_TYPES[call.state],
        "DN": account.line_number,
        "otherDN": call.other_dn,
        "otherDName": call.other_name,
        "linkedId": call.linked_id,
        "uniqueId": call.unique_id,
        "userData": dict(call.user_data),
    }
    if call.queue is not None:
        payload["queueName"] = call.queue
    if direction:
        payload["callDirection"] = call.direction
    return payload


def call_history(
    account: Account, *, size: int | None = None, days: int | None = None
) -> list[dict[str, Any]]:
    """CallHistory items, newest first, limited by count or by age in days."""
    items = sorted(
        account.call_history, key=lambda item: str(item.get("start")), reverse=True
    )
    if days is not None:
        oldest = (local_now() - timedelta(days=days)).strftime(HISTORY_TIME_FORMAT)
        items = [item for item in items if str(item.get("start")) >= oldest]
    return items if size is None else items[:size]


def directory_result(account: Account, term: str) -> dict[str, Any]:
    """DirectoryResult payload: contacts whose name or number contains ``term``."""
    needle = term.casefold()
    entries = []
    for entry in account.directory:
        fields = [
            str(entry.get(key, ""))
            for key in ("firstname", "lastname", "number", "mobile")
        ]
        if needle in " ".join(fields).casefold():
            favorite = "true" if entry.get("favorite") else "false"
            entries.append(
                {"status": entry.get("status", 0), "entry": [*fields, favorite]}
            )
    return {
        "entries": entries,
        "headers": ["Firstname", "Lastname", "Number", "Mobile", "Favorite"],
    }


def presence_list(account: Account, msg_type: str) -> object:
    """Payload of the presence list: UsersStatuses is documented, CtiStatuses is not.

    CtiStatuses (shape unpublished) carries the same items under ``statuses``.
    """
    statuses = account.users_statuses
    return {"statuses": statuses} if msg_type == "CtiStatuses" else statuses


def line_config(account: Account) -> dict[str, Any]:
    """LineConfig payload of the user's line."""
    return {
        "id": account.user_id,
        "name": f"sip{account.line_number}",
        "number": account.line_number,
        "password": "sippassword",
        "xivoIp": "127.0.0.1",
        "sipProxyName": "default",
        "sipPort": None,
    }
