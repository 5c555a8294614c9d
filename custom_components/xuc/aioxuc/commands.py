"""Builders of the frames sent to the server.

Each builder returns the exact object XuC's own JavaScript client (cti.js)
sends for the same call: optional arguments are left out when not given.
"""

from collections.abc import Mapping
from typing import Any

type Command = dict[str, Any]

PING: Command = {"claz": "ping"}


def _web(command: str, **arguments: object) -> Command:
    """Build a command frame, dropping arguments that are None."""
    frame: Command = {"claz": "web", "command": command}
    frame.update((key, value) for key, value in arguments.items() if value is not None)
    return frame


def dial(destination: str, variables: Mapping[str, str] | None = None) -> Command:
    """Call a number; variables come back as USR_<key> in the call's events."""
    return _web(
        "dial",
        destination=destination,
        variables=None if variables is None else dict(variables),
    )


def hangup(unique_id: str | None = None) -> Command:
    """Hang up the current call, or the call with this unique id."""
    return _web("hangup", uniqueId=unique_id or None)


def answer(unique_id: str | None = None) -> Command:
    """Answer the ringing call, or the call with this unique id."""
    return _web("answer", uniqueId=unique_id or None)


def hold(unique_id: str | None = None) -> Command:
    """Put the current call (or the call with this unique id) on hold, or resume it."""
    return _web("hold", uniqueId=unique_id or None)


def direct_transfer(destination: str) -> Command:
    """Transfer the current call without consultation."""
    return _web("directTransfer", destination=destination)


def attended_transfer(destination: str, device: str | None = None) -> Command:
    """Call the transfer target while the current call waits."""
    return _web("attendedTransfer", destination=destination, device=device)


def complete_transfer() -> Command:
    """Connect the waiting call to the transfer target."""
    return _web("completeTransfer")


def cancel_transfer() -> Command:
    """Abandon an attended transfer and return to the first call."""
    return _web("cancelTransfer")


def send_dtmf(key: str) -> Command:
    """Send one DTMF digit on the current call."""
    return _web("sendDtmf", key=key)


def dnd(*, enabled: bool) -> Command:
    """Turn do-not-disturb on or off."""
    return _web("dnd", state=enabled)


def na_fwd(destination: str, *, enabled: bool) -> Command:
    """Set forwarding on no answer."""
    return _web("naFwd", state=enabled, destination=destination)


def unc_fwd(destination: str, *, enabled: bool) -> Command:
    """Set unconditional forwarding."""
    return _web("uncFwd", state=enabled, destination=destination)


def busy_fwd(destination: str, *, enabled: bool) -> Command:
    """Set forwarding when busy."""
    return _web("busyFwd", state=enabled, destination=destination)


def user_status_update(status: str) -> Command:
    """Change the user's presence status (a UsersStatuses name)."""
    return _web("userStatusUpdate", status=status)


def agent_login(phone_number: str, agent_id: int | None = None) -> Command:
    """Log the agent in on a phone number."""
    return _web("agentLogin", agentphonenumber=phone_number, agentid=agent_id)


def agent_logout(agent_id: int | None = None) -> Command:
    """Log the agent out."""
    return _web("agentLogout", agentid=agent_id)


def pause_agent(agent_id: int | None = None, reason: str | None = None) -> Command:
    """Pause the agent, optionally with a reason."""
    return _web("pauseAgent", agentid=agent_id, reason=reason)


def unpause_agent(agent_id: int | None = None) -> Command:
    """Make the paused agent ready again."""
    return _web("unpauseAgent", agentid=agent_id)


def subscribe_to_queue_stats() -> Command:
    """Receive QueueStatistics now and on every change."""
    return _web("subscribeToQueueStats")


def subscribe_to_agent_events() -> Command:
    """Receive agent state changes."""
    return _web("subscribeToAgentEvents")


def get_agent_states() -> Command:
    """Ask for one AgentStateEvent per visible agent."""
    return _web("getAgentStates")


def get_list(object_type: str) -> Command:
    """Ask for a list ("queue", "agent", "queuemember") and its later changes."""
    return _web("getList", objectType=object_type)


def get_config(object_type: str) -> Command:
    """Ask for a configuration object ("line")."""
    return _web("getConfig", objectType=object_type)


def get_user_call_history(size: int) -> Command:
    """Ask for the user's last `size` calls."""
    return _web("getUserCallHistory", size=size)


def get_user_call_history_by_days(days: int) -> Command:
    """Ask for the user's calls of the last `days` days."""
    return _web("getUserCallHistoryByDays", days=days)


def get_current_calls_phone_events() -> Command:
    """Ask for the calls in progress."""
    return _web("getCurrentCallsPhoneEvents")


def directory_look_up(term: str) -> Command:
    """Search the directory (DirectoryResult).

    Deprecated on nextlts in favour of searchContacts, but answered by every
    server generation, whereas servers before nextlts never answer searchContacts.
    """
    return _web("directoryLookUp", term=term)
