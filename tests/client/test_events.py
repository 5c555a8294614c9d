"""Parsing of server frames: documented samples, tolerance, fallbacks."""

from datetime import datetime
from typing import Any

import orjson
import pytest

from aioxuc import (
    AgentError,
    AgentState,
    AgentStateEvent,
    CallHistory,
    CallHistoryEntry,
    Contact,
    CurrentCallsPhoneEvents,
    DirectoryResult,
    ErrorEvent,
    LineConfig,
    LoggedOn,
    LoggedOnError,
    PhoneEvent,
    PhoneEventType,
    PhoneStatus,
    PhoneStatusUpdate,
    PresenceStatus,
    Queue,
    QueueConfig,
    QueueList,
    QueueStatistics,
    RightProfile,
    StatusAction,
    UnknownEvent,
    UnparsedEvent,
    UserConfig,
    UserConfigUpdate,
    UsersStatuses,
    UserStatusUpdate,
    VoiceMailStatusUpdate,
    XucEvent,
    parse_event,
)
from aioxuc.events import RAW_EXCERPT_LENGTH
from tests.protocol_files import load_protocol_file


def frame(msg_type: str, payload: Any) -> bytes:
    """Encode a server frame."""
    return orjson.dumps({"msgType": msg_type, "ctiMessage": payload})


SAMPLES = {
    entry["id"]: frame(entry["msgType"], entry["ctiMessage"])
    for entry in load_protocol_file("sample-events.json")
}

EXPECTED_SAMPLES: dict[str, XucEvent] = {
    "loggedonerror-failed": LoggedOnError(error="loggedOnFailed"),
    "loggedonerror-timeout": LoggedOnError(error="loggedOnTimeout"),
    "directoryresult": DirectoryResult(
        contacts=(
            Contact(
                name="hawkeye pierce",
                number="1002",
                mobile="0761187406",
                phone_status=PhoneStatus.AVAILABLE,
            ),
            Contact(
                name="peter pan", number="1004", phone_status=PhoneStatus.UNEXISTING
            ),
        )
    ),
    "phoneevent-dialing-rest-wrapper": PhoneEvent(
        event_type=PhoneEventType.DIALING,
        dn="1058",
        other_dn="3000",
        linked_id="1447670380.34",
        unique_id="1447670380.34",
        user_data={"XIVO_USERID": "9"},
    ),
    "phoneevent-ringing-with-userdata": PhoneEvent(
        event_type=PhoneEventType.RINGING,
        dn="1000",
        other_dn="0427466347",
        linked_id="1469709757.74",
        unique_id="1469709960.78",
        queue_name="bluesky",
        user_data={
            "XIVO_CONTEXT": "from-extern",
            "XIVO_USERID": "1",
            "USR_var1": "val1",
            "USR_var2": "val2",
            "XIVO_EXTENPATTERN": "_012305XXXX",
            "XIVO_SRCNUM": "0427466347",
            "XIVO_DST_FIRSTNAME": "Brucé",
            "XIVO_DSTNUM": "0123053012",
            "XIVO_DST_LASTNAME": "Wail",
        },
    ),
    "usersstatuses-partial": UsersStatuses(
        statuses=(
            PresenceStatus(
                name="disconnected",
                long_name="Déconnecté",
                color="#9E9E9E",
                actions=(StatusAction(name="agentlogoff", parameters=""),),
            ),
            PresenceStatus(
                name="away",
                long_name="Sorti",
                color="#FFDD00",
                actions=(StatusAction(name="enablednd", parameters="false"),),
            ),
            PresenceStatus(
                name="berightback",
                long_name="Bientôt de retour",
                color="#F2833A",
                actions=(StatusAction(name="enablednd", parameters="false"),),
            ),
            PresenceStatus(
                name="ook",
                long_name="Far Away",
                color="#FF0F0F",
                actions=(StatusAction(name="queuepause_all", parameters="true"),),
            ),
        )
    ),
    "phonestatusupdate-calling-debug-example": PhoneStatusUpdate(
        status=PhoneStatus.CALLING
    ),
    "error-throttle": ErrorEvent(error="Maximum throttle throughput exceeded."),
}


@pytest.mark.parametrize("sample_id", sorted(SAMPLES))
def test_documented_samples(sample_id: str) -> None:
    """Every documented example parses to the expected typed event."""
    event = parse_event(SAMPLES[sample_id])
    if sample_id == "contactsheet-partial":
        assert event == UnknownEvent(
            type_name="ContactSheet",
            payload=orjson.loads(SAMPLES[sample_id])["ctiMessage"],
        )
    else:
        assert event == EXPECTED_SAMPLES[sample_id]


def test_every_sample_is_expected() -> None:
    """No documented sample is left without an expectation."""
    assert set(SAMPLES) == {*EXPECTED_SAMPLES, "contactsheet-partial"}


# Appendix A of the protocol reference: code-derived shapes, invented values.
APPENDIX_A: list[tuple[str, XucEvent]] = [
    ('{"msgType":"LoggedOn","ctiMessage":{}}', LoggedOn()),
    (
        (
            '{"msgType":"UserConfigUpdate","ctiMessage":{"userId":9,"fullName":'
            '"Alice Johnson","mobileNumber":"0612345678","agentId":12,"voiceMailId":3,'
            '"voiceMailEnabled":true,"dndEnabled":false,"naFwdEnabled":false,'
            '"naFwdDestination":"","uncFwdEnabled":false,"uncFwdDestination":"",'
            '"busyFwdEnabled":false,"busyFwdDestination":""}}'
        ),
        UserConfigUpdate(
            config=UserConfig(
                user_id=9,
                full_name="Alice Johnson",
                mobile_number="0612345678",
                agent_id=12,
                voicemail_id=3,
                voicemail_enabled=True,
                dnd_enabled=False,
                na_fwd_enabled=False,
                na_fwd_destination="",
                unc_fwd_enabled=False,
                unc_fwd_destination="",
                busy_fwd_enabled=False,
                busy_fwd_destination="",
            )
        ),
    ),
    (
        (
            '{"msgType":"UserConfigUpdate","ctiMessage":{"userId":9,"fullName":null,'
            '"mobileNumber":null,"agentId":null,"voiceMailId":null,'
            '"voiceMailEnabled":null,"dndEnabled":true,"naFwdEnabled":null,'
            '"naFwdDestination":null,"uncFwdEnabled":null,"uncFwdDestination":null,'
            '"busyFwdEnabled":null,"busyFwdDestination":null}}'
        ),
        UserConfigUpdate(config=UserConfig(user_id=9, dnd_enabled=True)),
    ),
    (
        '{"msgType":"UserStatusUpdate","ctiMessage":{"status":"away"}}',
        UserStatusUpdate(status="away"),
    ),
    (
        '{"msgType":"PhoneStatusUpdate","ctiMessage":{"status":"AVAILABLE"}}',
        PhoneStatusUpdate(status=PhoneStatus.AVAILABLE),
    ),
    (
        (
            '{"msgType":"VoiceMailStatusUpdate","ctiMessage":{"newMessages":2,'
            '"waitingMessages":2,"oldMessages":5}}'
        ),
        VoiceMailStatusUpdate(new_messages=2, waiting_messages=2, old_messages=5),
    ),
    (
        (
            '{"msgType":"CurrentCallsPhoneEvents","ctiMessage":{"events":[{"eventType":'
            '"EventEstablished","DN":"1000","otherDN":"1001","otherDName":"Bob Marley",'
            '"linkedId":"1447670380.34","uniqueId":"1447670380.34","userData":'
            '{"XIVO_USERID":"9","SIPCALLID":"a1b2c3@10.0.0.1"}}]}}'
        ),
        CurrentCallsPhoneEvents(
            events=(
                PhoneEvent(
                    event_type=PhoneEventType.ESTABLISHED,
                    dn="1000",
                    other_dn="1001",
                    other_name="Bob Marley",
                    linked_id="1447670380.34",
                    unique_id="1447670380.34",
                    user_data={"XIVO_USERID": "9", "SIPCALLID": "a1b2c3@10.0.0.1"},
                ),
            )
        ),
    ),
    (
        (
            '{"msgType":"AgentStateEvent","ctiMessage":{"name":"AgentOnPause",'
            '"agentId":12,"phoneNb":"1000","since":35,"queues":[3,4],'
            '"cause":"outtolunch","acd":false,"direction":null,"monitorState":"DISABLED"}}'
        ),
        AgentStateEvent(
            state=AgentState.PAUSED,
            agent_id=12,
            phone_number="1000",
            since=35.0,
            queues=(3, 4),
            cause="outtolunch",
            acd=False,
            monitor_state="DISABLED",
        ),
    ),
    (
        (
            '{"msgType":"QueueList","ctiMessage":[{"id":3,"name":"bluesky",'
            '"displayName":"Blue Sky","number":"3000"}]}'
        ),
        QueueList(
            queues=(
                Queue(
                    queue_id=3, name="bluesky", display_name="Blue Sky", number="3000"
                ),
            )
        ),
    ),
    (
        (
            '{"msgType":"QueueConfig","ctiMessage":{"id":3,"name":"bluesky",'
            '"displayName":"Blue Sky","number":"3000"}}'
        ),
        QueueConfig(
            queue=Queue(
                queue_id=3, name="bluesky", display_name="Blue Sky", number="3000"
            )
        ),
    ),
    (
        (
            '{"msgType":"QueueStatistics","ctiMessage":{"queueId":3,"counters":['
            '{"statName":"WaitingCalls","value":1},'
            '{"statName":"LongestWaitTime","value":12}]}}'
        ),
        QueueStatistics(
            queue_id=3, counters={"WaitingCalls": 1.0, "LongestWaitTime": 12.0}
        ),
    ),
    (
        (
            '{"msgType":"CallHistory","ctiMessage":[{"start":"2024-01-01 10:00:00",'
            '"duration":"00:01:10","status":"emitted","srcNum":"1000",'
            '"srcFirstName":"Alice","srcLastName":"Johnson","dstNum":"1001",'
            '"dstFirstName":"Bob","dstLastName":"Marley"}]}'
        ),
        CallHistory(
            entries=(
                CallHistoryEntry(
                    start=datetime.fromisoformat("2024-01-01T10:00:00"),
                    duration=70,
                    status="emitted",
                    src_number="1000",
                    src_first_name="Alice",
                    src_last_name="Johnson",
                    dst_number="1001",
                    dst_first_name="Bob",
                    dst_last_name="Marley",
                ),
            )
        ),
    ),
    (
        '{"msgType":"RightProfile","ctiMessage":{"profile":"Supervisor"}}',
        RightProfile(profile="Supervisor"),
    ),
    (
        (
            '{"msgType":"LineConfig","ctiMessage":{"name":"abcdef","password":"secret",'
            '"xivoIp":"10.0.0.10","sipProxyName":"default","sipPort":null}}'
        ),
        LineConfig(),
    ),
    (
        '{"msgType":"AgentList","ctiMessage":[{"id":12,"userId":9}]}',
        UnknownEvent(type_name="AgentList", payload=[{"id": 12, "userId": 9}]),
    ),
]


@pytest.mark.parametrize(("raw", "expected"), APPENDIX_A)
def test_appendix_a_shapes(raw: str, expected: XucEvent) -> None:
    """The code-derived example payloads parse as expected."""
    assert parse_event(raw) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("AVAILABLE", PhoneStatus.AVAILABLE),
        ("calling", PhoneStatus.CALLING),
        ("INDISPONIBLE", PhoneStatus.UNAVAILABLE),
        ("ONHOLD", PhoneStatus.ON_HOLD),
        ("BUSY_AND_RINGING", PhoneStatus.BUSY_AND_RINGING),
        (0, PhoneStatus.AVAILABLE),
        (1, PhoneStatus.CALLING),
        (2, PhoneStatus.BUSY),
        (4, PhoneStatus.UNAVAILABLE),
        (8, PhoneStatus.RINGING),
        (9, PhoneStatus.BUSY_AND_RINGING),
        (16, PhoneStatus.ON_HOLD),
        (-1, PhoneStatus.DEACTIVATED),
        (-2, PhoneStatus.UNEXISTING),
        (-99, PhoneStatus.ERROR),
        ("8", PhoneStatus.RINGING),
        (8.0, PhoneStatus.RINGING),
        (3, PhoneStatus.UNKNOWN),
        ("TELEPORTING", PhoneStatus.UNKNOWN),
    ],
)
def test_phone_status_names_and_codes(status: object, expected: PhoneStatus) -> None:
    """Phone status arrives as a name or a numeric code; others are unknown."""
    assert parse_event(frame("PhoneStatusUpdate", {"status": status})) == (
        PhoneStatusUpdate(status=expected)
    )


def test_partial_user_config_merges() -> None:
    """Nulls in a partial update keep the previous values."""
    full = parse_event(APPENDIX_A[1][0])
    partial = parse_event(APPENDIX_A[2][0])
    assert isinstance(full, UserConfigUpdate)
    assert isinstance(partial, UserConfigUpdate)
    merged = full.config.merge(partial.config)
    assert merged.full_name == "Alice Johnson"
    assert merged.agent_id == 12
    assert merged.dnd_enabled is True
    assert merged.na_fwd_destination == ""
    assert full.config.merge(UserConfig()) is full.config


@pytest.mark.parametrize(
    ("agent_id", "is_agent"), [(12, True), (0, False), (None, False), (-1, False)]
)
def test_is_agent(agent_id: int | None, *, is_agent: bool) -> None:
    """A positive agent id makes the user an agent."""
    assert UserConfig(agent_id=agent_id).is_agent is is_agent


def test_tolerated_field_types() -> None:
    """Numbers as strings, "null" strings and booleans as text are understood."""
    event = parse_event(
        frame(
            "AgentStateEvent",
            {
                "name": "AgentReady",
                "agentId": "12",
                "phoneNb": "null",
                "since": "4.5",
                "queues": [3, "4", None, "x"],
                "acd": "true",
                "extra": {"ignored": True},
            },
        )
    )
    assert event == AgentStateEvent(
        state=AgentState.READY, agent_id=12, since=4.5, queues=(3, 4), acd=True
    )
    config = parse_event(
        frame(
            "UserConfigUpdate",
            {"dndEnabled": 1, "agentId": 12.0, "fullName": 7, "userId": 2**64 - 1},
        )
    )
    assert config == UserConfigUpdate(
        config=UserConfig(dnd_enabled=True, agent_id=12, full_name="7")
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (frame("AgentStateEvent", {"name": "AgentTeleporting"}), AgentState.UNKNOWN),
        (frame("AgentStateEvent", {"name": "AgentLogin"}), AgentState.LOGIN),
        (frame("AgentStateEvent", {"name": "AgentOnWrapup"}), AgentState.WRAPUP),
    ],
)
def test_agent_states(raw: bytes, expected: AgentState) -> None:
    """Agent state names map to members; new names map to UNKNOWN."""
    event = parse_event(raw)
    assert isinstance(event, AgentStateEvent)
    assert event.state is expected


def test_unknown_phone_event_type() -> None:
    """A new eventType still produces a PhoneEvent, of unknown type."""
    event = parse_event(frame("PhoneEvent", {"eventType": "EventTeleported"}))
    assert event == PhoneEvent(event_type=PhoneEventType.UNKNOWN)


def test_error_shapes() -> None:
    """Error texts are read from {"Error": ...}, {"error": ...} or a bare string."""
    assert parse_event(frame("Error", "boom")) == ErrorEvent(error="boom")
    assert parse_event(frame("AgentError", {"error": "x"})) == AgentError(error="x")
    assert parse_event(frame("AgentError", {"Error": "y"})) == AgentError(error="y")
    assert parse_event(frame("AgentError", [1])) == AgentError()


def test_lists_skip_bad_items() -> None:
    """Bad entries in lists are dropped, good ones kept."""
    queues = parse_event(frame("QueueList", [{"id": 3}, {"name": "no id"}, 7]))
    assert queues == QueueList(queues=(Queue(queue_id=3),))
    calls = parse_event(
        frame("CurrentCallsPhoneEvents", {"events": [{"eventType": "EventRinging"}, 1]})
    )
    assert calls == CurrentCallsPhoneEvents(
        events=(PhoneEvent(event_type=PhoneEventType.RINGING),)
    )
    history = parse_event(frame("CallHistoryByDays", [{"status": "missed"}, "x"]))
    assert history == CallHistory(entries=(CallHistoryEntry(status="missed"),))
    statuses = parse_event(frame("UsersStatuses", [{"name": "away"}, {"color": "x"}]))
    assert statuses == UsersStatuses(statuses=(PresenceStatus(name="away"),))
    stats = parse_event(
        frame(
            "QueueStatistics",
            {
                "queueRef": "bluesky",
                "counters": [
                    {"statName": "WaitingCalls", "value": "2"},
                    {"statName": "Bad", "value": "x"},
                    {"value": 1},
                ],
            },
        )
    )
    assert stats == QueueStatistics(queue_ref="bluesky", counters={"WaitingCalls": 2.0})
    directory = parse_event(
        frame(
            "DirectoryResult",
            {"headers": ["Lastname", None], "entries": [{"entry": [""]}, {}]},
        )
    )
    assert directory == DirectoryResult()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("not json", "invalid JSON"),
        (b"\xff\xfe", "invalid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"ctiMessage": {}}', "msgType is missing"),
        ('{"msgType": 5}', "msgType is missing"),
        (frame("PhoneStatusUpdate", {}), "status is missing"),
        (frame("PhoneStatusUpdate", []), "ctiMessage is not an object"),
        (frame("PhoneStatusUpdate", {"status": True}), "status is missing"),
        (frame("PhoneStatusUpdate", {"status": {"a": 1}}), "status is missing"),
        (frame("UserStatusUpdate", {"status": None}), "status is missing"),
        (frame("PhoneEvent", {"DN": "1000"}), "eventType is missing"),
        (frame("AgentStateEvent", {"agentId": 1}), "name is missing"),
        (frame("VoiceMailStatusUpdate", {"x": 1}), "no message count"),
        (frame("QueueStatistics", {"counters": []}), "queue is not identified"),
        (frame("QueueConfig", {"name": "x"}), "queue id is missing"),
        ("[" * 5000 + "]" * 5000, "invalid JSON"),
    ],
)
def test_unparsed_frames(raw: str | bytes, reason: str) -> None:
    """Frames that cannot be understood become UnparsedEvent, with the reason."""
    event = parse_event(raw)
    assert isinstance(event, UnparsedEvent)
    assert reason in event.reason
    assert len(event.raw) <= RAW_EXCERPT_LENGTH


def test_unknown_type_keeps_payload() -> None:
    """An unknown message type is reported with its payload."""
    assert parse_event(frame("Sheet", {"a": [1]})) == UnknownEvent(
        type_name="Sheet", payload={"a": [1]}
    )


def test_huge_frame() -> None:
    """A 1 MB frame is parsed (or skipped) without trouble."""
    big = frame("VoiceMailStatusUpdate", {"newMessages": 1, "junk": "x" * 1_000_000})
    assert parse_event(big) == VoiceMailStatusUpdate(new_messages=1)
    assert isinstance(parse_event(big[:-3]), UnparsedEvent)


def test_documented_agent_errors() -> None:
    """The documented AgentError payloads keep their reason and numbers."""
    busy = {"Error": "LoggedInOnAnotherPhone", "phoneNb": "1002", "RequestedNb": "1001"}
    assert parse_event(frame("AgentError", busy)) == AgentError(
        error="LoggedInOnAnotherPhone", phone_number="1002", requested_number="1001"
    )
    assert parse_event(frame("AgentError", {"Error": "PhoneNumberUnknown"})) == (
        AgentError(error="PhoneNumberUnknown")
    )


STATUS_ITEMS = [{"name": "away", "longName": "Sorti"}, {"color": "#000"}]


@pytest.mark.parametrize(
    "payload",
    [STATUS_ITEMS, {"statuses": STATUS_ITEMS}, {"version": 2, "items": STATUS_ITEMS}],
)
def test_cti_statuses_forms(payload: object) -> None:
    """CtiStatuses is read like UsersStatuses, bare or under any key."""
    assert parse_event(frame("CtiStatuses", payload)) == UsersStatuses(
        statuses=(PresenceStatus(name="away", long_name="Sorti"),)
    )


@pytest.mark.parametrize("payload", [{"statuses": "away"}, "away", None, 3])
def test_cti_statuses_unknown_shapes(payload: object) -> None:
    """Any other CtiStatuses shape is reported as not understood."""
    event = parse_event(frame("CtiStatuses", payload))
    assert isinstance(event, UnparsedEvent)
    assert event.reason == "CtiStatuses: no list of statuses"


def test_call_direction() -> None:
    """The call direction is kept as sent; absent, it stays unknown."""
    ringing = {"eventType": "EventRinging", "callDirection": "Incoming"}
    assert parse_event(frame("PhoneEvent", ringing)) == PhoneEvent(
        event_type=PhoneEventType.RINGING, direction="Incoming"
    )
    released = parse_event(frame("PhoneEvent", {"eventType": "EventReleased"}))
    assert isinstance(released, PhoneEvent)
    assert released.direction is None


@pytest.mark.parametrize("payload", [{}, None, {"name": None, "number": ""}])
def test_empty_line_config(payload: object) -> None:
    """A LineConfig without any value says the user has no line."""
    assert parse_event(frame("LineConfig", payload)) == LineConfig(configured=False)
