"""The three call forwardings: how to read and change each one."""

from collections.abc import Callable
from dataclasses import dataclass

from .aioxuc import Command, UserConfig, commands


@dataclass(frozen=True, slots=True, kw_only=True)
class Forwarding:
    """One kind of call forwarding."""

    key: str
    enabled: Callable[[UserConfig], bool | None]
    destination: Callable[[UserConfig], str | None]
    command: Callable[..., Command]

    def frame(
        self, user: UserConfig, *, enabled: bool, destination: str | None = None
    ) -> Command:
        """The frame setting this forwarding (destination unchanged unless given)."""
        if destination is None:
            destination = self.destination(user) or ""
        return self.command(destination, enabled=enabled)


FORWARDINGS = (
    Forwarding(
        key="unconditional",
        enabled=lambda user: user.unc_fwd_enabled,
        destination=lambda user: user.unc_fwd_destination,
        command=commands.unc_fwd,
    ),
    Forwarding(
        key="no_answer",
        enabled=lambda user: user.na_fwd_enabled,
        destination=lambda user: user.na_fwd_destination,
        command=commands.na_fwd,
    ),
    Forwarding(
        key="busy",
        enabled=lambda user: user.busy_fwd_enabled,
        destination=lambda user: user.busy_fwd_destination,
        command=commands.busy_fwd,
    ),
)
