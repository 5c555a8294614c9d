"""User-level state changes: configuration, presence and voicemail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import agents
from .messages import CONFIG_FIELD_OF_ATTRIBUTE, user_config, voicemail

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .accounts import Account
    from .host import Host


async def configure(
    host: Host, account: Account, changes: Mapping[str, object]
) -> None:
    """Apply ``Account`` attribute changes and send a UserConfigUpdate.

    Raises:
        TypeError: a key is not a UserConfigUpdate attribute.

    """
    unknown = set(changes) - set(CONFIG_FIELD_OF_ATTRIBUTE)
    if unknown:
        msg = f"not user configuration attributes: {sorted(unknown)}"
        raise TypeError(msg)
    for attr, value in changes.items():
        setattr(account, attr, value)
    fields = [CONFIG_FIELD_OF_ATTRIBUTE[attr] for attr in changes]
    payload = user_config(account, fields, partial=host.config.partial_user_config)
    await host.emit(account, "UserConfigUpdate", payload)


def find_status(account: Account, name: str) -> dict[str, Any] | None:
    """The UsersStatuses entry called ``name``."""
    return next((s for s in account.users_statuses if s.get("name") == name), None)


async def change_status(host: Host, account: Account, status: dict[str, Any]) -> None:
    """Switch presence: UserStatusUpdate, then the status's actions."""
    name = status.get("name")
    account.presence = str(name)
    await host.emit(account, "UserStatusUpdate", {"status": name})
    for action in status.get("actions") or []:
        kind, parameters = action.get("name"), action.get("parameters")
        if kind == "enablednd":
            await configure(host, account, {"dnd": parameters == "true"})
        elif not account.agent_logged_in:
            continue
        elif kind == "queuepause_all":
            await agents.set_state(host, account, "AgentOnPause", account.presence)
        elif kind == "queueunpause_all" and account.agent_state == "AgentOnPause":
            await agents.set_state(host, account, "AgentReady")
        elif kind == "agentlogoff":
            await agents.set_state(host, account, "AgentLoggedOut")


async def set_voicemail(host: Host, account: Account, new: int, old: int) -> None:
    """Change the message counts and send a VoiceMailStatusUpdate."""
    account.voicemail_new = new
    account.voicemail_old = old
    await host.emit(account, "VoiceMailStatusUpdate", voicemail(account))
