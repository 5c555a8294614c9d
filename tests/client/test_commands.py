"""Outgoing frames are JSON-equal to what XuC's own client sends."""

import orjson
import pytest

from aioxuc import Command, commands
from tests.protocol_files import FIXTURES, SHARED, load_protocol_file

GOLDEN = {
    entry["call"]: entry["sent"]
    for entry in load_protocol_file("golden-commands.json")["entries"]
}

OURS: dict[str, Command] = {
    'Cti.dial("111")': commands.dial("111"),
    'Cti.dial("0612345678", {"foo":"bar"})': commands.dial(
        "0612345678", {"foo": "bar"}
    ),
    'Cti.dial("0612345678", {})': commands.dial("0612345678", {}),
    "Cti.hangup()": commands.hangup(),
    'Cti.hangup("1447670380.34")': commands.hangup("1447670380.34"),
    "Cti.answer()": commands.answer(),
    'Cti.answer("1447670380.34")': commands.answer("1447670380.34"),
    "Cti.hold()": commands.hold(),
    'Cti.hold("1447670380.34")': commands.hold("1447670380.34"),
    'Cti.directTransfer("1002")': commands.direct_transfer("1002"),
    'Cti.attendedTransfer("1002")': commands.attended_transfer("1002"),
    'Cti.attendedTransfer("1002", "webrtc")': commands.attended_transfer(
        "1002", "webrtc"
    ),
    "Cti.completeTransfer()": commands.complete_transfer(),
    "Cti.cancelTransfer()": commands.cancel_transfer(),
    "Cti.dnd(true)": commands.dnd(enabled=True),
    "Cti.dnd(false)": commands.dnd(enabled=False),
    'Cti.naFwd("1002", true)': commands.na_fwd("1002", enabled=True),
    'Cti.uncFwd("1002", true)': commands.unc_fwd("1002", enabled=True),
    'Cti.uncFwd("", false)': commands.unc_fwd("", enabled=False),
    'Cti.busyFwd("1002", false)': commands.busy_fwd("1002", enabled=False),
    'Cti.changeUserStatus("away")': commands.user_status_update("away"),
    'Cti.loginAgent("1001")': commands.agent_login("1001"),
    'Cti.loginAgent("1001", 12)': commands.agent_login("1001", 12),
    "Cti.logoutAgent()": commands.agent_logout(),
    "Cti.logoutAgent(12)": commands.agent_logout(12),
    "Cti.pauseAgent()": commands.pause_agent(),
    'Cti.pauseAgent(undefined, "lunch")': commands.pause_agent(reason="lunch"),
    'Cti.pauseAgent(12, "lunch")': commands.pause_agent(12, "lunch"),
    "Cti.pauseAgent(12)": commands.pause_agent(12),
    "Cti.unpauseAgent()": commands.unpause_agent(),
    "Cti.unpauseAgent(12)": commands.unpause_agent(12),
    "Cti.subscribeToQueueStats()": commands.subscribe_to_queue_stats(),
    "Cti.subscribeToAgentEvents()": commands.subscribe_to_agent_events(),
    "Cti.getAgentStates()": commands.get_agent_states(),
    'Cti.getList("queue")': commands.get_list("queue"),
    'Cti.getList("agent")': commands.get_list("agent"),
    'Cti.getList("queuemember")': commands.get_list("queuemember"),
    'Cti.getConfig("line")': commands.get_config("line"),
    "Cti.getUserCallHistory(7)": commands.get_user_call_history(7),
    "Cti.getUserCallHistoryByDays(7)": commands.get_user_call_history_by_days(7),
    "Cti.getCurrentCallsPhoneEvents()": commands.get_current_calls_phone_events(),
    'Cti.sendDtmf("5")': commands.send_dtmf("5"),
    'Cti.directoryLookUp("bond")': commands.directory_look_up("bond"),
    "Cti.sendPing()": commands.PING,
}

# Every API call the integration relies on must be covered above.
REQUIRED = {
    "dial",
    "hangup",
    "answer",
    "hold",
    "directTransfer",
    "attendedTransfer",
    "completeTransfer",
    "cancelTransfer",
    "dnd",
    "naFwd",
    "uncFwd",
    "busyFwd",
    "userStatusUpdate",
    "agentLogin",
    "agentLogout",
    "pauseAgent",
    "unpauseAgent",
    "subscribeToQueueStats",
    "subscribeToAgentEvents",
    "getAgentStates",
    "getList",
    "getConfig",
    "getUserCallHistory",
    "getUserCallHistoryByDays",
    "getCurrentCallsPhoneEvents",
    "sendDtmf",
    "directoryLookUp",
}


@pytest.mark.parametrize("call", sorted(OURS))
def test_frame_matches_xuc_client(call: str) -> None:
    """Each builder produces the frame cti.js sends for the same call."""
    assert call in GOLDEN, f"{call} is not in golden-commands.json"
    assert OURS[call] == orjson.loads(GOLDEN[call])
    # Same keys in the same order: the very text cti.js puts on the wire.
    assert orjson.dumps(OURS[call]).decode() == GOLDEN[call]


def test_required_commands_are_covered() -> None:
    """The golden comparison covers every command the project needs."""
    covered = {frame.get("command") for frame in OURS.values()}
    assert covered >= REQUIRED


def test_builders_copy_their_arguments() -> None:
    """A caller's mapping is copied, so later changes cannot alter a frame."""
    variables = {"a": "1"}
    frame = commands.dial("1", variables)
    variables["b"] = "2"
    assert frame["variables"] == {"a": "1"}


def test_vendored_copy_matches_shared() -> None:
    """tests/fixtures holds the same reference as ../shared when both exist."""
    for name in ("golden-commands.json", "sample-events.json"):
        shared = SHARED / name
        if shared.is_file():
            assert (FIXTURES / name).read_bytes() == shared.read_bytes()
