"""Asyncio client for the XiVO XuC CTI server.

This package is independent of Home Assistant: it needs only aiohttp, orjson
and yarl, and takes the aiohttp session it works with.
"""

from . import commands
from .backoff import Backoff
from .client import ConnectionState, XucClient
from .commands import Command
from .const import DEFAULT_PORT
from .events import (
    AgentError,
    AgentStateEvent,
    CallHistory,
    CurrentCallsPhoneEvents,
    DirectoryResult,
    ErrorEvent,
    LineConfig,
    LoggedOn,
    LoggedOnError,
    PhoneEvent,
    PhoneStatusUpdate,
    QueueConfig,
    QueueList,
    QueueStatistics,
    RightProfile,
    UnknownEvent,
    UnparsedEvent,
    UserConfigUpdate,
    UsersStatuses,
    UserStatusUpdate,
    VoiceMailStatusUpdate,
    XucEvent,
    parse_event,
)
from .exceptions import (
    XucAuthenticationError,
    XucCommandError,
    XucConnectionClosedError,
    XucConnectionError,
    XucError,
    XucLoggedOnError,
    XucNotConnectedError,
    XucRateLimitedError,
    XucRefusedError,
    XucTimeoutError,
    XucUnsupportedServerError,
)
from .listeners import Listeners
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
from .stats import XucStats
from .throttle import Throttle

__all__ = [
    "DEFAULT_PORT",
    "AgentError",
    "AgentState",
    "AgentStateEvent",
    "Backoff",
    "CallHistory",
    "CallHistoryEntry",
    "Command",
    "ConnectionState",
    "Contact",
    "CurrentCallsPhoneEvents",
    "DirectoryResult",
    "ErrorEvent",
    "LineConfig",
    "Listeners",
    "LoggedOn",
    "LoggedOnError",
    "PhoneEvent",
    "PhoneEventType",
    "PhoneStatus",
    "PhoneStatusUpdate",
    "PresenceStatus",
    "Queue",
    "QueueConfig",
    "QueueList",
    "QueueStatistics",
    "RightProfile",
    "StatusAction",
    "Throttle",
    "UnknownEvent",
    "UnparsedEvent",
    "UserConfig",
    "UserConfigUpdate",
    "UserStatusUpdate",
    "UsersStatuses",
    "VoiceMailStatusUpdate",
    "XucAuthenticationError",
    "XucClient",
    "XucCommandError",
    "XucConnectionClosedError",
    "XucConnectionError",
    "XucError",
    "XucEvent",
    "XucLoggedOnError",
    "XucNotConnectedError",
    "XucRateLimitedError",
    "XucRefusedError",
    "XucStats",
    "XucTimeoutError",
    "XucUnsupportedServerError",
    "commands",
    "parse_event",
]
