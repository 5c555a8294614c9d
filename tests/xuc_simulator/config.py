"""Run-time knobs of the simulator: every SIMULATOR CHOICE of the protocol reference."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from .generations import GENERATIONS, Generation

if TYPE_CHECKING:
    from .generations import GenerationName, PresenceList

type LoginMode = Literal[
    "ok", "reject", "error", "non_json", "hang", "refuse", "legacy", "no_token"
]
type CheckMode = Literal["ok", "expired", "error"]
type BadTokenMode = Literal["http_401", "http_403", "accept_close", "logged_on_error"]
type LoggedOnMode = Literal["ok", "failed", "timeout"]
type PhoneStatusEncoding = Literal["name", "code"]

DEFAULT_INITIAL_FRAMES = (
    "UsersStatuses",
    "UserStatusUpdate",
    "PhoneStatusUpdate",
    "UserConfigUpdate",
    "VoiceMailStatusUpdate",
)


def _pong() -> dict[str, Any]:
    return {"msgType": "Pong", "ctiMessage": {}}


@dataclass
class SimulatorConfig:
    """Behaviour switches; tests may change any field at any time.

    Attributes:
        generation: Server generation played (``2020``, ``2022``, ``nextlts``):
            lookup commands answered, presence list message, queue counters and
            ``callDirection``, see `generations`.
        lookup_commands: Directory commands answered, overriding the generation's.
        presence_list: Presence list message type, overriding the generation's.
        token_ttl: Lifetime of issued tokens, in seconds (also the ``TTL`` answered).
        renew_token_on_check: ``auth/check`` issues a fresh token (the old one stays
            valid until it expires) instead of returning the same one.
        login_mode: ``ok``; ``reject`` (InvalidCredentials); ``error`` (UnhandledError
            500); ``non_json`` (502 with an HTML body); ``hang`` (no answer until the
            mode changes or the server stops); ``refuse`` (connection dropped, no HTTP
            answer); ``legacy`` (404, as a XuC older than the 2.0 API); ``no_token``
            (200 whose body has the login but no token).
        login_status_invalid_credentials: HTTP status sent with InvalidCredentials.
        check_mode: ``ok``, ``expired`` (every check answers TokenExpired 401) or
            ``error`` (every check answers UnhandledError 500).
        bad_token_mode: What a websocket upgrade with an unknown or expired token
            gets: ``http_401`` / ``http_403`` (upgrade refused with a JSON
            TokenExpired body), ``accept_close`` (accepted, then closed with
            ``bad_token_close_code``), ``logged_on_error`` (accepted, LoggedOnError
            ``loggedOnFailed``, then closed with ``logged_on_error_close_code``).
        bad_token_close_code: Close code of the ``accept_close`` mode.
        logged_on_mode: ``ok``; ``failed`` (LoggedOnError ``loggedOnFailed`` then
            close); ``timeout`` (silence for ``logged_on_timeout`` seconds, then
            LoggedOnError ``loggedOnTimeout`` and close).
        logged_on_timeout: Delay of the ``timeout`` logged-on mode, in seconds.
        logged_on_error_close_code: Close code sent after any LoggedOnError.
        initial_frames: Message types sent right after LoggedOn, in order (supported:
            UsersStatuses (sent as the generation's presence list),
            UserStatusUpdate, PhoneStatusUpdate, UserConfigUpdate,
            VoiceMailStatusUpdate, RightProfile, AgentStateEvent).
        right_profile: ``profile`` of the RightProfile initial frame.
        sparse: Send only LoggedOn and leave every command unanswered and unapplied
            (pings are still answered and test hooks still push).
        silent: Send nothing at all, on any socket, for as long as it is set
            (half-open link); inbound frames are still recorded.
        ping_reply: Frame answering ``{"claz":"ping"}``; None sends nothing.
        phone_status_encoding: PhoneStatusUpdate carries the ``name`` or the numeric
            ``code`` of the status.
        partial_user_config: UserConfigUpdate follow-ups carry ``userId`` and the
            changed fields only, every other field null.
        throttle_rate: Messages allowed per ``throttle_per`` seconds (bucket refill).
        throttle_per: Refill period, in seconds.
        throttle_burst: Bucket capacity, full when the socket opens.
        throttle_counts_pings: Pings take a token too.
        throttle_close_code: Close the socket with this code after the throttle
            Error frame; None keeps it open.
        answer_unknown_commands_with_error: Answer frames the simulator cannot act
            on (unknown command, missing or ill-typed argument, no matching call)
            with an Error frame instead of ignoring them.
        call_answer_delay: When set, the far end answers an outgoing call (dial or
            attended-transfer consultation) after this many seconds.
        call_talk_time: When set with ``call_answer_delay``, the far end hangs up
            an outgoing call it answered after this many seconds.
        slow_start: Delay before a login is answered or an upgrade accepted.
        cti_status: When set, the websocket endpoint answers this HTTP status
            (as a proxy does while XuC is down) instead of upgrading.
        cti_drop: The websocket endpoint drops the connection without answering.
        foreign_agent_id: An agent of another user listed by getAgentStates and
            getList, so clients must filter by agentId; None lists none.
        ws_close_timeout: Seconds the server waits for the client's close frame.

    """

    generation: GenerationName = "nextlts"
    lookup_commands: frozenset[str] | None = None
    presence_list: PresenceList | None = None
    token_ttl: float = 3600.0
    renew_token_on_check: bool = False
    login_mode: LoginMode = "ok"
    login_status_invalid_credentials: int = 401
    check_mode: CheckMode = "ok"
    bad_token_mode: BadTokenMode = "http_401"
    bad_token_close_code: int = 4001
    logged_on_mode: LoggedOnMode = "ok"
    logged_on_timeout: float = 10.0
    logged_on_error_close_code: int = 1000
    initial_frames: tuple[str, ...] = DEFAULT_INITIAL_FRAMES
    right_profile: str = "Agent"
    sparse: bool = False
    silent: bool = False
    ping_reply: dict[str, Any] | None = field(default_factory=_pong)
    phone_status_encoding: PhoneStatusEncoding = "name"
    partial_user_config: bool = False
    throttle_rate: float = 90
    throttle_per: float = 30.0
    throttle_burst: int = 180
    throttle_counts_pings: bool = True
    throttle_close_code: int | None = None
    answer_unknown_commands_with_error: bool = False
    call_answer_delay: float | None = None
    call_talk_time: float | None = None
    slow_start: float = 0.0
    cti_status: int | None = None
    cti_drop: bool = False
    foreign_agent_id: int | None = 13
    ws_close_timeout: float = 1.0

    @property
    def server(self) -> Generation:
        """The generation played, with this configuration's overrides."""
        played = GENERATIONS[self.generation]
        if self.lookup_commands is not None:
            played = replace(played, lookup_commands=self.lookup_commands)
        if self.presence_list is not None:
            played = replace(played, presence_list=self.presence_list)
        return played

    @property
    def throttle_refill_per_second(self) -> float:
        """Tokens added to a connection's bucket every second."""
        return self.throttle_rate / self.throttle_per if self.throttle_per > 0 else 0.0
