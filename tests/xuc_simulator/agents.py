"""Agent state transitions."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .messages import agent_state

if TYPE_CHECKING:
    from .accounts import Account
    from .host import Host

# The phone the foreign agent (``foreign_agent_id``) is logged in on: 1000 + id.
FOREIGN_PHONE_BASE = 1000

CALL_STATES = frozenset({"AgentRinging", "AgentDialing", "AgentOnCall"})


async def set_state(
    host: Host, account: Account, name: str, cause: str | None = None
) -> None:
    """Enter an agent state and notify the user's sockets."""
    if name == "AgentLoggedOut":
        account.agent_phone_number = None
    elif account.agent_phone_number is None:
        account.agent_phone_number = account.line_number
    account.agent_state = name
    account.pause_reason = cause
    account.agent_since = time.time()
    await host.emit(account, "AgentStateEvent", agent_state(account))


def phones_in_use(host: Host, account: Account) -> set[str]:
    """Phones other agents are logged in on: other users' and the foreign agent's."""
    phones = {
        other.agent_phone_number
        for other in host.accounts.values()
        if other is not account and other.agent_phone_number
    }
    if (foreign := host.config.foreign_agent_id) is not None:
        phones.add(str(FOREIGN_PHONE_BASE + foreign))
    return phones


async def log_in(host: Host, account: Account, phone_number: str) -> None:
    """Log the user's agent in on a phone: AgentLogin then AgentReady."""
    account.agent_phone_number = phone_number
    await set_state(host, account, "AgentLogin")
    await set_state(host, account, "AgentReady")


async def follow_call(host: Host, account: Account, name: str) -> None:
    """Move a logged-in agent to a call state (no-op when already there)."""
    if account.agent_logged_in and account.agent_state != name:
        await set_state(host, account, name)


async def end_calls(host: Host, account: Account) -> None:
    """After the last call of a logged-in agent: [AgentOnWrapup then] AgentReady."""
    if (
        not account.calls
        and account.agent_logged_in
        and account.agent_state in CALL_STATES
    ):
        if account.agent_state == "AgentOnCall":
            await set_state(host, account, "AgentOnWrapup")
        await set_state(host, account, "AgentReady")
