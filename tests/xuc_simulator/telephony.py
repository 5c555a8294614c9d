"""Calls on a user's line: PhoneEvents, phone status and agent follow-ups."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import TYPE_CHECKING, Any

from . import agents
from .accounts import Call, history_entry
from .messages import phone_event, phone_status

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .accounts import Account, CallState
    from .host import Host

_SEQUENCE = itertools.count(1)


def new_call_id() -> str:
    """Return an Asterisk-like unique id, e.g. ``1700000000.12``."""
    return f"{int(time.time())}.{next(_SEQUENCE)}"


def channel_variables(
    variables: Mapping[str, Any], exempt: tuple[str, ...] = ("USR_",)
) -> dict[str, str]:
    """Variables as XuC attaches them: ``USR_`` prefixed unless in ``exempt``."""
    return {
        key if key.startswith(exempt) else f"USR_{key}": str(value)
        for key, value in variables.items()
    }


def line_status(account: Account) -> str:
    """Phone status name derived from the calls on the line."""
    states = [call.state for call in account.calls.values()]
    if "ringing" in states:
        return "BUSY_AND_RINGING" if len(states) > 1 else "RINGING"
    for state, status in (
        ("dialing", "CALLING"),
        ("established", "BUSY"),
        ("held", "ONHOLD"),
    ):
        if state in states:
            return status
    return "AVAILABLE"


def find_call(
    account: Account, unique_id: str | None, states: tuple[CallState, ...]
) -> Call | None:
    """The call with ``unique_id``, or the latest call in the first matching state."""
    if unique_id is not None:
        call = account.calls.get(unique_id)
        return call if call is not None and call.state in states else None
    for state in states:
        for call in reversed(account.calls.values()):
            if call.state == state:
                return call
    return None


def consultation(account: Account) -> Call | None:
    """The consultation call of an attended transfer in progress."""
    return next((c for c in reversed(account.calls.values()) if c.consult_of), None)


async def _publish(
    host: Host, account: Account, call: Call, event_type: str | None = None
) -> None:
    """Send the call's PhoneEvent, then PhoneStatusUpdate when the status changed."""
    payload = phone_event(
        account, call, event_type, direction=host.config.server.call_direction
    )
    await host.emit(account, "PhoneEvent", payload)
    await _sync_status(host, account)


async def _sync_status(host: Host, account: Account) -> None:
    status = line_status(account)
    if status != account.phone_status:
        account.phone_status = status
        await host.emit(
            account,
            "PhoneStatusUpdate",
            phone_status(status, host.config.phone_status_encoding),
        )


async def dial(
    host: Host,
    account: Account,
    destination: str,
    variables: Mapping[str, Any],
    consult_of: str | None = None,
) -> Call:
    """Place an outgoing call: PhoneStatusUpdate CALLING, then EventDialing."""
    unique_id = new_call_id()
    call = Call(
        unique_id=unique_id,
        linked_id=new_call_id(),
        other_dn=destination,
        other_name=account.contact_name(destination),
        direction="Outgoing",
        state="dialing",
        user_data={"XIVO_USERID": str(account.user_id)} | channel_variables(variables),
        consult_of=consult_of,
    )
    account.calls[unique_id] = call
    await _sync_status(host, account)
    await _publish(host, account, call)
    if consult_of is None:
        await agents.follow_call(host, account, "AgentDialing")
    delay = host.config.call_answer_delay
    if delay is not None:
        host.spawn(_answer_later(host, account, unique_id, delay))
    return call


async def _answer_later(
    host: Host, account: Account, unique_id: str, delay: float
) -> None:
    await asyncio.sleep(delay)
    call = account.calls.get(unique_id)
    if call is None or call.state != "dialing":
        return
    await establish(host, account, call)
    talk_time = host.config.call_talk_time
    if talk_time is not None:
        await asyncio.sleep(talk_time)
        await release(host, account, call)


async def ring(
    host: Host,
    account: Account,
    caller: tuple[str, str | None],
    queue: str | None,
    user_data: Mapping[str, Any],
) -> Call:
    """Present a call from ``caller`` (number, name or None to look it up).

    Sends EventRinging, then RINGING (or BUSY_AND_RINGING) and AgentRinging.
    """
    number, name = caller
    unique_id = new_call_id()
    call = Call(
        unique_id=unique_id,
        linked_id=new_call_id(),
        other_dn=number,
        other_name=account.contact_name(number) if name is None else name,
        direction="Incoming",
        state="ringing",
        user_data={
            "XIVO_USERID": str(account.user_id),
            "XIVO_CONTEXT": "from-extern",
            "XIVO_SRCNUM": number,
            "XIVO_DSTNUM": account.line_number or "",
        }
        | channel_variables(user_data, ("USR_", "XIVO_")),
        queue=queue,
    )
    busy = bool(account.calls)
    account.calls[unique_id] = call
    await _publish(host, account, call)
    if not busy:
        await agents.follow_call(host, account, "AgentRinging")
    return call


async def establish(host: Host, account: Account, call: Call) -> None:
    """Connect a call (answer, far-end answer, resume); other calls go on hold."""
    for other in list(account.calls.values()):
        if other is not call and other.state == "established":
            other.state = "held"
            await _publish(host, account, other)
    call.state = "established"
    if call.answered_at is None:
        call.answered_at = time.monotonic()
    await _publish(host, account, call)
    await agents.follow_call(host, account, "AgentOnCall")


async def toggle_hold(host: Host, account: Account, call: Call) -> None:
    """Put an established call on hold, or resume a held one."""
    if call.state == "held":
        await establish(host, account, call)
    else:
        call.state = "held"
        await _publish(host, account, call)


async def release(host: Host, account: Account, call: Call) -> None:
    """End a call: EventReleased, history entry, status and agent follow-ups."""
    if account.calls.pop(call.unique_id, None) is None:
        return
    answered_at = call.answered_at
    duration = 0.0 if answered_at is None else time.monotonic() - answered_at
    me = (account.line_number or "", account.full_name)
    other = (call.other_dn, call.other_name)
    if call.direction == "Outgoing":
        status, src, dst = "emitted", me, other
    else:
        status = "abandoned" if answered_at is None else "answered"
        src, dst = other, me
    account.record_call(history_entry(call.started, duration, status, src, dst))
    await _publish(host, account, call, "EventReleased")
    await agents.end_calls(host, account)


async def attended_transfer(
    host: Host, account: Account, call: Call, destination: str
) -> Call:
    """Hold the call and dial the transfer target."""
    if call.state == "established":
        call.state = "held"
        await _publish(host, account, call)
    return await dial(host, account, destination, {}, consult_of=call.unique_id)


async def complete_transfer(host: Host, account: Account, consult: Call) -> None:
    """Hand the held call over to the target: both calls end for the user."""
    held = account.calls.get(consult.consult_of or "")
    await release(host, account, consult)
    if held is not None:
        await release(host, account, held)


async def cancel_transfer(host: Host, account: Account, consult: Call) -> None:
    """Drop the consultation call and resume the held one."""
    held = account.calls.get(consult.consult_of or "")
    await release(host, account, consult)
    if held is not None:
        await establish(host, account, held)
