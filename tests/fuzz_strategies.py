"""Fuzz targets shared by tests/test_fuzz.py (small budget) and scripts/fuzz (large).

Each target pairs a hypothesis strategy with a property that must hold for
every example:

* the frame parser turns any bytes, text or JSON into an event, never raises,
  and every event it returns can be rendered by the diagnostics (orjson);
* the actions' schemas and validators either refuse an input with
  ``vol.Invalid`` / ``ServiceValidationError`` or build frames holding only the
  expected keys, each value within its allowed charset, that survive a JSON
  round trip unchanged (no injected field).
"""

from collections.abc import Callable, Coroutine, Mapping
import contextlib
import copy
from dataclasses import dataclass
import re
import string
from types import SimpleNamespace
from typing import Any, cast

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from hypothesis import strategies as st
import orjson
import pytest
import voluptuous as vol

from custom_components.xuc import services, validation
from custom_components.xuc.aioxuc import (
    Command,
    UnparsedEvent,
    XucClient,
    XucEvent,
    XucSession,
    events,
    parse_event,
)
from custom_components.xuc.const import CONF_AGENT_PHONE_NUMBER, DOMAIN
from tests.protocol_files import load_protocol_file

# What the server may receive, restated from the protocol rather than imported.
NUMBER = re.compile(r"[0-9+*#]{1,40}")
UNIQUE_ID = re.compile(r"[\w.@-]{1,64}")
VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
DTMF_KEY = re.compile(r"[0-9*#A-D]")
MAX_VARIABLE_LENGTH = 256
MAX_REASON_LENGTH = 64

KNOWN_TYPES = sorted(events._PARSERS)
FIELD_NAMES = [
    "status",
    "eventType",
    "name",
    "id",
    "agentId",
    "queueId",
    "queueRef",
    "counters",
    "statName",
    "value",
    "events",
    "entries",
    "headers",
    "entry",
    "userData",
    "uniqueId",
    "queues",
    "newMessages",
    "waitingMessages",
    "oldMessages",
    "Error",
    "actions",
    "profile",
]
INJECTIONS = [
    '", "command": "hangup',
    '"}, {"claz": "web", "command": "dial", "destination": "666"}',
    "\\",
    "\x00",
    "\n",
    "\ud800",
    "null",
    "1000",
    "+33 (0)1 23.45-67",
    "*21#",
    "Ünïcødé ☎",
]

# Any character, lone surrogates and control characters included: what a
# template can produce in an action's data.
any_text = st.text(st.characters(exclude_categories=()), max_size=80)
# Text a websocket frame can carry: valid UTF-8, so no lone surrogate.
frame_text = st.text(max_size=300)
# Text near what validators accept, so that valid inputs are frequent too:
# numbers as people write them, ids and names, DTMF digits.
near_valid_text = st.one_of(
    st.text("0123456789+*# .()-\t", min_size=1, max_size=44),
    st.text(f"{string.ascii_letters}{string.digits}_.@-é٣Ω", min_size=1, max_size=66),
    st.text("0123456789*#abcdABCD ", min_size=1, max_size=34),
)
texts = st.one_of(
    any_text,
    near_valid_text,
    st.sampled_from(INJECTIONS),
    st.tuples(near_valid_text, st.sampled_from(INJECTIONS)).map("".join),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4)
    ),
    max_leaves=8,
)

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["null", "true", "8", "-2", "CALLING", "AgentReady"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(FIELD_NAMES) | st.text(max_size=6), children, max_size=5
        )
    ),
    max_leaves=10,
)
known_frames = st.builds(
    lambda msg_type, payload: orjson.dumps(
        {"msgType": msg_type, "ctiMessage": payload}
    ),
    st.sampled_from(KNOWN_TYPES) | st.text(max_size=12),
    json_values,
)
SAMPLES = [
    {"msgType": sample["msgType"], "ctiMessage": sample["ctiMessage"]}
    for sample in load_protocol_file("sample-events.json")
]


def _slots(value: object) -> list[tuple[Any, Any]]:
    """Every (container, key) of a decoded JSON value, nested ones included."""
    if isinstance(value, dict):
        keys: list[Any] = list(value)
    elif isinstance(value, list):
        keys = list(range(len(value)))
    else:
        return []
    nested = [slot for key in keys for slot in _slots(value[key])]
    return [(value, key) for key in keys] + nested


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    """A documented sample frame with a few fields replaced or removed, maybe cut."""
    frame = copy.deepcopy(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 3))):
        container, key = draw(st.sampled_from(_slots(frame)))
        if draw(st.booleans()):
            container[key] = draw(json_values)
        else:
            del container[key]
        if not frame:
            break
    raw = orjson.dumps(frame)
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


def check_frame(raw: str | bytes) -> None:
    """Any frame gives an event, never an exception, and diagnostics can show it."""
    event = parse_event(raw)
    assert isinstance(event, XucEvent)
    if isinstance(event, UnparsedEvent):
        assert len(event.raw) <= events.RAW_EXCERPT_LENGTH
    orjson.dumps(event)


type FieldCheck = Callable[[object], bool]


def _matches(pattern: re.Pattern[str]) -> FieldCheck:
    return lambda value: isinstance(value, str) and bool(pattern.fullmatch(value))


def _is_reason(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_REASON_LENGTH


def _is_variables(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(name, str)
        and VARIABLE_NAME.fullmatch(name)
        and isinstance(text, str)
        and len(text) <= MAX_VARIABLE_LENGTH
        for name, text in value.items()
    )


@dataclass(frozen=True)
class FrameRule:
    """The frames one action may send: command names and checked fields."""

    commands: frozenset[str]
    fields: Mapping[str, FieldCheck]


def _rule(*commands: str, **fields: FieldCheck) -> FrameRule:
    return FrameRule(frozenset(commands), fields)


_number = _matches(NUMBER)
_unique_id = _matches(UNIQUE_ID)
FRAME_RULES = {
    "dial": _rule("dial", destination=_number, variables=_is_variables),
    "hangup": _rule("hangup", uniqueId=_unique_id),
    "answer": _rule("answer", uniqueId=_unique_id),
    "hold": _rule("hold", uniqueId=_unique_id),
    "transfer": _rule("directTransfer", "attendedTransfer", destination=_number),
    "complete_transfer": _rule("completeTransfer"),
    "cancel_transfer": _rule("cancelTransfer"),
    "send_dtmf": _rule("sendDtmf", key=_matches(DTMF_KEY)),
    "pause_agent": _rule("pauseAgent", reason=_is_reason),
    "unpause_agent": _rule("unpauseAgent"),
    "logout_agent": _rule("agentLogout"),
    "login_agent": _rule("agentLogin", agentphonenumber=_number),
}


def _action_data(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Service data for one action: its own keys (each maybe absent), any values."""
    keys = [str(key) for key in services.ACTIONS[name].schema.schema]
    return st.fixed_dictionaries(
        {}, optional=dict.fromkeys([*keys, "unexpected"], texts | values)
    )


action_calls = st.sampled_from(sorted(services.ACTIONS)).flatmap(
    lambda name: st.tuples(st.just(name), _action_data(name), st.none() | texts)
)


class FrameCollector:
    """Takes a client's place under a session: keeps the frames it would send."""

    connected = True

    def __init__(self) -> None:
        """Start with no frame."""
        self.frames: list[Command] = []

    def subscribe(self, listener: object) -> Callable[[], None]:
        """Nothing is ever received."""
        return lambda: None

    subscribe_state = subscribe

    async def send_checked(self, *frames: Command) -> None:
        """Keep the frames; the server refuses nothing."""
        self.frames.extend(frames)


def _sent_by(action: services._Action, hub: object, call: ServiceCall) -> None:
    """Run an action's session command to its end (it never waits)."""
    command = cast(Coroutine[Any, Any, None], action.run(hub, call))  # type: ignore[arg-type]
    with contextlib.suppress(StopIteration):
        command.send(None)
        pytest.fail("the command waited")


def check_action(example: tuple[str, dict[str, Any], str | None]) -> None:
    """Validation refuses the input, or builds only well-formed, expected frames."""
    name, data, agent_phone_number = example
    action = services.ACTIONS[name]
    collector = FrameCollector()
    hub = SimpleNamespace(
        entry=SimpleNamespace(options={CONF_AGENT_PHONE_NUMBER: agent_phone_number}),
        session=XucSession(cast(XucClient, collector)),
    )
    try:
        call = ServiceCall(cast(HomeAssistant, None), DOMAIN, name, action.schema(data))
        _sent_by(action, hub, call)
    except (vol.Invalid, ServiceValidationError):
        return
    frames = collector.frames
    assert frames
    rule = FRAME_RULES[name]
    for frame in frames:
        assert orjson.loads(orjson.dumps(frame)) == frame
        assert frame["claz"] == "web"
        assert frame["command"] in rule.commands
        arguments = {
            key: value for key, value in frame.items() if key not in ("claz", "command")
        }
        assert arguments.keys() <= rule.fields.keys(), arguments
        for key, value in arguments.items():
            assert rule.fields[key](value), (key, value)


def check_phone_number(value: str) -> None:
    """A number is refused, or cleaned down to the dialable charset."""
    try:
        cleaned = validation.validate_phone_number(value)
    except ServiceValidationError:
        return
    assert NUMBER.fullmatch(cleaned)


def check_variables(value: object) -> None:
    """Variables are refused, or become names and texts within their limits."""
    try:
        checked = validation.validate_variables(value)
    except ServiceValidationError:
        return
    assert _is_variables(checked)
    orjson.dumps(checked)


@dataclass(frozen=True)
class Target:
    """Examples to draw and the property each must satisfy."""

    strategy: st.SearchStrategy[Any]
    check: Callable[[Any], None]


TARGETS = {
    "parse_event: bytes": Target(st.binary(max_size=300), check_frame),
    "parse_event: text": Target(frame_text, check_frame),
    "parse_event: JSON documents": Target(json_values.map(orjson.dumps), check_frame),
    "parse_event: known types, any payload": Target(known_frames, check_frame),
    "parse_event: mutated samples": Target(mutated_samples(), check_frame),
    "validate_phone_number": Target(texts, check_phone_number),
    "validate_variables": Target(values, check_variables),
    "actions: schema + validators + frames": Target(action_calls, check_action),
}
