"""Where each frame the simulator sends comes from (protocol reference §13.9).

One row per message type: ``documented`` (an example or field list in XiVO's
documentation), ``seen`` (read by XiVO's own clients: cti.js, sample.js, the
XiVO CC web application, the GLPI plugin, a production wallboard) or
``invented`` (no source at all). The note says which values are choices.
"""

from __future__ import annotations

from typing import Literal

type Evidence = Literal["documented", "seen", "invented"]

FRAMES: dict[str, tuple[Evidence, str]] = {
    "LoggedOn": ("documented", "payload {} is a choice (unknown)"),
    "LoggedOnError": ("documented", "nextlts; the close codes are choices"),
    "Error": (
        "documented",
        (
            "only the throttle text is documented; Unknown command, Invalid or "
            "missing argument, No call/transfer, Unknown user status are invented"
        ),
    ),
    "UsersStatuses": ("documented", "2020 and 2022; statuses of a typical setup"),
    "CtiStatuses": (
        "invented",
        (
            "nextlts; the message exists (cti.js), its shape does not: the "
            "UsersStatuses items under 'statuses'"
        ),
    ),
    "UserStatusUpdate": ("seen", "GLPI plugin reads 'status'"),
    "PhoneStatusUpdate": ("documented", "name (documented) or numeric code"),
    "UserConfigUpdate": (
        "seen",
        "fields read by sample.js and XucUser; partial updates with nulls invented",
    ),
    "VoiceMailStatusUpdate": ("seen", "sample.js, XucVoiceMail"),
    "PhoneEvent": (
        "documented",
        (
            "linkedId differs from uniqueId as in the documented ringing example; "
            "callDirection is read by the web app (not sent by 2020), its values "
            "Incoming/Outgoing are invented"
        ),
    ),
    "CurrentCallsPhoneEvents": ("seen", "XucPhoneEventListener"),
    "AgentStateEvent": (
        "seen",
        "XucAgent; since, monitorState DISABLED and the wrap-up step are choices",
    ),
    "AgentError": (
        "documented",
        (
            "LoggedInOnAnotherPhone (phoneNb, RequestedNb) and PhoneNumberUnknown "
            "(2020.07, 2021.07); NotAnAgent, UnknownAgent, AgentNotLoggedIn invented"
        ),
    ),
    "AgentList": ("seen", "XucAgent; the foreign agent is a choice"),
    "QueueMemberList": ("seen", "XucAgent"),
    "QueueList": ("seen", "XucQueue; displayName and number are guesses"),
    "QueueConfig": ("seen", "XucQueue"),
    "QueueStatistics": (
        "seen",
        (
            "counter names from the web app, wallboard and 2022.05 list (one per "
            "generation); which generation sends which is a choice"
        ),
    ),
    "CallHistory": (
        "seen",
        (
            "XucCallHistory; statuses emitted, answered, abandoned (wallboard); "
            "date and duration formats invented"
        ),
    ),
    "CallHistoryByDays": ("seen", "same items as CallHistory (inferred)"),
    "DirectoryResult": ("documented", "2022.10 and latest user pages"),
    "LineConfig": (
        "seen",
        "xc_webrtc.js; a user without a line gets no answer (choice)",
    ),
    "RightProfile": ("seen", "XucLink; profile names are invented"),
    "Pong": ("invented", "the ping reply's shape is unknown"),
}
