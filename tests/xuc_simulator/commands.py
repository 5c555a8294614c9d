"""Handlers of the ``{"claz":"web","command":...}`` frames."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from . import agents, messages, telephony, users

if TYPE_CHECKING:
    from .accounts import Account, Call, CallState
    from .host import Connection, Host


class CommandError(Exception):
    """A request the server refuses with an Error frame."""

    msg_type: ClassVar[str] = "Error"
    always_answered: ClassVar[bool] = True

    def payload(self) -> dict[str, str]:
        """The refusal frame's ``ctiMessage``."""
        return messages.error(str(self))


class AgentCommandError(CommandError):
    """An agent request refused with an AgentError frame."""

    msg_type = "AgentError"


class UnusableCommandError(CommandError):
    """A frame the simulator cannot act on: Error only when configured to answer."""

    always_answered = False


@dataclass
class Request:
    """A command frame received on a connection."""

    host: Host
    conn: Connection
    account: Account
    frame: dict[str, Any]

    @property
    def command(self) -> str:
        """The command name."""
        return str(self.frame.get("command"))

    async def reply(self, msg_type: str, payload: object) -> None:
        """Answer on the requesting connection only."""
        await self.host.send(self.conn, msg_type, payload)

    def optional_text(self, key: str) -> str | None:
        """A string (or integer) argument; None when absent or null."""
        value = self.frame.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if value is not None and not isinstance(value, str):
            self.fail(key)
        return value

    def text(self, key: str) -> str:
        """A mandatory string (or integer) argument."""
        value = self.optional_text(key)
        if value is None:
            self.fail(key)
        return value

    def flag(self, key: str) -> bool:
        """A mandatory boolean argument."""
        value = self.frame.get(key)
        if not isinstance(value, bool):
            self.fail(key)
        return value

    def count(self, key: str) -> int:
        """A mandatory non-negative integer argument."""
        value = self.frame.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(key)
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        """An optional object argument (empty when absent)."""
        value = self.frame.get(key, {})
        if not isinstance(value, dict):
            self.fail(key)
        return value

    def fail(self, key: str) -> NoReturn:
        """Give up on a missing or ill-typed argument."""
        msg = f"Invalid or missing '{key}' in {self.command}"
        raise UnusableCommandError(msg)

    def call(self, *states: CallState) -> Call:
        """The call a command targets: by ``uniqueId`` or the latest in ``states``."""
        call = telephony.find_call(self.account, self.optional_text("uniqueId"), states)
        if call is None:
            msg = f"No call to {self.command}"
            raise UnusableCommandError(msg)
        return call

    def own_agent(self) -> int:
        """The user's agent id, checking an optional ``agentid`` argument."""
        agent_id = self.account.agent_id
        if agent_id is None:
            msg = "NotAnAgent"
            raise AgentCommandError(msg)
        requested = self.optional_text("agentid")
        if requested is not None and requested != str(agent_id):
            msg = "UnknownAgent"
            raise AgentCommandError(msg)
        return agent_id

    def logged_in_agent(self) -> int:
        """Like `own_agent`, and the agent must be logged in."""
        agent_id = self.own_agent()
        if not self.account.agent_logged_in:
            msg = "AgentNotLoggedIn"
            raise AgentCommandError(msg)
        return agent_id


type Handler = Callable[[Request], Awaitable[None]]
HANDLERS: dict[str, Handler] = {}
SILENT_COMMANDS = frozenset(
    {
        "sendDtmf",
        "setData",
        "subscribeToAgentEvents",
        "subscribeToAgentStats",
        "unregisterMobileApp",
    }
)
_FORWARDS = {"naFwd": "na_fwd", "uncFwd": "unc_fwd", "busyFwd": "busy_fwd"}


def _handles(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS.update(dict.fromkeys(names, handler))
        return handler

    return register


async def handle(
    host: Host, conn: Connection, account: Account, frame: dict[str, Any]
) -> None:
    """Act on a command frame; refusals become Error or AgentError frames."""
    request = Request(host, conn, account, frame)
    command = frame.get("command")
    name = command if isinstance(command, str) else ""
    if name in SILENT_COMMANDS:
        return
    try:
        handler = HANDLERS.get(name)
        if handler is None:
            msg = f"Unknown command: {command}"
            raise UnusableCommandError(msg)
        await handler(request)
    except CommandError as exc:
        if exc.always_answered or host.config.answer_unknown_commands_with_error:
            await request.reply(exc.msg_type, exc.payload())


# Calls


@_handles("dial")
async def _dial(req: Request) -> None:
    destination = req.text("destination")
    variables = req.mapping("variables")
    if req.account.line_number is None:
        msg = f"User {req.account.username} has no line"
        raise UnusableCommandError(msg)
    await telephony.dial(req.host, req.account, destination, variables)


@_handles("answer")
async def _answer(req: Request) -> None:
    await telephony.establish(req.host, req.account, req.call("ringing"))


@_handles("hold")
async def _hold(req: Request) -> None:
    await telephony.toggle_hold(req.host, req.account, req.call("established", "held"))


@_handles("hangup")
async def _hangup(req: Request) -> None:
    call = req.call("established", "dialing", "ringing", "held")
    await telephony.release(req.host, req.account, call)


@_handles("directTransfer")
async def _direct_transfer(req: Request) -> None:
    req.text("destination")
    await telephony.release(req.host, req.account, req.call("established", "held"))


@_handles("attendedTransfer")
async def _attended_transfer(req: Request) -> None:
    destination = req.text("destination")
    call = req.call("established", "held")
    await telephony.attended_transfer(req.host, req.account, call, destination)


@_handles("completeTransfer", "cancelTransfer")
async def _finish_transfer(req: Request) -> None:
    consult = telephony.consultation(req.account)
    if consult is None:
        msg = f"No transfer to {req.command}"
        raise UnusableCommandError(msg)
    if req.command == "completeTransfer":
        await telephony.complete_transfer(req.host, req.account, consult)
    else:
        await telephony.cancel_transfer(req.host, req.account, consult)


@_handles("getCurrentCallsPhoneEvents")
async def _current_calls(req: Request) -> None:
    direction = req.host.config.server.call_direction
    events = [
        messages.phone_event(req.account, call, direction=direction)
        for call in req.account.calls.values()
    ]
    await req.reply("CurrentCallsPhoneEvents", {"events": events})


# User configuration and presence


@_handles("dnd")
async def _dnd(req: Request) -> None:
    await users.configure(req.host, req.account, {"dnd": req.flag("state")})


@_handles(*_FORWARDS)
async def _forward(req: Request) -> None:
    prefix = _FORWARDS[req.command]
    enabled = req.flag("state")
    destination = req.optional_text("destination")
    if destination is None:
        destination = getattr(req.account, f"{prefix}_destination")
    changes = {f"{prefix}_enabled": enabled, f"{prefix}_destination": destination}
    await users.configure(req.host, req.account, changes)


@_handles("userStatusUpdate")
async def _user_status(req: Request) -> None:
    name = req.text("status")
    status = users.find_status(req.account, name)
    if status is None:
        msg = f"Unknown user status: {name}"
        raise CommandError(msg)
    await users.change_status(req.host, req.account, status)


# Agent


class PhoneInUseError(AgentCommandError):
    """agentLogin on a phone another agent is logged in on (documented shape)."""

    def __init__(self, phone_number: str) -> None:
        """Refuse a login on this phone."""
        super().__init__("LoggedInOnAnotherPhone")
        self.phone_number = phone_number

    def payload(self) -> dict[str, str]:
        """Name the phone as ``phoneNb`` and ``RequestedNb``."""
        number = self.phone_number
        return {**super().payload(), "phoneNb": number, "RequestedNb": number}


@_handles("agentLogin")
async def _agent_login(req: Request) -> None:
    phone_number = req.text("agentphonenumber")
    req.own_agent()
    if phone_number in agents.phones_in_use(req.host, req.account):
        raise PhoneInUseError(phone_number)
    if phone_number != req.account.line_number:
        msg = "PhoneNumberUnknown"
        raise AgentCommandError(msg)
    await agents.log_in(req.host, req.account, phone_number)


@_handles("agentLogout")
async def _agent_logout(req: Request) -> None:
    req.own_agent()
    await agents.set_state(req.host, req.account, "AgentLoggedOut")


@_handles("pauseAgent")
async def _pause_agent(req: Request) -> None:
    reason = req.optional_text("reason")
    req.logged_in_agent()
    await agents.set_state(req.host, req.account, "AgentOnPause", reason)


@_handles("unpauseAgent")
async def _unpause_agent(req: Request) -> None:
    req.logged_in_agent()
    await agents.set_state(req.host, req.account, "AgentReady")


@_handles("getAgentStates")
async def _agent_states(req: Request) -> None:
    account = req.account
    if account.agent_id is not None:
        await req.reply("AgentStateEvent", messages.current_agent_state(account))
    foreign = req.host.config.foreign_agent_id
    if foreign is not None and foreign != account.agent_id:
        queue_ids = [queue["id"] for queue in account.queues]
        await req.reply(
            "AgentStateEvent", messages.foreign_agent_state(foreign, queue_ids)
        )


# Lists, configuration and statistics


@_handles("getList")
async def _get_list(req: Request) -> None:
    object_type = req.text("objectType")
    account, foreign = req.account, req.host.config.foreign_agent_id
    if object_type == "queue":
        await req.reply("QueueList", [dict(queue) for queue in account.queues])
    elif object_type == "agent":
        await req.reply("AgentList", messages.agent_list(account, foreign))
    elif object_type == "queuemember":
        await req.reply("QueueMemberList", messages.queue_members(account, foreign))
    else:
        req.fail("objectType")


@_handles("getConfig")
async def _get_config(req: Request) -> None:
    object_type = req.text("objectType")
    account = req.account
    if object_type == "line":
        # Without a line, no answer: nothing documents what a real server sends.
        if account.line_number is not None:
            await req.reply("LineConfig", messages.line_config(account))
    elif object_type == "queue":
        for queue in account.queues:
            await req.reply("QueueConfig", dict(queue))
    else:
        req.fail("objectType")


@_handles("subscribeToQueueStats")
async def _subscribe_queue_stats(req: Request) -> None:
    req.conn.queue_stats_subscribed = True
    server = req.host.config.server
    for queue in req.account.queues:
        counters = messages.full_queue_counters(req.account, queue["id"], server)
        await req.reply(
            "QueueStatistics", messages.queue_statistics(queue["id"], counters, server)
        )


@_handles("getUserCallHistory")
async def _call_history(req: Request) -> None:
    items = messages.call_history(req.account, size=req.count("size"))
    await req.reply("CallHistory", items)


@_handles("getUserCallHistoryByDays")
async def _call_history_by_days(req: Request) -> None:
    items = messages.call_history(req.account, days=req.count("days"))
    await req.reply("CallHistoryByDays", items)


@_handles("searchContacts", "directoryLookUp")
async def _search(req: Request) -> None:
    """Answer the lookup commands the generation knows; leave others unanswered."""
    term = req.text("term")
    if req.command in req.host.config.server.lookup_commands:
        await req.reply("DirectoryResult", messages.directory_result(req.account, term))
