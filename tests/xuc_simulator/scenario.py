"""The ``demo`` scenario: a lively user for manual testing of the integration."""

from __future__ import annotations

import asyncio
import itertools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .accounts import Account
    from .server import XucSimulator

# A presence status of the demo account, as XiVO's pause reasons are.
PAUSE_REASON = "outtolunch"


async def run_demo(
    sim: XucSimulator, username: str = "alice", step: float = 1.0
) -> None:
    """Loop forever over a ~25 s cycle (scaled by ``step``) of events for one user.

    Each cycle: the agent is logged in if needed, a call rings (every other one
    through the first queue), is answered and released; a voicemail arrives (every
    fourth cycle the messages are "listened to" instead); the agent pauses with a
    reason, then gets ready again; queue statistics follow the calls. The far end
    of the user's own calls answers after 3 steps and hangs up 8 steps later; the
    call and the pause wait for the line to be free.
    """
    account = sim.accounts[username.lower()]
    sim.config.call_answer_delay = 3 * step
    sim.config.call_talk_time = 8 * step
    for cycle in itertools.count():
        is_agent = account.agent_id is not None
        if is_agent and not account.agent_logged_in:
            await sim.set_agent_state("AgentLogin", username=username)
            await sim.set_agent_state("AgentReady", username=username)
        queue = account.queues[0] if account.queues and cycle % 2 == 0 else None
        contacts = account.directory or [{"number": "0612345678"}]
        caller = contacts[cycle % len(contacts)]
        await asyncio.sleep(2 * step)
        await _line_free(account, step)
        if queue is not None:
            await _bump_queue(sim, account.username, queue["id"], WaitingCalls=1)
        unique_id = await sim.incoming_call(
            str(caller.get("number")),
            None,
            queue=queue["name"] if queue else None,
            user_data={"campaign": "démo", "cycle": cycle},
            username=username,
        )
        await asyncio.sleep(3 * step)
        await sim.remote_answer(unique_id)
        if queue is not None:
            await _bump_queue(
                sim,
                account.username,
                queue["id"],
                WaitingCalls=-1,
                TalkingAgents=1,
                TotalNumberCallsEntered=1,
                TotalNumberCallsAnswered=1,
            )
        await asyncio.sleep(5 * step)
        await sim.remote_hangup(unique_id)
        if queue is not None:
            await _bump_queue(sim, account.username, queue["id"], TalkingAgents=-1)
        await asyncio.sleep(3 * step)
        if cycle % 4 == 3:
            new, old = 0, account.voicemail_old + account.voicemail_new
        else:
            new, old = account.voicemail_new + 1, account.voicemail_old
        await sim.set_voicemail(new, old, username=username)
        await asyncio.sleep(3 * step)
        await _line_free(account, step)
        if is_agent and account.agent_logged_in:
            await sim.set_agent_state("AgentOnPause", PAUSE_REASON, username=username)
            await asyncio.sleep(6 * step)
            await sim.set_agent_state("AgentReady", username=username)
        await asyncio.sleep(3 * step)


async def _line_free(account: Account, step: float) -> None:
    """Wait until the user has no call."""
    while account.calls:
        await asyncio.sleep(step)


async def _bump_queue(
    sim: XucSimulator, username: str, queue_id: int, **deltas: int
) -> None:
    """Add ``deltas`` to queue counters (never below zero) and publish them."""
    stats = sim.accounts[username.lower()].queue_stats.get(queue_id, {})
    counters = {
        name: max(0, stats.get(name, 0) + delta) for name, delta in deltas.items()
    }
    await sim.set_queue_stats(queue_id, counters, username=username)
